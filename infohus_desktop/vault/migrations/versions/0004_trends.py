"""Trend notes and their links; the agenda items that refer to a note get their foreign key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    uuid_type = infohus_desktop.vault.types.UUIDString
    op.create_table(
        "trend_notes",
        sa.Column("id", uuid_type(length=36), nullable=False),
        sa.Column("group_id", uuid_type(length=36), nullable=False),
        sa.Column("theme", sa.String(length=32), nullable=False),
        sa.Column("development", sa.String(length=16), nullable=False),
        sa.Column("area_kind", sa.String(length=16), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("follow_up", sa.Date(), nullable=True),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", uuid_type(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", uuid_type(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["access_groups.id"], name=op.f("fk_trend_notes_group_id_access_groups")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trend_notes")),
    )
    with op.batch_alter_table("trend_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trend_notes_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trend_notes_period_from"), ["period_from"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trend_notes_theme"), ["theme"], unique=False)
    # meeting_items.trend_note_id exists since 0003; its target exists from here on.
    with op.batch_alter_table("meeting_items", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_meeting_items_trend_note_id_trend_notes"),
            "trend_notes",
            ["trend_note_id"],
            ["id"],
        )

    op.create_table(
        "trend_note_links",
        sa.Column("note_a", uuid_type(length=36), nullable=False),
        sa.Column("note_b", uuid_type(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", uuid_type(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_a"], ["trend_notes.id"], name=op.f("fk_trend_note_links_note_a_trend_notes")
        ),
        sa.ForeignKeyConstraint(
            ["note_b"], ["trend_notes.id"], name=op.f("fk_trend_note_links_note_b_trend_notes")
        ),
        sa.PrimaryKeyConstraint("note_a", "note_b", name=op.f("pk_trend_note_links")),
    )
    with op.batch_alter_table("trend_note_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trend_note_links_note_b"), ["note_b"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("trend_note_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trend_note_links_note_b"))
    op.drop_table("trend_note_links")
    with op.batch_alter_table("meeting_items", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_meeting_items_trend_note_id_trend_notes"), type_="foreignkey"
        )
    with op.batch_alter_table("trend_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trend_notes_theme"))
        batch_op.drop_index(batch_op.f("ix_trend_notes_period_from"))
        batch_op.drop_index(batch_op.f("ix_trend_notes_group_id"))
    op.drop_table("trend_notes")
