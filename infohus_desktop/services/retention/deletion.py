"""Deleting a case: every row of it in one transaction, its data key destroyed, a signed
tombstone left, one audit entry with the purpose *sletning*.

What goes: the case row (person, intake, details, the CPR blind index), every part (status
changes, screenings, information, assessments, measures, journal, disclosures, attachments and
their chunks, holds), its statistics codes (which live on, without the case, in the statistics
of its period: services/statistics/kept_counts.py), its referrals with their status changes, and
the text of every meeting item about it, with the item's decisions, action items and addenda
(all sealed under the case's key). The meeting item itself stays in the approved minutes as
"Sagen er slettet (dato)" (``meeting_items.deleted_case_id``), re-sealed under the meeting's
group key. Then the case's data key row is deleted: any copy of the case's ciphertext (WAL
pages, a file copy, a backup) can no longer be opened with this vault's keys. On SQLite
``secure_delete`` zeroes the freed pages and a WAL checkpoint (TRUNCATE) after the commit
empties the write-ahead log.

Refused, with the reason: a case that is not closed, one with an active hold, an open
referral, or an item in a meeting whose minutes are not approved yet, and one on the agenda
of a meeting whose key the coordinator does not hold. A case that is not due yet needs the
approval of the DPO or a second coordinator, who types their passphrase (four eyes); the
approver is named in the audit entry and the tombstone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.errors import ConnectionLost, InfohusError, InvalidInput
from infohus_desktop.domain.meetings import MeetingStatus
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.retention import RetentionAction, Tombstone
from infohus_desktop.domain.workflow import CaseStatus, has_visible_text
from infohus_desktop.services.backups.register import record_of, remember
from infohus_desktop.services.core.access import CaseHandle, find_case, readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.retention.approval import Approval, NeedsApproval, prove_approver
from infohus_desktop.services.retention.due import DueList, active_holds
from infohus_desktop.services.retention.tombstones import sign_tombstone, tombstone_of
from infohus_desktop.services.statistics.kept_counts import keep as keep_counts
from infohus_desktop.vault.append_only import delete_case_journal
from infohus_desktop.vault.case_schema import (
    AssessmentRow,
    AttachmentChunkRow,
    AttachmentRow,
    CaseRow,
    DisclosureRow,
    InformationRow,
    MeasureRow,
    ScreeningRow,
    StatusChangeRow,
)
from infohus_desktop.vault.codecs.cases import dumps
from infohus_desktop.vault.engine import empty_wal
from infohus_desktop.vault.meeting_schema import (
    ActionItemRow,
    MeetingAddendumRow,
    MeetingCarriedRow,
    MeetingDecisionRow,
    MeetingItemRow,
    MeetingRow,
)
from infohus_desktop.vault.referral_schema import ReferralRow, ReferralStatusRow
from infohus_desktop.vault.retention_schema import HoldRow, TombstoneRow
from infohus_desktop.vault.schema import DataKeyRow
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow

#: Referral states that are over: a referral in any other state is still open.
_REFERRAL_DONE = frozenset(
    {
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.CLOSED,
        ReferralStatus.WITHDRAWN,
    }
)
_PARTS = (
    StatusChangeRow,
    ScreeningRow,
    InformationRow,
    AssessmentRow,
    MeasureRow,
    DisclosureRow,
    HoldRow,
    CaseStatisticsRow,
)


@dataclass(frozen=True, slots=True)
class DueDeletion:
    """What deleting every due case did: the tombstones, and each case left with its reason."""

    deleted: tuple[Tombstone, ...]
    skipped: tuple[tuple[str, InfohusError], ...]


def _refused(da: str, en: str) -> InvalidInput:
    return InvalidInput(da, en)


class CaseDeletion:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def delete_due(self, reason: str, today: date | None = None) -> DueDeletion:
        """Delete every case that is due and not held, one transaction per case, and empty
        the WAL once at the end. A case that cannot go (an open referral, a meeting not yet
        approved, …) is skipped with its reason; the others go on. A lost connection to the
        server stops the run at once (``ConnectionLost``, saying whether that case's deletion
        landed): the cases before it are deleted, the rest wait for the next run."""
        self.ms.require(Role.COORDINATOR)
        today = today or date.today()
        due = [e for e in DueList(self.ms).due(0, today) if e.due(today) and not e.held(today)]
        deleted: list[Tombstone] = []
        skipped: list[tuple[str, InfohusError]] = []
        for entry in due:
            try:
                deleted.append(self.delete(entry.number, reason, None, today, empty_wal=False))
            except ConnectionLost:
                raise
            except InfohusError as exc:
                skipped.append((entry.number, exc))
        self._empty_wal()
        return DueDeletion(tuple(deleted), tuple(skipped))

    def delete(
        self,
        case_ref: str,
        reason: str,
        approval: Approval | None = None,
        today: date | None = None,
        empty_wal: bool = True,
    ) -> Tombstone:
        """Delete a closed case; see the module docstring. Returns its tombstone."""
        self.ms.require(Role.COORDINATOR)
        reason = reason.strip()
        if not has_visible_text(reason):
            raise _refused("Skriv hvorfor sagen slettes.", "Say why the case is deleted.")
        today = today or date.today()
        with self.ms.uow() as session:
            handle = find_case(self.ms, session, case_ref, CaseOp.DELETE)
            due = DueList(self.ms).entry(session, handle)
            self._check_deletable(session, handle, today)
            number = handle.row.number
        if due is None:
            raise _refused(
                f"Sag {number} er ikke afsluttet og kan ikke slettes.",
                f"Case {number} is not closed and cannot be deleted.",
            )
        approver_id: uuid.UUID | None = None
        approver_login: str | None = None
        if not due.due(today):
            if approval is None:
                raise NeedsApproval(
                    f"Sag {number} er først til sletning {due.delete_on:%d.%m.%Y}. En sletning "
                    "før tid kræver godkendelse af DPO'en eller en anden koordinator.",
                    f"Case {number} is not due for deletion before {due.delete_on:%d.%m.%Y}. "
                    "Deleting it earlier needs the approval of the DPO or another coordinator.",
                )
            approver_id, approver_login = prove_approver(
                self.ms, approval, "en sletning før tid", "an early deletion"
            )
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, case_ref, CaseOp.DELETE)
            self._check_deletable(session, handle, today)
            closed_on = due.closed_on
            stone = self._delete(session, handle, reason, approver_id, closed_on)
            self.ms.record(
                session,
                RetentionAction.DELETE,
                handle.row.id,
                Purpose.DELETION,
                f"number={number} approved_by={approver_login or '-'}",
            )
            data_key_id = handle.row.data_key_id
            record = record_of(stone, data_key_id)
            result = tombstone_of(
                session, stone, {"reason": reason, "closing_reason": handle.row.closing_reason}
            )
        self.ms.keyring.forget_data_key(data_key_id)
        self.ms.case_cache.pop(record.case_id.int, None)
        # Deleted stays deleted: the restore of an older backup on this workstation removes
        # the case again (services/backups/register.py).
        remember(self.ms.vault.local, self.ms.vault.vault_id, [record])
        if empty_wal:
            self._empty_wal()
        return result

    # -- the checks ---------------------------------------------------------------------------

    def _check_deletable(self, session: Session, handle: CaseHandle, today: date) -> None:
        row = handle.row
        if row.status not in (CaseStatus.CLOSED.value, CaseStatus.TRANSFERRED.value):
            raise _refused(
                f"Sag {row.number} er ikke afsluttet og kan ikke slettes.",
                f"Case {row.number} is not closed and cannot be deleted.",
            )
        for hold in active_holds(session, handle):  # opened: checked against its copy
            if hold.until >= today:
                raise _refused(
                    f"Sag {row.number} har en sletteblokering til {hold.until:%d.%m.%Y}.",
                    f"Case {row.number} has a deletion hold until {hold.until:%d.%m.%Y}.",
                )
        referrals = session.scalars(select(ReferralRow).where(ReferralRow.case_id == row.id))
        open_referrals = [  # their status is sealed: each opened (and checked) first
            referral
            for referral in referrals
            if ReferralStatus(self.ms.open_bound(session, referral).status) not in _REFERRAL_DONE
        ]
        if open_referrals:
            raise _refused(
                f"Sag {row.number} har en åben henvisning; afslut eller træk den tilbage først.",
                f"Case {row.number} has an open referral; close or withdraw it first.",
            )
        readable = readable_group_ids(self.ms, session)
        for meeting in session.scalars(
            select(MeetingRow)
            .join(MeetingItemRow, MeetingItemRow.meeting_id == MeetingRow.id)
            .where(MeetingItemRow.case_id == row.id)
        ):
            if meeting.group_id not in readable:  # its date and status are sealed from us
                raise _refused(
                    f"Sag {row.number} er på dagsordenen for et møde, som du ikke har nøglen "
                    "til; en koordinator i mødets adgangskreds må slette den.",
                    f"Case {row.number} is on the agenda of a meeting whose key you do not "
                    "hold; a coordinator in the meeting's access group must delete it.",
                )
            self.ms.open_bound(session, meeting)
            if not MeetingStatus(meeting.status).locked:
                when = f"{meeting.starts_at.astimezone(COPENHAGEN):%d.%m.%Y}"
                raise _refused(
                    f"Sag {row.number} er på dagsordenen for mødet {when}, hvis referat ikke er "
                    "godkendt endnu.",
                    f"Case {row.number} is on the agenda of the meeting of {when}, whose minutes "
                    "are not approved yet.",
                )

    # -- the deletion ---------------------------------------------------------------------------

    def _delete(
        self,
        session: Session,
        handle: CaseHandle,
        reason: str,
        approver: uuid.UUID | None,
        closed_on: date,
    ) -> TombstoneRow:
        case = handle.row
        keep_counts(self.ms, session, handle)  # before any of its rows go
        self._blank_meeting_items(session, case.id)
        referrals = select(ReferralRow.id).where(ReferralRow.case_id == case.id)
        session.execute(
            delete(ReferralStatusRow).where(ReferralStatusRow.referral_id.in_(referrals))
        )
        session.execute(delete(ReferralRow).where(ReferralRow.case_id == case.id))
        attachments = select(AttachmentRow.id).where(AttachmentRow.case_id == case.id)
        session.execute(
            delete(AttachmentChunkRow).where(AttachmentChunkRow.attachment_id.in_(attachments))
        )
        session.execute(delete(AttachmentRow).where(AttachmentRow.case_id == case.id))
        for part in _PARTS:
            session.execute(delete(part).where(part.case_id == case.id))
        # The journal goes only this way; a shared server checks the case and its tombstone
        # go in the same transaction (vault/append_only.py).
        delete_case_journal(session, case.id)
        stone = TombstoneRow(
            id=case.id,
            number=case.number,
            local_infohus_id=case.local_infohus_id,
            received=case.received,
            closed_on=closed_on,
            deleted_at=datetime.now(UTC),
            deleted_by=self.ms.member.id,
            approved_by=approver,
            payload=b"",
            signature=b"",
        )
        audit_group = self.ms.vault.system_group_id(session, GroupKind.AUDIT)
        key = self.ms.keyring.group_field_key(session, audit_group)
        # The closing reason describes the concern: sealed with the reason typed (issue 20).
        sealed = {"reason": reason, "closing_reason": case.closing_reason}
        stone.payload = key.encrypt(
            dumps(sealed), FieldContext("case_tombstones", "payload", case.id)
        )
        sign_tombstone(self.ms, stone)
        data_key_id = case.data_key_id
        session.execute(delete(CaseRow).where(CaseRow.id == case.id))
        session.expunge(case)
        still_used = session.scalar(select(CaseRow.id).where(CaseRow.data_key_id == data_key_id))
        if still_used is None:
            session.execute(delete(DataKeyRow).where(DataKeyRow.id == data_key_id))
        session.add(stone)
        session.flush()
        return stone

    def _blank_meeting_items(self, session: Session, case_id: uuid.UUID) -> None:
        """Items about the case stay in the approved minutes as "Sagen er slettet": their
        text, decisions, action items and addenda go, the item is sealed anew under the
        meeting's group key (the flush re-seals its clear columns the same way)."""
        items = list(
            session.scalars(select(MeetingItemRow).where(MeetingItemRow.case_id == case_id))
        )
        for item in items:
            actions = select(ActionItemRow.id).where(ActionItemRow.item_id == item.id)
            session.execute(
                delete(MeetingCarriedRow).where(MeetingCarriedRow.action_item_id.in_(actions))
            )
            session.execute(delete(ActionItemRow).where(ActionItemRow.item_id == item.id))
            session.execute(delete(MeetingDecisionRow).where(MeetingDecisionRow.item_id == item.id))
            session.execute(delete(MeetingAddendumRow).where(MeetingAddendumRow.item_id == item.id))
            item.case_id = None
            item.deleted_case_id = case_id
            _seal_as_deleted(self.ms, session, item)
        session.flush()

    def _empty_wal(self) -> None:
        empty_wal(self.ms.vault.uow.engine)


def _seal_as_deleted(ms: MemberSession, session: Session, item: MeetingItemRow) -> None:
    meeting = session.get(MeetingRow, item.meeting_id)
    assert meeting is not None
    key = ms.keyring.group_field_key(session, meeting.group_id)
    item.payload = key.encrypt(
        dumps({"title": "", "organisation": "", "notes": ""}),
        FieldContext("meeting_items", "payload", item.id, None),
    )


def seal_deleted_items(ms: MemberSession, session: Session, item_ids: list[uuid.UUID]) -> int:
    """A restore that re-applied a deletion (services/backups/) kept the case's meeting items
    without their case and without what hung on them; here they are sealed as "Sagen er
    slettet" like a deletion does. An item of a meeting whose key this coordinator does not
    hold keeps its old ciphertext, which no key opens any more (the case's key is gone); it
    is counted and left for a coordinator of that meeting. Returns how many were sealed."""
    sealed = 0
    for item_id in item_ids:
        item = session.get(MeetingItemRow, item_id)
        if item is None or item.deleted_case_id is None:
            continue
        # The loader moved the case id aside in the row; its sealed copy still names the
        # case. Present the row as sealed, then make the change as a deletion does, so the
        # binding's check of the committed values holds and the new seal covers the change.
        case_id = item.deleted_case_id
        set_committed_value(item, "case_id", case_id)
        set_committed_value(item, "deleted_case_id", None)
        item.case_id = None
        item.deleted_case_id = case_id
        try:
            _seal_as_deleted(ms, session, item)
        except InfohusError:
            continue
        sealed += 1
    session.flush()
    return sealed


__all__ = ["Approval", "CaseDeletion", "DueDeletion", "seal_deleted_items"]
