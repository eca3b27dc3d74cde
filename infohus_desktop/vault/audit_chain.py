"""The audit log as a hash chain with signed checkpoints (SECURITY.md, "Audit log").

``entry_hash = SHA-256(prev_hash ‖ canonical(entry))``. Every 100 entries, and whenever a
session locks or exits, the acting member signs a checkpoint (seq, head hash). Checkpoints go
into the database and into an append-only file on the workstation, outside the database
directory, so editing, deleting, reordering or truncating entries, or restoring an older copy
of the database, is detected by :func:`verify_chain`.

After its retention period (at least 13 months) a coordinator may prune the oldest entries:
they are replaced by a signed summary (``audit_prunings``: range, count, the hash of the last
pruned entry). The chain then begins at the summary: the first kept entry's ``prev_hash`` is
the summary's head, so nothing can be cut out of the kept part, and a summary that is not
signed by a coordinator, or does not join the one before, breaks the verification.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Table, event, func, insert, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.encoding import b64, canonical_json
from infohus_desktop.crypto.signing import (
    SignKeys,
    audit_entry_statement,
    checkpoint_statement,
)
from infohus_desktop.domain.audit import AuditVerification
from infohus_desktop.vault.audit_prunings import (
    GENESIS,
    Pair,
    pruned_start,
)
from infohus_desktop.vault.audit_sealing import AuditBody, AuditWriter
from infohus_desktop.vault.audit_walk import (
    HASH,
    LEGACY,
    NO_LEGACY,
    PREV,
    SEQ,
    SESSION,
    entry_digest,
    raw_entries,
)
from infohus_desktop.vault.schema import (
    AuditCheckpointRow,
    AuditEntryRow,
    AuditPruningRow,
)
from infohus_desktop.vault.server_link import COMMIT_MARKER

CHECKPOINT_EVERY = 100
#: How often a long walk (verification) says how far it got.
PROGRESS_EVERY = 1000


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An entry to append (format 2): its body, the writer that seals it, and the actor's
    signing function (None only for a failed unlock, where nobody is authenticated)."""

    body: AuditBody
    writer: AuditWriter
    sign: Callable[[bytes], bytes] | None
    id: uuid.UUID | None = None


def utc_now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_entry(row: AuditEntryRow) -> bytes:
    if row.session_id is not None:
        return canonical_json(
            {
                "v": 2,
                "seq": row.seq,
                "id": str(row.id),
                "at": row.at,
                "session": str(row.session_id),
                "body": b64(row.body) if row.body is not None else None,
                "sig": b64(row.signature) if row.signature is not None else None,
            }
        )
    # Format 1, exactly as it was hashed when written.
    return canonical_json(
        {
            "seq": row.seq,
            "id": str(row.id),
            "at": row.at,
            "actor": str(row.actor_id) if row.actor_id else None,
            "login": row.actor_login,
            "org": str(row.organisation_id) if row.organisation_id else None,
            "ws": row.workstation,
            "action": row.action,
            "object": row.object_id,
            "purpose": row.purpose,
            "detail_epoch": row.detail_epoch,
            "detail": b64(row.detail) if row.detail is not None else None,
        }
    )


def entry_hash(prev_hash: str, row: AuditEntryRow) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical_entry(row)).hexdigest()


#: A place in the chain: an entry's ``seq`` and its ``entry_hash``. Remembered as the pair, not
#: the number alone: a log replaced under an open session (a server restored from a backup)
#: can reach the same number again with other entries, never the same hash.
ChainPoint = tuple[int, str]


def head(session: Session) -> ChainPoint:
    """The last entry's (seq, hash), read in ``session``'s transaction (for an append, under
    the chain lock the caller holds: never remembered across transactions, since other
    workstations append too). One indexed row through Core, after what this transaction
    has pending is flushed (as the ORM's autoflush did)."""
    session.flush()
    connection = session.connection()
    row = connection.execute(_HEAD).first()
    if row is None:  # an empty log, or every entry pruned: the chain goes on from the summary
        row = connection.execute(_PRUNED_HEAD).first()
    return (0, GENESIS) if row is None else (row[0], row[1])


_HEAD = (
    select(AuditEntryRow.seq, AuditEntryRow.entry_hash).order_by(AuditEntryRow.seq.desc()).limit(1)
)
_PRUNED_HEAD = (
    select(AuditPruningRow.last_seq, AuditPruningRow.head_hash)
    .order_by(AuditPruningRow.last_seq.desc())
    .limit(1)
)
_INSERT = insert(cast(Table, AuditEntryRow.__table__))


def signed_statement(vault_id: uuid.UUID, row: AuditEntryRow) -> bytes:
    """What the actor of a format-2 entry signed (a missing body signs as empty, which no
    real signature covers)."""
    session_id = row.session_id or uuid.UUID(int=0)
    body = bytes(row.body) if row.body is not None else b""
    return audit_entry_statement(vault_id, row.seq, row.id, row.at, session_id, body, row.prev_hash)


def append(session: Session, vault_id: uuid.UUID, entry: NewEntry) -> AuditEntryRow:
    """Seal, sign and add one entry after the current head. The caller holds the chain lock
    (see engine)."""
    entry.writer.ensure_row(session)
    seq, prev = _head_for_append(session)
    entry_id = entry.id or uuid.uuid4()
    row = AuditEntryRow(
        seq=seq + 1,
        id=entry_id,
        at=utc_now_text(),
        session_id=entry.writer.id,
        body=entry.writer.seal(vault_id, entry_id, entry.body),
        prev_hash=prev,
        entry_hash="",
    )
    if entry.sign is not None:
        row.signature = entry.sign(signed_statement(vault_id, row))
    row.entry_hash = entry_hash(prev, row)
    # Written through Core (the row stays out of the session): the ORM's unit of work for
    # one insert cost more than sealing, signing and hashing the entry together.
    session.connection().execute(
        _INSERT,
        {
            "seq": row.seq,
            "id": row.id,
            "at": row.at,
            "session_id": row.session_id,
            "body": row.body,
            "signature": row.signature,
            "prev_hash": row.prev_hash,
            "entry_hash": row.entry_hash,
        },
    )
    # The entry commits with the change it records: its id tells, after a connection lost
    # during COMMIT, whether the transaction landed (vault/server_link.py).
    session.info[COMMIT_MARKER] = row.id
    session.info[_APPENDED] = (session.get_transaction(), (row.seq, row.entry_hash))
    return row


#: ``Session.info``: the transaction that appended last in this session, and the head it left.
_APPENDED = "infohus.audit_appended"


def _head_for_append(session: Session) -> ChainPoint:
    """The head the next entry follows. After an append in the same transaction, the head
    that append left: the caller holds the chain lock from the first append to the commit,
    so nobody else can have appended since, and every append goes through :func:`append`
    (a transaction that records a change and its reads in two entries reads the head once).
    Otherwise the head is read."""
    session.flush()  # as head() does: what the transaction has pending goes first
    appended = session.info.get(_APPENDED)
    if appended is not None and appended[0] is session.get_transaction():
        point: ChainPoint = appended[1]
        return point
    return head(session)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_appended(session: Session) -> None:
    """The head an append left is for its own transaction only; dropped when it ends, so
    that ``session.info`` holds no transaction (which refers back to the session) after,
    and when a savepoint rolls back (this event fires for that too), since the append may
    have been inside it."""
    session.info.pop(_APPENDED, None)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    head_hash: str
    signer_id: uuid.UUID
    signature: bytes
    at: str

    def to_line(self, vault_id: uuid.UUID) -> str:
        return json.dumps(
            {
                "vault": str(vault_id),
                "seq": self.seq,
                "head": self.head_hash,
                "signer": str(self.signer_id),
                "sig": b64(self.signature),
                "at": self.at,
            },
            sort_keys=True,
        )


def write_checkpoint_row(
    session: Session,
    vault_id: uuid.UUID,
    signer_id: uuid.UUID,
    sign: Callable[[bytes], bytes],
) -> Checkpoint | None:
    """Sign the current head into the database. The caller appends the same checkpoint to the
    workstation's file after the transaction commits (never before: a rolled-back checkpoint
    in the file would look like tampering)."""
    seq, head_hash = head(session)
    if seq == 0:
        return None
    checkpoint = Checkpoint(
        seq,
        head_hash,
        signer_id,
        sign(checkpoint_statement(vault_id, seq, head_hash)),
        utc_now_text(),
    )
    exists = session.scalar(
        select(func.count())
        .select_from(AuditCheckpointRow)
        .where(AuditCheckpointRow.seq == seq, AuditCheckpointRow.signer_id == signer_id)
    )
    if not exists:
        session.add(
            AuditCheckpointRow(
                seq=seq,
                head_hash=head_hash,
                signer_id=signer_id,
                signature=checkpoint.signature,
                at=checkpoint.at,
            )
        )
        session.flush()
    return checkpoint


SignerKeys = Callable[[uuid.UUID], SignKeys | None]


def _remembered(signer_key: SignerKeys) -> SignerKeys:
    """``signer_key`` asked once per signer for the run: a log of 100,000 entries has a
    thousand checkpoints or more by a handful of members, each of whose keys is verified
    through their certificate (several statements and signatures) when first asked."""
    known: dict[uuid.UUID, SignKeys | None] = {}

    def key(signer: uuid.UUID) -> SignKeys | None:
        if signer not in known:
            known[signer] = signer_key(signer)
        return known[signer]

    return key


_DATABASE: Pair = ("databasen", "database")
_FILE: Pair = ("arbejdsstationens kontrolpunktfil", "checkpoint file")


def verify_chain(
    session: Session,
    vault_id: uuid.UUID,
    signer_key: SignerKeys,
    file_checkpoints: list[Checkpoint | None] | None,
    *,
    batch: int | None = None,
    progress: Callable[[int], None] | None = None,
    since: tuple[int, str] | None = None,
) -> AuditVerification:
    """Walk every entry, then hold every checkpoint (database and file) against the chain.

    ``signer_key`` returns a *verified* Ed25519 public key for a member id, or None. The
    answer names the first sequence number that cannot be vouched for. ``progress`` hears
    how many entries were walked, every :data:`PROGRESS_EVERY`.

    ``since`` (seq, hash) is where an earlier verification ended: if the entry there still
    has that hash, the walk starts after it (the chain makes everything before it hash to
    the same head, unless rows were edited in place without their hashes, which only a full
    walk recomputes). Otherwise the whole log is walked.

    The entries come as stored, through one streamed statement, and are hashed through the
    exact fast encoding of ``audit_walk`` (no ORM instance, no ``uuid.UUID`` per entry).
    """
    signer_key = _remembered(signer_key)
    start = pruned_start(session, vault_id, signer_key)
    expected_seq, prev = start.next_seq, start.prev_hash
    vouched_to = start.next_seq - 1 if start.problem is None else 0
    verified_from: int | None = None
    if since is not None and start.problem is None and since[0] >= start.next_seq:
        stored = session.scalar(
            select(AuditEntryRow.entry_hash).where(AuditEntryRow.seq == since[0])
        )
        if stored == since[1]:
            expected_seq, prev, vouched_to = since[0] + 1, since[1], since[0]
            verified_from = since[0]
    db_checkpoints = [
        Checkpoint(seq, head_hash, signer_id, signature, at)
        for seq, head_hash, signer_id, signature, at in session.execute(
            select(
                AuditCheckpointRow.seq,
                AuditCheckpointRow.head_hash,
                AuditCheckpointRow.signer_id,
                AuditCheckpointRow.signature,
                AuditCheckpointRow.at,
            )
            # Before where this walk starts the checkpoints are vouched for already (pruned,
            # or checked by the earlier verification): a routine check reads only newer ones.
            .where(AuditCheckpointRow.seq >= vouched_to)
            .order_by(AuditCheckpointRow.seq)
        )
    ]
    sources: list[tuple[Pair, Checkpoint | None]] = [(_DATABASE, c) for c in db_checkpoints]
    # The file's too from there, decided only now: a mark that no longer holds (the log
    # cut short or an older copy put back below it) walks, and holds, them all. Every line
    # was parsed, so an unreadable one still fails wherever it is.
    sources += [(_FILE, c) for c in file_checkpoints or [] if c is None or c.seq >= vouched_to]
    # The walk keeps the hashes only where a checkpoint is to be held against them (not one
    # string per entry); a checkpoint at the end of a pruned range, or where an earlier
    # verification ended, is held against that head.
    wanted = {c.seq for _, c in sources if c is not None and c.seq >= expected_seq}
    hashes: dict[int, str] = {start.next_seq - 1: start.prev_hash} if start.pruned else {}
    if verified_from is not None:
        hashes[verified_from] = prev
    count, every = 0, PROGRESS_EVERY
    first_bad: int | None = start.next_seq if start.problem else None
    problem: Pair | None = start.problem
    prev_ascii = prev.encode("ascii")
    for row in raw_entries(session, after=expected_seq - 1, batch=batch):
        count += 1
        if progress is not None and count % every == 0:
            progress(count)
        if first_bad is not None:
            continue
        seq = row[SEQ]
        if seq != expected_seq:
            first_bad = expected_seq
            problem = (f"post {expected_seq} mangler", f"entry {expected_seq} is missing")
            continue
        stored = row[HASH]
        if (
            row[PREV] != prev
            or entry_digest(prev_ascii, row) != stored
            or (row[SESSION] is not None and row[LEGACY] != NO_LEGACY)
        ):
            first_bad = seq
            problem = (f"post {seq} passer ikke med kæden", f"entry {seq} does not match the chain")
            continue
        if seq in wanted:
            hashes[seq] = stored
        prev = stored
        prev_ascii = stored.encode("ascii")
        expected_seq += 1
    head_seq = expected_seq - 1 if first_bad is None else first_bad - 1

    # Everything up to ``vouched_to`` is vouched for (see above), checkpoint or not.
    good: list[int] = [vouched_to] if vouched_to else []
    bad: list[tuple[int, Pair]] = []
    chain_break = first_bad
    for origin, checkpoint in sources:
        if checkpoint is not None and chain_break is not None and checkpoint.seq >= chain_break:
            continue  # beyond a break found in the walk, which already names the entry
        if checkpoint is None:
            bad.append(
                (0, (f"en ulæselig linje i {origin[0]}", f"an unreadable line in the {origin[1]}"))
            )
            continue
        if checkpoint.seq < vouched_to:
            # Inside a pruned range (its summary vouches for it) or before where an earlier
            # verification ended (that one checked it).
            good.append(checkpoint.seq)
            continue
        key = signer_key(checkpoint.signer_id)
        statement = checkpoint_statement(vault_id, checkpoint.seq, checkpoint.head_hash)
        if key is None or not key.verify(checkpoint.signature, statement):
            why = (
                f"kontrolpunkt {checkpoint.seq} i {origin[0]} har ingen gyldig underskrift",
                f"checkpoint {checkpoint.seq} in the {origin[1]} has no valid signature",
            )
        elif checkpoint.seq > head_seq:
            why = (
                f"loggen når kun til post {head_seq}, men {origin[0]} har et kontrolpunkt ved "
                f"post {checkpoint.seq} (poster fjernet eller ændret, eller en ældre kopi lagt "
                "tilbage)",
                f"the log holds only to entry {head_seq}, but the {origin[1]} has a checkpoint "
                f"at entry {checkpoint.seq} (entries removed or altered, or an older copy "
                "restored)",
            )
        elif hashes.get(checkpoint.seq) != checkpoint.head_hash:
            why = (
                f"kontrolpunkt {checkpoint.seq} i {origin[0]} passer ikke med loggen (poster "
                "ændret, eller en ældre kopi lagt tilbage)",
                f"checkpoint {checkpoint.seq} in the {origin[1]} does not match the log "
                "(entries altered, or an older copy restored)",
            )
        else:
            good.append(checkpoint.seq)
            continue
        bad.append((checkpoint.seq, why))
    for seq, why in bad:
        # The entries after the last checkpoint that still holds, up to this one, are not
        # vouched for: the first of them is where the log can no longer be trusted.
        vouched = [g for g in good if g < seq]
        candidate = (max(vouched) + 1) if vouched else 1
        if first_bad is None or candidate < first_bad:
            first_bad, problem = candidate, why
    return AuditVerification(
        ok=first_bad is None,
        entries=count,
        checkpoints=len(sources),
        checkpoints_in_file=sum(1 for origin, _c in sources if origin == _FILE),
        head_hash=prev,
        first_bad_seq=first_bad,
        problem=problem[1] if problem else None,
        problem_da=problem[0] if problem else None,
        pruned_entries=start.pruned,
        verified_from=verified_from,
        head_seq=head_seq,
    )
