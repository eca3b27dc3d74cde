"""The values that describe a concern leave the ``cases`` table: status, category, source,
dates, lead, retention class and closing reason live only in each row's sealed copy (issue 20).

Keyed: :mod:`infohus_desktop.vault.migrate` does not apply this revision when a vault is
opened. ``infohus vault upgrade`` (services/accounts/vault_upgrade.py) applies it in the
transaction that first gives every row without a sealed copy one and writes every case's
statistics record, so that no value is lost and a kill leaves the old form or the new.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

#: The columns whose values now live only in the sealed copy (``case_meta.SEALED_FIELDS``).
COLUMNS = (
    "status",
    "category",
    "source",
    "received",
    "follow_up",
    "lead_organisation_id",
    "lead_member_id",
    "retention",
    "closing_reason",
)
INDEXES = (("ix_cases_status", "status"), ("ix_cases_received", "received"))


def upgrade() -> None:
    bind = op.get_bind()
    existing = {i["name"] for i in sa.inspect(bind).get_indexes("cases")}
    for name, _column in INDEXES:
        if name in existing:
            op.drop_index(name, table_name="cases")
    for name in COLUMNS:
        # Natively on both engines (SQLite 3.35+ rewrites the table's rows without the
        # column): a batch copy of ``cases`` would drop a table other tables' keys point to.
        op.execute(sa.text(f"ALTER TABLE cases DROP COLUMN {name}"))


def downgrade() -> None:
    raise NotImplementedError(
        "the values now live only in the sealed copies; restore the copy made before the upgrade"
    )
