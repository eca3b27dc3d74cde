"""Meetings built directly as domain objects, for renderer tests without a vault."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from infohus_desktop.domain.meetings import (
    ActionItem,
    ActionStatus,
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    DecisionKind,
    ItemKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingSummary,
    MeetingType,
    Participant,
)
from infohus_desktop.reports.base import PrintStamp

STAMP = PrintStamp("Anne Holm (aholm)", datetime(2026, 11, 23, 13, 30, tzinfo=UTC))
STARTS = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
CHAIR = uuid.uuid4()


def action(text: str, owner: str, deadline: date | None = date(2026, 12, 15)) -> ActionItem:
    return ActionItem(
        id=uuid.uuid4(),
        meeting_id=uuid.uuid4(),
        item_id=uuid.uuid4(),
        text=text,
        owner_id=None,
        owner_name=owner,
        deadline=deadline,
        status=ActionStatus.OPEN,
        closed_by_id=None,
        closed_by_name="",
        closed_at=None,
        version=1,
        meeting_date=STARTS.date(),
    )


def item(
    position: int,
    kind: ItemKind,
    title: str,
    notes: str = "",
    organisation: str = "",
    case_number: str | None = None,
    decisions: tuple[tuple[str, str], ...] = (),
    actions: tuple[ActionItem, ...] = (),
) -> AgendaItem:
    item_id = uuid.uuid4()
    return AgendaItem(
        id=item_id,
        position=position,
        kind=kind,
        title=title,
        organisation=organisation,
        subject_id=uuid.uuid4() if kind is ItemKind.CASE else None,
        case_number=case_number,
        notes=notes,
        decisions=tuple(
            Decision(uuid.uuid4(), item_id, DecisionKind.RECOMMENDATION, text, authority, 1)
            for text, authority in decisions
        ),
        action_items=actions,
        version=1,
    )


def meeting(
    items: tuple[AgendaItem, ...],
    title: str = "Infohusmøde",
    place: str = "Rådhuset",
    participants: tuple[tuple[str, str], ...] = (("Lars Holm", "Østjyllands Politi"),),
    addenda: tuple[str, ...] = (),
    description: str = "",
    forum: str = "Aarhus Kommune",
    infohus: str = "Infohus Østjylland",
) -> Meeting:
    summary = MeetingSummary(
        id=uuid.uuid4(),
        kind=MeetingKind.CASE,
        meeting_type=MeetingType.ORDINARY,
        status=MeetingStatus.APPROVED,
        title=title,
        place=place,
        starts_at=STARTS,
        ends_at=None,
        forum=forum,
        local_infohus_id=uuid.uuid4(),
        item_count=len(items),
        version=3,
    )
    people = tuple(
        Participant(uuid.uuid4(), CHAIR if i == 0 else None, name, org, "", Attendance.PRESENT)
        for i, (name, org) in enumerate(participants)
    )
    return Meeting(
        summary=summary,
        description=description,
        chair_id=CHAIR,
        chair_name=participants[0][0],
        minute_taker_id=None,
        minute_taker_name="",
        participants=people,
        items=items,
        carried_action_items=(),
        addenda=tuple(
            Addendum(uuid.uuid4(), None, text, CHAIR, participants[0][0], STARTS)
            for text in addenda
        ),
        held_at=STARTS,
        approved_at=STARTS,
        approved_by_name=participants[0][0],
        sent_at=None,
        infohus_name=infohus,
    )
