"""A case's workflow: status changes, screening, information from authorities, moving.

:class:`CaseWorkflow` adds these steps to ``session.cases``. A status change follows the
workflow's transitions (:func:`~infohus_desktop.domain.workflow.check_transition`) and leaves a
sealed history row (:func:`add_status_row`, which the intake also writes for a new case's
first status); :meth:`~CaseWorkflow.apply_status` does it inside a caller's transaction (a
referral moves its case to *henvist*). Moving a case to another access group re-wraps only
its data key.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import (
    CaseSummary,
    InformationRequest,
    LegalBasis,
    Screening,
    ScreeningOutcome,
)
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.workflow import (
    CaseStatus,
    ClosingReason,
    check_chosen_status,
    check_transition,
)
from infohus_desktop.services.accounts.groups import GroupService
from infohus_desktop.services.cases.editing import CaseConflict
from infohus_desktop.services.cases.index import CaseIndex
from infohus_desktop.services.core import clock
from infohus_desktop.services.core.access import CaseHandle, find_case, readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.case_schema import InformationRow, ScreeningRow, StatusChangeRow


def _now() -> datetime:
    return clock.now()  # the real time, or the day a demo case's story tells


def add_status_row(
    ms: MemberSession,
    session: Session,
    handle: CaseHandle,
    old: CaseStatus | None,
    new: CaseStatus,
    reason: str,
    closing: ClosingReason | None,
) -> None:
    """Add the case's status history row (``old`` is ``None`` for a new case), its reason
    sealed under the case's data key. The caller checked the transition and audits it."""
    session.add(status_row(ms, handle, old, new, reason, closing))


def status_row(
    ms: MemberSession,
    handle: CaseHandle,
    old: CaseStatus | None,
    new: CaseStatus,
    reason: str,
    closing: ClosingReason | None,
) -> StatusChangeRow:
    """A new status history row (see :func:`add_status_row`), not yet in any session."""
    row_id = uuid.uuid4()
    return StatusChangeRow(
        id=row_id,
        case_id=handle.row.id,
        at=_now(),
        by_member=ms.member.id,
        old_status=old.value if old else None,
        new_status=new.value,
        closing_reason=closing.value if closing else None,
        payload=handle.seal("case_status_changes", "payload", row_id, {"reason": reason}),
    )


class CaseWorkflow(CaseIndex):
    """``session.cases``: status, screening, information and moving."""

    def change_status(
        self,
        ref: str,
        new: CaseStatus,
        reason: str,
        closing_reason: ClosingReason | None = None,
        base_version: int | None = None,
    ) -> CaseSummary:
        """A status chosen by a member (not *overdraget*: only a handover sets it), against
        ``base_version`` when given."""
        check_chosen_status(new)
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.STATUS)
            row = handle.row
            if base_version is not None and row.version != base_version:
                raise CaseConflict(row.number, base_version, row.version, ["status"])
            self.apply_status(session, handle, new, reason, closing_reason)
            return self.saved_summary(session, handle)

    def apply_status(
        self,
        session: Session,
        handle: CaseHandle,
        new: CaseStatus,
        reason: str,
        closing_reason: ClosingReason | None = None,
    ) -> None:
        """Move the case inside the caller's transaction (a referral sent moves its case to
        ``henvist`` with the referral): the workflow's check, the history row and the audit
        entry are those of any status change. The caller found the case for ``STATUS``."""
        row = handle.row
        current = CaseStatus(row.status)
        check_transition(current, new, reason, closing_reason)
        row.status = new.value
        row.closing_reason = closing_reason.value if closing_reason else None
        row.updated_at = _now()
        add_status_row(self.ms, session, handle, current, new, reason, closing_reason)
        session.flush()
        self.ms.record(
            session, "case.status", row.id, Purpose.CASEWORK, f"{current.value}->{new.value}"
        )

    def screen(
        self, ref: str, outcome: ScreeningOutcome, reason: str, legal_reference: str = ""
    ) -> Screening:
        if not reason.strip():
            raise InvalidInput(
                "Skriv begrundelsen for screeningen.", "Give the reason for the screening outcome."
            )
        if outcome == ScreeningOutcome.OTHER_AUTHORITY and not legal_reference.strip():
            raise InvalidInput(
                "Angiv hjemlen, når sagen går til en anden myndighed.",
                "Give the legal reference when another authority takes over.",
            )
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.SCREEN)
            row_id, at = uuid.uuid4(), _now()
            session.add(
                ScreeningRow(
                    id=row_id,
                    case_id=handle.row.id,
                    at=at,
                    by_member=self.ms.member.id,
                    outcome=outcome.value,
                    payload=handle.seal(
                        "case_screenings",
                        "payload",
                        row_id,
                        {"reason": reason, "legal_reference": legal_reference},
                    ),
                )
            )
            handle.row.updated_at = at
            session.flush()
            self.ms.record(session, "case.screen", handle.row.id, Purpose.CASEWORK, outcome.value)
            return Screening(row_id, at, self.ms.member.login, outcome, reason, legal_reference)

    def add_information(
        self, ref: str, authority: str, asked: date, answer: str, legal_basis: LegalBasis
    ) -> InformationRequest:
        if not authority.strip():
            raise InvalidInput("Angiv myndigheden.", "Name the authority.")
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.SCREEN)
            row_id = uuid.uuid4()
            session.add(
                InformationRow(
                    id=row_id,
                    case_id=handle.row.id,
                    at=_now(),
                    by_member=self.ms.member.id,
                    asked=asked,
                    legal_basis=legal_basis.value,
                    payload=handle.seal(
                        "case_information",
                        "payload",
                        row_id,
                        {"authority": authority, "answer": answer},
                    ),
                )
            )
            session.flush()
            self.ms.record(session, "case.information", handle.row.id, Purpose.CASEWORK)
            return InformationRequest(
                row_id, authority, asked, answer, legal_basis, self.ms.member.login
            )

    # -- moving -----------------------------------------------------------------------------

    def move(self, ref: str, group: str) -> CaseSummary:
        """Move a case to another access group: only its data key is re-wrapped."""

        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.MOVE)
            target = GroupService(self.ms).find(session, group)
            if target.kind not in (GroupKind.LOCAL, GroupKind.CUSTOM):
                raise InvalidInput(
                    "Sager kan kun flyttes til en kommunes eller en særlig adgangskreds.",
                    "Cases can only move to a municipality's or a custom group.",
                )
            if target.id not in readable_group_ids(self.ms, session):
                raise InvalidInput(
                    "Du kan kun flytte en sag til en adgangskreds, du er med i.",
                    "You can only move a case to an access group you are in.",
                )
            self.ms.keyring.move_data_key(session, handle.row.data_key_id, target.id)
            old_group = handle.row.group_id
            handle.row.group_id = target.id
            handle.row.updated_at = _now()
            session.flush()
            self.ms.record(
                session, "case.move", handle.row.id, Purpose.CASEWORK, f"{old_group}->{target.id}"
            )
            self.ms.case_cache.pop(handle.row.id.int, None)
            return self.saved_summary(session, handle)
