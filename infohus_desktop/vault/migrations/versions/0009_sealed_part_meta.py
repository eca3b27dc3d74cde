"""Bound case parts: the sealed copy of each status change's, screening's, information's,
assessment's, measure's, journal entry's, disclosure's and attachment's clear columns.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PART_TABLES = (
    "case_status_changes",
    "case_screenings",
    "case_information",
    "case_assessments",
    "case_measures",
    "case_journal",
    "case_disclosures",
    "case_attachments",
)


def upgrade() -> None:
    # Parts written before this revision stay unbound until `vault upgrade` (the metadata
    # issue) seals them; in a format-2 vault every part has its copy from the start.
    for table in PART_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("meta", infohus_desktop.vault.types.EncryptedBlob(), nullable=True)
            )


def downgrade() -> None:
    for table in PART_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("meta")
