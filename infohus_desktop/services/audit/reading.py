"""Opening the audit log for the audit group (coordinators and the DPO), newest first.

Two walks. A period alone narrows the query in the database (``at`` is clear) and opens only
the period's entries, a small batch first (a screen's worth) and four times more each round.
A filter on what entries say (member, organisation, action, purpose, case) cannot be put to
the database, whose view of an entry is sealed: it goes through the session's
:class:`~infohus_desktop.services.audit.index.AuditIndex`, which opens each entry once per
session and then answers every filter from memory; only the entries shown are read again.

Either way an entry is shown with ``signature_ok``: its actor's signature is checked when it
is shown, not for every entry opened (the dearest step; ``audit verify`` checks them all).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.encoding import lp
from infohus_desktop.crypto.signing import SignKeys
from infohus_desktop.domain.audit import AuditAction, AuditEntry, AuditFilter
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.services.audit.index import AuditIndex, Indexed, micros, needs_index
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_sealing import AuditBody, AuditReader
from infohus_desktop.vault.audit_walk import first_signed_seq
from infohus_desktop.vault.schema import AuditEntryRow

_DETAIL_LABEL = b"infohus/audit-detail/v1"
UNREADABLE = "⚠ (kan ikke læses / unreadable)"
#: Rows read per query while listing or verifying.
BATCH = 2000
#: Where the session keeps its index (``MemberSession.memory``, dropped at lock).
INDEX_KEY = "audit.index"
_ENTRIES = AuditEntryRow.__table__.c


def legacy_detail_info(vault_id: uuid.UUID, entry_id: uuid.UUID, epoch: int) -> bytes:
    """The HPKE info of a format-1 entry's sealed detail."""
    return lp(_DETAIL_LABEL, vault_id.bytes, entry_id.bytes, epoch.to_bytes(4, "big"))


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _rows(session: Session, query: Select[Any]) -> list[AuditEntryRow]:
    """Core rows, not ORM instances (building those cost 40 % of opening an entry); the
    helpers read only columns, which a Core row has by the same names."""
    return [cast(AuditEntryRow, row) for row in session.execute(query)]


class LogReading:
    """``signatures``: check the actor's signature of every entry shown (``signature_ok``);
    the insight report, which does not show it, leaves it out (the dearest step)."""

    def __init__(self, ms: MemberSession, signatures: bool = True) -> None:
        self.ms = ms
        self._keys: dict[uuid.UUID, SignKeys | None] = {}
        self._signatures = signatures
        self._signed_from: int | None = None
        self._signed_from_read = False

    def reader(self, session: Session) -> AuditReader:
        group_id = self.ms.vault.system_group_id(session, GroupKind.AUDIT)
        return AuditReader(
            self.ms.vault.vault_id,
            lambda s, epoch: self.ms.keyring.audit_private_key(s, group_id, epoch),
        )

    # -- one entry ------------------------------------------------------------------------------

    def actor_key(self, session: Session, actor_id: uuid.UUID | None) -> SignKeys | None:
        """The verified signing keys of the member an entry names (cached for the walk)."""
        if actor_id is None:
            return None
        if actor_id not in self._keys:
            self._keys[actor_id] = self.ms.keyring.trust.sign_key_or_none(session, actor_id)
        return self._keys[actor_id]

    def signed_by_actor(self, session: Session, row: AuditEntryRow, body: AuditBody) -> bool:
        """The member the body names signed this entry in this place of the chain. A failed
        unlock has nobody authenticated to sign (SECURITY.md §6): unsigned is right there."""
        if row.signature is None:
            return body.action == AuditAction.LOGIN_FAILED
        key = self.actor_key(session, body.actor_id)
        statement = audit_chain.signed_statement(self.ms.vault.vault_id, row)
        return key is not None and key.verify(bytes(row.signature), statement)

    def opened(
        self, session: Session, reader: AuditReader, row: AuditEntryRow
    ) -> tuple[AuditEntry, AuditBody | None]:
        """The entry opened (signature not checked yet), with its body to check the signature
        against; None, and the entry marked unsigned, when the body cannot be opened. A
        format-1 entry comes from its clear columns and has no signature."""
        if row.session_id is None:
            return self._legacy(session, row), None
        opened: AuditBody | None
        try:
            body = opened = reader.open(session, row.session_id, row.id, bytes(row.body or b""))
            signed = None
        except TamperedData:
            body = AuditBody(None, "?", None, "?", "?", None, "?", UNREADABLE)
            opened, signed = None, False
        entry = AuditEntry(
            seq=row.seq,
            id=row.id,
            at=_time(row.at),
            actor_id=body.actor_id,
            actor_login=body.actor_login,
            organisation_id=body.organisation_id,
            workstation=body.workstation,
            action=body.action,
            object_id=body.object_id,
            purpose=body.purpose,
            detail=body.detail,
            entry_hash=row.entry_hash,
            signature_ok=signed,
        )
        return entry, opened

    def indexed(self, session: Session, reader: AuditReader, row: AuditEntryRow) -> Indexed:
        """What the index keeps of an entry, opened without building the entry (half the
        cost per entry when the index takes in the whole log)."""
        at = micros(_time(row.at))
        if row.session_id is None:  # format 1: the clear columns
            org = str(row.organisation_id) if row.organisation_id else None
            return (row.seq, at, row.actor_login or "?", org, row.action or "?",
                    row.purpose or "?", row.object_id)  # fmt: skip
        try:
            plain = reader.open_plain(session, row.session_id, row.id, bytes(row.body or b""))
            raw = json.loads(plain)
            obj = raw["object"]
            return (row.seq, at, str(raw["login"]), raw["org"] or None, str(raw["action"]),
                    str(raw["purpose"]), None if obj is None else str(obj))  # fmt: skip
        except (TamperedData, ValueError, KeyError, TypeError):
            return (row.seq, at, "?", None, "?", "?", None)  # shown as unreadable

    def _shown(self, session: Session, row: AuditEntryRow, entry: AuditEntry,
               body: AuditBody | None) -> AuditEntry:  # fmt: skip
        if body is None or not self._signatures:
            return entry
        return replace(entry, signature_ok=self.signed_by_actor(session, row, body))

    def _legacy(self, session: Session, row: AuditEntryRow) -> AuditEntry:
        detail = None
        if row.detail is not None and row.detail_epoch is not None:
            group_id = self.ms.vault.system_group_id(session, GroupKind.AUDIT)
            try:
                key = self.ms.keyring.audit_private_key(session, group_id, row.detail_epoch)
                detail = key.open(
                    bytes(row.detail),
                    legacy_detail_info(self.ms.vault.vault_id, row.id, row.detail_epoch),
                ).decode("utf-8")
            except TamperedData:
                detail = UNREADABLE
        return AuditEntry(
            seq=row.seq,
            id=row.id,
            at=_time(row.at),
            actor_id=row.actor_id,
            actor_login=row.actor_login or "?",
            organisation_id=row.organisation_id,
            workstation=row.workstation or "?",
            action=row.action or "?",
            object_id=row.object_id,
            purpose=row.purpose or "?",
            detail=detail,
            entry_hash=row.entry_hash,
            # After the signed entries began, an unsigned one is none the program wrote.
            signature_ok=False if self._after_signed(session, row.seq) else None,
        )

    def _after_signed(self, session: Session, seq: int) -> bool:
        if not self._signed_from_read:
            self._signed_from, self._signed_from_read = first_signed_seq(session), True
        return self._signed_from is not None and seq > self._signed_from

    # -- the walks ------------------------------------------------------------------------------

    def matching(
        self,
        filters: AuditFilter,
        before_seq: int | None = None,
        first: int = BATCH,
    ) -> Iterator[AuditEntry]:
        """Opened entries that match, newest first (below ``before_seq``), read in batches,
        one unit of work per batch, so a long export does not hold a transaction open."""
        if needs_index(filters):
            return self._indexed(filters, before_seq, first)
        return self._by_period(filters, before_seq, first)

    def _by_period(
        self, filters: AuditFilter, before_seq: int | None, first: int
    ) -> Iterator[AuditEntry]:
        last = before_seq
        size = max(1, min(first, BATCH))
        reader: AuditReader | None = None  # one for the walk: it keeps the writer keys opened
        while True:
            with self.ms.uow() as session:
                reader = reader or self.reader(session)
                query = select(AuditEntryRow.__table__).order_by(_ENTRIES.seq.desc()).limit(size)
                if last is not None:
                    query = query.where(_ENTRIES.seq < last)
                if filters.since is not None:
                    query = query.where(_ENTRIES.at >= filters.since.isoformat())
                if filters.until is not None:
                    query = query.where(
                        _ENTRIES.at < (filters.until + timedelta(days=1)).isoformat()
                    )
                rows = _rows(session, query)
                if not rows:
                    return
                shown = []
                for row in rows:
                    entry, body = self.opened(session, reader, row)
                    if filters.matches(entry):
                        shown.append(self._shown(session, row, entry, body))
            last = rows[-1].seq
            size = min(size * 4, BATCH)
            yield from shown

    def index(self, session: Session) -> AuditIndex:
        """The session's index, made empty at the head of the log the first time."""
        index = self.ms.memory.get(INDEX_KEY)
        if not isinstance(index, AuditIndex):
            head = int(session.scalar(select(func.max(_ENTRIES.seq))) or 0)
            index = self.ms.memory[INDEX_KEY] = AuditIndex(head)
        return index

    def _indexed(
        self, filters: AuditFilter, before_seq: int | None, first: int
    ) -> Iterator[AuditEntry]:
        """The index's runs newest first, growing it downwards as far as the caller reads.
        One walk at a time per session (the app's worker is one thread; a walk left half
        read leaves a consistent index behind)."""
        size = max(1, min(first, BATCH))
        with self.ms.uow() as session:
            reader = self.reader(session)
            index = self.index(session)
            with index.lock:
                head = int(session.scalar(select(func.max(_ENTRIES.seq))) or 0)
                if head > index.top:
                    newer = _rows(
                        session,
                        select(AuditEntryRow.__table__)
                        .where(_ENTRIES.seq > index.top, _ENTRIES.seq <= head)
                        .order_by(_ENTRIES.seq),
                    )
                    index.add_newer([self.indexed(session, reader, r) for r in newer], head)
                runs = index.runs()
        for run in runs:
            yield from self._read(reader, index.scan(run, index.compile(filters), before_seq))
        while True:
            with self.ms.uow() as session, index.lock:
                if index.complete:  # (another walk may have finished it meanwhile)
                    return
                older = _rows(
                    session,
                    select(AuditEntryRow.__table__)
                    .where(_ENTRIES.seq < index.bottom)
                    .order_by(_ENTRIES.seq.desc())
                    .limit(size),
                )
                entries = [self.indexed(session, reader, r) for r in older]
                reached = older[-1].seq if older else 0
                run = index.add_older(entries, reached, complete=len(older) < size)
            size = min(size * 4, BATCH)
            yield from self._read(reader, index.scan(run, index.compile(filters), before_seq))

    def _read(self, reader: AuditReader, seqs: list[int]) -> Iterator[AuditEntry]:
        """The entries ``seqs`` names (newest first), read and opened again with their
        signatures checked; an entry no longer in the log (pruned) is passed over."""
        for start in range(0, len(seqs), 500):
            wanted = seqs[start : start + 500]
            with self.ms.uow() as session:
                rows = _rows(
                    session,
                    select(AuditEntryRow.__table__)
                    .where(_ENTRIES.seq.in_(wanted))
                    .order_by(_ENTRIES.seq.desc()),
                )
                shown = [self._shown(session, r, *self.opened(session, reader, r)) for r in rows]
            yield from shown


__all__ = ["BATCH", "UNREADABLE", "LogReading", "legacy_detail_info"]
