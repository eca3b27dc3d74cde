"""Typed SQLAlchemy models. What is in clear, and why, is listed in docs/SECURITY.md.

Clear: ids, foreign keys, dates, role/kind/status codes, version counters, logins (the unlock
screen lists them before any key exists), organisation names (public bodies), public keys and
signatures. Everything a person typed about a person is an :class:`EncryptedBlob`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.base import Base


class VaultInfo(Base):
    """One row: which district this vault belongs to and who created it (the root of trust)."""

    __tablename__ = "vault_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vault_id: Mapped[uuid.UUID]
    infohus_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    root_member_id: Mapped[uuid.UUID | None]
    format_version: Mapped[int] = mapped_column(Integer, default=1)
    #: The root coordinator's signature over (vault, format) for format 2 and later.
    format_signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), unique=True)


class MemberRow(Base):
    __tablename__ = "members"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[Ciphertext]
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(16))
    kem_public: Mapped[bytes] = mapped_column(LargeBinary)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    certified_by: Mapped[uuid.UUID]
    certificate: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_salt: Mapped[bytes] = mapped_column(LargeBinary)
    kdf_params: Mapped[str] = mapped_column(String(200))
    sealed_keys: Mapped[bytes] = mapped_column(LargeBinary)
    must_change_passphrase: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_unlocks: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class MemberKeyHistoryRow(Base):
    """A member's public keys retired by a passphrase reset (SECURITY.md §4): kept so that
    what the member signed before still verifies, vouched for by the resetting coordinator's
    signature. Public keys only; the private ones were lost with the passphrase."""

    __tablename__ = "member_key_history"

    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kem_public: Mapped[bytes] = mapped_column(LargeBinary)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    retired_at: Mapped[datetime]
    retired_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class GroupRow(Base):
    __tablename__ = "access_groups"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[Ciphertext]
    epoch: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class GroupEpochRow(Base):
    """One key generation of a group. ``previous_key`` is the last epoch's key wrapped under this
    one, so members can still read what was written before; removed members cannot go forward."""

    __tablename__ = "group_epochs"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    previous_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    public_key_signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    signed_by: Mapped[uuid.UUID | None]
    #: The members this epoch's key was given to, as a JSON list of ids, signed by the member
    #: who made the epoch. It is the only thing that entitles a member to the next epoch's key:
    #: a row inserted or replayed in the database cannot change a signed list.
    member_list: Mapped[str] = mapped_column(Text)
    members_signed_by: Mapped[uuid.UUID]
    members_signature: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class GroupMembershipRow(Base):
    __tablename__ = "group_members"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"), primary_key=True)
    added_at: Mapped[datetime]
    #: A coordinator's signature over (group, member, epoch). A client shares the group key
    #: with a member only if they already hold it or this signature verifies for the current
    #: epoch, so a row inserted or replayed in the database grants nothing.
    added_by: Mapped[uuid.UUID]
    epoch: Mapped[int] = mapped_column(Integer)
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class GroupOrganisationRow(Base):
    """Organisations whose members (coordinators and members) join the group automatically."""

    __tablename__ = "group_organisations"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True
    )


class GroupRemovalRow(Base):
    """A coordinator's signed word that a member leaves a group in an epoch. Any member who
    holds the key then starts the next epoch without them."""

    __tablename__ = "group_removals"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    removed_by: Mapped[uuid.UUID]
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    removed_at: Mapped[datetime]


class GroupKeyWrapRow(Base):
    """A group's current epoch key sealed with HPKE to one member."""

    __tablename__ = "group_key_wraps"

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class DataKeyRow(Base):
    """A case (or other object's) data key, wrapped under its group's current epoch key."""

    __tablename__ = "data_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class LocalInfohusRow(Base):
    __tablename__ = "local_infohuse"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    municipality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), unique=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"))
    case_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class AuditSessionRow(Base):
    """One writer of audit entries (an unlock session, or one failed unlock): a random key,
    sealed once to the audit group's public key of ``epoch``. Entries' bodies are encrypted
    under it, so writing costs no public-key operation per entry, and only the audit group
    (coordinators and the DPO) reads them. Nothing here says who wrote."""

    __tablename__ = "audit_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer)
    sealed_key: Mapped[bytes] = mapped_column(LargeBinary)


class AuditEntryRow(Base):
    """One link of the audit chain.

    Format 2 (``session_id`` set): everything about the entry (actor, organisation,
    workstation, action, object, purpose, detail) is in ``body``, encrypted under the writing
    session's key, and ``signature`` is the actor's Ed25519 signature over the entry's place
    in the chain. Format 1 (written before format 2 existed) keeps those values in the
    legacy columns, and is vouched for by the signed checkpoints only."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    at: Mapped[str] = mapped_column(String(32))
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("audit_sessions.id"))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    # format 1 only
    actor_id: Mapped[uuid.UUID | None]
    actor_login: Mapped[str | None] = mapped_column(String(64))
    organisation_id: Mapped[uuid.UUID | None]
    workstation: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str | None] = mapped_column(String(48))
    object_id: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[str | None] = mapped_column(String(32))
    detail_epoch: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[bytes | None] = mapped_column(LargeBinary)
    # both formats
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpointRow(Base):
    __tablename__ = "audit_checkpoints"
    __table_args__ = (UniqueConstraint("seq", "signer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signer_id: Mapped[uuid.UUID]
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    at: Mapped[str] = mapped_column(String(32))


class AuditPruningRow(Base):
    """The signed summary that replaces audit entries pruned after the log's retention
    period (services/audit/pruning.py): which entries (``first_seq``..``last_seq``), how
    many, the hash of the last one (the chain goes on from it), the times of the first and
    last, and the coordinator who pruned them, whose Ed25519 signature covers it all."""

    __tablename__ = "audit_prunings"

    last_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_seq: Mapped[int] = mapped_column(Integer)
    entries: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    first_at: Mapped[str] = mapped_column(String(32))
    last_at: Mapped[str] = mapped_column(String(32))
    pruned_at: Mapped[str] = mapped_column(String(32))
    pruned_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class SettingRow(Base):
    """Vault-wide settings (not personal data): e.g. the blind index width."""

    __tablename__ = "vault_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
