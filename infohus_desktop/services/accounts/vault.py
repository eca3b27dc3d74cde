"""Open, create and unlock a vault.

:class:`VaultService` is a vault opened at a location but not unlocked: it knows the district,
the logins and the root fingerprint, nothing else. :meth:`VaultService.unlock` derives the
passphrase key (Argon2id, the slow part: run it off the GUI thread), unseals the member's keys,
checks the certificate chain up to the root pinned on this workstation, and returns a
:class:`~infohus_desktop.services.core.session.MemberSession`.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar, Self

from sqlalchemy import inspect, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.keys import UserKeyPair, fingerprint
from infohus_desktop.crypto.selftest import run_selftest
from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.backups import RESTORE_PENDING, RestorePending
from infohus_desktop.domain.errors import (
    AccessDenied,
    InvalidInput,
    RootNotPinned,
    TamperedData,
    VaultUnavailable,
    WrongPassphrase,
)
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.local_state import LocalState, VaultPin
from infohus_desktop.private_files import copy_private
from infohus_desktop.services.accounts import failed_unlocks, rollback, unlock_guard
from infohus_desktop.services.accounts.root_trust import compare_fingerprint
from infohus_desktop.services.accounts.vault_format import checked_format, seen_format_of
from infohus_desktop.services.core.session import MemberSession, ProvenMember
from infohus_desktop.vault import migrate
from infohus_desktop.vault.engine import (
    UnitOfWork,
    create_vault_engine,
    database_error,
    describe_location,
    expected_database_error,
    is_sqlite,
)
from infohus_desktop.vault.keyring import Keyring
from infohus_desktop.vault.members import to_member
from infohus_desktop.vault.peek import sqlite_file
from infohus_desktop.vault.schema import GroupRow, MemberRow, SettingRow, VaultInfo
from infohus_desktop.vault.schema_match import checked_pending, may_migrate, no_vault_yet
from infohus_desktop.vault.server_link import ServerLink
from infohus_desktop.vault.trust import TrustStore, public_keys


def _exists(path: Path) -> bool:
    """Whether the file is there; a path the system refuses to look at (too long, no
    permission) counts as there, and opening it says what the system said."""
    try:
        return path.exists()
    except OSError:
        return True


def _no_vault(location: str) -> VaultUnavailable:
    return VaultUnavailable(
        f"Der er ingen boks på {location}. Opret en med 'infohus init'.",
        f"There is no vault at {location}. Create one with 'infohus init'.",
    )


#: Failures in a row before unlock attempts start to wait, and the longest wait.
FREE_ATTEMPTS = 5
MAX_DELAY_SECONDS = 60.0

Sleeper = Callable[[float], None]


def unlock_delay(failures: int) -> float:
    """Seconds to wait before the next attempt after ``failures`` failures in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    # The exponent capped first: a count written into the database (1,030, say) must not
    # overflow the float and turn every unlock of that member into a program error.
    return min(2.0 ** min(failures - FREE_ATTEMPTS, 16), MAX_DELAY_SECONDS)


@dataclass(frozen=True, slots=True)
class NewVault:
    infohus_name: str
    login: str
    name: str
    organisation: str
    organisation_kind: OrgKind
    passphrase: str
    police_name: str | None = None


class VaultService:
    """An open vault: its database, its identity and trust root, and the door to unlock it.

    ``session_type`` is what :meth:`unlock` hands out; the front door
    (``services.front_door``) sets it to the member session with every feature service.
    """

    session_type: ClassVar[type[MemberSession]] = MemberSession

    def __init__(self, url: str, local: LocalState | None = None) -> None:
        run_selftest()
        self.url = url
        self.local = local or LocalState()
        self.engine = create_vault_engine(url)
        self.uow = UnitOfWork(self.engine)
        self._info: VaultInfo | None = None
        #: Set at unlock from the root-signed vault format (vault_format.checked_format).
        self.sealed_meta_required = False
        self.bound_rows_required = False
        self.format_version = 1
        #: The schema still has the clear columns of the previous form (``vault upgrade``).
        self.old_form = False
        self._system_groups: dict[str, uuid.UUID] = {}
        #: What the last unlock found of the server's guard, and whether its proof was taken.
        self.guard_status: unlock_guard.GuardStatus | None = None
        self.guard_reset: bool | None = None
        #: The rollback a coordinator accepted at the last unlock (``accept_restore``).
        self.accepted_restore: rollback.Rollback | None = None
        #: Set only by the restore's own finishing step (services/backups/restore.py).
        self.finishing_restore = False

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, local: LocalState | None = None) -> Self:
        """The vault at ``url``, its schema checked. A vault file that is not there is not
        made (SQLite would leave an empty file where the user mistyped the name)."""
        path = sqlite_file(url)
        if path is not None and not _exists(path):
            raise _no_vault(describe_location(url))
        vault = cls(url, local)
        try:
            vault._check_schema()
            vault._load_info()
        except BaseException:
            vault.close()  # a server connection is not left open for the collector
            raise
        return vault

    def close(self) -> None:
        """Release the database connections (locking a session does not close the vault)."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        return describe_location(self.url)

    @property
    def server_link(self) -> ServerLink:
        """Hears when the connection to the server is lost and when it is back."""
        return self.uow.link

    def reachable(self) -> None:
        """One round trip to the server; ``ConnectionLost`` while it cannot be reached."""
        self.uow.reachable()

    def is_empty(self) -> bool:
        try:
            return not inspect(self.engine).get_table_names()
        except DBAPIError as exc:
            if expected_database_error(exc):
                raise database_error(exc) from exc
            raise

    def _check_schema(self) -> None:
        if self.is_empty():
            raise _no_vault(self.location)
        pending = checked_pending(self.engine)
        if pending and pending[0] not in migrate.KEYED_REVISIONS:
            self._backup_before_migration()
            migrate.upgrade_automatic(self.engine)
        self.old_form = migrate.keyed_upgrade_due(self.engine)

    def _backup_before_migration(self) -> None:
        """Copy an SQLite vault before migrating it, so a failed migration loses nothing; the
        copy is 0600 whatever the vault file's mode (it holds the same sealed keys)."""
        if not is_sqlite(self.engine):
            return
        path = Path(self.location)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        copy_private(path, path.with_name(f"{path.name}.before-migration-{stamp}"))

    def adopt_info(self, info: VaultInfo) -> None:
        """Take the info row of a vault created in this process (``creation``)."""
        self._info = info

    def _load_info(self) -> None:
        with self.uow() as session:
            info = session.get(VaultInfo, 1)
            if info is None and not may_migrate(self.engine):
                raise no_vault_yet(self.location)
            if info is None:
                raise VaultUnavailable(
                    "Databasen er ikke en Infohus-boks.", "The database is not an Infohus vault."
                )
            session.expunge(info)
            self._info = info

    @property
    def info(self) -> VaultInfo:
        assert self._info is not None
        return self._info

    @property
    def vault_id(self) -> uuid.UUID:
        return self.info.vault_id

    @property
    def infohus_name(self) -> str:
        return self.info.infohus_name

    def logins(self) -> list[str]:
        """The active members' logins, for the unlock screen."""
        with self.uow() as session:
            return list(
                session.scalars(
                    select(MemberRow.login)
                    .where(MemberRow.active.is_(True))
                    .order_by(MemberRow.login)
                )
            )

    def system_group_id(self, session: Session, kind: GroupKind) -> uuid.UUID:
        cached = self._system_groups.get(kind)
        if cached is None:
            cached = session.scalar(select(GroupRow.id).where(GroupRow.kind == kind.value))
            if cached is None:
                raise TamperedData("En systemgruppe mangler.", "A system group is missing.")
            self._system_groups[kind] = cached
        return cached

    # -- trust on this workstation ---------------------------------------------------------

    def root_fingerprint(self) -> str:
        with self.uow() as session:
            root_id = self.info.root_member_id
            row = session.get(MemberRow, root_id) if root_id else None
            if row is None:
                raise TamperedData("Boksens rodnøgle mangler.", "The vault's root key is missing.")
            return fingerprint(public_keys(row))

    def trust_root(self, expected: str) -> str:
        """Pin the root fingerprint after the user compared it out of band."""
        actual = self.root_fingerprint()
        compare_fingerprint(expected, actual)
        existing = self.local.pin(self.vault_id)
        self.local.save_pin(
            VaultPin(
                self.vault_id,
                actual,
                self.location,
                existing.checkpoints_written if existing else False,
                existing.format_version if existing else 1,
            )
        )
        return actual

    def pinned_root(self) -> str:
        pin = self.local.pin(self.vault_id)
        if pin is None or not pin.root_fingerprint:
            root = self.root_fingerprint()
            raise RootNotPinned(
                "Denne arbejdsstation kender ikke boksens rodnøgle endnu. Sammenlign "
                f"fingeraftrykket {root} med koordinatoren, og kør "
                "'infohus vault trust --fingerprint \"...\"'.",
                "This workstation does not know the vault's root key yet. Compare the "
                f"fingerprint {root} with the coordinator, then run "
                "'infohus vault trust --fingerprint \"...\"'.",
                root,
            )
        return pin.root_fingerprint

    def mark_checkpoints_written(self) -> None:
        pin = self.local.pin(self.vault_id)
        if pin is not None and not pin.checkpoints_written:
            pin.checkpoints_written = True
            self.local.save_pin(pin)

    # -- unlock ----------------------------------------------------------------------------

    def unlock(
        self,
        login: str,
        passphrase: str,
        sleep: Sleeper = time.sleep,
        accept_restore: bool = False,
        derived: kdf.DerivedKey | None = None,
    ) -> MemberSession:
        """Authenticate. Every failure raises the same :class:`WrongPassphrase`.

        ``derived``: the key of this same ``passphrase``, derived ahead (``key_ahead.py``);
        used, instead of ``passphrase``, when the parameters and salt read here are the ones
        it was derived from. The caller pairs them; the unseal decides either way.

        A vault older than this workstation last saw raises :class:`VaultRolledBack` after
        the passphrase is proven (``rollback.py``); with ``accept_restore`` a coordinator
        accepts it instead, audited.

        On PostgreSQL with the unlock guard installed (``unlock_guard``) the server counts the
        attempt and waits out its delay before the key derivation, queuing parallel attempts;
        the client does not sleep. Without it (and always on SQLite) the client sleeps
        ``unlock_delay(failed_unlocks)`` as before.
        """
        pinned = self.pinned_root()
        guard = self.guard_status = unlock_guard.probe(self.engine)
        self.guard_reset = None
        self.accepted_restore = None
        unguarded_server = guard.state in (
            unlock_guard.GuardState.ABSENT,
            unlock_guard.GuardState.UNSOUND,
        )
        if unguarded_server and unlock_guard.required():
            raise unlock_guard.refuse(guard)
        login = login.strip().lower()
        member_id, params_json, salt, sealed, failures, _role, _first = self._secrets(
            login, passphrase
        )
        attempt = None
        if guard.active:
            attempt = unlock_guard.begin(self.engine, member_id)  # waits on the server
        else:
            delay = unlock_delay(failures)
            if delay:
                sleep(delay)
        try:
            params = kdf.KdfParams.from_json(params_json)
            key = derived.for_inputs(params_json, salt) if derived is not None else None
            if key is None:
                key = kdf.derive_key(passphrase, salt, params)
            keys = UserKeyPair.unseal(sealed, key, member_id, params)
        except (WrongPassphrase, InvalidInput):
            self._record_failure(member_id)
            raise WrongPassphrase() from None
        member_session = self._start_session(member_id, keys, pinned, accept_restore)
        if attempt is not None:
            try:
                # False if the nonce expired or the server pinned another key: the unlock
                # stands (the keys are proven here), the server's count stays.
                self.guard_reset = unlock_guard.finish(self.engine, attempt, keys.signing)
            except BaseException:
                with contextlib.suppress(Exception):
                    member_session.lock()
                raise
        return member_session

    def prove(self, login: str, passphrase: str) -> ProvenMember:
        """Check a passphrase without starting a session: the second person of a four-eyes
        approval. One key derivation; a wrong passphrase is recorded and counted like a
        failed unlock, and waits the same client-side delay."""
        login = login.strip().lower()
        secrets = self._secrets(login, passphrase)
        member_id, params_json, salt, sealed, failures, role, first_passphrase = secrets
        delay = unlock_delay(failures)
        if delay:
            time.sleep(delay)
        try:
            params = kdf.KdfParams.from_json(params_json)
            UserKeyPair.unseal(sealed, kdf.derive_key(passphrase, salt, params), member_id, params)
        except (WrongPassphrase, InvalidInput):
            self._record_failure(member_id)
            raise WrongPassphrase() from None
        if first_passphrase:
            # A coordinator chose it (enrolment, reset), and may be the one asking for the
            # approval: it proves nothing of a second person. Said only to whoever typed it.
            raise AccessDenied(
                f"{login} har ikke skiftet den første adgangsfrase, en koordinator gav, og kan "
                f"ikke godkende med den: {login} låser op og vælger sin egen først.",
                f"{login} has not changed the first passphrase a coordinator gave and cannot "
                f"approve with it: {login} unlocks and chooses their own first.",
            )
        return ProvenMember(member_id, login, role)

    def _secrets(
        self, login: str, passphrase: str
    ) -> tuple[uuid.UUID, str, bytes, bytes, int, Role, bool]:
        """What a passphrase is checked against: id, KDF parameters, salt, sealed keys,
        failures in a row, role of the active member ``login`` and whether they still have
        the first passphrase a coordinator gave. An unknown login costs the
        same key derivation as a real attempt (timing does not reveal logins), is recorded,
        and raises the one :class:`WrongPassphrase`.

        A restore that was cut off before its last step leaves a mark (services/backups/
        loader.py): such a vault may lack the re-applied deletions' last step and its own
        audit entry, so it is not opened (read in the same transaction as the member)."""
        with self.uow() as session:
            pending = session.get(SettingRow, RESTORE_PENDING)
            if pending is not None and not self.finishing_restore:
                raise RestorePending()
            row = session.scalar(
                select(MemberRow).where(MemberRow.login == login, MemberRow.active.is_(True))
            )
            if row is not None:
                return (
                    row.id,
                    row.kdf_params,
                    bytes(row.kdf_salt),
                    bytes(row.sealed_keys),
                    row.failed_unlocks,
                    Role(row.role),
                    row.must_change_passphrase,
                )
        kdf.derive_key(passphrase, kdf.new_salt(), kdf.current_floor())
        self._record_failure(None)
        raise WrongPassphrase()

    def _record_failure(self, member_id: uuid.UUID | None) -> None:
        failed_unlocks.record(self, member_id)

    def _start_session(
        self, member_id: uuid.UUID, keys: UserKeyPair, pinned: str, accept_restore: bool = False
    ) -> MemberSession:
        trust = TrustStore(self.vault_id, self.root_id(), pinned)
        with self.uow() as session:
            row = session.get(MemberRow, member_id)
            assert row is not None
            if public_keys(row) != keys.public():
                raise TamperedData(
                    "Din offentlige nøgle i databasen er udskiftet. Kontakt en koordinator.",
                    "Your public key in the database was swapped. Contact a coordinator.",
                )
            trust.verified_keys(session, member_id)
            seen_format = seen_format_of(self.local, self.vault_id)
            rolled_back = rollback.find_rollback(session, self.local, self.vault_id)
            if rolled_back is not None and not accept_restore:
                # Before the format: an old copy put back is lower in format too, and the
                # rollback's question (accept it?) is the one to ask.
                raise rollback.VaultRolledBack(rolled_back)
            # A lower format only in a restore: its own unlock (the backup opened with the
            # coordinator's key), or an accepted one whose log is older too (seen_format_of).
            restored = accept_restore and (rolled_back is not None or self.finishing_restore)
            coordinator = Role(row.role) is Role.COORDINATOR
            version = checked_format(
                session, trust, self.local, self.vault_id, self.root_id(), restored and coordinator
            )
            format_lowered = version < seen_format
            self.sealed_meta_required = version >= 2
            self.bound_rows_required = version >= 3
            self.format_version = version
            keyring = Keyring(self.vault_id, member_id, keys, trust)
            member = to_member(session, keyring, row)
        if rolled_back is not None and member.role is not Role.COORDINATOR:
            raise AccessDenied(
                "Kun en koordinator kan godkende en genskabt boks.",
                "Only a coordinator can accept a restored vault.",
            )
        member_session = self.session_type(self, member, keyring)
        if rolled_back is not None:
            rollback.set_aside(self.local, self.vault_id)
            self.accepted_restore = rolled_back
        with member_session.transaction() as session:
            row = session.get(MemberRow, member_id)
            assert row is not None
            row.failed_unlocks = 0
            row.last_failed_at = None
            if rolled_back is not None or format_lowered:
                lowered = f"format={version} seen_format={seen_format}" if format_lowered else ""
                detail = f"{rolled_back.detail() if rolled_back else ''} {lowered}".strip()
                member_session.record(
                    session, AuditAction.RESTORE_ACCEPTED, None, Purpose.ADMINISTRATION, detail
                )
            member_session.record(session, AuditAction.LOGIN)
            if not member.must_change_passphrase:
                from infohus_desktop.services.accounts.casework import maintain_keys

                maintain_keys(member_session, session)
        return member_session

    def root_id(self) -> uuid.UUID:
        root = self.info.root_member_id
        if root is None:
            raise TamperedData("Boksens rodnøgle mangler.", "The vault's root key is missing.")
        return root
