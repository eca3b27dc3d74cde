"""Pruning the audit log after its retention period, behind a signed summary.

The log is kept at least 13 months (``domain.retention.AUDIT_MONTHS_FLOOR``), longer if the
retention rules say so (``audit_months``, signed with the rules). Older entries may be pruned
by a coordinator: in one transaction the oldest entries whose time lies before the limit go,
with the database's checkpoints and the DPO's spot-check notes about them, and one
:class:`~infohus_desktop.vault.schema.AuditPruningRow` takes their place: the range, the
count, the times of the first and last, and the hash of the last one, signed by the
coordinator. The chain goes on from that hash (``audit_prunings.pruned_start``), so ``audit
verify`` still checks everything kept, and a summary that was changed or made up breaks it.

Only a prefix of the log goes (the chain cannot have holes), so an entry from before the
limit that follows a younger one (a workstation with a wrong clock) stays until everything
before it may go. The whole log is verified first, also every entry's signature: a
coordinator's signature on a summary must never vouch for entries that were already altered.
The pruning itself is one audit entry, purpose *sletning*, with the range in its detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.errors import InvalidInput, TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import add_months
from infohus_desktop.services.audit.log import AuditService
from infohus_desktop.services.audit.reading import INDEX_KEY
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.retention.rules import RetentionRulesService
from infohus_desktop.vault import audit_chain, audit_prunings
from infohus_desktop.vault.append_only import delete_pruned_audit
from infohus_desktop.vault.engine import empty_wal
from infohus_desktop.vault.retention_schema import SpotCheckRow
from infohus_desktop.vault.schema import AuditEntryRow, AuditPruningRow


@dataclass(frozen=True, slots=True)
class PruningPlan:
    """What pruning would remove now (or did): entries ``first_seq``..``last_seq``, written
    ``first_at``..``last_at``, all before ``limit`` (the first day kept)."""

    keep_months: int
    limit: date
    first_seq: int
    last_seq: int
    first_at: datetime | None
    last_at: datetime | None

    @property
    def entries(self) -> int:
        return max(0, self.last_seq - self.first_seq + 1)


def utc_today() -> date:
    """Today in UTC, the clock the entries' times are written with."""
    return datetime.now(UTC).date()


def _at(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


class AuditPruning:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def plan(self, today: date | None = None) -> PruningPlan:
        """What may go today; coordinators and the DPO may look (nothing is read or
        changed, so nothing is audited)."""
        self.ms.require(Role.COORDINATOR, Role.DPO)
        with self.ms.uow() as session:
            return self._plan(session, today or utc_today())

    def _plan(self, session: Session, today: date) -> PruningPlan:
        months = RetentionRulesService(self.ms).get(session).audit_months
        limit = add_months(today, -months)
        limit_text = f"{limit.isoformat()}T00:00:00.000000Z"
        first = int(session.scalar(select(func.max(AuditPruningRow.last_seq))) or 0) + 1
        kept = session.scalar(
            select(func.min(AuditEntryRow.seq)).where(
                AuditEntryRow.seq >= first, AuditEntryRow.at >= limit_text
            )
        )
        last = (
            int(kept) - 1
            if kept is not None
            else int(session.scalar(select(func.max(AuditEntryRow.seq))) or 0)
        )
        times = dict(
            session.execute(
                select(AuditEntryRow.seq, AuditEntryRow.at).where(
                    AuditEntryRow.seq.in_((first, last))
                )
            ).all()
        )
        return PruningPlan(months, limit, first, last, _at(times.get(first)), _at(times.get(last)))

    def prune(self, today: date | None = None) -> PruningPlan:
        """Prune what :meth:`plan` names, after verifying the whole log. Returns what went;
        :class:`InvalidInput` when nothing is old enough, :class:`TamperedData` when the log
        does not verify (nothing is pruned then)."""
        self.ms.require(Role.COORDINATOR)
        today = today or utc_today()
        if (plan := self.plan(today)).entries == 0:
            raise self._nothing(plan.limit)
        checked = AuditService(self.ms).verify()
        if not checked.ok:
            raise TamperedData(
                "Revisionsloggen kan ikke verificeres, så den beskæres ikke: en underskrevet "
                "opsummering må ikke stå inde for ændrede poster. Kør »Verificér loggen« og "
                "tal med DPO'en.",
                "The audit log does not verify, so it is not pruned: a signed summary must not "
                'vouch for altered entries. Run "Verify the log" and talk to the DPO.',
            )
        with self.ms.transaction() as session:
            self.ms.vault.uow.lock_audit_chain(session)
            plan = self._plan(session, today)
            if plan.entries == 0:
                raise self._nothing(plan.limit)
            self._replace(session, plan)
            self.ms.record(
                session,
                AuditAction.AUDIT_PRUNE,
                None,
                Purpose.DELETION,
                f"entries={plan.entries} seq={plan.first_seq}..{plan.last_seq} "
                f"before={plan.limit.isoformat()}",
            )
        self.ms.memory.pop(INDEX_KEY, None)  # it still names the pruned entries
        empty_wal(self.ms.vault.uow.engine)
        return plan

    def _replace(self, session: Session, plan: PruningPlan) -> None:
        last = session.get(AuditEntryRow, plan.last_seq)
        first = session.get(AuditEntryRow, plan.first_seq)
        if last is None or first is None:  # the walk just verified the chain has no gaps
            raise TamperedData("Revisionsloggen har et hul.", "The audit log has a gap.")
        summary = AuditPruningRow(
            last_seq=plan.last_seq,
            first_seq=plan.first_seq,
            entries=plan.entries,
            head_hash=last.entry_hash,
            first_at=first.at,
            last_at=last.at,
            pruned_at=audit_chain.utc_now_text(),
            pruned_by=self.ms.member.id,
            signature=b"",
        )
        summary.signature = self.ms.keyring.user_keys.sign(
            audit_prunings.pruning_statement(self.ms.vault.vault_id, summary)
        )
        session.expunge_all()
        session.execute(delete(SpotCheckRow).where(SpotCheckRow.entry_seq <= plan.last_seq))
        # Entries and checkpoints go only this way; a shared server checks that the summary
        # goes in with them (vault/append_only.py).
        delete_pruned_audit(session, plan.first_seq, plan.last_seq)
        session.add(summary)
        session.flush()

    @staticmethod
    def _nothing(limit: date) -> InvalidInput:
        return InvalidInput(
            f"Ingen poster i revisionsloggen er fra før {limit:%d.%m.%Y}, så der er intet at "
            "beskære endnu.",
            f"No entry of the audit log is from before {limit:%d.%m.%Y}, so there is nothing "
            "to prune yet.",
        )


__all__ = ["AuditPruning", "PruningPlan"]
