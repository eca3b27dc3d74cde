"""A vault of the previous form: no new row until a coordinator has upgraded it.

Until ``infohus vault upgrade`` (services/accounts/vault_upgrade.py) has run, the tables
still have the clear columns the previous version wrote, most of them ``NOT NULL``. The
program no longer writes them, so a new case, part, referral, trend note or meeting could
not be inserted; rather than a database error, the flush refuses with :class:`UpgradeDue`
(exit code 12), which says what to do. Reading and changing existing rows work meanwhile:
their values come from the sealed copies, and an update touches no old column.

The open vault says whether it was of the old form when opened (``Vault.old_form``); a
workstation that opened it before another one upgraded it finds out at its next new row,
when the schema is looked at again, and goes on.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from infohus_desktop.domain.errors import UpgradeDue
from infohus_desktop.vault.case_schema import (
    AssessmentRow,
    AttachmentRow,
    CaseRow,
    DisclosureRow,
    InformationRow,
    JournalRow,
    MeasureRow,
    ScreeningRow,
    StatusChangeRow,
)
from infohus_desktop.vault.meeting_schema import (
    ActionItemRow,
    MeetingDecisionRow,
    MeetingParticipantRow,
    MeetingRow,
)
from infohus_desktop.vault.referral_schema import (
    IncomingReferralRow,
    ReferralRow,
    ReferralStatusRow,
)
from infohus_desktop.vault.retention_schema import HoldRow
from infohus_desktop.vault.trend_schema import TrendNoteRow

#: Where a member's unit of work keeps its open vault (``old_form``) in ``Session.info``.
OLD_FORM_INFO = "infohus.old_form_vault"


def has_old_columns(session: Session) -> bool:
    """Whether the schema still has the previous form's clear columns (``cases.status``,
    the first the upgrade drops; the upgrade drops them all in one transaction)."""
    return "status" in {c["name"] for c in inspect(session.connection()).get_columns("cases")}


#: The rows whose tables lost columns in the upgrade (revisions 0014 to 0017): a new one
#: cannot be inserted into the previous form.
_NARROWED = (
    CaseRow,
    StatusChangeRow,
    ScreeningRow,
    InformationRow,
    AssessmentRow,
    MeasureRow,
    JournalRow,
    DisclosureRow,
    AttachmentRow,
    HoldRow,
    ReferralRow,
    ReferralStatusRow,
    IncomingReferralRow,
    TrendNoteRow,
    MeetingRow,
    MeetingParticipantRow,
    MeetingDecisionRow,
    ActionItemRow,
)


@event.listens_for(Session, "before_flush")
def _refuse_new_rows_in_the_old_form(session: Session, _flush: object, _rows: object) -> None:
    vault = session.info.get(OLD_FORM_INFO)
    if vault is None or not vault.old_form:
        return
    if not any(isinstance(row, _NARROWED) for row in session.new):
        return
    refuse_in_old_form(session)


def refuse_in_old_form(session: Session) -> None:
    """Raise :class:`UpgradeDue` while the vault is still in the previous form: rows of the
    narrowed tables cannot be inserted there. A writer that inserts them without the flush
    (``case_meta.insert_opened``) asks this itself."""
    vault = session.info.get(OLD_FORM_INFO)
    if vault is None or not vault.old_form:
        return
    if has_old_columns(session):
        raise UpgradeDue()
    vault.old_form = False  # another workstation upgraded it meanwhile
