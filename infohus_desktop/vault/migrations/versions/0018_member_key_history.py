"""The public keys a passphrase reset retired, so what a member signed before still verifies.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    uuid_type = infohus_desktop.vault.types.UUIDString(length=36)
    op.create_table(
        "member_key_history",
        sa.Column("member_id", uuid_type, nullable=False),
        sa.Column("generation", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kem_public", sa.LargeBinary(), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_by", uuid_type, nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_member_key_history_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["retired_by"], ["members.id"], name=op.f("fk_member_key_history_retired_by_members")
        ),
        sa.PrimaryKeyConstraint("member_id", "generation", name=op.f("pk_member_key_history")),
    )


def downgrade() -> None:
    op.drop_table("member_key_history")
