"""Meetings: meetings, participants, agenda items, decisions, action items, the action items
carried onto approved minutes, addenda.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from infohus_desktop.vault.types import EncryptedBlob, UUIDString

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _id(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UUIDString(length=36), nullable=nullable)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _code(name: str) -> sa.Column:
    return sa.Column(name, sa.String(length=16), nullable=False)


def _int(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def _payload() -> sa.Column:
    return sa.Column("payload", EncryptedBlob(), nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    ref_table = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{ref_table}")
    )


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "meetings",
        _id("id"),
        _code("kind"),
        _code("meeting_type"),
        _code("status"),
        _id("local_infohus_id", nullable=True),
        _id("group_id"),
        _at("starts_at"),
        _at("ends_at", nullable=True),
        _id("chair_id", nullable=True),
        _id("minute_taker_id", nullable=True),
        _payload(),
        _at("created_at"),
        _id("created_by"),
        _at("updated_at"),
        _at("held_at", nullable=True),
        _at("approved_at", nullable=True),
        _id("approved_by", nullable=True),
        _at("sent_at", nullable=True),
        _id("sent_by", nullable=True),
        _int("version"),
        _fk("meetings", "group_id", "access_groups.id"),
        _fk("meetings", "local_infohus_id", "local_infohuse.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    for column in ("group_id", "starts_at", "status"):
        _index("meetings", column)

    op.create_table(
        "meeting_items",
        _id("id"),
        _id("meeting_id"),
        _int("position"),
        _code("kind"),
        _id("case_id", nullable=True),
        # A trend item's note; its foreign key comes with ``trend_notes`` in 0004.
        _id("trend_note_id", nullable=True),
        _payload(),
        _at("updated_at"),
        _int("version"),
        _fk("meeting_items", "case_id", "cases.id"),
        _fk("meeting_items", "meeting_id", "meetings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_items")),
    )
    _index("meeting_items", "case_id")
    _index("meeting_items", "meeting_id")
    _index("meeting_items", "trend_note_id")

    op.create_table(
        "meeting_participants",
        _id("id"),
        _id("meeting_id"),
        _id("member_id", nullable=True),
        _code("attendance"),
        _int("position"),
        _payload(),
        _fk("meeting_participants", "meeting_id", "meetings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_participants")),
    )
    _index("meeting_participants", "meeting_id")

    op.create_table(
        "meeting_action_items",
        _id("id"),
        _id("meeting_id"),
        _id("item_id"),
        _id("owner_id", nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        _code("status"),
        _int("position"),
        _payload(),
        _at("created_at"),
        _id("created_by"),
        _at("closed_at", nullable=True),
        _id("closed_by", nullable=True),
        _int("version"),
        _fk("meeting_action_items", "item_id", "meeting_items.id"),
        _fk("meeting_action_items", "meeting_id", "meetings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_action_items")),
    )
    for column in ("item_id", "meeting_id", "owner_id", "status"):
        _index("meeting_action_items", column)

    op.create_table(
        "meeting_addenda",
        _id("id"),
        _id("meeting_id"),
        _id("item_id", nullable=True),
        _at("at"),
        _id("by_member"),
        _payload(),
        _fk("meeting_addenda", "item_id", "meeting_items.id"),
        _fk("meeting_addenda", "meeting_id", "meetings.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_addenda")),
    )
    _index("meeting_addenda", "meeting_id")

    op.create_table(
        "meeting_decisions",
        _id("id"),
        _id("item_id"),
        _code("kind"),
        _int("position"),
        _payload(),
        _at("created_at"),
        _id("created_by"),
        _int("version"),
        _fk("meeting_decisions", "item_id", "meeting_items.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_decisions")),
    )
    _index("meeting_decisions", "item_id")

    op.create_table(
        "meeting_carried_actions",
        _id("meeting_id"),
        _id("action_item_id"),
        _fk("meeting_carried_actions", "action_item_id", "meeting_action_items.id"),
        _fk("meeting_carried_actions", "meeting_id", "meetings.id"),
        sa.PrimaryKeyConstraint(
            "meeting_id", "action_item_id", name=op.f("pk_meeting_carried_actions")
        ),
    )


def downgrade() -> None:
    for table in (
        "meeting_carried_actions",
        "meeting_decisions",
        "meeting_addenda",
        "meeting_action_items",
        "meeting_participants",
        "meeting_items",
        "meetings",
    ):
        op.drop_table(table)
