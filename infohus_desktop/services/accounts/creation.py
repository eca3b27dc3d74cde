"""Creating a vault: the district, its police, the first coordinator as the root of trust, and
the system groups, all in one transaction; a failure leaves no half-made vault behind."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from infohus_desktop.crypto.aead import FieldKey
from infohus_desktop.crypto.keys import fingerprint, new_symmetric_key
from infohus_desktop.crypto.passphrase_policy import check_new_passphrase
from infohus_desktop.crypto.signing import certificate_statement, vault_format_statement
from infohus_desktop.domain.audit import AuditAction
from infohus_desktop.domain.errors import InvalidInput, VaultUnavailable
from infohus_desktop.domain.labels import SYSTEM_GROUP_NAMES
from infohus_desktop.domain.members import GroupKind, validate_login, validate_name
from infohus_desktop.domain.organisations import ORG_KIND_WORDS, OrgKind, Role
from infohus_desktop.local_state import LocalState, VaultPin
from infohus_desktop.services.accounts.casework import CASEWORK_NAME
from infohus_desktop.services.accounts.enrolment import enrol_keys, join_automatic_groups
from infohus_desktop.services.accounts.groups import create_group_row, create_local_infohus
from infohus_desktop.services.accounts.vault import NewVault, VaultService
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault import migrate, schema_match
from infohus_desktop.vault.engine import is_sqlite
from infohus_desktop.vault.keyring import Keyring
from infohus_desktop.vault.members import name_context, to_member
from infohus_desktop.vault.models import METADATA
from infohus_desktop.vault.schema import MemberRow, OrganisationRow, VaultInfo
from infohus_desktop.vault.trust import TrustStore

#: Format 2: signed, sealed audit entries and sealed metadata on every case row and part.
#: Format 3: the same sealed copy on every meeting, trend note and referral row.
#: Format 4: the vocabulary settings signed (services/core/signed_settings.py).
VAULT_FORMAT = 4


def create_vault(
    vault_type: type[VaultService], url: str, spec: NewVault, local: LocalState | None = None
) -> MemberSession:
    """A new vault in one transaction: district, police organisation, first coordinator
    (the root of trust), the directory, network, audit and casework groups, and for a municipal
    coordinator their municipality's Infohus Kommune."""

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
    vault = vault_type(url, local)
    vault.sealed_meta_required = True
    vault.bound_rows_required = True
    vault.format_version = VAULT_FORMAT
    # An empty database gets its schema here; a shared server's database already has it
    # (``infohus server init``), and its application role may not make one.
    prepared = not vault.is_empty()
    if prepared and not _prepared_for_a_vault(vault):
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
    if not prepared:
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
                    format_version=VAULT_FORMAT,
                    format_signature=keys.sign(vault_format_statement(vault_id, VAULT_FORMAT)),
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
                SYSTEM_GROUP_NAMES[GroupKind.DIRECTORY][0],
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
                SYSTEM_GROUP_NAMES[GroupKind.NETWORK][0],
                [member_id],
                dir_field_key,
            )
            create_group_row(
                session,
                keyring,
                GroupKind.AUDIT,
                SYSTEM_GROUP_NAMES[GroupKind.AUDIT][0],
                [member_id],
                dir_field_key,
            )
            create_group_row(
                session,
                keyring,
                GroupKind.CASEWORK,
                CASEWORK_NAME,
                [member_id],
                dir_field_key,
            )
            info = session.get(VaultInfo, 1)
            assert info is not None
            vault.adopt_info(info)
            row = session.get(MemberRow, member_id)
            assert row is not None
            member_session = vault.session_type(vault, to_member(session, keyring, row), keyring)
            member_session.record(session, AuditAction.VAULT_CREATE, vault_id)
            if org.kind == OrgKind.MUNICIPALITY.value:
                create_local_infohus(member_session, session, org.id, "IH")
                join_automatic_groups(member_session, session, member_id)
                member_session.record(session, AuditAction.MUNICIPALITY_ADD, org.id)
            session.expunge(info)
    except BaseException:
        if not prepared:  # a prepared server keeps its schema; the transaction rolled back
            discard_new_schema(vault)
        raise
    vault.local.save_pin(VaultPin(vault_id, root, vault.location, format_version=VAULT_FORMAT))
    return member_session


def _prepared_for_a_vault(vault: VaultService) -> bool:
    """A shared server's database made ready by ``infohus server init``: the schema of
    this program, and no vault in it yet. An older or newer schema is said as such."""
    if is_sqlite(vault.engine):
        return False
    schema_match.checked_pending(vault.engine)  # newer, or older on a role that may not migrate
    if migrate.pending_revisions(vault.engine):
        return False
    with vault.uow() as session:
        return session.get(VaultInfo, 1) is None and session.scalar(select(MemberRow.id)) is None


def discard_new_schema(vault: VaultService) -> None:
    """Drop every table of a vault being made: a failed init (or a demo build that
    failed) leaves no half-made vault behind."""
    with vault.engine.begin() as connection:
        METADATA.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
