"""One demo vault for the tests that only read what the demo holds.

Building the demo takes 10-15 s (a year of meetings through the real services), and five test
modules each built their own with the same date. They now take a copy of one build:
``shared_demo_url`` (conftest.py) builds it once per test worker, and every test marked
:data:`on_the_shared_demo` runs on the same worker, so the suite builds it once. Each test
gets its own copy of the file and of the local state the build wrote (the pinned root, the
checkpoint), so what one test writes (an unlock's audit entries) never reaches another.
"""

from __future__ import annotations

from datetime import date

import pytest

#: The date the shared demo is built on; its year of meetings, notes and referrals ends here.
SHARED_DEMO_TODAY = date(2026, 11, 20)
SHARED_DEMO_CASES = 30
#: The mark every test of the shared demo carries (one worker builds it once).
on_the_shared_demo = pytest.mark.xdist_group("shared_demo")
