"""Every screen shows a moment in Danish time: the members' "last unlocked" and the audit
log's line for that unlock must not be an hour apart on a machine set to UTC."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from infohus_desktop.ui.i18n import fmt_datetime


@pytest.fixture
def machine_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_in_utc")
def test_a_moment_is_shown_in_copenhagen_time_winter_and_summer() -> None:
    assert fmt_datetime(datetime(2026, 12, 7, 13, 33, tzinfo=UTC)) == "07.12.2026 14.33"
    assert fmt_datetime(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "02.07.2026 00.30"
    assert fmt_datetime(None) == ""
