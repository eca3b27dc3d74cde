"""The values that describe referrals and trend notes leave their tables: a referral's
status, programme and dates, each step of its history (who, from and to which status, when,
how), a received referral's programme, and a trend note's theme, development, area kind and
period live only in each row's sealed copy (issue 20).

Keyed, like 0014: ``infohus vault upgrade`` applies it in the transaction that first gives
every such row without a sealed copy one.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: Per table, the columns whose values now live only in the sealed copy
#: (``row_binding.BINDINGS[...].sealed``).
COLUMNS = {
    "referrals": ("status", "programme", "referral_date", "sent_on", "closed_on"),
    "referral_status_changes": ("by_member", "old_status", "new_status", "on", "how"),
    "incoming_referrals": ("programme",),
    "trend_notes": ("theme", "development", "area_kind", "period_from", "period_to", "follow_up"),
}
INDEXES = {
    "referrals": ("ix_referrals_status",),
    "trend_notes": ("ix_trend_notes_theme", "ix_trend_notes_period_from"),
}


def upgrade() -> None:
    bind = op.get_bind()
    for table, names in INDEXES.items():
        existing = {i["name"] for i in sa.inspect(bind).get_indexes(table)}
        for name in names:
            if name in existing:
                op.drop_index(name, table_name=table)
    for table, columns in COLUMNS.items():
        for name in columns:
            op.execute(sa.text(f'ALTER TABLE {table} DROP COLUMN "{name}"'))


def downgrade() -> None:
    raise NotImplementedError(
        "the values now live only in the sealed copies; restore the copy made before the upgrade"
    )
