"""A vault of this version put back into the form of the previous one (issue 20): the
describing columns of ``cases`` and of its parts added again and filled from the sealed
copies, their indexes made, and the schema's revision set back to 0013, which is what the
previous version leaves. Used where a test needs an old vault on PostgreSQL too, or a small
one quickly."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Date, String, column, select, table, text, update

from infohus_desktop.services.core.case_meta import (
    PART_SEALED,
    SEALED_FIELDS,
    open_meta,
    open_part_meta,
)
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.row_binding import BINDINGS
from infohus_desktop.vault.types import UTCDateTime, UUIDString
from tests.integration.conftest import District

_TYPES: dict[str, Any] = {
    "received": Date(),
    "follow_up": Date(),
    "asked": Date(),
    "disclosed_on": Date(),
    "start": Date(),
    "end": Date(),
    "until": Date(),
    "released_at": UTCDateTime(),
    "referral_date": Date(),
    "sent_on": Date(),
    "closed_on": Date(),
    "on": Date(),
    "period_from": Date(),
    "period_to": Date(),
    "lead_organisation_id": UUIDString(),
    "lead_member_id": UUIDString(),
    "by_member": UUIDString(),
    "released_by": UUIDString(),
}


def _add_columns(c: Connection, name: str, fields: tuple[str, ...], rows: dict[Any, Any]) -> None:
    """The columns added to table ``name`` and filled with each row's values."""
    for field in fields:
        kind = _TYPES.get(field, String(32)).compile(c.dialect)
        c.execute(text(f'ALTER TABLE {name} ADD COLUMN "{field}" {kind}'))
    typed = table(
        name, column("id", UUIDString()), *(column(f, _TYPES.get(f, String(32))) for f in fields)
    )
    for row_id, values in rows.items():
        c.execute(update(typed).where(typed.c.id == row_id).values(values))


def put_back_into_the_old_form(district: District) -> None:
    """The clear columns added again and filled from the sealed copies, with their indexes,
    and the revision set back: the form a vault of the previous version has."""
    lars = district.coordinator
    cases: dict[Any, Any] = {}
    parts: dict[type[Any], dict[Any, Any]] = {model: {} for model in PART_SEALED}
    bound: dict[type[Any], dict[Any, Any]] = {
        model: {} for model, binding in BINDINGS.items() if binding.sealed
    }
    with lars.uow() as s:
        for model in bound:
            for row in s.scalars(select(model)):
                lars.check_bound(s, row)
                bound[model][row.id] = {f: getattr(row, f) for f in BINDINGS[model].sealed}
        for row in s.scalars(select(CaseRow)):
            key = lars.keyring.field_key_by_id(s, row.data_key_id)
            open_meta(row, key, True)
            cases[row.id] = {n: getattr(row, n) for n in SEALED_FIELDS}
            for model, fields in PART_SEALED.items():
                for part in s.scalars(select(model).where(model.case_id == row.id)):
                    open_part_meta(row, key, part, True)
                    parts[model][part.id] = {f: getattr(part, f) for f in fields}
    engine = create_vault_engine(district.url)
    try:
        with engine.begin() as c:
            _add_columns(c, "cases", SEALED_FIELDS, cases)
            for model, fields in PART_SEALED.items():
                _add_columns(c, model.__tablename__, fields, parts[model])
            for model, rows in bound.items():
                _add_columns(c, model.__tablename__, BINDINGS[model].sealed, rows)
            c.execute(text("CREATE INDEX ix_cases_status ON cases (status)"))
            c.execute(text("CREATE INDEX ix_cases_received ON cases (received)"))
            # What came after 0013 and is not a column: the key history (0018).
            c.execute(text("DROP TABLE member_key_history"))
            c.execute(text("UPDATE alembic_version SET version_num = '0013'"))
    finally:
        engine.dispose()
