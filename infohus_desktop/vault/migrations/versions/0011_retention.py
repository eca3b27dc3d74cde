"""Retention, deletion and supervision: holds on a case, tombstones of deleted cases, the mark
on a meeting item whose case was deleted, and the DPO's spot checks of the audit log.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 17:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_holds",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", infohus_desktop.vault.types.UTCDateTime(), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("released_at", infohus_desktop.vault.types.UTCDateTime(), nullable=True),
        sa.Column("released_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=True),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("meta", infohus_desktop.vault.types.EncryptedBlob(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_holds_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_holds")),
    )
    with op.batch_alter_table("case_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_holds_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_tombstones",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column(
            "local_infohus_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("deleted_at", infohus_desktop.vault.types.UTCDateTime(), nullable=False),
        sa.Column("deleted_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("approved_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=True),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["local_infohus_id"],
            ["local_infohuse.id"],
            name=op.f("fk_case_tombstones_local_infohus_id_local_infohuse"),
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by"], ["members.id"], name=op.f("fk_case_tombstones_deleted_by_members")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["members.id"], name=op.f("fk_case_tombstones_approved_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_tombstones")),
        sa.UniqueConstraint("number", name=op.f("uq_case_tombstones_number")),
    )
    op.create_table(
        "audit_spot_checks",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("entry_seq", sa.Integer(), nullable=False),
        sa.Column("checked_at", infohus_desktop.vault.types.UTCDateTime(), nullable=False),
        sa.Column("checked_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checked_by"], ["members.id"], name=op.f("fk_audit_spot_checks_checked_by_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_spot_checks")),
    )
    with op.batch_alter_table("audit_spot_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_spot_checks_entry_seq"), ["entry_seq"], unique=False
        )
    with op.batch_alter_table("meeting_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "deleted_case_id",
                infohus_desktop.vault.types.UUIDString(length=36),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting_items", schema=None) as batch_op:
        batch_op.drop_column("deleted_case_id")
    with op.batch_alter_table("audit_spot_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_spot_checks_entry_seq"))
    op.drop_table("audit_spot_checks")
    op.drop_table("case_tombstones")
    with op.batch_alter_table("case_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_holds_case_id"))
    op.drop_table("case_holds")
