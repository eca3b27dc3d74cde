"""The values that describe a case's parts leave their tables: who wrote each part, status
changes, screening outcomes, information and disclosure dates and legal bases, levels of
concern, measures, journal kinds and deletion holds live only in each row's sealed copy
(issue 20).

Keyed, like 0014: ``infohus vault upgrade`` applies it in the transaction that first gives
every part without a sealed copy one.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 23:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

#: Per table, the columns whose values now live only in the sealed copy
#: (``case_meta.PART_SEALED``).
COLUMNS = {
    "case_status_changes": ("by_member", "old_status", "new_status", "closing_reason"),
    "case_screenings": ("by_member", "outcome"),
    "case_information": ("by_member", "asked", "legal_basis"),
    "case_assessments": ("by_member", "level"),
    "case_measures": ("by_member", "type", "status", "start", "end"),
    "case_journal": ("by_member", "kind"),
    "case_disclosures": ("by_member", "disclosed_on", "legal_basis"),
    "case_attachments": ("by_member",),
    "case_holds": ("by_member", "until", "released_at", "released_by"),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        for name in columns:
            # Natively (see 0014); quoted: "end" is a keyword.
            op.execute(sa.text(f'ALTER TABLE {table} DROP COLUMN "{name}"'))


def downgrade() -> None:
    raise NotImplementedError(
        "the values now live only in the sealed copies; restore the copy made before the upgrade"
    )
