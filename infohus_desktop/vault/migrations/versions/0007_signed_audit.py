"""Signed, sealed audit entries (format 2): writer keys per session, a sealed body and the
actor's signature per entry; the format-1 columns stay for entries written before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_LEGACY_REQUIRED = (
    ("actor_login", sa.String(length=64)),
    ("workstation", sa.String(length=64)),
    ("action", sa.String(length=48)),
    ("purpose", sa.String(length=32)),
)


def upgrade() -> None:
    op.create_table(
        "audit_sessions",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("sealed_key", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_sessions")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "session_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=True
            )
        )
        batch_op.add_column(sa.Column("body", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("signature", sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_entries_session_id_audit_sessions"),
            "audit_sessions",
            ["session_id"],
            ["id"],
        )
        for name, kind in _LEGACY_REQUIRED:
            batch_op.alter_column(name, existing_type=kind, nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        for name, kind in _LEGACY_REQUIRED:
            batch_op.alter_column(name, existing_type=kind, nullable=False)
        batch_op.drop_constraint(
            batch_op.f("fk_audit_entries_session_id_audit_sessions"), type_="foreignkey"
        )
        batch_op.drop_column("signature")
        batch_op.drop_column("body")
        batch_op.drop_column("session_id")
    op.drop_table("audit_sessions")
