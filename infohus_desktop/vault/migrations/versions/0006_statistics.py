"""Statistics: the per-case statistical codes sealed to the network group.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Cases that exist before this revision get their row from
    # `StatisticsService.refresh_codes()`, run by a member of their access group (only they
    # can read the person); until then they count as "unknown" age group and sex.
    op.create_table(
        "case_statistics",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_statistics_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_statistics")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_received", ["received"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_received")
    op.drop_table("case_statistics")
