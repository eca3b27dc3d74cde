"""The statistics codes a deleted case leaves, so earlier periods keep their counts.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statistics_kept",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_kept")),
    )


def downgrade() -> None:
    op.drop_table("statistics_kept")
