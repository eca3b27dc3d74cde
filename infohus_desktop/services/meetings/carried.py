"""The action items a meeting carries over from its forum's earlier meetings.

While the minutes are open, these are the open action items of the forum's meetings that
started before this one; once approved, the ones fixed at approval (``meeting_carried_actions``).
Start times and statuses are sealed (issue 20): the forum's meetings and their items are
opened to choose. A meeting or item whose copy does not open is carried all the same, so that
the reader shows it as tampered instead of silently leaving it out.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.meetings import ActionStatus, MeetingStatus
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.meeting_schema import ActionItemRow, MeetingCarriedRow, MeetingRow
from infohus_desktop.vault.sealed_values import value_or


def carried_rows(ms: MemberSession, session: Session, meeting: MeetingRow) -> list[ActionItemRow]:
    """The action items ``meeting`` carries over (see the module's docstring)."""
    if MeetingStatus(meeting.status).locked:
        rows = list(
            session.scalars(
                select(ActionItemRow)
                .join(MeetingCarriedRow, MeetingCarriedRow.action_item_id == ActionItemRow.id)
                .where(MeetingCarriedRow.meeting_id == meeting.id)
            )
        )
    else:
        earlier = {
            other.id
            for other in session.scalars(
                select(MeetingRow).where(
                    MeetingRow.group_id == meeting.group_id, MeetingRow.id != meeting.id
                )
            )
            if not _opens(ms, session, other) or other.starts_at < meeting.starts_at
        }
        rows = [
            action
            for action in session.scalars(
                select(ActionItemRow).where(ActionItemRow.meeting_id.in_(earlier))
            )
            if not _opens(ms, session, action) or action.status == ActionStatus.OPEN.value
        ]
    return sorted(rows, key=_order)


def _opens(ms: MemberSession, session: Session, row: object) -> bool:
    try:
        ms.check_bound(session, row)
    except TamperedData:
        return False
    return True


def _order(action: ActionItemRow) -> tuple[object, ...]:
    """By deadline (a row that did not open sorts last), then creation and position."""
    deadline = value_or(action, "deadline", None) or date.max
    return (deadline, action.created_at, action.position)
