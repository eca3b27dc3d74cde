"""Reading a vault's tables as one consistent snapshot, into payload records.

On SQLite a deferred ``BEGIN`` on a connection of its own: in WAL mode the reader sees the
database as it was at its first read and holds no lock that stops the app from writing (the
vault's own connections begin ``IMMEDIATE``, which would). On PostgreSQL one ``REPEATABLE
READ, READ ONLY`` transaction. Nothing is copied to a temporary file: the rows stream from
the database through the encryptor into the backup file, a server-side cursor on PostgreSQL,
so a large attachment table is never held whole.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Table, create_engine, event, select
from sqlalchemy.pool import NullPool

from infohus_desktop.services.backups.records import RecordWriter, encode_value, kind_of
from infohus_desktop.vault.base import Base
from infohus_desktop.vault.engine import is_sqlite
from infohus_desktop.vault.retention_schema import TombstoneRow
from infohus_desktop.vault.schema import AuditCheckpointRow, AuditEntryRow, AuditPruningRow

#: Rows fetched per round trip.
_BATCH = 500


def vault_tables() -> list[Table]:
    """Every table of the vault, parents before children."""
    import infohus_desktop.vault.models  # noqa: F401  (registers every table)

    return list(Base.metadata.sorted_tables)


@contextlib.contextmanager
def consistent_reader(url: str, engine: Any) -> Iterator[Connection]:
    """A connection whose reads all see one moment of the vault."""
    if is_sqlite(engine):
        own = create_engine(url, poolclass=NullPool)

        @event.listens_for(own, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(own, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")

        try:
            with own.connect() as connection, connection.begin():
                yield connection
        finally:
            own.dispose()
        return
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield connection


def _rows(connection: Connection, table: Table, kinds: list[str]) -> Iterator[list[Any]]:
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(stream_results=True, yield_per=_BATCH).execute(query)
    for row in result:
        yield [encode_value(kind, value) for kind, value in zip(kinds, row, strict=True)]


def dump(connection: Connection, records: RecordWriter) -> None:
    """Every table, parents first, each in primary-key order."""
    for table in vault_tables():
        columns = [(column.name, kind_of(column)) for column in table.columns]
        kinds = [kind for _name, kind in columns]
        records.table(table.name, columns, _rows(connection, table, kinds))


def audit_state(connection: Connection) -> dict[str, Any]:
    """The audit log's head and its newest database checkpoint, for the manifest."""
    head = connection.execute(
        select(AuditEntryRow.seq, AuditEntryRow.entry_hash)
        .order_by(AuditEntryRow.seq.desc())
        .limit(1)
    ).first()
    if head is None:
        head = connection.execute(
            select(AuditPruningRow.last_seq, AuditPruningRow.head_hash)
            .order_by(AuditPruningRow.last_seq.desc())
            .limit(1)
        ).first()
    checkpoint = connection.execute(
        select(AuditCheckpointRow.seq, AuditCheckpointRow.head_hash)
        .order_by(AuditCheckpointRow.seq.desc())
        .limit(1)
    ).first()
    return {
        "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
        "checkpoint": {"seq": checkpoint[0], "hash": checkpoint[1]} if checkpoint else None,
    }


def tombstone_ids(connection: Connection) -> list[dict[str, str]]:
    """The vault's deletion register as the manifest lists it: no reason, no name."""
    rows = connection.execute(
        select(TombstoneRow.id, TombstoneRow.number, TombstoneRow.deleted_at).order_by(
            TombstoneRow.deleted_at, TombstoneRow.number
        )
    )
    return [
        {"case": str(case_id), "number": number, "deleted_at": encode_value("moment", at)}
        for case_id, number, at in rows
    ]


__all__ = ["audit_state", "consistent_reader", "dump", "tombstone_ids", "vault_tables"]
