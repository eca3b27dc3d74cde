"""The meeting vocabulary: which items each meeting takes, the lifecycle, overdue items."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import (
    ITEM_KINDS,
    NEXT_STATUS,
    ActionItem,
    ActionStatus,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    require_text,
)


def test_network_meetings_never_take_cases_and_both_kinds_take_trend_notes() -> None:
    assert ItemKind.CASE not in ITEM_KINDS[MeetingKind.NETWORK]
    assert ItemKind.CASE in ITEM_KINDS[MeetingKind.CASE]
    assert all(ItemKind.TREND in kinds for kinds in ITEM_KINDS.values())
    assert {k.value for k in ItemKind} == {"sag", "tendensnotat", "orientering", "eventuelt"}


def test_lifecycle_goes_forward_only_and_locks_at_approval() -> None:
    order = [MeetingStatus.PLANNED]
    while order[-1] in NEXT_STATUS:
        order.append(NEXT_STATUS[order[-1]])
    assert order == [
        MeetingStatus.PLANNED,
        MeetingStatus.HELD,
        MeetingStatus.APPROVED,
        MeetingStatus.SENT,
    ]
    assert [s.locked for s in order] == [False, False, True, True]


def _action(deadline: date | None, status: ActionStatus) -> ActionItem:
    return ActionItem(
        uuid.uuid4(),
        uuid.uuid4(),
        uuid.uuid4(),
        "x",
        None,
        "A",
        deadline,
        status,
        None,
        "",
        None,
        1,
    )


def test_overdue_means_open_and_past_the_deadline() -> None:
    today = date(2026, 12, 10)
    assert _action(date(2026, 12, 9), ActionStatus.OPEN).overdue(today)
    assert not _action(date(2026, 12, 10), ActionStatus.OPEN).overdue(today)
    assert not _action(date(2026, 12, 9), ActionStatus.DONE).overdue(today)
    assert not _action(None, ActionStatus.OPEN).overdue(today)


def test_required_text_is_stripped_and_bounded() -> None:
    assert require_text("  Møde  ", "Titel", "Title") == "Møde"
    with pytest.raises(InvalidInput):
        require_text("   ", "Titel", "Title")
    with pytest.raises(InvalidInput):
        require_text("x" * 301, "Titel", "Title", 300)
