"""Every entry's signature, checked for the audit group's verification.

Opening a body and building the statement its actor signed is Python work; checking the
Ed25519 signature is most of the cost (some 65 µs an entry) and runs in the library without
Python's lock, so the checks of a batch run on as many threads as the machine has cores
(twice as fast on two). The first entry whose body cannot be opened, that is unsigned, or
whose signature is not its member's is where the log can no longer be trusted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.orm import Session

from infohus_desktop.crypto.signing import SignKeys
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.services.audit.reading import BATCH, LogReading
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_prunings import Pair
from infohus_desktop.vault.audit_sealing import AuditReader
from infohus_desktop.vault.schema import AuditEntryRow

#: Signatures checked together on the threads.
CHUNK = 1000


def _unreadable(n: int) -> Pair:
    return (
        f"post {n} kan ikke læses (ændret uden om programmet)",
        f"entry {n} cannot be read (changed outside the program)",
    )


def _unsigned(n: int) -> Pair:
    return (f"post {n} er ikke underskrevet", f"entry {n} is not signed")


def _not_theirs(n: int) -> Pair:
    return (
        f"post {n} er ikke underskrevet af den bruger, den nævner (skrevet eller ændret uden "
        "om programmet)",
        f"entry {n} is not signed by the member it names (written or changed outside the program)",
    )


@dataclass(frozen=True, slots=True)
class _ToCheck:
    key: SignKeys
    signature: bytes
    statement: bytes


@dataclass
class SignatureWalk:
    """What the walk found: how many signatures hold, format-1 entries, the first problem."""

    checked: int = 0
    legacy: int = 0
    first_bad: int | None = None
    problem: Pair | None = None

    def found(self, seq: int, problem: Pair) -> None:
        if self.first_bad is None or seq < self.first_bad:
            self.first_bad, self.problem = seq, problem


def check_signatures(
    reading: LogReading,
    session: Session,
    after: int,
    walk: SignatureWalk,
    progress: Callable[[int], None] | None = None,
) -> SignatureWalk:
    """Walk the entries after ``after`` (entries from ``walk.first_bad`` on are not
    checked: the chain is already broken there)."""
    reader = reading.reader(session)
    pending: list[tuple[int, _ToCheck]] = []
    submitted: list[Future[list[int]]] = []
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:

        def flush() -> None:
            # Checked on the threads while this thread opens the next entries.
            if pending:
                submitted.append(pool.submit(_failing, list(pending)))
                walk.checked += len(pending)
                pending.clear()

        rows = audit_chain.entries_in_order(session, BATCH, after)
        for walked, row in enumerate(rows, 1):
            if progress is not None and walked % audit_chain.PROGRESS_EVERY == 0:
                progress(walked)
            if row.session_id is None:
                walk.legacy += 1
                continue
            if walk.first_bad is not None and row.seq >= walk.first_bad:
                continue
            prepared = _prepare(reading, session, reader, row)
            if prepared is None:
                walk.checked += 1  # a failed unlock: nobody authenticated to sign
            elif isinstance(prepared, _ToCheck):
                pending.append((row.seq, prepared))
                if len(pending) >= CHUNK:
                    flush()
            else:
                walk.found(row.seq, prepared)
        flush()
        for future in submitted:
            for seq in future.result():
                walk.checked -= 1
                walk.found(seq, _not_theirs(seq))
    return walk


def _failing(chunk: list[tuple[int, _ToCheck]]) -> list[int]:
    """The entries of ``chunk`` whose signature does not hold (runs on a thread)."""
    return [seq for seq, c in chunk if not c.key.verify(c.signature, c.statement)]


def _prepare(
    reading: LogReading, session: Session, reader: AuditReader, row: AuditEntryRow
) -> Pair | _ToCheck | None:
    """What the signature check of ``row`` needs (key, signature, statement), a problem
    found before it, or None for an unsigned failed unlock."""
    assert row.session_id is not None
    n = row.seq
    try:
        body = reader.open(session, row.session_id, row.id, bytes(row.body or b""))
    except TamperedData:
        return _unreadable(n)
    if row.signature is None:
        return None if body.action == AuditAction.LOGIN_FAILED else _unsigned(n)
    key = reading.actor_key(session, body.actor_id)
    if key is None:
        return _not_theirs(n)
    statement = audit_chain.signed_statement(reading.ms.vault.vault_id, row)
    return _ToCheck(key, bytes(row.signature), statement)


__all__ = ["SignatureWalk", "check_signatures"]
