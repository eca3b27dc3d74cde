"""Bound case metadata: the sealed copy of each case row's clear columns, and the root's
signature over the vault format (format 2 requires the sealed copy on every case).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Cases that exist before this revision get their sealed copy the next time a member
    # of their group writes them; `vault upgrade` (the metadata issue) seals the rest.
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("meta", infohus_desktop.vault.types.EncryptedBlob(), nullable=True)
        )
    with op.batch_alter_table("vault_info", schema=None) as batch_op:
        batch_op.add_column(sa.Column("format_signature", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vault_info", schema=None) as batch_op:
        batch_op.drop_column("format_signature")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("meta")
