"""What meetings decided about one case, for the case's handover (services/cases/transfer.py).

Only that case's items are read: audited first against that case (one entry per meeting, with
the caller's purpose and action), then their decisions decrypted. The handover read every
whole meeting before, which audited and decrypted the other cases' items on the same agendas:
a handover of one case showed in other citizens' insight reports as a meeting preparation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InfohusError, TamperedData
from infohus_desktop.domain.meetings import Decision, MeetingAction
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store
from infohus_desktop.services.meetings.reader import Reader, session_rows, to_decision
from infohus_desktop.vault.meeting_schema import MeetingDecisionRow, MeetingItemRow, MeetingRow


@dataclass(frozen=True, slots=True)
class CaseDecision:
    """A decision about the case, with the day of the meeting that made it."""

    meeting_day: date
    decision: Decision


def case_decisions(
    ms: MemberSession, case_id: uuid.UUID, purpose: Purpose, action: str
) -> list[CaseDecision]:
    """The decisions of ``case_id``'s items in every meeting this member may read, oldest
    meeting first. A meeting that does not open (another group's, or changed outside the
    program: noted for the log) is left out, as the case's other unreadable parts are."""
    with ms.uow() as session:
        groups = readable_group_ids(ms, session)
        meeting_ids = sorted(
            set(
                session.scalars(
                    select(MeetingRow.id)
                    .join(MeetingItemRow, MeetingItemRow.meeting_id == MeetingRow.id)
                    .where(MeetingItemRow.case_id == case_id, MeetingRow.group_id.in_(groups))
                )
            )
        )
    if not meeting_ids:
        return []
    with ms.transaction() as session:  # committed before anything is decrypted
        for meeting_id in meeting_ids:
            ms.record(
                session,
                MeetingAction.CASE_ITEM_READ,
                case_id,
                purpose,
                f"meeting={meeting_id} action={action}",
            )
    out: list[CaseDecision] = []
    tampered = False
    with ms.uow() as session:
        r = Reader(ms, session, audited=frozenset({case_id}))
        for meeting_id in meeting_ids:
            try:  # a meeting's decisions whole, or none of them
                out.extend(_of_meeting(ms, r, meeting_id, case_id))
            except TamperedData:
                tampered = True
                ms.note_tampered(meeting_id, meeting_id.hex[:8], MeetingAction.TAMPERED)
            except InfohusError:
                continue  # no longer readable (the member left its group meanwhile)
    ms.report_tampered()
    if tampered:
        # Handed over without them, the receiving Infohus would not know they were left out.
        raise TamperedData(
            "Et møde, sagen er på, er ændret uden om programmet, så mødernes beslutninger om "
            "sagen kan ikke sendes med. Intet er overdraget; kontakt DPO'en.",
            "A meeting the case is on was changed outside the program, so the meetings' "
            "decisions about the case cannot be sent with it. Nothing was handed over; "
            "contact the DPO.",
        )
    return sorted(out, key=lambda d: d.meeting_day)


def _of_meeting(
    ms: MemberSession, r: Reader, meeting_id: uuid.UUID, case_id: uuid.UUID
) -> list[CaseDecision]:
    """The decisions of ``case_id``'s items in one meeting, each row checked first."""
    session = r.session
    meeting = store.load_meeting(ms, session, meeting_id)
    starts = store.as_utc(meeting.starts_at)
    if starts is None:  # a meeting's start is required: a row without one was changed
        raise TamperedData("Mødet mangler sit tidspunkt.", "The meeting has no time.")
    found: list[CaseDecision] = []
    items = session.scalars(
        select(MeetingItemRow).where(
            MeetingItemRow.meeting_id == meeting_id, MeetingItemRow.case_id == case_id
        )
    )
    for item in items:
        r.checked(item)  # the case id is the one sealed with the item
        rows = session_rows(session, MeetingDecisionRow, MeetingDecisionRow.item_id, item.id)
        found += [CaseDecision(starts.date(), to_decision(r, row, case_id)) for row in rows]
    return found
