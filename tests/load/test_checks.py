"""The load test's verdicts can fail: the read-back checks against hand-made outcomes.

These run in the normal suite (no database, no processes): a load run that passes means
something only if a lost, doubled or smuggled edit would have made it fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from infohus_desktop.services.front_door import MemberServices
from tests.load.checks import no_errors, no_lost_updates
from tests.load.district import SHARED_TITLE
from tests.load.plan import Written
from tests.load.report import percentile


@dataclass
class _Shown:
    title: str


@dataclass
class _Item:
    id: str
    notes: str
    version: int


@dataclass
class _Meeting:
    id: str
    items: list[_Item] = field(default_factory=list)


class _Coordinator:
    """Just what ``no_lost_updates`` reads: case titles and meeting items."""

    def __init__(self, titles: dict[str, str], items: list[_Item] | None = None) -> None:
        meeting = _Meeting("m1", items or [])
        self.cases = type("Cases", (), {"show": lambda _s, ref: _Shown(titles[ref])})()
        self.meetings = type(
            "Meetings", (), {"list": lambda _s: [meeting], "get": lambda _s, _id: meeting}
        )()


def _written(**fields: Any) -> dict[str, Any]:
    written = Written()
    for name, value in fields.items():
        setattr(written, name, value)
    return written.__dict__


def _verdict(title: str, *written: dict[str, Any], items: list[_Item] | None = None) -> bool:
    lars = cast(MemberServices, _Coordinator({"AAR-1": title}, items))
    return no_lost_updates(lars, ["AAR-1"], list(written)).ok


def test_the_titles_of_exactly_the_successful_saves_pass() -> None:
    a = _written(shared_tokens=["w00n0001", "w00n0003"], shared_conflicts=["w00n0002"])
    b = _written(shared_tokens=["w01n0001"])
    assert _verdict(f"{SHARED_TITLE} w00n0001 w01n0001 w00n0003", a, b)


@pytest.mark.parametrize(
    "title",
    [
        f"{SHARED_TITLE} w00n0001",  # w01n0001 acknowledged but overwritten: a lost update
        f"{SHARED_TITLE} w00n0001 w01n0001 w01n0001",  # one save applied twice
        f"{SHARED_TITLE} w00n0001 w01n0001 w00n0002",  # a refused save that got in anyway
        "Ny titel w00n0001 w01n0001",  # the title itself overwritten
    ],
)
def test_a_lost_doubled_or_smuggled_edit_fails(title: str) -> None:
    a = _written(shared_tokens=["w00n0001"], shared_conflicts=["w00n0002"])
    b = _written(shared_tokens=["w01n0001"])
    assert not _verdict(title, a, b)


def test_meeting_notes_must_be_those_of_the_last_acknowledged_save() -> None:
    saves = _written(meeting_notes=[["i1", "2", "Noter w00n0001"], ["i1", "3", "Noter w01n0001"]])
    kept = [_Item("i1", "Noter w01n0001", 3)]
    overwritten = [_Item("i1", "Noter w00n0001", 3)]
    assert _verdict(SHARED_TITLE, saves, items=kept)
    assert not _verdict(SHARED_TITLE, saves, items=overwritten)


def test_any_unexpected_exception_fails_the_run() -> None:
    clean = {"index": 0, "errors": []}
    failed = {"index": 1, "errors": ["journal: Traceback ...\nDeadlockDetected: deadlock"]}
    assert no_errors([clean]).ok
    verdict = no_errors([clean, failed])
    assert not verdict.ok
    assert "ws01" in verdict.detail and "DeadlockDetected" in verdict.detail


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert [percentile(values, p) for p in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert percentile([7.0], 99) == 7.0
