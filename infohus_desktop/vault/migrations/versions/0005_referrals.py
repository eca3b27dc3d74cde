"""Referrals to EXIT, recipients, bundle receiving keys and imported bundles.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_UUID = infohus_desktop.vault.types.UUIDString
_BLOB = infohus_desktop.vault.types.EncryptedBlob


def _referrals_upgrade() -> None:
    op.create_table(
        "referrals",
        sa.Column("id", _UUID(length=36), nullable=False),
        sa.Column("case_id", _UUID(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("programme", sa.String(length=32), nullable=False),
        sa.Column("referral_date", sa.Date(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("payload", _BLOB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", _UUID(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_referrals_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_status"), ["status"], unique=False)

    op.create_table(
        "referral_status_changes",
        sa.Column("id", _UUID(length=36), nullable=False),
        sa.Column("referral_id", _UUID(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", _UUID(length=36), nullable=False),
        sa.Column("old_status", sa.String(length=16), nullable=True),
        sa.Column("new_status", sa.String(length=16), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("how", sa.String(length=16), nullable=True),
        sa.Column("payload", _BLOB(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_status_changes_referral_id_referrals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_status_changes")),
    )
    with op.batch_alter_table("referral_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_status_changes_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "incoming_referrals",
        sa.Column("id", _UUID(length=36), nullable=False),
        sa.Column("bundle_id", sa.String(length=64), nullable=False),
        sa.Column("group_id", _UUID(length=36), nullable=False),
        sa.Column("data_key_id", _UUID(length=36), nullable=False),
        sa.Column("programme", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", _UUID(length=36), nullable=False),
        sa.Column("payload", _BLOB(), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_key_id"],
            ["data_keys.id"],
            name=op.f("fk_incoming_referrals_data_key_id_data_keys"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["access_groups.id"],
            name=op.f("fk_incoming_referrals_group_id_access_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incoming_referrals")),
        sa.UniqueConstraint("bundle_id", name=op.f("uq_incoming_referrals_bundle_id")),
    )
    with op.batch_alter_table("incoming_referrals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incoming_referrals_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "incoming_referral_attachments",
        sa.Column("id", _UUID(length=36), nullable=False),
        sa.Column("incoming_id", _UUID(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("payload", _BLOB(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incoming_id"],
            ["incoming_referrals.id"],
            name=op.f("fk_incoming_referral_attachments_incoming_id_incoming_referrals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incoming_referral_attachments")),
    )
    with op.batch_alter_table("incoming_referral_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incoming_referral_attachments_incoming_id"),
            ["incoming_id"],
            unique=False,
        )

    op.create_table(
        "incoming_referral_attachment_chunks",
        sa.Column("attachment_id", _UUID(length=36), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("data", _BLOB(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["incoming_referral_attachments.id"],
            name=op.f(
                "fk_incoming_referral_attachment_chunks_attachment_id_incoming_referral_attachments"
            ),
        ),
        sa.PrimaryKeyConstraint(
            "attachment_id", "idx", name=op.f("pk_incoming_referral_attachment_chunks")
        ),
    )


def _referrals_downgrade() -> None:
    op.drop_table("incoming_referral_attachment_chunks")
    with op.batch_alter_table("incoming_referral_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incoming_referral_attachments_incoming_id"))
    op.drop_table("incoming_referral_attachments")
    with op.batch_alter_table("incoming_referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incoming_referrals_group_id"))
    op.drop_table("incoming_referrals")
    with op.batch_alter_table("referral_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_status_changes_referral_id"))
    op.drop_table("referral_status_changes")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_status"))
        batch_op.drop_index(batch_op.f("ix_referrals_case_id"))
    op.drop_table("referrals")


# == bundles (owned by the bundle helper) =====================================================


def _bundles_upgrade() -> None:
    op.create_table(
        "bundle_identities",
        sa.Column("id", _UUID(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=39), nullable=False),
        sa.Column("kem_public", sa.LargeBinary(), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column("secret", _BLOB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", _UUID(length=36), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["members.id"], name=op.f("fk_bundle_identities_created_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_identities")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_bundle_identities_fingerprint")),
    )
    op.create_table(
        "bundle_recipients",
        sa.Column("id", _UUID(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=39), nullable=False),
        sa.Column("peer_vault_id", _UUID(length=36), nullable=False),
        sa.Column("kem_public", sa.LargeBinary(), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column("payload", _BLOB(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", _UUID(length=36), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"], ["members.id"], name=op.f("fk_bundle_recipients_added_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_recipients")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_bundle_recipients_fingerprint")),
    )
    op.create_table(
        "bundles_seen",
        sa.Column("bundle_id", _UUID(length=36), nullable=False),
        sa.Column("sender_id", _UUID(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", _UUID(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["members.id"], name=op.f("fk_bundles_seen_imported_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["bundle_recipients.id"],
            name=op.f("fk_bundles_seen_sender_id_bundle_recipients"),
        ),
        sa.PrimaryKeyConstraint("bundle_id", name=op.f("pk_bundles_seen")),
    )
    with op.batch_alter_table("bundles_seen", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bundles_seen_sender_id"), ["sender_id"], unique=False)


def _bundles_downgrade() -> None:
    with op.batch_alter_table("bundles_seen", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bundles_seen_sender_id"))
    op.drop_table("bundles_seen")
    op.drop_table("bundle_recipients")
    op.drop_table("bundle_identities")


def upgrade() -> None:
    _referrals_upgrade()
    _bundles_upgrade()


def downgrade() -> None:
    _bundles_downgrade()
    _referrals_downgrade()
