"""Spot checks (*stikprøvekontrol*): the DPO draws a random sample of reads of case content
in a period and notes, for each, whether it was in order. The sample is drawn with the
operating system's randomness from the opened log, so nobody can know beforehand which reads
will be looked at; the notes are sealed for the audit group (the DPO and coordinators), and
drawing and noting are audited."""

from __future__ import annotations

import builtins
import random
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.audit import (
    AuditAction,
    AuditEntry,
    AuditFilter,
    CheckOutcome,
    Purpose,
    SpotCheck,
)
from infohus_desktop.domain.errors import InfohusError, InvalidInput, TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.audit.counters import CASE_READS
from infohus_desktop.services.audit.log import AuditService
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.codecs.cases import dumps, loads
from infohus_desktop.vault.members import as_utc
from infohus_desktop.vault.retention_schema import SpotCheckRow
from infohus_desktop.vault.schema import MemberRow

#: The most entries one sample holds: a DPO checks them one by one.
MAX_SAMPLE = 200


def _context(row_id: uuid.UUID) -> FieldContext:
    return FieldContext("audit_spot_checks", "payload", row_id)


class SpotChecks:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def sample(
        self, size: int, since: date | None, until: date | None
    ) -> builtins.list[AuditEntry]:
        """``size`` random reads of case content in the period (fewer if there are fewer),
        oldest first. Audited with the period and size."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        if not 1 <= size <= MAX_SAMPLE:
            raise InvalidInput(
                f"En stikprøve er 1 til {MAX_SAMPLE} poster.",
                f"A sample is 1 to {MAX_SAMPLE} entries.",
            )
        self.ms.audited_read(
            AuditAction.AUDIT_SAMPLE,
            purpose=Purpose.SUPERVISION,
            detail=f"size={size} since={since} until={until}",
        )
        reads = [
            e
            for e in AuditService(self.ms).opened(AuditFilter(since=since, until=until))
            if e.action in CASE_READS
        ]
        chosen = random.SystemRandom().sample(reads, min(size, len(reads)))
        return sorted(chosen, key=lambda e: e.seq)

    def record(self, entry_seq: int, outcome: CheckOutcome, note: str) -> SpotCheck:
        """Note the outcome of checking one entry (sealed for the audit group; audited)."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        row_id, now = uuid.uuid4(), datetime.now(UTC)
        with self.ms.transaction() as session:
            group_id = self.ms.vault.system_group_id(session, GroupKind.AUDIT)
            key = self.ms.keyring.group_field_key(session, group_id)
            payload = {"seq": entry_seq, "outcome": outcome.value, "note": note.strip()}
            session.add(
                SpotCheckRow(
                    id=row_id,
                    entry_seq=entry_seq,
                    checked_at=now,
                    checked_by=self.ms.member.id,
                    payload=key.encrypt(dumps(payload), _context(row_id)),
                )
            )
            self.ms.record(
                session,
                AuditAction.AUDIT_SPOT_CHECK,
                str(entry_seq),
                Purpose.SUPERVISION,
                outcome.value,
            )
        return SpotCheck(entry_seq, outcome, note.strip(), self.ms.member.login, now)

    def list(self) -> builtins.list[SpotCheck]:
        """Every note, newest first; a note moved to another entry reads as tampered."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        with self.ms.uow() as session:
            logins = dict(session.execute(select(MemberRow.id, MemberRow.login)).all())
            out = []
            for row in session.scalars(
                select(SpotCheckRow).order_by(SpotCheckRow.checked_at.desc())
            ):
                try:
                    key = self.ms.keyring.field_key_by_id(session, row.payload.key_id)
                    data = loads(key.decrypt(row.payload, _context(row.id)))
                    outcome = CheckOutcome(str(data["outcome"]))
                except (InfohusError, KeyError, ValueError) as exc:
                    raise _tampered() from exc
                if data.get("seq") != row.entry_seq:
                    raise _tampered()
                out.append(
                    SpotCheck(
                        row.entry_seq,
                        outcome,
                        str(data.get("note", "")),
                        logins.get(row.checked_by, "?"),
                        as_utc(row.checked_at),
                    )
                )
            return out


def _tampered() -> TamperedData:
    return TamperedData(
        "En stikprøvenote er ændret uden om programmet.",
        "A spot check note was changed outside the program.",
    )
