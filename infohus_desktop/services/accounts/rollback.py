"""Rollback seen at unlock: a vault older than this workstation last saw is refused.

Every workstation appends the audit head it signed (sequence number and hash) to its own
checkpoint file after each commit that wrote one (``MemberSession._flush_checkpoint_lines``).
A vault file put back from an older copy, or a database whose log was rewritten, no longer
holds that head: its log ends before the sequence number, or the entry there has another
hash. Until now only an explicit ``infohus audit verify`` noticed; now every unlock compares
the newest line of the file with the vault, which costs one indexed read and the tail of one
file, and refuses with :class:`VaultRolledBack` (exit code 7).

A restore made on purpose (a backup put back after a lost disk) is accepted by a coordinator
with their passphrase (``infohus vault accept-restore``, or the unlock page's question). The
acceptance is audited with both heads, and the old checkpoint file is kept beside the new
one (``<vault id>.jsonl.before-restore-<UTC stamp>``) for the DPO, so the next unlock compares
with the restored vault.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.local_state import LocalState
from infohus_desktop.vault.schema import AuditEntryRow, AuditPruningRow

#: How much of the end of the checkpoint file is read to find its newest line.
TAIL_BYTES = 16384


@dataclass(frozen=True, slots=True)
class Rollback:
    """What the workstation saw last, and what the vault holds now."""

    seen_seq: int
    seen_head: str
    vault_seq: int
    #: True when the vault's log reaches ``seen_seq`` but the entry there differs.
    diverged: bool

    def detail(self) -> str:
        return f"seen={self.seen_seq} vault={self.vault_seq} diverged={self.diverged}"


class VaultRolledBack(TamperedData):
    """The vault is older than this workstation saw, or its log was rewritten."""

    def __init__(self, finding: Rollback) -> None:
        if finding.diverged:
            da = (
                "Boksens revisionslog passer ikke med det, denne computer sidst så: den er "
                "ændret uden om programmet eller udskiftet med en anden kopi."
            )
            en = (
                "The vault's audit log does not match what this computer last saw: it was "
                "changed outside the program or replaced by another copy."
            )
        else:
            da = (
                f"Boksen er ældre end sidst set på denne computer (loggen slutter ved post "
                f"{finding.vault_seq}, men post {finding.seen_seq} er set): en gammel kopi "
                "er lagt tilbage."
            )
            en = (
                f"The vault is older than last seen on this computer (its log ends at entry "
                f"{finding.vault_seq}, but entry {finding.seen_seq} was seen): an old copy "
                "was put back."
            )
        super().__init__(
            da + " Er det en bevidst genskabelse, kan en koordinator godkende den "
            "(»Godkend genskabelse …« ved oplåsningen, eller infohus vault accept-restore).",
            en + " If it is a deliberate restore, a coordinator can accept it "
            "('Accept restore …' when unlocking, or infohus vault accept-restore).",
        )
        self.finding = finding


def last_seen(path: Path, vault_id: uuid.UUID) -> tuple[int, str] | None:
    """The newest (sequence number, head hash) of this vault in the checkpoint file, read
    from its tail; None when the file is missing or holds no line of this vault."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - TAIL_BYTES))
            tail = handle.read()
    except FileNotFoundError:
        return None
    best: tuple[int, str] | None = None
    for line in tail.decode("utf-8", "replace").splitlines():
        try:
            raw = json.loads(line)
            if raw["vault"] != str(vault_id):
                continue
            seq, head = int(raw["seq"]), str(raw["head"])
        except (ValueError, KeyError, TypeError):
            continue  # the first line of the tail may be cut; a damaged line is verify's job
        if best is None or seq > best[0]:
            best = (seq, head)
    return best


def find_rollback(session: Session, local: LocalState, vault_id: uuid.UUID) -> Rollback | None:
    """Compare the vault with the newest head this workstation saw; None when it holds it."""
    seen = last_seen(local.checkpoint_file(vault_id), vault_id)
    if seen is None:
        return None
    seq, head = seen
    stored = session.scalar(select(AuditEntryRow.entry_hash).where(AuditEntryRow.seq == seq))
    if stored == head:
        return None
    if stored is None:
        # Pruned after the log's retention period since: the summary stands in for the entry
        # (its signature is verify's to check; a copy older than the pruning lacks it).
        summary = session.execute(
            select(AuditPruningRow.last_seq, AuditPruningRow.head_hash).where(
                AuditPruningRow.first_seq <= seq, AuditPruningRow.last_seq >= seq
            )
        ).first()
        if summary is not None and (summary[0] > seq or summary[1] == head):
            return None
    vault_seq = session.scalar(select(func.max(AuditEntryRow.seq))) or 0
    return Rollback(seq, head, vault_seq, diverged=stored is not None)


def set_aside(local: LocalState, vault_id: uuid.UUID) -> Path | None:
    """Keep the checkpoint file of before an accepted restore beside the new one."""
    path = local.checkpoint_file(vault_id)
    if not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.before-restore-{stamp}")
    path.replace(kept)
    return kept
