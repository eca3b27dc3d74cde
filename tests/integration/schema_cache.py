"""The schema of a new vault, made once per test process and engine, then replayed.

Creating a vault migrates its empty database to head with Alembic: on SQLite that was about
two thirds of creating the standard district, which every test that still creates a vault
(``built_district``, ``new_vault``) pays; the `district` fixture itself now copies a district
built once (``vault_templates`` in conftest.py), for tests whose vault may be made earlier. The
result is immutable (the same migrations on the same empty database give the same schema), so
:func:`migrations_replayed` records the SQL the first migration sends to the driver and sends
exactly that SQL, with the same parameters, to every later empty database of the same engine.
This is the "template database" of the test suite, kept as SQL because ``Vault.create``
insists on an empty database (a copied file or a ``CREATE DATABASE ... TEMPLATE`` would not
be), and because a test that creates a vault must see it made anew.

Only the migration is replayed: everything else ``Vault.create`` does runs as in production.
``test_migrations.py``, the CLI's ``init`` and the demo still migrate for real.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

from sqlalchemy import Connection, Engine, event, inspect

from infohus_desktop.vault import migrate


@dataclass(frozen=True)
class _Statement:
    """One call the driver's cursor received: how it was called is replayed as it was."""

    sql: str
    parameters: Any
    many: bool
    no_parameters: bool


#: The recorded migration per SQLAlchemy dialect name, in this test process.
_RECORDED: dict[str, list[_Statement]] = {}
#: What the recorded migration made, per dialect, until the first replay has been compared.
_UNCHECKED: dict[str, str] = {}
#: The real migration, kept before any patching; and the head it reaches, read once.
_UPGRADE_TO_HEAD = migrate.upgrade_to_head
_HEAD: list[str] = []


def _record(engine: Engine) -> list[_Statement]:
    """Migrate for real, keeping every statement sent to the driver inside the transaction."""
    statements: list[_Statement] = []

    def keep(
        _conn: Connection,
        _cursor: Any,
        sql: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        no_parameters = bool(getattr(context, "no_parameters", False))
        statements.append(_Statement(sql, parameters, executemany, no_parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        _UPGRADE_TO_HEAD(engine)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    # The engine's own BEGIN (SQLite's "begin" event) is issued again by engine.begin() below.
    return [s for s in statements if not s.sql.lstrip().upper().startswith("BEGIN")]


def schema_of(engine: Engine) -> str:
    """Every table's columns (with types), keys, indexes and constraints, as text."""
    seen = inspect(engine)
    return repr(
        {
            table: (
                seen.get_columns(table),
                seen.get_pk_constraint(table),
                seen.get_foreign_keys(table),
                seen.get_indexes(table),
                seen.get_unique_constraints(table),
                seen.get_check_constraints(table),
            )
            for table in sorted(seen.get_table_names())
        }
    )


def _replay(engine: Engine, statements: list[_Statement]) -> None:
    with engine.begin() as connection:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            for s in statements:
                if s.many:
                    cursor.executemany(s.sql, s.parameters)
                elif s.no_parameters:
                    cursor.execute(s.sql)
                else:
                    cursor.execute(s.sql, s.parameters)
        finally:
            cursor.close()


def _upgrade_empty_to_head(engine: Engine) -> None:
    """``migrate.upgrade_to_head`` for a new vault's empty database: the first call per
    engine migrates and records, later calls replay; the revision is checked either way."""
    dialect = engine.dialect.name
    recorded = _RECORDED.get(dialect)
    if recorded is None:
        _RECORDED[dialect] = _record(engine)
        _UNCHECKED[dialect] = schema_of(engine)
    else:
        _replay(engine, recorded)
        expected = _UNCHECKED.pop(dialect, None)
        if expected is not None:  # once per process and engine: the replay made the same
            assert schema_of(engine) == expected, "replayed schema differs from the migrated"
    if not _HEAD:
        _HEAD.append(migrate.head_revision())
    assert migrate.current_revision(engine) == _HEAD[0]


@contextmanager
def migrations_replayed() -> Iterator[None]:
    """While inside, a vault being created gets its schema from the recording."""
    with mock.patch.object(migrate, "upgrade_to_head", _upgrade_empty_to_head):
        yield
