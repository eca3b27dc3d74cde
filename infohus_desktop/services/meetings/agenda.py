"""The agenda: items of the kinds the meeting's kind allows, and their order.

A case item names a case the member can read, of the case meeting's own Infohus Kommune; its
text is sealed under the case's data key. A trend item names a trend note the member can read
(``trend_items``); its text is meeting-wide. Adding a kind means adding it to
``ITEM_KINDS`` and a branch to :func:`_subject` that checks what it refers to.

:class:`MeetingAgenda` is this part of ``session.meetings``.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import (
    ITEM_KINDS,
    AgendaItem,
    ItemKind,
    Meeting,
    MeetingAction,
    MeetingKind,
    NewAgendaItem,
    optional_text,
)
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import find_case
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.base import MeetingBase, MeetingRef
from infohus_desktop.services.meetings.reader import Reader, to_item
from infohus_desktop.services.meetings.store import Writer
from infohus_desktop.services.meetings.trend_items import trend_subject
from infohus_desktop.vault.meeting_schema import (
    ActionItemRow,
    MeetingCarriedRow,
    MeetingDecisionRow,
    MeetingItemRow,
    MeetingRow,
)

ITEMS = "meeting_items"


def _subject(
    ms: MemberSession, session: Session, meeting: MeetingRow, item: NewAgendaItem
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The item's subject, checked: (the case of a case item, the note of a trend item)."""
    kind = ItemKind(item.kind)
    if kind not in ITEM_KINDS[MeetingKind(meeting.kind)]:
        raise InvalidInput(
            "Den slags punkt hører ikke til denne slags møde (netværksmøder behandler ikke sager).",
            "That kind of item does not belong in this kind of meeting "
            "(network meetings never handle cases).",
        )
    if kind is ItemKind.CASE:
        if not item.case:
            raise InvalidInput("Vælg en sag.", "Choose a case.")
        case = find_case(ms, session, item.case, CaseOp.READ).row
        if case.local_infohus_id != meeting.local_infohus_id:
            raise InvalidInput(
                f"Sag {case.number} hører til et andet Infohus Kommune.",
                f"Case {case.number} belongs to another Infohus Kommune.",
            )
        taken = session.scalar(
            select(MeetingItemRow.id).where(
                MeetingItemRow.meeting_id == meeting.id, MeetingItemRow.case_id == case.id
            )
        )
        if taken is not None:
            raise InvalidInput(
                f"Sag {case.number} er allerede på dagsordenen.",
                f"Case {case.number} is already on the agenda.",
            )
        return case.id, None
    if kind is ItemKind.TREND:
        return None, trend_subject(ms, session, meeting, item)
    if kind is ItemKind.ORIENTATION and not item.organisation.strip():
        raise InvalidInput(
            "Angiv hvilken organisation der orienterer.", "Say which organisation gives it."
        )
    return None, None


def _renumber(session: Session, meeting_id: uuid.UUID) -> None:
    rows = session.scalars(
        select(MeetingItemRow)
        .where(MeetingItemRow.meeting_id == meeting_id)
        .order_by(MeetingItemRow.position)
    )
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position


class MeetingAgenda(MeetingBase):
    """``session.meetings``: the agenda's items and their order."""

    def case_choices(self, ref: MeetingRef) -> builtins.list[CaseSummary]:
        """Cases this member can read that belong to the case meeting's Infohus Kommune:
        what the case picker of the agenda offers (shown by number)."""
        meeting_id = self.resolve(ref)
        with self.ms.uow() as session:
            meeting = store.load_meeting(self.ms, session, meeting_id)
            local_id = meeting.local_infohus_id
        if meeting.kind != MeetingKind.CASE.value:
            return []
        cases = CaseService(self.ms).list(purpose=Purpose.MEETING_PREP)
        return sorted((c for c in cases if c.local_infohus_id == local_id), key=lambda c: c.number)

    def add_item(self, ref: MeetingRef, item: NewAgendaItem) -> AgendaItem:
        """Append an item (chair, minute taker, coordinators). A case item names a case the
        member can read, of the meeting's Infohus Kommune; a network meeting takes no case. A
        trend item names a trend note the member can read (either kind of meeting)."""
        meeting_id = self.resolve(ref)
        title = optional_text(item.title, "Titel", "Title", 300)
        organisation = optional_text(item.organisation, "Organisation", "Organisation", 200)
        with self.ms.transaction() as session:
            meeting = store.for_change(self.ms, session, meeting_id, Writer.MINUTES)
            case_id, trend_note_id = _subject(self.ms, session, meeting, item)
            last = session.scalar(
                select(func.max(MeetingItemRow.position)).where(
                    MeetingItemRow.meeting_id == meeting.id
                )
            )
            row = MeetingItemRow(
                id=uuid.uuid4(),
                meeting_id=meeting.id,
                position=(last or 0) + 1,
                kind=ItemKind(item.kind).value,
                case_id=case_id,
                trend_note_id=trend_note_id,
                updated_at=store.now(),
            )
            key = store.item_key(self.ms, session, meeting, row)
            data = {"title": title, "organisation": organisation, "notes": ""}
            row.payload = store.seal(key.key, ITEMS, row.id, data, key.case_id)
            session.add(row)
            session.flush()
            store.touch(meeting)
            self.ms.record(
                session,
                MeetingAction.ITEM_ADD,
                case_id or meeting.id,
                Purpose.MEETING_PREP,
                f"meeting={meeting.id}" + (f" trend={trend_note_id}" if trend_note_id else ""),
            )
            return to_item(Reader(self.ms, session), row)

    def edit_item(
        self,
        item_id: uuid.UUID,
        version: int,
        title: str | None = None,
        organisation: str | None = None,
    ) -> AgendaItem:
        """Change an item's title or orienting organisation. Conflict when stale."""
        with self.ms.transaction() as session:
            meeting, row = store.load_item(self.ms, session, item_id, Writer.MINUTES)
            if row.version != version:
                raise store.stale()
            key = store.item_key(self.ms, session, meeting, row)
            data = store.open_payload(self.ms, session, ITEMS, row.id, row.payload, key.case_id)
            if title is not None:
                data["title"] = optional_text(title, "Titel", "Title", 300)
            if organisation is not None:
                data["organisation"] = optional_text(
                    organisation, "Organisation", "Organisation", 200
                )
            row.payload = store.seal(key.key, ITEMS, row.id, data, key.case_id)
            row.updated_at = store.now()
            store.touch(meeting)
            self.ms.record(
                session, MeetingAction.ITEM_EDIT, row.case_id or meeting.id, Purpose.MEETING_PREP
            )
            session.flush()
            return to_item(Reader(self.ms, session), row)

    def remove_item(self, item_id: uuid.UUID) -> None:
        """Remove an item with its notes, decisions and action items."""
        with self.ms.transaction() as session:
            meeting, row = store.load_item(self.ms, session, item_id, Writer.MINUTES)
            actions = list(
                session.scalars(select(ActionItemRow).where(ActionItemRow.item_id == row.id))
            )
            carried = session.scalar(
                select(MeetingCarriedRow.meeting_id).where(
                    MeetingCarriedRow.action_item_id.in_([a.id for a in actions])
                )
            )
            if carried is not None:
                raise InvalidInput(
                    "Punktets opgaver står i et senere, godkendt referat; "
                    "punktet kan ikke fjernes.",
                    "The item's action items are in later approved minutes; it cannot be removed.",
                )
            for action in actions:
                session.delete(action)
            for decision in session.scalars(
                select(MeetingDecisionRow).where(MeetingDecisionRow.item_id == row.id)
            ):
                session.delete(decision)
            session.flush()
            session.delete(row)
            session.flush()
            _renumber(session, meeting.id)
            store.touch(meeting)
            self.ms.record(
                session, MeetingAction.ITEM_REMOVE, row.case_id or meeting.id, Purpose.MEETING_PREP
            )

    def reorder_items(self, ref: MeetingRef, ordered_ids: Sequence[uuid.UUID]) -> Meeting:
        """Put the items in this order. ``ordered_ids`` must name every item of the meeting
        exactly once (a list made from a stale agenda is a Conflict)."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            meeting = store.for_change(self.ms, session, meeting_id, Writer.MINUTES)
            rows = {
                row.id: row
                for row in session.scalars(
                    select(MeetingItemRow).where(MeetingItemRow.meeting_id == meeting.id)
                )
            }
            wanted = list(ordered_ids)
            if len(wanted) != len(set(wanted)) or set(wanted) != set(rows):
                raise store.stale()
            for position, item_id in enumerate(wanted, start=1):
                if rows[item_id].position != position:
                    rows[item_id].position = position
            store.touch(meeting)
            self.ms.record(session, MeetingAction.ITEM_REORDER, meeting.id, Purpose.MEETING_PREP)
        return self.get(ref)
