"""Open, create and unlock a vault.

:class:`VaultService` is a vault opened at a location but not unlocked: it knows the district,
the logins and the root fingerprint, nothing else. :meth:`VaultService.unlock` derives the
passphrase key (Argon2id, the slow part: run it off the GUI thread), unseals the member's keys,
checks the certificate chain up to the root pinned on this workstation, and returns a
:class:`~infohus_desktop.services.session.MemberSession`.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from infohus_desktop.crypto import kdf
from infohus_desktop.crypto.aead import FieldKey
from infohus_desktop.crypto.keys import (
    UserKeyPair,
    fingerprint,
    new_symmetric_key,
    normalize_fingerprint,
)
from infohus_desktop.crypto.passphrase_policy import check_new_passphrase
from infohus_desktop.crypto.selftest import run_selftest
from infohus_desktop.crypto.signing import certificate_statement
from infohus_desktop.domain.audit import AuditAction, Purpose
from infohus_desktop.domain.errors import (
    InvalidInput,
    RootNotPinned,
    TamperedData,
    UntrustedKey,
    VaultUnavailable,
    WrongPassphrase,
)
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.local_state import LocalState, VaultPin
from infohus_desktop.services.casework import CASEWORK_NAME, maintain_keys
from infohus_desktop.services.session import MemberSession
from infohus_desktop.vault import audit_chain, migrate
from infohus_desktop.vault.engine import (
    UnitOfWork,
    create_vault_engine,
    database_error,
    describe_location,
    is_sqlite,
)
from infohus_desktop.vault.keyring import Keyring
from infohus_desktop.vault.repositories.members import ORG_KIND_WORDS, name_context, to_member
from infohus_desktop.vault.schema import (
    GroupRow,
    MemberRow,
    OrganisationRow,
    VaultInfo,
)
from infohus_desktop.vault.trust import TrustStore, public_keys

LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
#: Failures in a row before unlock attempts start to wait, and the longest wait.
FREE_ATTEMPTS = 5
MAX_DELAY_SECONDS = 60.0

Sleeper = Callable[[float], None]


def unlock_delay(failures: int) -> float:
    """Seconds to wait before the next attempt after ``failures`` failures in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(2.0 ** (failures - FREE_ATTEMPTS), MAX_DELAY_SECONDS)


def validate_login(login: str) -> str:
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise InvalidInput(
            "Brugernavnet skal være 2-64 tegn: små bogstaver a-z, tal, punktum, - og _.",
            "The login must be 2-64 characters: lower-case a-z, digits, dot, - and _.",
        )
    return login


def validate_name(name: str, what_da: str = "Navnet", what_en: str = "The name") -> str:
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput(
            f"{what_da} skal udfyldes (højst 200 tegn).",
            f"{what_en} is required (at most 200 characters).",
        )
    return name


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
    def __init__(self, url: str, local: LocalState | None = None) -> None:
        run_selftest()
        self.url = url
        self.local = local or LocalState()
        self.engine = create_vault_engine(url)
        self.uow = UnitOfWork(self.engine)
        self._info: VaultInfo | None = None
        self._system_groups: dict[str, uuid.UUID] = {}

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, local: LocalState | None = None) -> VaultService:
        vault = cls(url, local)
        vault._check_schema()
        vault._load_info()
        return vault

    def close(self) -> None:
        """Release the database connections (locking a session does not close the vault)."""
        self.engine.dispose()

    def __enter__(self) -> VaultService:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        return describe_location(self.url)

    def _is_empty(self) -> bool:
        try:
            return not inspect(self.engine).get_table_names()
        except OperationalError as exc:
            raise database_error(exc) from exc

    def _check_schema(self) -> None:
        if self._is_empty():
            raise VaultUnavailable(
                f"Der er ingen boks på {self.location}. Opret en med 'infohus init'.",
                f"There is no vault at {self.location}. Create one with 'infohus init'.",
            )
        current = migrate.current_revision(self.engine)
        if current != migrate.head_revision():
            self._backup_before_migration()
            migrate.upgrade_to_head(self.engine)

    def _backup_before_migration(self) -> None:
        """Copy an SQLite vault before migrating it, so a failed migration loses nothing."""
        if not is_sqlite(self.engine):
            return
        path = Path(self.location)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        shutil.copy2(path, path.with_name(f"{path.name}.before-migration-{stamp}"))

    def _load_info(self) -> None:
        with self.uow() as session:
            info = session.get(VaultInfo, 1)
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
        if normalize_fingerprint(expected) != actual:
            raise UntrustedKey(
                "Fingeraftrykket passer ikke med boksens rodnøgle. Intet er gemt.",
                "The fingerprint does not match the vault's root key. Nothing was saved.",
            )
        existing = self.local.pin(self.vault_id)
        self.local.save_pin(
            VaultPin(
                self.vault_id,
                actual,
                self.location,
                existing.checkpoints_written if existing else False,
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

    def unlock(self, login: str, passphrase: str, sleep: Sleeper = time.sleep) -> MemberSession:
        """Authenticate. Every failure raises the same :class:`WrongPassphrase`."""
        pinned = self.pinned_root()
        login = login.strip().lower()
        with self.uow() as session:
            row = session.scalar(
                select(MemberRow).where(MemberRow.login == login, MemberRow.active.is_(True))
            )
            snapshot = (
                None
                if row is None
                else (
                    row.id,
                    row.kdf_params,
                    bytes(row.kdf_salt),
                    bytes(row.sealed_keys),
                    row.failed_unlocks,
                )
            )
        if snapshot is None:
            # Spend the same effort as a real attempt, so timing does not reveal logins.
            kdf.derive_key(passphrase, kdf.new_salt(), kdf.current_floor())
            self._record_failure(None, login)
            raise WrongPassphrase()
        member_id, params_json, salt, sealed, failures = snapshot
        delay = unlock_delay(failures)
        if delay:
            sleep(delay)
        try:
            params = kdf.KdfParams.from_json(params_json)
            key = kdf.derive_key(passphrase, salt, params)
            keys = UserKeyPair.unseal(sealed, key, member_id, params)
        except (WrongPassphrase, InvalidInput):
            self._record_failure(member_id, login)
            raise WrongPassphrase() from None
        return self._start_session(member_id, keys, pinned)

    def _record_failure(self, member_id: uuid.UUID | None, login: str) -> None:
        with self.uow() as session:
            actor_login = "?"
            org_id = None
            if member_id is not None:
                row = session.get(MemberRow, member_id)
                if row is not None:
                    row.failed_unlocks += 1
                    row.last_failed_at = datetime.now(UTC)
                    actor_login, org_id = row.login, row.organisation_id
            self.uow.lock_audit_chain(session)
            audit_chain.append(
                session,
                audit_chain.NewEntry(
                    actor_id=member_id,
                    # An unknown login is not recorded: it may be a passphrase typed
                    # into the wrong field.
                    actor_login=actor_login,
                    organisation_id=org_id,
                    workstation=self.local.workstation(),
                    action=AuditAction.LOGIN_FAILED,
                    object_id=None,
                    purpose=Purpose.ADMINISTRATION,
                ),
            )

    def _start_session(self, member_id: uuid.UUID, keys: UserKeyPair, pinned: str) -> MemberSession:
        trust = TrustStore(self.vault_id, self._root_id(), pinned)
        with self.uow() as session:
            row = session.get(MemberRow, member_id)
            assert row is not None
            if public_keys(row) != keys.public():
                raise TamperedData(
                    "Din offentlige nøgle i databasen er udskiftet. Kontakt en koordinator.",
                    "Your public key in the database was swapped. Contact a coordinator.",
                )
            trust.verified_keys(session, member_id)
            keyring = Keyring(self.vault_id, member_id, keys, trust)
            member = to_member(session, keyring, row)
        member_session = MemberSession(self, member, keyring)
        with member_session.transaction() as session:
            row = session.get(MemberRow, member_id)
            assert row is not None
            row.failed_unlocks = 0
            row.last_failed_at = None
            member_session.record(session, AuditAction.LOGIN)
            if not member.must_change_passphrase:
                maintain_keys(member_session, session)
        return member_session

    def _root_id(self) -> uuid.UUID:
        root = self.info.root_member_id
        if root is None:
            raise TamperedData("Boksens rodnøgle mangler.", "The vault's root key is missing.")
        return root

    # -- creation --------------------------------------------------------------------------

    @classmethod
    def create(cls, url: str, spec: NewVault, local: LocalState | None = None) -> MemberSession:
        """A new vault in one transaction: district, police organisation, first coordinator
        (the root of trust), the directory, network, audit and casework groups, and for a municipal
        coordinator their municipality's Infohus Kommune."""
        from infohus_desktop.services.accounts import enrol_keys, join_automatic_groups
        from infohus_desktop.services.groups import create_group_row, create_local_infohus

        login = validate_login(spec.login)
        name = validate_name(spec.name)
        infohus_name = validate_name(spec.infohus_name, "Infohusets navn", "The Infohus name")
        organisation = validate_name(spec.organisation, "Organisationen", "The organisation")
        if spec.organisation_kind not in (OrgKind.POLICE, OrgKind.MUNICIPALITY):
            raise InvalidInput(
                "Den første koordinator kommer fra politiet eller en kommune.",
                "The first coordinator comes from the police or a municipality.",
            )
        check_new_passphrase(spec.passphrase)
        vault = cls(url, local)
        if not vault._is_empty():
            raise VaultUnavailable(
                f"Der findes allerede en database på {vault.location}; intet er ændret.",
                f"A database already exists at {vault.location}; nothing was changed.",
            )
        vault_id = uuid.uuid4()
        member_id = uuid.uuid4()
        keys, salt, params, sealed = enrol_keys(member_id, spec.passphrase)
        public = keys.public()
        root = fingerprint(public)
        trust = TrustStore(vault_id, member_id, root)
        keyring = Keyring(vault_id, member_id, keys, trust)
        directory_secret = (uuid.uuid4(), new_symmetric_key())
        directory_key = FieldKey(*directory_secret)
        now = datetime.now(UTC)
        migrate.upgrade_to_head(vault.engine)
        try:
            with vault.uow() as session:
                police_name = spec.police_name or (
                    organisation
                    if spec.organisation_kind == OrgKind.POLICE
                    and organisation.casefold() not in ORG_KIND_WORDS
                    else f"{infohus_name} – politiet"
                )
                police = OrganisationRow(
                    id=uuid.uuid4(), kind=OrgKind.POLICE.value, name=validate_name(police_name)
                )
                session.add(police)
                org = police
                if spec.organisation_kind == OrgKind.MUNICIPALITY:
                    org = OrganisationRow(
                        id=uuid.uuid4(), kind=OrgKind.MUNICIPALITY.value, name=organisation
                    )
                    session.add(org)
                session.add(
                    VaultInfo(
                        id=1,
                        vault_id=vault_id,
                        infohus_name=infohus_name,
                        created_at=now,
                        root_member_id=member_id,
                        format_version=1,
                    )
                )
                session.flush()
                session.add(
                    MemberRow(
                        id=member_id,
                        login=login,
                        organisation_id=org.id,
                        role=Role.COORDINATOR.value,
                        kem_public=public.kem,
                        sign_public=public.sign,
                        certified_by=member_id,
                        certificate=keys.sign(
                            certificate_statement(
                                vault_id, member_id, org.id, Role.COORDINATOR.value, public
                            )
                        ),
                        kdf_salt=salt,
                        kdf_params=params.to_json(),
                        sealed_keys=sealed,
                        must_change_passphrase=False,
                        active=True,
                        failed_unlocks=0,
                        created_at=now,
                        name=directory_key.encrypt_text(name, name_context(member_id)),
                    )
                )
                session.flush()
                directory_id = uuid.uuid4()
                create_group_row(
                    session,
                    keyring,
                    GroupKind.DIRECTORY,
                    "Alle brugere",
                    [member_id],
                    None,
                    directory_id,
                    own_key=directory_secret,
                )
                dir_field_key = keyring.group_field_key(session, directory_id)
                create_group_row(
                    session,
                    keyring,
                    GroupKind.NETWORK,
                    "Hele Infohuset",
                    [member_id],
                    dir_field_key,
                )
                create_group_row(
                    session, keyring, GroupKind.AUDIT, "Revision", [member_id], dir_field_key
                )
                create_group_row(
                    session,
                    keyring,
                    GroupKind.CASEWORK,
                    CASEWORK_NAME,
                    [member_id],
                    dir_field_key,
                )
                vault._info = session.get(VaultInfo, 1)
                row = session.get(MemberRow, member_id)
                assert row is not None
                member_session = MemberSession(vault, to_member(session, keyring, row), keyring)
                member_session.record(session, AuditAction.VAULT_CREATE, vault_id)
                if org.kind == OrgKind.MUNICIPALITY.value:
                    create_local_infohus(member_session, session, org.id, "IH")
                    join_automatic_groups(member_session, session, member_id)
                    member_session.record(session, AuditAction.MUNICIPALITY_ADD, org.id)
                session.expunge(vault._info)
        except BaseException:
            vault._discard_new_schema()
            raise
        vault.local.save_pin(VaultPin(vault_id, root, vault.location))
        return member_session

    def _discard_new_schema(self) -> None:
        """A failed init leaves no half-made vault behind."""
        from infohus_desktop.vault.schema import Base

        with self.engine.begin() as connection:
            Base.metadata.drop_all(connection)
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
