"""Action items (*opgaver*): who does what by when, per agenda item, and across meetings.

Adding, editing and removing an action item changes the minutes and is refused once they are
approved. Closing one is follow-up and stays possible: it records who closed it and when.
An owner who is a member must be in the meeting's access group (``plan.check_member``).

:class:`MeetingActionItems` is this part of ``session.meetings``.
"""

from __future__ import annotations

import builtins
import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.meetings import (
    ActionItem,
    ActionStatus,
    MeetingAction,
    NewActionItem,
    optional_text,
    require_text,
)
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.session import MemberSession, denied
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.base import MeetingBase
from infohus_desktop.services.meetings.plan import check_member
from infohus_desktop.services.meetings.reader import Reader, action_or_tampered, to_action
from infohus_desktop.services.meetings.store import Writer
from infohus_desktop.vault.meeting_schema import ActionItemRow, MeetingItemRow, MeetingRow

ACTIONS = "meeting_action_items"


def _data(new: NewActionItem) -> dict[str, str]:
    if new.owner_id is None and not new.owner_name.strip():
        raise InvalidInput("Angiv hvem der har opgaven.", "Say who owns the action item.")
    return {
        "text": require_text(new.text, "Opgaven", "The action item", 5_000),
        "owner_name": optional_text(new.owner_name, "Ansvarlig", "Owner", 200),
    }


def _check_owner(session: Session, meeting: MeetingRow, owner_id: uuid.UUID | None) -> None:
    if owner_id is None:
        return

    check_member(session, meeting.group_id, owner_id)


def _load(
    ms: MemberSession, session: Session, action_id: uuid.UUID, writer: Writer | None
) -> tuple[MeetingRow, MeetingItemRow, ActionItemRow]:
    row = session.get(ActionItemRow, action_id)
    if row is None:
        raise store.item_not_found()
    meeting, item = store.load_item(ms, session, row.item_id, writer)
    store.opened(ms, session, row, meeting)  # its status and deadline are sealed
    return meeting, item, row


class MeetingActionItems(MeetingBase):
    """``session.meetings``: action items of an agenda item, and open ones across meetings."""

    def add_action_item(self, item_id: uuid.UUID, new: NewActionItem) -> ActionItem:
        """An action item (owner, deadline) of an agenda item; status open."""
        data = _data(new)
        with self.ms.transaction() as session:
            meeting, item = store.load_item(self.ms, session, item_id, Writer.MINUTES)
            _check_owner(session, meeting, new.owner_id)
            key = store.item_key(self.ms, session, meeting, item)
            last = session.scalar(
                select(func.max(ActionItemRow.position)).where(ActionItemRow.item_id == item.id)
            )
            row_id = uuid.uuid4()
            row = ActionItemRow(
                id=row_id,
                meeting_id=meeting.id,
                item_id=item.id,
                owner_id=new.owner_id,
                deadline=new.deadline,
                status=ActionStatus.OPEN.value,
                position=(last or 0) + 1,
                payload=store.seal(key.key, ACTIONS, row_id, data, key.case_id),
                created_at=store.now(),
                created_by=self.ms.member.id,
            )
            session.add(row)
            session.flush()
            store.touch(meeting)
            self.ms.record(
                session, MeetingAction.ACTION_ADD, item.case_id or meeting.id, Purpose.MEETING_PREP
            )
            return to_action(Reader(self.ms, session), row)

    def edit_action_item(
        self, action_id: uuid.UUID, version: int, new: NewActionItem
    ) -> ActionItem:
        """Change an action item's text, owner or deadline. Conflict when stale."""
        data = _data(new)
        with self.ms.transaction() as session:
            meeting, item, row = _load(self.ms, session, action_id, Writer.MINUTES)
            if row.version != version:
                raise store.stale()
            _check_owner(session, meeting, new.owner_id)
            key = store.item_key(self.ms, session, meeting, item)
            row.payload = store.seal(key.key, ACTIONS, row.id, data, key.case_id)
            row.owner_id = new.owner_id
            row.deadline = new.deadline
            store.touch(meeting)
            self.ms.record(
                session, MeetingAction.ACTION_EDIT, item.case_id or meeting.id, Purpose.MEETING_PREP
            )
            session.flush()
            return to_action(Reader(self.ms, session), row)

    def remove_action_item(self, action_id: uuid.UUID) -> None:
        """Remove an action item (refused once the minutes are approved)."""
        with self.ms.transaction() as session:
            meeting, item, row = _load(self.ms, session, action_id, Writer.MINUTES)
            session.delete(row)
            store.touch(meeting)
            self.ms.record(
                session,
                MeetingAction.ACTION_REMOVE,
                item.case_id or meeting.id,
                Purpose.MEETING_PREP,
            )

    def open_action_items(self, mine: bool = False) -> builtins.list[ActionItem]:
        """Open action items of every meeting this member can read, earliest deadline first;
        ``mine``: only those they own. Items of cases outside their groups are withheld."""
        self.ms.require()
        self.ms.audited_read(
            MeetingAction.ACTION_LIST, None, Purpose.MEETING_PREP, "mine" if mine else "all"
        )
        with self.ms.uow() as session:
            r = Reader(self.ms, session)
            query = (
                select(ActionItemRow)
                .join(MeetingRow, MeetingRow.id == ActionItemRow.meeting_id)
                .where(MeetingRow.group_id.in_(r.groups))
            )
            if mine:
                query = query.where(ActionItemRow.owner_id == self.ms.member.id)
            rows = list(session.scalars(query))
            # A member outside a case's group sees neither text nor owner of its items; "mine"
            # needs the owner, so it lists only what the member can read. The status is
            # sealed: each item is opened, and a tampered one listed as such.
            out = [
                action
                for action in (action_or_tampered(r, row) for row in rows)
                if action.tampered or action.status is ActionStatus.OPEN
            ]
        self.ms.report_tampered()
        if mine:
            out = [a for a in out if not a.withheld]
        return sorted(out, key=lambda a: (a.deadline or date.max, a.meeting_date or date.max))

    def close_action_item(self, action_id: uuid.UUID, version: int | None = None) -> ActionItem:
        """Mark done, recording who and when (the owner, chair, minute taker, coordinators).
        Allowed after approval: it is follow-up, not a change of the minutes."""
        with self.ms.transaction() as session:
            meeting, item, row = _load(self.ms, session, action_id, None)
            me = self.ms.member
            allowed = me.role == Role.COORDINATOR or me.id in (
                row.owner_id,
                meeting.chair_id,
                meeting.minute_taker_id,
            )
            if not allowed:
                raise denied()
            if version is not None and row.version != version:
                raise store.stale()
            if row.status == ActionStatus.DONE.value:
                raise InvalidInput(
                    "Opgaven er allerede lukket.", "The action item is already closed."
                )
            row.status = ActionStatus.DONE.value
            row.closed_at = store.now()
            row.closed_by = me.id
            self.ms.record(
                session,
                MeetingAction.ACTION_CLOSE,
                item.case_id or meeting.id,
                Purpose.MEETING_PREP,
            )
            session.flush()
            return to_action(Reader(self.ms, session), row)
