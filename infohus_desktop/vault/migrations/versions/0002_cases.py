"""Concern cases: the case, its counters, status history, screenings, information,
assessments, measures, journal, disclosures and attachments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:15:48.645678
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import infohus_desktop.vault.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_counters",
        sa.Column(
            "local_infohus_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["local_infohus_id"],
            ["local_infohuse.id"],
            name=op.f("fk_case_counters_local_infohus_id_local_infohuse"),
        ),
        sa.PrimaryKeyConstraint("local_infohus_id", "year", name=op.f("pk_case_counters")),
    )
    op.create_table(
        "cases",
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column(
            "local_infohus_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("group_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("data_key_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("follow_up", sa.Date(), nullable=True),
        sa.Column(
            "lead_organisation_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=True
        ),
        sa.Column(
            "lead_member_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=True
        ),
        sa.Column("retention", sa.String(length=16), nullable=False),
        sa.Column("closing_reason", sa.String(length=32), nullable=True),
        sa.Column("cpr_index", sa.Integer(), nullable=True),
        sa.Column("cpr_epoch", sa.Integer(), nullable=True),
        sa.Column("person", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("intake", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("details", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_key_id"], ["data_keys.id"], name=op.f("fk_cases_data_key_id_data_keys")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["access_groups.id"], name=op.f("fk_cases_group_id_access_groups")
        ),
        sa.ForeignKeyConstraint(
            ["local_infohus_id"],
            ["local_infohuse.id"],
            name=op.f("fk_cases_local_infohus_id_local_infohuse"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint(
            "local_infohus_id", "year", "serial", name=op.f("uq_cases_local_infohus_id")
        ),
        sa.UniqueConstraint("number", name=op.f("uq_cases_number")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_cpr_index"), ["cpr_index"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)

    op.create_table(
        "case_assessments",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_assessments_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_assessments")),
    )
    with op.batch_alter_table("case_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_assessments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_attachments",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_attachments_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_attachments")),
    )
    with op.batch_alter_table("case_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_attachments_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_disclosures",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("legal_basis", sa.String(length=24), nullable=False),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_disclosures_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_disclosures")),
    )
    with op.batch_alter_table("case_disclosures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_disclosures_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_information",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("asked", sa.Date(), nullable=False),
        sa.Column("legal_basis", sa.String(length=24), nullable=False),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_information_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_information")),
    )
    with op.batch_alter_table("case_information", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_information_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_journal",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("corrects", infohus_desktop.vault.types.UUIDString(length=36), nullable=True),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_journal_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["corrects"], ["case_journal.id"], name=op.f("fk_case_journal_corrects_case_journal")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_journal")),
    )
    with op.batch_alter_table("case_journal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_journal_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_measures",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_measures_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_measures")),
    )
    with op.batch_alter_table("case_measures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_measures_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_screenings",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_screenings_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_screenings")),
    )
    with op.batch_alter_table("case_screenings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_screenings_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_status_changes",
        sa.Column("case_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("old_status", sa.String(length=16), nullable=True),
        sa.Column("new_status", sa.String(length=16), nullable=False),
        sa.Column("closing_reason", sa.String(length=32), nullable=True),
        sa.Column("id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_member", infohus_desktop.vault.types.UUIDString(length=36), nullable=False),
        sa.Column("payload", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_status_changes_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_status_changes")),
    )
    with op.batch_alter_table("case_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_status_changes_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "case_attachment_chunks",
        sa.Column(
            "attachment_id", infohus_desktop.vault.types.UUIDString(length=36), nullable=False
        ),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("data", infohus_desktop.vault.types.EncryptedBlob(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["case_attachments.id"],
            name=op.f("fk_case_attachment_chunks_attachment_id_case_attachments"),
        ),
        sa.PrimaryKeyConstraint("attachment_id", "idx", name=op.f("pk_case_attachment_chunks")),
    )


def downgrade() -> None:
    op.drop_table("case_attachment_chunks")
    with op.batch_alter_table("case_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_status_changes_case_id"))

    op.drop_table("case_status_changes")
    with op.batch_alter_table("case_screenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_screenings_case_id"))

    op.drop_table("case_screenings")
    with op.batch_alter_table("case_measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_measures_case_id"))

    op.drop_table("case_measures")
    with op.batch_alter_table("case_journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_journal_case_id"))

    op.drop_table("case_journal")
    with op.batch_alter_table("case_information", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_information_case_id"))

    op.drop_table("case_information")
    with op.batch_alter_table("case_disclosures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_disclosures_case_id"))

    op.drop_table("case_disclosures")
    with op.batch_alter_table("case_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_attachments_case_id"))

    op.drop_table("case_attachments")
    with op.batch_alter_table("case_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_assessments_case_id"))

    op.drop_table("case_assessments")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_group_id"))
        batch_op.drop_index(batch_op.f("ix_cases_cpr_index"))

    op.drop_table("cases")
    op.drop_table("case_counters")
