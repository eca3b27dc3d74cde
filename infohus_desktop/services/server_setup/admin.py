"""The administrator's connection: a superuser's URL, used for what only it may do (make
roles and the database, run the migrations as the owner role, install the unlock guard).
Nothing from it is stored; messages name the server without a password."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import psycopg
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool

from infohus_desktop.domain.errors import AccessDenied, InvalidInput, VaultUnavailable
from infohus_desktop.vault.server_tls import (
    connect_failure,
    connect_params,
    guard_server_connections,
    require_verified_tls,
)

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def checked_name(name: str, what_da: str, what_en: str) -> str:
    """A database or role name as PostgreSQL keeps it unquoted: lower case, digits, ``_``."""
    if not _NAME.fullmatch(name):  # fullmatch: "$" would let a final newline through
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
    if url.get_backend_name() not in ("postgresql", "postgres"):  # postgres://: libpq's too
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
    engine = create_engine(url, isolation_level=isolation, poolclass=NullPool, hide_parameters=True)
    # The same transport rule as a workstation's: the superuser's password and the whole
    # setup session go to a remote server only over verified TLS (vault/server_tls.py).
    guard_server_connections(engine)
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
    """A plain driver connection (autocommit), for a script with its own BEGIN/COMMIT: made
    from the same connection arguments as the engine's (service, host lists, pass and
    certificate files included) and under the same transport rule."""
    with admin_engine(url) as engine:
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
    require_verified_tls(connect_params(cargs, cparams))
    try:
        return psycopg.connect(*cargs, **{**cparams, "autocommit": True})
    except psycopg.OperationalError as exc:
        failure = connect_failure(exc)  # a certificate or password refused: say which
        if failure is not None:
            raise failure from None
        raise unreachable(url) from exc
    except psycopg.Error as exc:
        raise unreachable(url) from exc


def scram_verifier(connection: Connection, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, made on this side: the server (and its
    statement log) never sees the password itself."""
    driver = connection.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    verifier = driver.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
    return verifier.decode("ascii")
