"""An unlocked member's session: keys in memory, role checks, and the audit writer.

Every service method runs inside :meth:`MemberSession.transaction`, which writes the audit
entry in the same database transaction as the change it records (fail closed: if the entry
cannot be written, the change is not made either). A read is audited in its own committed
transaction *before* any plaintext is returned (:meth:`MemberSession.audited_read`).
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.keys import PublicKeys, fingerprint
from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.change_notices import CHANNEL, encode_notice
from infohus_desktop.domain.changes import Changes
from infohus_desktop.domain.errors import (
    AccessDenied,
    InfohusError,
    PassphraseChangeRequired,
    StandingChanged,
)
from infohus_desktop.domain.members import GroupKind, Member
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState

# The flush keeps each case's statistics codes current (a listener on every Session).
from infohus_desktop.services.core import case_codes as _case_codes  # noqa: F401
from infohus_desktop.services.core.change_notices import seal_member
from infohus_desktop.vault import audit_chain, checkpoint_file
from infohus_desktop.vault.audit_chain import ChainPoint
from infohus_desktop.vault.audit_sealing import AuditBody, AuditWriter
from infohus_desktop.vault.engine import UnitOfWork
from infohus_desktop.vault.keyring import Keyring
from infohus_desktop.vault.old_form import OLD_FORM_INFO
from infohus_desktop.vault.row_binding import KEYRING_INFO, REQUIRED_INFO, check_row
from infohus_desktop.vault.schema import MemberRow
from infohus_desktop.vault.server_link import ASK_ONCE, ServerLink

_NOTED = "infohus.noted_changes"
#: ``(the head before this transaction's first entry, its last entry)``, each a
#: :data:`~infohus_desktop.vault.audit_chain.ChainPoint`: what the chain's head was when the
#: transaction took the chain lock, and what it is after (see :func:`audit_span`).
_AUDIT_SPAN = "infohus.audit_span"
B = TypeVar("B")


def audit_span(session: Session) -> tuple[ChainPoint, ChainPoint] | None:
    """What this transaction did to the audit chain: ``(head before, head after)`` as
    ``(seq, hash)`` points, or None if it appended nothing. Once it commits, a caller that
    finds the head before equal to the head it saw last knows that nobody else wrote
    anything in between: every change of a case, a group or a membership is audited in its
    own transaction."""
    span: tuple[ChainPoint, ChainPoint] | None = session.info.get(_AUDIT_SPAN)
    return span


def _forget_noted(session: Session) -> None:
    session.info.pop(_NOTED, None)


def denied() -> AccessDenied:
    return AccessDenied(
        "Din rolle giver ikke adgang til denne handling.",
        "Your role does not allow this action.",
    )


@dataclass(frozen=True, slots=True)
class ProvenMember:
    """Someone who just typed their passphrase for a second pair of eyes (an approval)."""

    id: uuid.UUID
    login: str
    role: Role


class OpenVault(Protocol):
    """What a member's session needs of the open vault. The accounts feature's
    ``VaultService`` is the one implementation; the core names only this shape so that it
    depends on no feature."""

    uow: UnitOfWork
    local: LocalState
    url: str
    #: Format 2 and later: every case row must carry its sealed metadata (case_meta.py).
    sealed_meta_required: bool
    #: Format 3 and later: so must every meeting, trend and referral row (row_binding.py).
    bound_rows_required: bool
    #: The root-signed format the unlock found (4 and later: the vocabulary settings must
    #: be signed, signed_settings.py).
    format_version: int
    #: The schema still has the previous form's clear columns (vault/old_form.py).
    old_form: bool

    @property
    def vault_id(self) -> uuid.UUID: ...

    @property
    def infohus_name(self) -> str: ...

    @property
    def server_link(self) -> ServerLink: ...

    def system_group_id(self, session: Session, kind: GroupKind) -> uuid.UUID: ...

    def mark_checkpoints_written(self) -> None: ...

    def pinned_root(self) -> str: ...

    def prove(self, login: str, passphrase: str) -> ProvenMember: ...


_MEMBERS = MemberRow.__table__.c
#: What the unlock took as given of its member, and a coordinator may change meanwhile.
_STANDING = select(
    _MEMBERS.role, _MEMBERS.active, _MEMBERS.removed_at, _MEMBERS.kem_public, _MEMBERS.sign_public
).where(_MEMBERS.id == bindparam("member"))


class MemberSession:
    """The core of an unlocked member: keys, role checks, units of work and the audit
    writer. It knows no feature; ``services.front_door.MemberServices`` adds the feature
    services on top of it."""

    def __init__(self, vault: OpenVault, member: Member, keyring: Keyring) -> None:
        self.vault = vault
        self.member = member
        self.keyring = keyring
        self._pending_checkpoints: list[str] = []
        self._writer: AuditWriter | None = None
        #: Rows found tampered since the last report: (id, what is shown, audit action).
        self._tampered: list[tuple[uuid.UUID, str, str]] = []
        #: What committed transactions changed since the last :meth:`take_changes`.
        self._changes = Changes()
        self._changes_lock = threading.Lock()
        #: This unlock's random id in the notices it sends (district server live updates),
        #: so that its own listener can skip them; nothing about the person or the machine.
        self.notice_id = uuid.uuid4().hex
        self._sealed_self: str | None = None
        self._locked = False
        #: The audit chain's head after this session's last entry. While a transaction's
        #: first entry follows it, nobody wrote anything in between: a change of this
        #: member's role, keys or membership of the vault is audited in its own
        #: transaction, so the member is as the unlock found them (see _check_standing).
        self._seen_head: ChainPoint | None = None
        #: A coordinator changed this member since the unlock: every call is refused.
        self._standing_lost = False
        #: Decrypted case summaries by case id, for list and search while unlocked; dropped
        #: on lock. Keyed by the UUID's ``int`` (``case_id.int``), which the summary's UUID
        #: holds anyway: a warm list finds a row's summary by the id as stored, turned into
        #: that number, with no UUID made and no second map from ids to UUIDs (3.7 MiB at
        #: 100,000 cases), and an int hashes in C where a UUID's hash runs Python code.
        self.case_cache: dict[int, CaseSummary] = {}
        #: What a feature keeps decrypted in memory while unlocked, by name (the opened audit
        #: log: services/audit/index.py); dropped on lock with the keys.
        self.memory: dict[str, object] = {}

    # -- rules -----------------------------------------------------------------------------

    def require(self, *roles: Role, allow_initial_passphrase: bool = False) -> None:
        if self._locked:
            raise AccessDenied("Boksen er låst.", "The vault is locked.")
        if self._standing_lost:
            raise StandingChanged()
        if self.member.must_change_passphrase and not allow_initial_passphrase:
            raise PassphraseChangeRequired(self.member.login)
        if roles and self.member.role not in roles:
            raise denied()

    # -- units of work ---------------------------------------------------------------------

    @contextlib.contextmanager
    def uow(self) -> Iterator[Session]:
        """A unit of work of this member: its keyring rides along in ``Session.info``, so
        the flush seals every bound row it writes with the right key (bound_rows.py)."""
        info = {
            KEYRING_INFO: self.keyring,
            REQUIRED_INFO: self.vault.bound_rows_required,
            OLD_FORM_INFO: self.vault,
        }
        pending = len(self._pending_checkpoints)
        try:
            with self.vault.uow(info) as session:
                yield session
        except BaseException:
            # A checkpoint of a transaction that did not commit (or may not have: a lost
            # connection) must not reach the workstation's file, where it would later look
            # like a rewritten log; a missing line is harmless.
            del self._pending_checkpoints[pending:]
            raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        self.report_tampered()
        with self.uow() as session:
            yield session
        self._flush_checkpoint_lines()

    def commit_landed(self, marker: uuid.UUID) -> bool | None:
        """Whether the transaction whose COMMIT went unanswered (``ConnectionLost.marker``)
        landed after all: ``None`` while the server still cannot be asked. Only reads, so a
        window may ask it as often as it likes before it saves again (vault/server_link.py).
        """
        self.require(allow_initial_passphrase=True)
        return self.vault.uow.commit_check.landed(marker)

    # -- tampered rows ---------------------------------------------------------------------

    def note_tampered(
        self, object_id: uuid.UUID, shown: str, action: str = "case.tampered"
    ) -> None:
        """A read met a row changed outside the program (a case by default; a meeting, trend
        note or referral with its own action). The read's transaction may be rolled back by
        the error, so the audit entry is written by :meth:`report_tampered`: right after a
        list, or before this session's next transaction (lock included)."""
        if (object_id, shown, action) not in self._tampered:
            self._tampered.append((object_id, shown, action))

    def check_bound(self, session: Session, row: object) -> None:
        """Open a meeting, trend or referral row's sealed copy: ``RowTampered`` unless the
        row is as sealed; then the row has its sealed values (its codes and dates)."""
        check_row(self.keyring, session, row, self.vault.bound_rows_required)

    def open_bound(self, session: Session, row: B) -> B:
        """:meth:`check_bound`, returning the opened row."""
        self.check_bound(session, row)
        return row

    def report_tampered(self) -> None:
        if not self._tampered or self._locked:
            return
        reports, self._tampered = self._tampered, []
        with self.uow() as session:
            for object_id, shown, action in reports:
                self.record(session, action, object_id, Purpose.CASEWORK, shown)
        self._flush_checkpoint_lines()

    def record(
        self,
        session: Session,
        action: AuditAction | str,
        object_id: uuid.UUID | str | None = None,
        purpose: Purpose = Purpose.ADMINISTRATION,
        detail: str | None = None,
    ) -> int:
        """Append an audit entry in this transaction: sealed for the audit group, signed by
        this member (docs/SECURITY.md §6). Returns the entry's place in the chain."""
        if self._locked:
            raise AccessDenied("Boksen er låst.", "The vault is locked.")
        self.vault.uow.lock_audit_chain(session)
        body = AuditBody(
            actor_id=self.member.id,
            actor_login=self.member.login,
            organisation_id=self.member.organisation_id,
            workstation=self.vault.local.workstation(),
            action=str(action),
            object_id=str(object_id) if object_id is not None else None,
            purpose=str(purpose),
            detail=detail,
        )
        row = audit_chain.append(
            session,
            self.vault.vault_id,
            audit_chain.NewEntry(body, self._audit_writer(session), self.keyring.user_keys.sign),
        )
        span = audit_span(session)
        # Entries of one transaction follow each other under the chain lock.
        before = (row.seq - 1, row.prev_hash) if span is None else span[0]
        session.info[_AUDIT_SPAN] = (before, (row.seq, row.entry_hash))
        if span is None and before != self._seen_head and action != AuditAction.LOCK:
            self._check_standing(session)  # raises: the transaction, entry and all, rolls back
        self._seen_head = (row.seq, row.entry_hash)
        if row.seq % audit_chain.CHECKPOINT_EVERY == 0:
            self._checkpoint(session)
        self._note_change(session, str(action), object_id)
        return row.seq

    def _check_standing(self, session: Session) -> None:
        """Refuse this transaction, and every later call of this unlock, when a coordinator
        changed the member since the unlock: another role (the unlock's role decides what
        each call allows), new keys (a passphrase reset), or removal. Read under the chain
        lock in the transaction's first entry, when something was written since this
        session's last one: one statement, on a server others use; none while nobody else
        writes. Groups need no such check: every read asks which keys the member holds
        now (services/core/access.py)."""
        member = self.member
        row = session.connection().execute(_STANDING, {"member": member.id}).first()
        if (
            row is None
            or row.role != member.role
            or not row.active
            or row.removed_at is not None
            or fingerprint(PublicKeys(bytes(row.kem_public), bytes(row.sign_public)))
            != member.fingerprint
        ):
            self._standing_lost = True
            raise StandingChanged()

    def _audit_writer(self, session: Session) -> AuditWriter:
        """This session's writer key, new when the audit group moved to a new epoch (so a
        member removed from the audit group cannot read what is written afterwards)."""
        group_id = self.vault.system_group_id(session, GroupKind.AUDIT)
        epoch, public = self.keyring.audit_public_key(session, group_id)
        if self._writer is None or self._writer.epoch != epoch:
            self._writer = AuditWriter(self.vault.vault_id, epoch, public)
        return self._writer

    # -- what changed ------------------------------------------------------------------------

    def _note_change(self, session: Session, action: str, object_id: object | None) -> None:
        """Remember the entry until its transaction commits; a rollback forgets it."""
        noted: list[tuple[str, object | None]] | None = session.info.get(_NOTED)
        if noted is None:
            noted = session.info[_NOTED] = []
            if self.vault.uow.announces:
                event.listen(session, "before_commit", self._announce, once=True)
            event.listen(session, "after_commit", self._committed, once=True)
            event.listen(session, "after_rollback", _forget_noted, once=True)
        noted.append((action, object_id))

    def _announce(self, session: Session) -> None:
        """Tell the other workstations on the server, in this transaction: one ``NOTIFY``
        that the server delivers only if the transaction commits (domain/change_notices.py)."""
        changes = Changes.of(session.info.get(_NOTED, ()))
        if changes:
            payload = encode_notice(
                changes, self.notice_id, self._sealed_member(session), datetime.now(UTC)
            )
            self.vault.uow.announce(session, CHANNEL, payload)

    def _sealed_member(self, session: Session) -> str:
        """This member's id sealed for the members, made once per unlock; empty when it
        cannot be (a member without the directory key yet): the change is announced anyway."""
        if self._sealed_self is None:
            try:
                directory = self.keyring.group_field_key(
                    session, self.vault.system_group_id(session, GroupKind.DIRECTORY)
                )
            except InfohusError:
                return ""
            self._sealed_self = seal_member(directory, self.member.id, self.notice_id)
        return self._sealed_self

    def _committed(self, session: Session) -> None:
        committed = Changes.of(session.info.pop(_NOTED, ()))
        if committed:
            with self._changes_lock:
                self._changes = self._changes.merged(committed)

    def take_changes(self) -> Changes:
        """What the committed work since the last call changed (areas and ids, no content),
        for the screens to refresh; the app's worker calls this after each service call."""
        with self._changes_lock:
            changes, self._changes = self._changes, Changes()
        return changes

    def audited_read(
        self,
        action: AuditAction | str,
        object_id: uuid.UUID | str | None = None,
        purpose: Purpose = Purpose.ADMINISTRATION,
        detail: str | None = None,
    ) -> int:
        """Commit the entry for a read before the caller decrypts anything. If the
        connection breaks during its COMMIT the read fails at once, without waiting for the
        server to say whether the entry landed: nothing is shown either way, so at worst the
        log holds one read entry more than reads shown (vault/server_link.py). Returns the
        committed entry's place in the chain (its ``seq``)."""
        with self.audited_reading(action, object_id, purpose, detail) as (_session, seq):
            return seq

    @contextlib.contextmanager
    def audited_reading(
        self,
        action: AuditAction | str,
        object_id: uuid.UUID | str | None = None,
        purpose: Purpose = Purpose.ADMINISTRATION,
        detail: str | None = None,
        before: Callable[[Session], None] | None = None,
    ) -> Iterator[tuple[Session, int]]:
        """:meth:`audited_read` for a reader that also reads ciphertexts, ids and versions
        in the entry's transaction (after the entry, under the chain lock): the block gets
        the session and the entry's ``seq``, and the entry commits when the block ends. The
        block decrypts nothing; whatever must be decrypted waits until after the block,
        as after :meth:`audited_read`. ``before`` runs in the transaction before the entry
        is appended (to read at once rows the entry and the block will ask for), under the
        chain lock, as the entry reads its writer's epoch."""
        with self.transaction() as session:
            session.info[ASK_ONCE] = True
            if before is not None:
                self.vault.uow.lock_audit_chain(session)  # record takes it again: allowed
                before(session)
            yield session, self.record(session, action, object_id, purpose, detail)

    def _checkpoint(self, session: Session) -> None:
        checkpoint = audit_chain.write_checkpoint_row(
            session, self.vault.vault_id, self.member.id, self.keyring.user_keys.sign
        )
        if checkpoint is not None:
            self._pending_checkpoints.append(checkpoint.to_line(self.vault.vault_id))

    def _flush_checkpoint_lines(self) -> None:
        """Checkpoint lines reach the workstation file only after their commit. A line the
        file cannot take now (a full disk) waits for the next transaction's flush: the
        change it follows is saved, and must not be reported as failed (the user would make
        it again); a line that never comes is harmless (the database has the checkpoint)."""
        if not self._pending_checkpoints:
            return
        path = self.vault.local.checkpoint_file(self.vault.vault_id)
        while self._pending_checkpoints:
            try:
                checkpoint_file.append_checkpoint_line(path, self._pending_checkpoints[0])
            except OSError:
                return
            del self._pending_checkpoints[0]
        self.vault.mark_checkpoints_written()

    # -- lock ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Audit the lock, sign a checkpoint of the head, and drop every key."""
        if self._locked:
            return
        try:
            with self.transaction() as session:
                self.record(session, AuditAction.LOCK)
                self._checkpoint(session)
        finally:
            self._locked = True
            self._writer = None  # the writer key seals audit bodies: a key like the others
            self.case_cache.clear()
            self.memory.clear()
            self.keyring.forget()

    def __enter__(self) -> MemberSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()
