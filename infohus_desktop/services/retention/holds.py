"""Holds (*sletteblokering*): a case that must not be deleted yet, with a reason and an end
date — a complaint, a court case, a request for insight in progress. A hold is a part of its
case (its reason sealed under the case's key, its dates bound by the part's sealed copy);
releasing it early is recorded on the hold, never by deleting it."""

from __future__ import annotations

import builtins
import uuid
from datetime import UTC, date, datetime

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import Hold, RetentionAction
from infohus_desktop.domain.workflow import has_visible_text
from infohus_desktop.services.core.access import find_case
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.retention.due import active_holds, hold_of
from infohus_desktop.vault.retention_schema import HoldRow


class Holds:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def add(self, case_ref: str, reason: str, until: date, today: date | None = None) -> Hold:
        """Put the case on hold until ``until`` (audited)."""
        reason = reason.strip()
        if not has_visible_text(reason):
            raise InvalidInput(
                "Skriv hvorfor sagen ikke må slettes.", "Say why the case must not be deleted."
            )
        if until < (today or date.today()):
            raise InvalidInput(
                "Slutdatoen for en sletteblokering kan ikke ligge i fortiden.",
                "A deletion hold cannot end in the past.",
            )
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, case_ref, CaseOp.HOLD)
            hold_id = uuid.uuid4()
            row = HoldRow(
                id=hold_id,
                case_id=handle.row.id,
                at=datetime.now(UTC),
                by_member=self.ms.member.id,
                until=until,
                payload=handle.seal("case_holds", "payload", hold_id, {"reason": reason}),
            )
            session.add(row)
            session.flush()
            self.ms.record(
                session, RetentionAction.HOLD, handle.row.id, Purpose.CASEWORK, f"until={until}"
            )
            return hold_of(session, handle, row)

    def release(self, case_ref: str) -> int:
        """End every active hold of the case now (audited); the number released. A member
        may release the holds they set; one set by someone else only a coordinator may
        (second user trial: a member released a coordinator's hold, and the case was due)."""
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, case_ref, CaseOp.HOLD)
            # Opened and checked first: a hold changed outside the program is not released.
            rows = [r for r in handle.parts(session, HoldRow) if r.released_at is None]
            me = self.ms.member
            if me.role is not Role.COORDINATOR and any(r.by_member != me.id for r in rows):
                raise AccessDenied(
                    "Kun en koordinator kan ophæve en sletteblokering, som en anden har sat.",
                    "Only a coordinator can release a deletion hold someone else set.",
                )
            for row in rows:
                row.released_at, row.released_by = datetime.now(UTC), self.ms.member.id
            if rows:
                self.ms.record(
                    session,
                    RetentionAction.RELEASE,
                    handle.row.id,
                    Purpose.CASEWORK,
                    str(len(rows)),
                )
            return len(rows)

    def of_case(self, case_ref: str) -> builtins.list[Hold]:
        """The case's active holds, longest first."""
        with self.ms.uow() as session:
            handle = find_case(self.ms, session, case_ref, CaseOp.READ)
            return [hold_of(session, handle, row) for row in active_holds(session, handle)]
