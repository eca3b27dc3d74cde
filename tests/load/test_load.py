"""The load test's short form under pytest, only when asked for (``INFOHUS_LOAD=1``).

It takes over a minute on a machine of its own and makes many processes: the normal suite
stays within its budget without it, and ``.ci/run`` runs the same short form as a step of its
own (``python -m tests.load --short``).
"""

from __future__ import annotations

import io
import os

import pytest

from tests.load.__main__ import SHORT_SECONDS
from tests.load.plan import LoadConfig
from tests.load.run import run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("INFOHUS_LOAD") != "1",
        reason="the load test runs only with INFOHUS_LOAD=1 (and as its own step in .ci/run)",
    ),
]


def test_twenty_workstations_lose_nothing_and_surface_no_database_errors(
    pg_admin_url: str,
) -> None:
    out = io.StringIO()
    code = run(LoadConfig(workstations=20, seconds=SHORT_SECONDS), out)
    report = out.getvalue()
    assert code == 0, report
    for check in (
        "no errors surfaced to a user",
        "every acknowledged write present",
        "0 lost updates",
        "case numbers unique and gap-free",
        "audit chain verifies",
    ):
        assert f"[ok] {check}" in report, report
