"""Holding a meeting and its minutes: notes, recommendations and agreements per item, the
lifecycle (held, approved by the chair, sent) and addenda after approval.

Approval locks the minutes: every change path goes through ``store.for_change`` or
``load_item(..., writer)``, which raise ``MeetingLocked`` from then on. The action items open
at that moment from the forum's earlier meetings are fixed as the minutes' carried list.

:class:`MeetingMinutes` is this part of ``session.meetings``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.meetings import (
    NEXT_STATUS,
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    DecisionKind,
    Meeting,
    MeetingAction,
    MeetingStatus,
    optional_text,
    require_text,
)
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.base import MeetingBase, MeetingRef
from infohus_desktop.services.meetings.carried import carried_rows
from infohus_desktop.services.meetings.reader import (
    Reader,
    to_addendum,
    to_decision,
    to_item,
)
from infohus_desktop.services.meetings.store import Writer
from infohus_desktop.vault.meeting_schema import (
    MeetingAddendumRow,
    MeetingCarriedRow,
    MeetingDecisionRow,
    MeetingItemRow,
    MeetingParticipantRow,
    MeetingRow,
)

DECISIONS = "meeting_decisions"


def _decision_data(text: str, authority: str) -> dict[str, str]:
    return {
        "text": require_text(text, "Teksten", "The text"),
        "authority": require_text(authority, "Myndigheden", "The authority", 200),
    }


def _decision(
    ms: MemberSession, session: Session, decision_id: uuid.UUID
) -> tuple[MeetingRow, MeetingItemRow, MeetingDecisionRow]:
    row = session.get(MeetingDecisionRow, decision_id)
    if row is None:
        raise store.item_not_found()
    meeting, item = store.load_item(ms, session, row.item_id, Writer.MINUTES)
    return meeting, item, row


def _advance(row: MeetingRow, to: MeetingStatus) -> None:
    current = MeetingStatus(row.status)
    if NEXT_STATUS.get(current) is not to:
        raise InvalidInput(
            f"Mødet er {current.value}; det kan ikke blive {to.value} nu.",
            f"The meeting is {current.value}; it cannot become {to.value} now.",
        )
    row.status = to.value


class MeetingMinutes(MeetingBase):
    """``session.meetings``: holding the meeting, its minutes, approval and addenda."""

    def record_notes(self, item_id: uuid.UUID, notes: str, version: int) -> AgendaItem:
        """Replace the item's notes (case items: under the case's key)."""
        text = optional_text(notes, "Noter", "Notes", 100_000)
        with self.ms.transaction() as session:
            meeting, row = store.load_item(self.ms, session, item_id, Writer.MINUTES)
            if row.version != version:
                raise store.stale()
            key = store.item_key(self.ms, session, meeting, row)
            data = store.open_payload(
                self.ms, session, "meeting_items", row.id, row.payload, key.case_id
            )
            data["notes"] = text
            row.payload = store.seal(key.key, "meeting_items", row.id, data, key.case_id)
            row.updated_at = store.now()
            store.touch(meeting)
            self.ms.record(
                session, MeetingAction.NOTES, row.case_id or meeting.id, Purpose.MEETING_PREP
            )
            session.flush()
            return to_item(Reader(self.ms, session), row)

    def add_decision(
        self, item_id: uuid.UUID, kind: DecisionKind, text: str, authority: str
    ) -> Decision:
        """Record a recommendation or agreement with the authority that owns it."""
        data = _decision_data(text, authority)
        with self.ms.transaction() as session:
            meeting, item = store.load_item(self.ms, session, item_id, Writer.MINUTES)
            key = store.item_key(self.ms, session, meeting, item)
            last = session.scalar(
                select(func.max(MeetingDecisionRow.position)).where(
                    MeetingDecisionRow.item_id == item.id
                )
            )
            row_id = uuid.uuid4()
            row = MeetingDecisionRow(
                id=row_id,
                item_id=item.id,
                kind=DecisionKind(kind).value,
                position=(last or 0) + 1,
                payload=store.seal(key.key, DECISIONS, row_id, data, key.case_id),
                created_at=store.now(),
                created_by=self.ms.member.id,
            )
            session.add(row)
            session.flush()
            store.touch(meeting)
            self.ms.record(
                session,
                MeetingAction.DECISION_ADD,
                item.case_id or meeting.id,
                Purpose.MEETING_PREP,
            )
            return to_decision(Reader(self.ms, session), row, key.case_id)

    def edit_decision(
        self, decision_id: uuid.UUID, version: int, text: str, authority: str
    ) -> Decision:
        """Change a decision's text and authority. Conflict when stale."""
        data = _decision_data(text, authority)
        with self.ms.transaction() as session:
            meeting, item, row = _decision(self.ms, session, decision_id)
            if row.version != version:
                raise store.stale()
            key = store.item_key(self.ms, session, meeting, item)
            row.payload = store.seal(key.key, DECISIONS, row.id, data, key.case_id)
            store.touch(meeting)
            self.ms.record(
                session,
                MeetingAction.DECISION_EDIT,
                item.case_id or meeting.id,
                Purpose.MEETING_PREP,
            )
            session.flush()
            return to_decision(Reader(self.ms, session), row, key.case_id)

    def remove_decision(self, decision_id: uuid.UUID) -> None:
        """Remove a recommendation or agreement (refused once the minutes are approved)."""
        with self.ms.transaction() as session:
            meeting, item, row = _decision(self.ms, session, decision_id)
            session.delete(row)
            store.touch(meeting)
            self.ms.record(
                session,
                MeetingAction.DECISION_REMOVE,
                item.case_id or meeting.id,
                Purpose.MEETING_PREP,
            )

    def mark_held(self, ref: MeetingRef, version: int) -> Meeting:
        """planlagt → afholdt. Participants still marked invited become absent."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            row = store.for_change(self.ms, session, meeting_id, Writer.MINUTES, version)
            _advance(row, MeetingStatus.HELD)
            row.held_at = store.now()
            for participant in session.scalars(
                select(MeetingParticipantRow).where(MeetingParticipantRow.meeting_id == row.id)
            ):
                store.opened(self.ms, session, participant, row)  # attendance is sealed
                if participant.attendance == Attendance.INVITED.value:
                    participant.attendance = Attendance.ABSENT.value
            store.touch(row)
            self.ms.record(session, MeetingAction.HOLD, row.id, Purpose.MEETING_PREP)
        return self.get(ref)

    def approve(self, ref: MeetingRef, version: int) -> Meeting:
        """afholdt → referat godkendt, by the chair. The minutes lock; the carried action
        items are fixed as they stand."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            row = store.for_change(self.ms, session, meeting_id, Writer.CHAIR, version)
            carried = carried_rows(
                self.ms, session, row
            )  # computed live, before the status locks it
            _advance(row, MeetingStatus.APPROVED)
            row.approved_at = store.now()
            row.approved_by = self.ms.member.id
            for action in carried:
                session.add(MeetingCarriedRow(meeting_id=row.id, action_item_id=action.id))
            store.touch(row)
            self.ms.record(session, MeetingAction.APPROVE, row.id, Purpose.MEETING_PREP)
        return self.get(ref)

    def add_addendum(
        self, ref: MeetingRef, text: str, item_id: uuid.UUID | None = None
    ) -> Addendum:
        """A correction to approved minutes, with who and when (chair, minute taker,
        coordinators). About a case item it is stored under the case's key."""
        meeting_id = self.resolve(ref)
        data = {"text": require_text(text, "Tillægget", "The addendum")}
        with self.ms.transaction() as session:
            meeting = store.load_meeting(self.ms, session, meeting_id)
            store.check_writer(self.ms, meeting, Writer.MINUTES)
            if not MeetingStatus(meeting.status).locked:
                raise InvalidInput(
                    "Tillæg skrives til godkendte referater; ret referatet direkte.",
                    "Addenda are for approved minutes; edit the minutes directly.",
                )
            case_id = None
            key = store.group_key(self.ms, session, meeting)
            if item_id is not None:
                item = session.get(MeetingItemRow, item_id)
                if item is None or item.meeting_id != meeting.id:
                    raise NotFound("Punktet findes ikke.", "No such item.")
                item_key = store.item_key(self.ms, session, meeting, item)
                key, case_id = item_key.key, item_key.case_id
            row_id = uuid.uuid4()
            row = MeetingAddendumRow(
                id=row_id,
                meeting_id=meeting.id,
                item_id=item_id,
                at=store.now(),
                by_member=self.ms.member.id,
                payload=store.seal(key, "meeting_addenda", row_id, data, case_id),
            )
            session.add(row)
            session.flush()
            self.ms.record(
                session, MeetingAction.ADDENDUM, case_id or meeting.id, Purpose.MEETING_PREP
            )
            return to_addendum(Reader(self.ms, session), row)

    def mark_sent(self, ref: MeetingRef, version: int) -> Meeting:
        """referat godkendt → udsendt (chair, coordinators)."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            row = store.load_meeting(self.ms, session, meeting_id)
            store.check_writer(
                self.ms, row, Writer.PLANNER if row.chair_id != self.ms.member.id else Writer.CHAIR
            )
            if row.version != version:
                raise store.stale()
            _advance(row, MeetingStatus.SENT)
            row.sent_at = store.now()
            row.sent_by = self.ms.member.id
            store.touch(row)
            self.ms.record(session, MeetingAction.SEND, row.id, Purpose.MEETING_PREP)
        return self.get(ref)
