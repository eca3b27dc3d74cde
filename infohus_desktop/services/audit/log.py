"""Reading and verifying the audit log.

Any member verifies the chain and the signed checkpoints. A member of the audit group
(coordinators and the data-protection officer) also opens every entry and checks that the
member it names signed it: a database writer can then neither write an entry in someone
else's name nor rewrite history, because every later entry's signature covers the hash of
the one before. Entries written before entries were signed (format 1) are vouched for by the
checkpoints only, and counted as such.
"""

from __future__ import annotations

import csv
import io
import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import (
    AuditAction,
    AuditEntry,
    AuditFilter,
    AuditVerification,
    Purpose,
)
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.audit import verified_mark
from infohus_desktop.services.audit.counters import AuditCounters, count
from infohus_desktop.services.audit.csv_rows import CSV_HEADERS, csv_row
from infohus_desktop.services.audit.reading import LogReading
from infohus_desktop.services.audit.signatures import SignatureWalk, check_signatures
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.exports import write_export_stream
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.retention.tombstones import Tombstones
from infohus_desktop.vault import audit_chain, checkpoint_file
from infohus_desktop.vault.audit_walk import first_unsigned_after_signed, unsigned_after_signed
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.retention_schema import TombstoneRow
from infohus_desktop.vault.schema import AuditEntryRow, OrganisationRow

#: ``(done, total)``: how far a verification got, in entries walked (chain and signatures).
Progress = Callable[[int, int], None]


class AuditService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def _can_read(self, session: Session) -> bool:
        """Whether this member holds the audit group's current key: a membership row alone,
        one written into the database or one whose key was not shared yet, opens nothing."""
        group_id = self.ms.vault.system_group_id(session, GroupKind.AUDIT)
        return group_id is not None and group_id in readable_group_ids(self.ms, session)

    # -- verify -----------------------------------------------------------------------------

    def verify(self, progress: Progress | None = None, new_only: bool = False) -> AuditVerification:
        """The chain, the database's checkpoints and this workstation's checkpoint file; for
        the audit group also every entry's signature. The whole log, unless ``new_only``:
        then only what is new since this workstation's last good verification
        (services/audit/verified_mark.py), which cannot see an old row edited in place.

        The verification itself is audited *after* the walk, so it checks the log as it was.
        """
        self.ms.require()
        vault = self.ms.vault
        path = vault.local.checkpoint_file(vault.vault_id)
        pin = vault.local.pin(vault.vault_id)
        with vault.uow() as session:
            can_read = self._can_read(session)
            mark = verified_mark.load(self.ms, session, can_read) if new_only else None
            since = (mark.seq, mark.head) if mark else None
            after = mark.seq if mark else 0
            file_checkpoints = list(checkpoint_file.read_checkpoint_file(path, vault.vault_id))
            entries = int(
                session.scalar(
                    select(func.count()).select_from(AuditEntryRow).where(AuditEntryRow.seq > after)
                )
                or 0
            )
            total = 2 * entries if can_read else entries  # the chain, then the signatures

            def walked(offset: int) -> Callable[[int], None] | None:
                if progress is None:
                    return None
                return lambda done: progress(min(offset + done, total), total)

            result = audit_chain.verify_chain(
                session,
                vault.vault_id,
                lambda signer: self.ms.keyring.trust.sign_key_or_none(session, signer),
                file_checkpoints,
                progress=walked(0),
                since=since,
            )
            if can_read:
                walked_from = result.verified_from or 0
                result = self._check_signatures(session, result, walked(entries), walked_from)
            else:
                walked_from = result.verified_from or 0
                result = _unsigned_after_signed(session, walked_from, result)
            result = self._check_tombstones(session, result)
        if result.ok and pin is not None and pin.checkpoints_written and not path.exists():
            result = replace(
                result,
                ok=False,
                first_bad_seq=1,
                problem="the workstation's checkpoint file is missing",
                problem_da="arbejdsstationens kontrolpunktfil mangler",
            )
        if result.ok and result.head_seq:
            verified_mark.save(
                self.ms, verified_mark.VerifiedMark(result.head_seq, result.head_hash, can_read)
            )
        with self.ms.transaction() as session:
            self.ms.record(
                session,
                AuditAction.AUDIT_VERIFY,
                purpose=Purpose.SUPERVISION,
                detail="ok" if result.ok else f"bad at {result.first_bad_seq}",
            )
        return result

    def _check_tombstones(self, session: Session, result: AuditVerification) -> AuditVerification:
        """What stays of every deleted case must be as its coordinator signed it: a stone
        changed or made up in the database fails the verification (it names the case)."""
        stones = Tombstones(self.ms)
        for row in session.scalars(select(TombstoneRow).order_by(TombstoneRow.deleted_at)):
            try:
                stones.check(session, row)
            except TamperedData as exc:
                if not result.ok:
                    return result  # the log's own break is named first
                return replace(
                    result, ok=False, problem=exc.message("en"), problem_da=exc.message("da")
                )
        return result

    def _check_signatures(
        self,
        session: Session,
        result: AuditVerification,
        progress: Callable[[int], None] | None = None,
        after: int = 0,
    ) -> AuditVerification:
        """Every format-2 entry's signature (services/audit/signatures.py); the first that
        fails is where the log can no longer be trusted, if the chain walk found nothing
        earlier."""
        walk = SignatureWalk(first_bad=result.first_bad_seq)
        if result.problem is not None:
            walk.problem = (result.problem_da or result.problem, result.problem)
        check_signatures(LogReading(self.ms), session, after, walk, progress)
        return replace(
            result,
            ok=walk.first_bad is None,
            first_bad_seq=walk.first_bad,
            problem=walk.problem[1] if walk.problem else None,
            problem_da=walk.problem[0] if walk.problem else None,
            signatures_checked=walk.checked,
            legacy_entries=walk.legacy,
        )

    # -- list -------------------------------------------------------------------------------

    def list(
        self,
        limit: int = 100,
        before_seq: int | None = None,
        action: str | None = None,
        actor_login: str | None = None,
        purpose: Purpose = Purpose.SUPERVISION,
        filters: AuditFilter | None = None,
    ) -> list[AuditEntry]:
        """Newest first, opened for coordinators and the DPO (who hold the audit key). The
        filters run on the opened entries: the database cannot see actions or logins; only
        the period narrows the query itself (``at`` is clear)."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        self.ms.audited_read(AuditAction.AUDIT_LIST, purpose=purpose)
        wanted = filters or AuditFilter()
        if action or actor_login:
            wanted = replace(
                wanted, action=action or wanted.action, login=actor_login or wanted.login
            )
        return list(
            itertools.islice(LogReading(self.ms).matching(wanted, before_seq, first=limit), limit)
        )

    def export_csv(self, filters: AuditFilter, target: Path) -> int:
        """Every entry the filters match, newest first, as CSV for Danish Excel (UTF-8 with
        BOM, ``;``); written privately and atomically after the export is audited. Returns
        how many rows were written."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        self.ms.audited_read(AuditAction.AUDIT_EXPORT, purpose=Purpose.SUPERVISION)
        with self.ms.uow() as session:
            organisations = dict(
                session.execute(select(OrganisationRow.id, OrganisationRow.name)).all()
            )
        count = 0

        def fill(sink: BinaryIO) -> int:
            nonlocal count
            text = io.TextIOWrapper(sink, encoding="utf-8-sig", newline="")
            writer = csv.writer(text, delimiter=";")
            writer.writerow(CSV_HEADERS)
            for entry in LogReading(self.ms).matching(filters):
                writer.writerow(csv_row(entry, organisations))
                count += 1
            text.flush()
            text.detach()
            return count

        return write_export_stream(target, fill)

    def counters(self, since: date | None, until: date | None) -> AuditCounters:
        """The DPO's figures of a period (audited as a read of the log)."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        self.ms.audited_read(AuditAction.AUDIT_LIST, purpose=Purpose.SUPERVISION, detail="counters")
        return count(LogReading(self.ms).matching(AuditFilter(since=since, until=until)))

    def organisations(self) -> dict[uuid.UUID, str]:
        """Organisation names (public bodies, clear) for showing and filtering entries."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        with self.ms.uow() as session:
            return dict(session.execute(select(OrganisationRow.id, OrganisationRow.name)).all())

    def case_numbers(self) -> dict[str, str]:
        """Case numbers by case id, of living and deleted cases (clear in the database), so
        the log can name a case as people say it."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        with self.ms.uow() as session:
            numbers = {str(i): n for i, n in session.execute(select(CaseRow.id, CaseRow.number))}
            numbers.update(
                {
                    str(i): n
                    for i, n in session.execute(select(TombstoneRow.id, TombstoneRow.number))
                }
            )
        return numbers

    def case_ids(self, number: str) -> frozenset[str]:
        """The ids a case number stands for in the log: the case, or its tombstone once
        deleted. Numbers are clear, so the DPO finds them without a case key."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        wanted = number.strip().upper()
        with self.ms.uow() as session:
            ids = {
                str(i) for i in session.scalars(select(CaseRow.id).where(CaseRow.number == wanted))
            }
            ids |= {
                str(i)
                for i in session.scalars(
                    select(TombstoneRow.id).where(TombstoneRow.number == wanted)
                )
            }
        return frozenset(ids)

    def opened(self, filters: AuditFilter) -> Iterator[AuditEntry]:
        """Every entry the filters match, opened, newest first (the caller audited why)."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        return LogReading(self.ms).matching(filters)


def _unsigned_after_signed(
    session: Session, after: int, result: AuditVerification
) -> AuditVerification:
    """For a member outside the audit group, who checks no signature: the unsigned entries
    the walk covered, and the first one that comes after the signed entries began, which
    is none the program wrote (vault/audit_walk.first_signed_seq)."""
    result = replace(result, legacy_entries=_count_legacy(session, after))
    late = first_unsigned_after_signed(session, after)
    if late is None or (result.first_bad_seq is not None and result.first_bad_seq <= late):
        return result
    da, en = unsigned_after_signed(late)
    return replace(result, ok=False, first_bad_seq=late, problem=en, problem_da=da)


def _count_legacy(session: Session, after: int = 0) -> int:
    """Unsigned (format 1) entries after ``after``: those a routine check walked."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(AuditEntryRow)
            .where(AuditEntryRow.session_id.is_(None), AuditEntryRow.seq > after)
        )
        or 0
    )
