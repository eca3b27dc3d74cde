"""The values that describe meetings leave their tables: a meeting's type, status and moments
(start, end, held, approved, sent, and who approved and sent), a participant's attendance, a
decision's kind, and an action item's deadline, status and closing live only in each row's
sealed copy (issue 20).

Keyed, like 0014: ``infohus vault upgrade`` applies it in the transaction that first gives
every such row without a sealed copy one.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: Per table, the columns whose values now live only in the sealed copy
#: (``row_binding.BINDINGS[...].sealed``).
COLUMNS = {
    "meetings": (
        "meeting_type",
        "status",
        "starts_at",
        "ends_at",
        "held_at",
        "approved_at",
        "approved_by",
        "sent_at",
        "sent_by",
    ),
    "meeting_participants": ("attendance",),
    "meeting_decisions": ("kind",),
    "meeting_action_items": ("deadline", "status", "closed_at", "closed_by"),
}


def upgrade() -> None:
    bind = op.get_bind()
    for table, columns in COLUMNS.items():  # an index on a column goes first (SQLite)
        for index in sa.inspect(bind).get_indexes(table):
            if set(index["column_names"]) & set(columns):
                op.drop_index(str(index["name"]), table_name=table)
    for table, columns in COLUMNS.items():
        for name in columns:
            op.execute(sa.text(f'ALTER TABLE {table} DROP COLUMN "{name}"'))


def downgrade() -> None:
    raise NotImplementedError(
        "the values now live only in the sealed copies; restore the copy made before the upgrade"
    )
