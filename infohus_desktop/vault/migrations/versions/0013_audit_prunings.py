"""The signed summaries of audit entries pruned after the log's retention period.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_prunings",
        sa.Column("last_seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("first_at", sa.String(length=32), nullable=False),
        sa.Column("last_at", sa.String(length=32), nullable=False),
        sa.Column("pruned_at", sa.String(length=32), nullable=False),
        sa.Column("pruned_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pruned_by"], ["members.id"], name=op.f("fk_audit_prunings_pruned_by_members")
        ),
        sa.PrimaryKeyConstraint("last_seq", name=op.f("pk_audit_prunings")),
    )


def downgrade() -> None:
    op.drop_table("audit_prunings")
