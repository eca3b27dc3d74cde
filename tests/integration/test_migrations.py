"""The Alembic migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from infohus_desktop.vault import migrate
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.models import METADATA


def test_migrations_match_models(db_url: str) -> None:
    engine = create_vault_engine(db_url)
    try:
        migrate.upgrade_to_head(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, METADATA) == []
        tables = set(inspect(engine).get_table_names())
        assert set(METADATA.tables) <= tables
    finally:
        engine.dispose()


def test_sqlite_connection_settings(sqlite_url: str) -> None:
    engine = create_vault_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("foreign_keys") == 1
            assert pragma("secure_delete") == 1
            assert pragma("temp_store") == 2  # MEMORY
    finally:
        engine.dispose()
