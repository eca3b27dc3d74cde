"""Engines and units of work for SQLite (one file per vault) and PostgreSQL (shared server).

SQLite gets the settings of ARCHITECTURE.md on every connection (WAL, ``synchronous=FULL``,
``foreign_keys``, ``secure_delete``, in-memory temp store) and every transaction starts with
``BEGIN IMMEDIATE``: almost every unit of work writes at least an audit entry, and taking the
write lock up front turns a would-be deadlock between two clients into a short wait.
SQL parameters are hidden from logs and exception messages (``hide_parameters``).
A new SQLite file is made 0600 before SQLite opens it, so that its ``-wal``/``-shm``/``-journal``
(which SQLite gives the database file's mode) are private too, whatever the umask.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from infohus_desktop.domain.errors import Conflict, InvalidInput, VaultUnavailable
from infohus_desktop.private_files import create_private_file

# Every table known wherever a vault is opened, so foreign keys between the feature schemas
# always resolve (the schema modules themselves import only the base).
from infohus_desktop.vault import models  # noqa: F401
from infohus_desktop.vault.server_link import (
    ASK_ONCE,
    COMMIT_MARKER,
    CommitCheck,
    ServerLink,
    commit_was_sent,
    is_connection_loss,
    note_commit_sent,
    note_statement,
    nothing_saved,
    reset_commit_sent,
    unknown_if_saved,
    with_connection_defaults,
    wrote,
)
from infohus_desktop.vault.urls import url_for_path as url_for_path  # re-exported

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA busy_timeout=10000",
)


def describe_location(url: str) -> str:
    """A location for messages and the status bar: a file path, or host/database; no password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database)
    from infohus_desktop.vault.server_address import without_password

    return without_password(url)


def create_vault_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(
            "Databaseadressen kan ikke forstås. En server skrives "
            "postgresql+psycopg://bruger@vært/database.",
            "The database URL cannot be parsed. A server is written "
            "postgresql+psycopg://user@host/database.",
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "postgres":  # libpq's short scheme, which SQLAlchemy no longer knows
        parsed = parsed.set(drivername="postgresql+psycopg")
        backend, url = "postgresql", parsed.render_as_string(hide_password=False)
    if backend == "sqlite":
        _precreate_private(parsed.database, parsed.query)
        engine = create_engine(url, hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # Imported here: psycopg loads only when a server is used.
        from infohus_desktop.vault.server_tls import guard_server_connections

        # pre_ping: a pooled connection that died with a server restart is replaced before
        # use, so the first unit of work after the restart works without a re-unlock.
        engine = create_engine(
            with_connection_defaults(parsed), hide_parameters=True, pool_pre_ping=True
        )
        guard_server_connections(engine)
        return engine
    # An address, not the database, is wrong: bad input (exit 2), as a malformed one is.
    raise InvalidInput(
        "Kun SQLite og PostgreSQL understøttes: en server skrives "
        "postgresql+psycopg://bruger@vært/database.",
        "Only SQLite and PostgreSQL are supported: a server is written "
        "postgresql+psycopg://user@host/database.",
    )


def _precreate_private(database: str | None, query: Any) -> None:
    """An empty 0600 file where SQLite would otherwise make one with its own 0644 (less the
    umask). An existing file is left as it is. If it cannot be made (no such folder, no right
    to write there) SQLite's own attempt fails the same way and reports it as usual."""
    if not database or database == ":memory:" or database.startswith("file:") or query:
        return
    with contextlib.suppress(OSError):
        create_private_file(Path(database).expanduser())


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def empty_wal(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the file and truncate it, so pages of deleted
    rows do not linger in the ``-wal`` file after a deletion (the file's own pages are zeroed
    by ``secure_delete``). Nothing to do on PostgreSQL."""
    if not is_sqlite(engine):
        return
    # Outside any transaction (every unit of work begins IMMEDIATE, and a checkpoint cannot
    # run inside one): the driver connection itself.
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def compact(engine: Engine, tables: tuple[str, ...]) -> None:
    """Rewrite the storage so that no page keeps a value a schema change removed: SQLite
    ``VACUUM`` (the whole file anew) and an empty write-ahead log; PostgreSQL ``VACUUM
    FULL`` of ``tables`` (new files for them; the old ones are given back to the system).
    Outside any transaction, as both engines require; repeatable, so an interrupted run is
    completed by the next."""
    if is_sqlite(engine):
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            connection.exec_driver_sql(f'VACUUM FULL "{table}"')


class UnitOfWork:
    """Creates one :class:`Session` per unit of work; sessions are never shared by threads.

    What a failure at each point becomes (the service layer sees only these):

    * a row saved against a stale version → :class:`Conflict`;
    * the connection lost (server restart, dropped network; vault/server_link.py) before
      COMMIT was sent → :class:`ConnectionLost` ``saved=False``: the server discards the
      transaction, so doing the same work again is safe;
    * the connection lost after COMMIT was sent → the commit is *ambiguous*. It is never
      retried at the SQL level. The unit of work asks, on a fresh connection, whether the
      transaction's audit entry (its commit marker) is there: if so the block ends normally,
      as if COMMIT had answered (after-commit listeners run as usual); if not →
      ``saved=False``; if the server does not answer in time, or the transaction wrote no
      audit entry → ``saved=None`` ("unknown whether it was saved");
    * any other operational failure → :class:`VaultUnavailable` ("nothing was saved").

    The broken session and its connection are discarded (SQLAlchemy invalidates the pool on a
    disconnect, and ``pool_pre_ping`` tests what is left): the next unit of work takes a fresh
    connection, and the member's keys, held in memory and not in any session, carry on.
    :attr:`link` hears of every loss and of the next success, for the window's banner.
    """

    def __init__(self, engine: Engine, link: ServerLink | None = None) -> None:
        self.engine = engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self.link = link or ServerLink()
        self.commit_check = CommitCheck(engine)
        event.listen(engine, "commit", note_commit_sent)
        event.listen(engine, "before_cursor_execute", note_statement)
        event.listen(self._factory, "after_begin", _remember_connection)

    @contextlib.contextmanager
    def __call__(self, info: dict[str, Any] | None = None) -> Iterator[Session]:
        """A session committed at the end of the block. ``info`` goes to ``Session.info``:
        a member's unit of work puts its keyring there, so that the flush can seal the
        rows it writes (services/core/bound_rows.py)."""
        session = self._factory(info=info or {})
        try:
            try:
                yield session
            except DBAPIError as exc:
                _rollback_quietly(session)
                if is_connection_loss(exc):
                    self.link.lost()
                    raise nothing_saved() from exc
                if expected_database_error(exc):
                    raise database_error(exc) from exc
                raise
            except StaleDataError as exc:
                session.rollback()
                raise conflict() from exc
            except BaseException:
                session.rollback()
                raise
            self._commit(session)
        finally:
            session.close()

    def _commit(self, session: Session) -> None:
        before = dict(session.info)  # a failed commit's rollback listeners empty the info
        reset_commit_sent()
        try:
            session.commit()
        except DBAPIError as exc:
            _rollback_quietly(session)
            if not is_connection_loss(exc):
                if expected_database_error(exc):
                    raise database_error(exc) from exc
                raise
            self.link.lost()
            if not wrote(before.get(_CONNECTION)):
                # A read-only transaction: what it read is complete, nothing was to be kept.
                return
            if not commit_was_sent():
                raise nothing_saved() from exc
            marker = before.get(COMMIT_MARKER)
            once = bool(before.get(ASK_ONCE))
            landed = self.commit_check.landed(marker, once) if marker is not None else None
            if landed is None:
                raise unknown_if_saved(marker) from exc
            if not landed:
                self.link.back()
                raise nothing_saved() from exc
            # It landed: finish as a commit does, for those who listen to it.
            self.link.back()
            session.info.clear()
            session.info.update(before)
            session.dispatch.after_commit(session)
            return
        except StaleDataError as exc:
            session.rollback()
            raise conflict() from exc
        except BaseException:
            session.rollback()
            raise
        self.link.back()

    def reachable(self) -> None:
        """One round trip on a fresh pooled connection; :class:`ConnectionLost` if the
        server cannot be reached (the window asks this while its banner shows)."""
        with self() as session:
            session.execute(text("SELECT 1"))

    @property
    def announces(self) -> bool:
        """Whether other workstations can be told of a commit: PostgreSQL only (a SQLite
        file has one workstation)."""
        return not is_sqlite(self.engine)

    def announce(self, session: Session, channel: str, payload: str) -> None:
        """``NOTIFY`` in this transaction: the server delivers it on commit, never on a
        rollback. A no-op on SQLite."""
        if self.announces:
            session.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {
                    "channel": channel,
                    "payload": payload,
                },
            )

    def lock_audit_chain(self, session: Session) -> None:
        """Serialise audit appends across clients (SQLite already holds the write lock)."""
        if not is_sqlite(self.engine):
            session.execute(text("SELECT pg_advisory_xact_lock(4711001)"))


_CONNECTION = "infohus.connection"


def _remember_connection(session: Session, _transaction: Any, connection: Any) -> None:
    """Which connection the session's transaction runs on, to ask after a failed commit
    whether it wrote anything."""
    session.info[_CONNECTION] = connection


def _rollback_quietly(session: Session) -> None:
    """Roll back a session whose connection may be gone (then there is nothing to undo)."""
    with contextlib.suppress(DBAPIError):
        session.rollback()


def unreadable_file(exc: DBAPIError) -> bool:
    """SQLite found no database in the file, or a damaged one (not an OperationalError,
    which the other failures of a database are)."""
    detail = str(exc.orig).lower() if exc.orig is not None else ""
    return "not a database" in detail or "malformed" in detail


def expected_database_error(exc: DBAPIError) -> bool:
    """A failure :func:`database_error` puts in words (not a bug of the program)."""
    return isinstance(exc, OperationalError) or unreadable_file(exc)


def database_error(exc: DBAPIError) -> VaultUnavailable:
    """A database failure as a message without SQL or parameters in it."""
    if is_connection_loss(exc):
        return nothing_saved()
    if unreadable_file(exc):
        return VaultUnavailable(
            "Filen er ikke en Infohus-boks, eller den er beskadiget. Intet er ændret: vælg "
            "den rigtige fil, eller genskab boksen fra en sikkerhedskopi.",
            "The file is not an Infohus vault, or it is damaged. Nothing was changed: choose "
            "the right file, or restore the vault from a backup.",
        )
    detail = str(exc.orig).lower() if exc.orig is not None else ""
    if "locked" in detail or "busy" in detail:
        return VaultUnavailable(
            "Databasen er optaget af et andet program. Prøv igen om lidt.",
            "The database is busy in another program. Try again shortly.",
        )
    if "disk" in detail and "full" in detail:
        return VaultUnavailable(
            "Disken er fuld. Intet er gemt; frigør plads og prøv igen.",
            "The disk is full. Nothing was saved; free some space and try again.",
        )
    return VaultUnavailable(
        "Databasen kunne ikke bruges. Intet er gemt.",
        "The database could not be used. Nothing was saved.",
    )


def conflict() -> Conflict:
    return Conflict(
        "En anden har ændret de samme data imens. Intet er overskrevet; hent dem igen.",
        "Someone else changed the same data meanwhile. Nothing was overwritten; reload it.",
    )
