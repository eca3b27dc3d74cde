"""A vault of this version put back into the form of the previous one (issue 20): the
describing columns of ``cases`` added again and filled from the sealed copies, their indexes
made, and the schema's revision set back to 0013, which is what the previous version leaves.
Used where a test needs an old vault on PostgreSQL too, or a small one quickly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, String, column, select, table, text, update

from infohus_desktop.services.core.case_meta import SEALED_FIELDS, open_meta
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.types import UUIDString
from tests.integration.conftest import District

_TYPES: dict[str, Any] = {
    "received": Date(),
    "follow_up": Date(),
    "lead_organisation_id": UUIDString(),
    "lead_member_id": UUIDString(),
}


def put_back_into_the_old_form(district: District) -> None:
    """The clear columns added again and filled from the sealed copies, with their indexes,
    and the revision set back: the form a vault of the previous version has."""
    lars = district.coordinator
    with lars.vault.uow() as s:
        values = {}
        for row in s.scalars(select(CaseRow)):
            open_meta(row, lars.keyring.field_key_by_id(s, row.data_key_id), True)
            values[row.id] = {n: getattr(row, n) for n in SEALED_FIELDS}
    engine = create_vault_engine(district.url)
    try:
        with engine.begin() as c:
            for name in SEALED_FIELDS:
                kind = _TYPES.get(name, String(32))
                c.execute(text(f"ALTER TABLE cases ADD COLUMN {name} {kind.compile(c.dialect)}"))
            cases = table(
                "cases",
                column("id", UUIDString()),
                *(column(n, _TYPES.get(n, String(32))) for n in SEALED_FIELDS),
            )
            for case_id, row_values in values.items():
                c.execute(update(cases).where(cases.c.id == case_id).values(row_values))
            c.execute(text("CREATE INDEX ix_cases_status ON cases (status)"))
            c.execute(text("CREATE INDEX ix_cases_received ON cases (received)"))
            c.execute(text("UPDATE alembic_version SET version_num = '0013'"))
    finally:
        engine.dispose()
