"""Throwaway PostgreSQL databases for tests.

``INFOHUS_TEST_PG_URL`` names an *admin* database on a test server (normally ``postgres``),
reached as a role with CREATEDB. Each test gets its own uniquely named database, created and
dropped through that URL, so tests never share state and need no cleanup between them.

Under pytest-xdist the name also carries the worker (``infohus_t_gw1_…``): the random part
alone keeps workers apart, and the worker in the name says whose database a leftover is.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

DATABASE_PREFIX = "infohus_t_"
#: The administrator's setup script for the server-side unlock guard (docs/SECURITY.md §7).
UNLOCK_GUARD_SCRIPT = (
    Path(__file__).parents[1]
    / "infohus_desktop"
    / "resources"
    / "sql"
    / "postgresql-unlock-guard.sql"
)


def database_name() -> str:
    """A fresh database name: the prefix, the xdist worker if any, and a random part.

    PostgreSQL truncates names at 63 bytes, so the worker id (``gw0``, ``gw12``, or ``main``
    outside xdist) is reduced to a short, quoting-safe token; the random part stays whole.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    worker = re.sub(r"[^a-z0-9]", "", worker.lower())[:12] or "main"
    return f"{DATABASE_PREFIX}{worker}_{uuid.uuid4().hex}"


def _admin_engine(admin_url: str | URL) -> Engine:
    url = make_url(admin_url).set(drivername="postgresql+psycopg")
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def check_server(admin_url: str | URL) -> str:
    """Connect once and return the server version; raises if the server is unreachable."""
    engine = _admin_engine(admin_url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()


@contextmanager
def throwaway_database(admin_url: str | URL, template: str | None = None) -> Iterator[str]:
    """Create a fresh, uniquely named database; yield its URL; drop it afterwards.

    ``template`` names a database of the same server to copy (``CREATE DATABASE ...
    TEMPLATE``, a file-level copy): a vault built once and copied for each test that changes
    it. Nobody may be connected to the template while it is copied.

    The yielded URL has the admin URL's credentials, host and port, with the driver spelled
    ``postgresql+psycopg``. Connections still open at the end (a leaked engine, a crashed
    test) are terminated by ``DROP DATABASE ... WITH (FORCE)``. An autovacuum worker busy in
    the database (after a test that wrote many rows) belongs to the server, which a role with
    only CREATEDB may not terminate: the drop is tried again once the worker is done.
    """
    admin = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = database_name()
    engine = _admin_engine(admin)
    try:
        _create(engine, name, template or "template0")
        try:
            yield admin.set(database=name).render_as_string(hide_password=False)
        finally:
            _drop(engine, name)
    finally:
        engine.dispose()


def refill_database(admin_url: str | URL, database_url: str | URL, template: str) -> None:
    """Make the database of ``database_url`` (nobody connected) a copy of ``template`` under
    the same name: a throwaway database another fixture made empty, filled with a vault
    built once, while that fixture still drops it at the end."""
    name = make_url(database_url).database
    assert name is not None
    engine = _admin_engine(admin_url)
    try:
        _drop(engine, name)
        _create(engine, name, template)
    finally:
        engine.dispose()


def _create(engine: Engine, name: str, template: str) -> None:
    with engine.connect() as conn:
        conn.execute(
            text(
                f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE "{template}"'
                + _copy_strategy(conn)
            )
        )


#: Whether the server copies a template file by file (``STRATEGY FILE_COPY``, PostgreSQL 15
#: and later), asked once per process.
_file_copy: bool | None = None


def _copy_strategy(conn: Connection) -> str:
    """`` STRATEGY FILE_COPY`` where the server has it. PostgreSQL 15 made ``WAL_LOG``, a copy
    written block by block through the write-ahead log, the default: built for copying a large
    database while the server stays busy. A vault's template is small and has many tables
    and indexes; file by file it copied in 22 ms instead of 38, and dropped in 15 instead of
    23 (the test cluster runs without fsync, so the checkpoint that FILE_COPY asks for is
    cheap). Every PostgreSQL test of a vault built once makes one copy."""
    global _file_copy
    if _file_copy is None:
        version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        _file_copy = version >= 150000
    return " STRATEGY FILE_COPY" if _file_copy else ""


def _drop(engine: Engine, name: str, attempts: int = 40) -> None:
    for attempt in range(attempts):
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as exc:  # InsufficientPrivilege: an autovacuum worker
            if attempt == attempts - 1 or "pg_signal_backend" not in str(exc.orig):
                raise
            time.sleep(0.25)


def superuser_connection(superuser_url: str | URL, database: str) -> psycopg.Connection:
    """An autocommit connection as the superuser (normally over the cluster's socket)."""
    su = make_url(superuser_url)
    params = {
        "host": su.query.get("host", su.host),
        "port": su.query.get("port", su.port),
        "user": su.username,
        "password": su.password,
        "dbname": database,
    }
    conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if v})
    return psycopg.connect(conninfo, autocommit=True)


def install_unlock_guard(
    superuser_url: str | URL, database_url: str, delay_scale: float = 1.0
) -> None:
    """Run the administrator's setup script in the vault's database, as the superuser would.

    ``delay_scale`` shrinks the server's delays for a test (the app role cannot change it).
    """
    database = make_url(database_url).database
    assert database
    with superuser_connection(superuser_url, database) as conn:
        conn.execute(UNLOCK_GUARD_SCRIPT.read_text(encoding="utf-8").encode())
        conn.execute("UPDATE infohus_guard.settings SET delay_scale = %s", (delay_scale,))
