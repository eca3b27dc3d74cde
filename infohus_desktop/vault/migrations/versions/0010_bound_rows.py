"""Bound meetings, trend notes and referrals: the sealed copy of each row's clear columns
(vault/row_binding.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BOUND_TABLES = (
    "meetings",
    "meeting_participants",
    "meeting_items",
    "meeting_decisions",
    "meeting_action_items",
    "meeting_addenda",
    "trend_notes",
    "referrals",
    "referral_status_changes",
    "incoming_referrals",
    "incoming_referral_attachments",
)


def upgrade() -> None:
    # Rows written before this revision stay unbound (a vault of format 2 or older reads them
    # without the check) until `vault upgrade` (the metadata issue) seals them; in a format-3
    # vault every row has its copy from the start.
    for table in BOUND_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("meta", infohus_desktop.vault.types.EncryptedBlob(), nullable=True)
            )


def downgrade() -> None:
    for table in BOUND_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("meta")
