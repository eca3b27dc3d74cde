"""What a sent referral leaves in its case (DOMAIN.md "Status": a case may be ``henvist``).

When a referral is sent (by hand or as a bundle), the case moves to ``henvist`` through the
case workflow, in the same transaction as the referral's own step, with the history row and
audit entry of any status change and the reason "Henvist til <programme> (sendt <date>)".
The workflow table stays the only rule: where it does not allow ``henvist`` (a case still
``modtaget`` or in ``screening``, already ``henvist``, ``afsluttet`` or ``overdraget``), the
status is left alone and the sending is written in the case's journal instead, so the case
view shows it either way. Nothing is done when a referral is later answered or withdrawn:
where the case goes then is the caseworker's decision.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.referral_workflow import SEND_METHOD_LABELS, SendMethod
from infohus_desktop.domain.referrals import PROGRAMME_LABELS, Programme
from infohus_desktop.domain.workflow import STATUS_LABELS, TRANSITIONS, CaseStatus
from infohus_desktop.services.cases.records import CaseRecords
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import CaseHandle
from infohus_desktop.services.core.session import MemberSession


def sent_text(programme: Programme, on: date, how: SendMethod | None) -> str:
    """The words both records use (case text is Danish, like the case's other entries)."""
    label = PROGRAMME_LABELS[programme][0]
    method = f", {SEND_METHOD_LABELS[how][0].lower()}" if how else ""
    return f"Henvist til {label} (sendt {on:%d.%m.%Y}{method})."


def record_sent_referral(
    ms: MemberSession,
    session: Session,
    handle: CaseHandle,
    programme: Programme,
    on: date,
    how: SendMethod | None,
) -> CaseStatus | None:
    """Move the case to ``henvist`` if its status allows it, else note the sending in its
    journal. Returns the case's new status, or ``None`` when the journal got the note."""
    current = CaseStatus(handle.row.status)
    text = sent_text(programme, on, how)
    if CaseStatus.REFERRED in TRANSITIONS[current]:
        CaseService(ms).apply_status(session, handle, CaseStatus.REFERRED, text)
        return CaseStatus.REFERRED
    status = STATUS_LABELS[current][0]
    CaseRecords(ms).write_journal(
        session, handle, JournalKind.NOTE, f"{text} Sagens status »{status}« er ikke ændret."
    )
    return None
