"""The sealed body of an audit entry (format 2) and the writer keys it is sealed under.

A database reader learns only that someone of the vault did something at a time: who,
from which organisation and workstation, what, on which object, for which purpose and with
which detail are all in the body. The body is AES-256-GCM under a random writer key; the
writer key is sealed once (HPKE) to the audit group's public key of the current epoch, so
members write entries they cannot read back, and the audit group (coordinators and the
data-protection officer) reads them with one public-key operation per writer, not per
entry. The associated data binds the body to its vault, entry id and writer.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldContext, FieldKey
from infohus_desktop.crypto.encoding import canonical_json, lp
from infohus_desktop.crypto.keys import KemPrivateKey, hpke_seal
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.vault.schema import AuditEntryRow, AuditSessionRow

_SESSION_LABEL = b"infohus/audit-session/v2"


def session_key_info(vault_id: uuid.UUID, session_id: uuid.UUID, epoch: int) -> bytes:
    return lp(_SESSION_LABEL, vault_id.bytes, session_id.bytes, epoch.to_bytes(4, "big"))


def body_context(vault_id: uuid.UUID, entry_id: uuid.UUID) -> FieldContext:
    # The vault id takes the case-id slot: a body moved to another vault fails too.
    return FieldContext("audit_entries", "body", entry_id, vault_id)


@dataclass(frozen=True, slots=True)
class AuditBody:
    """What an entry says, readable only by the audit group."""

    actor_id: uuid.UUID | None
    actor_login: str
    organisation_id: uuid.UUID | None
    workstation: str
    action: str
    object_id: str | None
    purpose: str
    detail: str | None

    def to_bytes(self) -> bytes:
        return canonical_json(
            {
                "actor": str(self.actor_id) if self.actor_id else None,
                "login": self.actor_login,
                "org": str(self.organisation_id) if self.organisation_id else None,
                "ws": self.workstation,
                "action": self.action,
                "object": self.object_id,
                "purpose": self.purpose,
                "detail": self.detail,
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> AuditBody:
        try:
            raw = json.loads(data)
            return cls(
                actor_id=uuid.UUID(raw["actor"]) if raw["actor"] else None,
                actor_login=str(raw["login"]),
                organisation_id=uuid.UUID(raw["org"]) if raw["org"] else None,
                workstation=str(raw["ws"]),
                action=str(raw["action"]),
                object_id=None if raw["object"] is None else str(raw["object"]),
                purpose=str(raw["purpose"]),
                detail=None if raw["detail"] is None else str(raw["detail"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise unreadable_body() from exc


def unreadable_body() -> TamperedData:
    return TamperedData(
        "En revisionslogpost kan ikke læses; den er ændret uden om programmet.",
        "An audit log entry cannot be read; it was changed outside the program.",
    )


#: ``Session.info``: the writers whose row this transaction added.
_WRITERS_ADDED = "infohus.audit_writers_added"


class AuditWriter:
    """A writer key: seals bodies for one unlock session (or one failed unlock)."""

    __slots__ = ("_key", "epoch", "id", "sealed_key", "stored")

    def __init__(self, vault_id: uuid.UUID, epoch: int, audit_public_key: bytes) -> None:
        self.id = uuid.uuid4()
        self.epoch = epoch
        secret = os.urandom(32)
        self._key = FieldKey(self.id, secret)
        self.sealed_key = hpke_seal(
            secret, audit_public_key, session_key_info(vault_id, self.id, epoch)
        )
        #: The row is known to be committed: the audit tables are append-only
        #: (vault/append_only.py), so it stays, and later appends need not look for it.
        self.stored = False

    def row(self) -> AuditSessionRow:
        return AuditSessionRow(id=self.id, epoch=self.epoch, sealed_key=self.sealed_key)

    def ensure_row(self, session: Session) -> None:
        """Add this writer's row in ``session`` unless it is already in the database (a
        transaction that added it may have rolled back). Looked for only until a commit
        is known to hold it: one statement less for every later entry of the session."""
        if self.stored:
            return
        added: set[uuid.UUID] = session.info.setdefault(_WRITERS_ADDED, set())
        if self.id in added:
            return  # added earlier in this transaction, which has not committed yet
        if session.get(AuditSessionRow, self.id) is None:
            session.add(self.row())
            session.flush()
            added.add(self.id)
            event.listen(session, "after_commit", self._committed, once=True)
        else:
            self.stored = True

    def _committed(self, _session: Session) -> None:
        self.stored = True

    def seal(self, vault_id: uuid.UUID, entry_id: uuid.UUID, body: AuditBody) -> bytes:
        return bytes(self._key.encrypt(body.to_bytes(), body_context(vault_id, entry_id)))


#: ``(session, epoch) -> the audit group's private key of that epoch`` (a keyring method).
PrivateKeyOfEpoch = Callable[[Session, int], KemPrivateKey]


class AuditReader:
    """Opens bodies for a member of the audit group, one writer key at a time (cached)."""

    def __init__(self, vault_id: uuid.UUID, private_key_of_epoch: PrivateKeyOfEpoch) -> None:
        self.vault_id = vault_id
        self._private_key_of_epoch = private_key_of_epoch
        self._writers: dict[uuid.UUID, FieldKey | None] = {}
        # The audit group's private key of an epoch, derived once per reader, not per writer.
        self._private: dict[int, KemPrivateKey] = {}

    def writer_key(self, session: Session, session_id: uuid.UUID) -> FieldKey | None:
        if session_id not in self._writers:
            self._writers[session_id] = self._opened(
                session, session.get(AuditSessionRow, session_id)
            )
        return self._writers[session_id]

    def preload(self, session: Session, after: int = 0) -> None:
        """Open, with one statement, the writer keys of every entry after ``after`` (a walk
        over the log then asks nothing more of the database per writer: one look-up per
        unlock session was a statement every 50 entries, each waiting for Python's lock
        while the signature threads ran)."""
        query = select(AuditSessionRow)
        if after > 0:
            entries = AuditEntryRow.__table__.c
            query = query.where(
                AuditSessionRow.id.in_(select(entries.session_id).where(entries.seq > after))
            )
        for row in session.scalars(query):
            if row.id not in self._writers:
                self._writers[row.id] = self._opened(session, row)

    def _opened(self, session: Session, row: AuditSessionRow | None) -> FieldKey | None:
        if row is None:
            return None
        try:
            private = self._private.get(row.epoch)
            if private is None:
                private = self._private[row.epoch] = self._private_key_of_epoch(session, row.epoch)
            secret = private.open(
                bytes(row.sealed_key), session_key_info(self.vault_id, row.id, row.epoch)
            )
        except TamperedData:
            return None
        return FieldKey(row.id, secret)

    def open(
        self, session: Session, session_id: uuid.UUID, entry_id: uuid.UUID, body: bytes
    ) -> AuditBody:
        return AuditBody.from_bytes(self.open_plain(session, session_id, entry_id, body))

    def open_plain(
        self, session: Session, session_id: uuid.UUID, entry_id: uuid.UUID, body: bytes
    ) -> bytes:
        """The body's canonical JSON, authenticated (for a reader that wants a few fields
        of very many entries without building each one)."""
        key = self.writer_key(session, session_id)
        if key is None:
            raise unreadable_body()
        try:
            return key.decrypt(body, body_context(self.vault_id, entry_id))
        except TamperedData as exc:
            raise unreadable_body() from exc
