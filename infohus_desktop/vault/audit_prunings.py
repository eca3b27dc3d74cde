"""The signed summaries that stand in for audit entries pruned after the log's retention
period (``audit_prunings``; services/audit/pruning.py prunes, ``audit_chain.verify_chain``
starts its walk where they end)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.signing import SignKeys, statement
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.schema import AuditPruningRow, MemberRow

#: The hash before the first entry of a log.
GENESIS = "0" * 64
#: A problem in words, Danish and English.
Pair = tuple[str, str]
SignerKeys = Callable[[uuid.UUID], SignKeys | None]


def pruning_statement(vault_id: uuid.UUID, row: AuditPruningRow) -> bytes:
    """What the pruning coordinator signs: the whole summary."""
    return statement(
        "audit-pruning",
        vault_id,
        first=row.first_seq,
        last=row.last_seq,
        entries=row.entries,
        head=row.head_hash,
        first_at=row.first_at,
        last_at=row.last_at,
        at=row.pruned_at,
        signer=str(row.pruned_by),
    )


@dataclass(frozen=True, slots=True)
class PrunedStart:
    """Where the kept chain begins after the pruning summaries, or why it cannot."""

    next_seq: int
    prev_hash: str
    pruned: int
    problem: Pair | None = None


def pruned_start(session: Session, vault_id: uuid.UUID, signer_key: SignerKeys) -> PrunedStart:
    """Check every pruning summary in order: each begins where the one before ended, counts
    its range, and is signed by a coordinator; the chain goes on from the last one's head."""
    next_seq, prev, pruned = 1, GENESIS, 0
    for row in session.scalars(select(AuditPruningRow).order_by(AuditPruningRow.last_seq)):
        span = f"{row.first_seq}–{row.last_seq}"
        signer = session.get(MemberRow, row.pruned_by)
        key = signer_key(row.pruned_by)
        if row.first_seq != next_seq or row.entries != row.last_seq - row.first_seq + 1:
            problem = (
                f"opsummeringen af de beskårne poster {span} slutter ikke an til loggen før den",
                f"the summary of pruned entries {span} does not join the log before it",
            )
        elif signer is None or signer.role != Role.COORDINATOR.value or key is None:
            problem = (
                f"opsummeringen af de beskårne poster {span} er ikke underskrevet af en "
                "koordinator",
                f"the summary of pruned entries {span} is not signed by a coordinator",
            )
        elif not key.verify(row.signature, pruning_statement(vault_id, row)):
            problem = (
                f"opsummeringen af de beskårne poster {span} har ingen gyldig underskrift",
                f"the summary of pruned entries {span} has no valid signature",
            )
        else:
            next_seq, prev, pruned = row.last_seq + 1, row.head_hash, pruned + row.entries
            continue
        return PrunedStart(next_seq, prev, pruned, problem)
    return PrunedStart(next_seq, prev, pruned)


__all__ = ["GENESIS", "Pair", "PrunedStart", "pruned_start", "pruning_statement"]
