"""Baseline: vault info, organisations, members, access groups, key epochs, wraps,
signed memberships and removals, data keys, Infohus Kommune, audit entries and checkpoints.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 22:10:12.735536
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_groups",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_groups")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("signer_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
        sa.UniqueConstraint("seq", "signer_id", name=op.f("uq_audit_checkpoints_seq")),
    )
    op.create_table(
        "audit_entries",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=True),
        sa.Column("actor_login", sa.String(length=64), nullable=False),
        sa.Column(
            "organisation_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=True
        ),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("detail_epoch", sa.Integer(), nullable=True),
        sa.Column("detail", sa.LargeBinary(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("id", name=op.f("uq_audit_entries_id")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    op.create_table(
        "vault_info",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vault_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("infohus_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "root_member_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=True
        ),
        sa.Column("format_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_info")),
    )
    op.create_table(
        "vault_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_vault_settings")),
    )
    op.create_table(
        "data_keys",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["access_groups.id"], name=op.f("fk_data_keys_group_id_access_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_keys")),
    )
    with op.batch_alter_table("data_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_keys_group_id"), ["group_id"], unique=False)

    op.create_table(
        "group_epochs",
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("key_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("previous_key", sa.LargeBinary(), nullable=True),
        sa.Column("public_key", sa.LargeBinary(), nullable=True),
        sa.Column("public_key_signature", sa.LargeBinary(), nullable=True),
        sa.Column("signed_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=True),
        sa.Column("member_list", sa.Text(), nullable=False),
        sa.Column(
            "members_signed_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("members_signature", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["access_groups.id"], name=op.f("fk_group_epochs_group_id_access_groups")
        ),
        sa.PrimaryKeyConstraint("group_id", "epoch", name=op.f("pk_group_epochs")),
        sa.UniqueConstraint("key_id", name=op.f("uq_group_epochs_key_id")),
    )
    op.create_table(
        "group_organisations",
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column(
            "organisation_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["access_groups.id"],
            name=op.f("fk_group_organisations_group_id_access_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_group_organisations_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("group_id", "organisation_id", name=op.f("pk_group_organisations")),
    )
    op.create_table(
        "group_removals",
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("member_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("removed_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["access_groups.id"],
            name=op.f("fk_group_removals_group_id_access_groups"),
        ),
        sa.PrimaryKeyConstraint("group_id", "epoch", "member_id", name=op.f("pk_group_removals")),
    )
    op.create_table(
        "local_infohuse",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column(
            "municipality_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("case_prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["access_groups.id"],
            name=op.f("fk_local_infohuse_group_id_access_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["organisations.id"],
            name=op.f("fk_local_infohuse_municipality_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_infohuse")),
        sa.UniqueConstraint("municipality_id", name=op.f("uq_local_infohuse_municipality_id")),
    )
    op.create_table(
        "members",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("login", sa.String(length=64), nullable=False),
        sa.Column("name", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column(
            "organisation_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("kem_public", sa.LargeBinary(), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column(
            "certified_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("certificate", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_params", sa.String(length=200), nullable=False),
        sa.Column("sealed_keys", sa.LargeBinary(), nullable=False),
        sa.Column("must_change_passphrase", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_unlocks", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_members_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("login", name=op.f("uq_members_login")),
    )
    op.create_table(
        "group_key_wraps",
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("member_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["access_groups.id"],
            name=op.f("fk_group_key_wraps_group_id_access_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_group_key_wraps_member_id_members")
        ),
        sa.PrimaryKeyConstraint("group_id", "epoch", "member_id", name=op.f("pk_group_key_wraps")),
    )
    op.create_table(
        "group_members",
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("member_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["access_groups.id"], name=op.f("fk_group_members_group_id_access_groups")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_group_members_member_id_members")
        ),
        sa.PrimaryKeyConstraint("group_id", "member_id", name=op.f("pk_group_members")),
    )


def downgrade() -> None:
    op.drop_table("group_members")
    op.drop_table("group_key_wraps")
    op.drop_table("members")
    op.drop_table("local_infohuse")
    op.drop_table("group_removals")
    op.drop_table("group_organisations")
    op.drop_table("group_epochs")
    with op.batch_alter_table("data_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_keys_group_id"))

    op.drop_table("data_keys")
    op.drop_table("vault_settings")
    op.drop_table("vault_info")
    op.drop_table("organisations")
    op.drop_table("audit_entries")
    op.drop_table("audit_checkpoints")
    op.drop_table("access_groups")
