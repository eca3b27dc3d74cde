"""Every entry's signature, checked for the audit group's verification.

Opening a body and building the statement its actor signed is Python work; checking the
Ed25519 signature is most of the cost (some 65 µs an entry), so the checks of a batch go to
threads while this one opens the next entries. Nothing on this thread asks the database per
entry or per writer while they run (the writer keys are opened first, the rows come through
one streamed statement): a statement waits for Python's lock behind the threads, which
made one look-up per unlock session cost milliseconds. The first entry whose body cannot be
opened, that is unsigned, or whose signature is not its member's is where the log can no
longer be trusted.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.orm import Session

from infohus_desktop.crypto.signing import SignKeys, audit_entry_statement
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.services.audit.reading import LogReading
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_prunings import Pair
from infohus_desktop.vault.audit_sealing import AuditReader
from infohus_desktop.vault.audit_walk import (
    AT,
    BODY,
    ID,
    PREV,
    SEQ,
    SESSION,
    SIGNATURE,
    RawEntry,
    entry_statement_fast,
    first_signed_seq,
    raw_entries,
    unsigned_after_signed,
)

#: Signatures checked together on the threads.
CHUNK = 250


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
    # Every writer key first: no statement per writer while the threads run (each waited
    # for Python's lock, some milliseconds, behind the signature checks).
    reader.preload(session, after)
    vault_id = reading.ms.vault.vault_id
    pending: list[tuple[int, _ToCheck]] = []
    submitted: list[Future[list[int]]] = []
    every = audit_chain.PROGRESS_EVERY
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:

        def flush() -> None:
            # Checked on the threads while this thread opens the next entries.
            if pending:
                submitted.append(pool.submit(_failing, list(pending)))
                walk.checked += len(pending)
                pending.clear()

        signed_from = first_signed_seq(session)
        for walked, row in enumerate(raw_entries(session, after), 1):
            if progress is not None and walked % every == 0:
                progress(walked)
            if row[SESSION] is None:
                if signed_from is not None and row[SEQ] > signed_from:
                    walk.found(row[SEQ], unsigned_after_signed(row[SEQ]))
                else:
                    walk.legacy += 1
                continue
            if walk.first_bad is not None and row[SEQ] >= walk.first_bad:
                continue
            prepared = _prepare(reading, session, reader, vault_id, row)
            if prepared is None:
                walk.checked += 1  # a failed unlock: nobody authenticated to sign
            elif isinstance(prepared, _ToCheck):
                pending.append((row[SEQ], prepared))
                if len(pending) >= CHUNK:
                    flush()
            else:
                walk.found(row[SEQ], prepared)
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
    reading: LogReading,
    session: Session,
    reader: AuditReader,
    vault_id: uuid.UUID,
    row: RawEntry,
) -> Pair | _ToCheck | None:
    """What the signature check of ``row`` (as stored) needs (key, signature, statement),
    a problem found before it, or None for an unsigned failed unlock."""
    n = row[SEQ]
    try:
        entry_id, session_id = uuid.UUID(row[ID]), uuid.UUID(row[SESSION])
    except (ValueError, TypeError, AttributeError):
        return _unreadable(n)  # not reached: the chain walk stops before such a row
    body = row[BODY]
    try:
        opened = reader.open(session, session_id, entry_id, bytes(body or b""))
    except TamperedData:
        return _unreadable(n)
    signature = row[SIGNATURE]
    if signature is None:
        return None if opened.action == AuditAction.LOGIN_FAILED else _unsigned(n)
    key = reading.actor_key(session, opened.actor_id)
    if key is None:
        return _not_theirs(n)
    if (
        type(n) is int
        and type(row[AT]) is str
        and type(row[PREV]) is str
        and (body is None or type(body) is bytes)
    ):
        statement = entry_statement_fast(str(vault_id), row, str(entry_id), str(session_id))
    else:  # not reached by what the program writes; the definition itself
        statement = audit_entry_statement(
            vault_id, n, entry_id, row[AT], session_id, bytes(body or b""), row[PREV]
        )
    return _ToCheck(key, bytes(signature), statement)


__all__ = ["SignatureWalk", "check_signatures"]
