"""The administrator's connection: a superuser's URL, used for what only it may do (make
roles and the database, run the migrations as the owner role, install the unlock guard).
Nothing from it is stored; messages name the server without a password."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from infohus_desktop.domain.errors import AccessDenied, InvalidInput, VaultUnavailable

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def checked_name(name: str, what_da: str, what_en: str) -> str:
    """A database or role name as PostgreSQL keeps it unquoted: lower case, digits, ``_``."""
    if not _NAME.match(name):
        raise InvalidInput(
            f"{what_da} {name!r} skal være små bogstaver a-z, cifre og _ (højst 63 tegn) og "
            "begynde med et bogstav.",
            f"The {what_en} {name!r} must be lower-case letters a-z, digits and _ (at most 63 "
            "characters), starting with a letter.",
        )
    return name


def admin_url(text_url: str, database: str | None = None) -> URL:
    try:
        url = make_url(text_url)
    except ArgumentError as exc:
        raise InvalidInput(
            "Administratoradressen kan ikke forstås.", "The administrator URL cannot be parsed."
        ) from exc
    if url.get_backend_name() != "postgresql":
        raise InvalidInput(
            "Administratoradressen skal være en PostgreSQL-adresse (postgresql://…).",
            "The administrator URL must be a PostgreSQL URL (postgresql://…).",
        )
    url = url.set(drivername="postgresql+psycopg")
    return url.set(database=database) if database else url


def shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def unreachable(url: URL) -> VaultUnavailable:
    return VaultUnavailable(
        f"Serveren kunne ikke bruges med administratorforbindelsen {shown(url)}.",
        f"The server could not be used with the administrator connection {shown(url)}.",
    )


@contextlib.contextmanager
def admin_engine(url: URL, autocommit: bool = True) -> Iterator[Engine]:
    isolation = "AUTOCOMMIT" if autocommit else "READ COMMITTED"
    engine = create_engine(url, isolation_level=isolation, poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


@contextlib.contextmanager
def connected(url: URL) -> Iterator[Connection]:
    """An autocommit connection as the administrator, which must be a superuser."""
    with admin_engine(url) as engine:
        try:
            connection = engine.connect()
        except DBAPIError as exc:
            raise unreachable(url) from exc
        with connection:
            superuser = connection.execute(
                text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            ).scalar()
            if not superuser:
                raise AccessDenied(
                    "Administratorforbindelsen skal være en superbruger (fx postgres): kun den "
                    "må oprette rollerne og installere beskyttelsen mod gætteforsøg.",
                    "The administrator connection must be a superuser (e.g. postgres): only "
                    "it may create the roles and install the protection against guessing.",
                )
            yield connection


def raw_connection(url: URL) -> psycopg.Connection:
    """A plain driver connection (autocommit), for a script with its own BEGIN/COMMIT."""
    query = {k: v for k, v in url.query.items() if isinstance(v, str)}
    params = {
        "host": query.get("host", url.host),
        "port": query.get("port", url.port),
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
        "service": query.get("service"),
        "sslmode": query.get("sslmode"),
        "sslrootcert": query.get("sslrootcert"),
    }
    try:
        conninfo = make_conninfo(**{k: str(v) for k, v in params.items() if v})
        return psycopg.connect(conninfo, autocommit=True)
    except psycopg.Error as exc:
        raise unreachable(url) from exc


def scram_verifier(connection: Connection, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, made on this side: the server (and its
    statement log) never sees the password itself."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    verifier = driver.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
    return verifier.decode("ascii")
