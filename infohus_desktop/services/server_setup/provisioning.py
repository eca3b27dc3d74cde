"""``infohus server init`` and ``infohus server migrate``.

``init`` makes, as the administrator (a superuser): the owner role and the application role
(both LOGIN, with generated passwords sent to the server only as SCRAM verifiers), the
database owned by the owner role with CONNECT for these two roles only, the schema ``public``
closed to everyone else; then what ``migrate`` does. ``--without-schema`` stops before the
schema, for a backup restored into the empty database as the owner role.

``migrate`` runs Alembic in the vault database as the owner role (``SET ROLE``: the tables
stay the owner's), applies the guards and grants in the same transaction, and then (re)runs
the unlock guard's script. The application role never migrates (vault/migrate.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import psycopg
from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from infohus_desktop.domain.errors import InvalidInput, SchemaMismatch, VaultUnavailable
from infohus_desktop.services.server_setup import privileges
from infohus_desktop.services.server_setup.admin import (
    admin_engine,
    admin_url,
    checked_name,
    connected,
    raw_connection,
    scram_verifier,
    shown,
)
from infohus_desktop.services.server_setup.guard_script import guard_sql as read_guard_sql
from infohus_desktop.vault import migrate, schema_match


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    #: Only in the result of ``init``: the caller prints it once or writes it to a 0600 file.
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class MigrationReport:
    database: str
    owner: str
    apps: tuple[str, ...]
    before: str | None
    after: str
    guard: bool


@dataclass(frozen=True, slots=True)
class SetupReport:
    database: str
    owner: Role
    app: Role
    migration: MigrationReport | None


def default_roles(database: str) -> tuple[str, str]:
    """``infohus`` → ``infohus_owner`` and ``infohus_app``: the names carry the database,
    so two vault databases on one cluster never share a role."""
    return f"{database}_owner", f"{database}_app"


def _q(name: str) -> str:
    return '"' + name + '"'  # names are checked_name()s: no quote can be in them


def init_server(
    url_text: str,
    database: str,
    owner: str | None = None,
    app: str | None = None,
    with_schema: bool = True,
    guard_sql: str | None = None,
) -> SetupReport:
    database = checked_name(database, "Databasenavnet", "database name")
    default_owner, default_app = default_roles(database)
    owner = checked_name(owner or default_owner, "Ejerrollens navn", "owner role name")
    app = checked_name(app or default_app, "Programrollens navn", "application role name")
    if owner == app:
        raise InvalidInput(
            "Ejerrollen og programrollen skal være to forskellige roller.",
            "The owner role and the application role must be two different roles.",
        )
    url = admin_url(url_text)
    roles = (Role(owner, secrets.token_urlsafe(24)), Role(app, secrets.token_urlsafe(24)))
    with connected(url) as connection:
        _refuse_existing(connection, database, (owner, app))
        made: list[str] = []
        try:
            for role in roles:
                connection.exec_driver_sql(
                    f"CREATE ROLE {_q(role.name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                    f"NOINHERIT NOREPLICATION PASSWORD "
                    f"'{scram_verifier(connection, role.name, role.password)}'"
                )
                made.append(role.name)
            connection.exec_driver_sql(
                f"CREATE DATABASE {_q(database)} OWNER {_q(owner)} ENCODING 'UTF8' "
                "TEMPLATE template0"
            )
            made.append("")  # the database: dropped first on failure
            connection.exec_driver_sql(f"REVOKE ALL ON DATABASE {_q(database)} FROM PUBLIC")
            connection.exec_driver_sql(
                f"GRANT CONNECT ON DATABASE {_q(database)} TO {_q(owner)}, {_q(app)}"
            )
            _close_schema(url.set(database=database), owner, app)
            migration = migrate_server(url_text, database, guard_sql) if with_schema else None
        except BaseException:
            _undo(connection, database, made)
            raise
    return SetupReport(database, roles[0], roles[1], migration)


def _refuse_existing(connection: Connection, database: str, roles: tuple[str, str]) -> None:
    if connection.execute(
        text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}
    ).first():
        raise InvalidInput(
            f"Databasen {database} findes allerede; intet er ændret. En opsat server "
            "opdateres med 'infohus server migrate'.",
            f"The database {database} already exists; nothing was changed. A server set up "
            "before is updated with 'infohus server migrate'.",
        )
    for role in roles:
        if connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).first():
            raise InvalidInput(
                f"Rollen {role} findes allerede; intet er ændret. Vælg andre navne med "
                "--owner-role/--app-role.",
                f"The role {role} already exists; nothing was changed. Choose other names "
                "with --owner-role/--app-role.",
            )


def _close_schema(url: URL, owner: str, app: str) -> None:
    with admin_engine(url) as engine, engine.connect() as connection:
        connection.exec_driver_sql(f"ALTER SCHEMA public OWNER TO {_q(owner)}")
        connection.exec_driver_sql("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {_q(app)}")


def _undo(connection: Connection, database: str, made: list[str]) -> None:
    """Leave the server as it was after a failed init: the database, then the roles."""
    if "" in made:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {_q(database)} WITH (FORCE)")
    for role in reversed([m for m in made if m]):
        connection.exec_driver_sql(f"DROP ROLE IF EXISTS {_q(role)}")


def migrate_server(
    url_text: str, database: str | None = None, guard_sql: str | None = None
) -> MigrationReport:
    """Bring the vault database to this program's schema, as its owner role, and apply the
    guards, grants and the unlock guard again."""
    url = admin_url(url_text, database)
    if not url.database:
        raise InvalidInput(
            "Angiv databasen med --database eller i administratoradressen.",
            "Give the database with --database or in the administrator URL.",
        )
    with connected(url) as probe:
        owner, apps = privileges.roles_of(probe)
    with admin_engine(url, autocommit=False) as engine:
        try:
            with engine.begin() as c:
                c.exec_driver_sql(f"SET LOCAL ROLE {_q(owner)}")
                before = schema_match.revision_in(c)
                if before is not None and not schema_match.known_revision(before):
                    raise SchemaMismatch.app_outdated()
                if before and migrate.KEYED_REVISIONS & set(schema_match.pending_after(before)):
                    raise _keyed_pending()
                command.upgrade(migrate.alembic_config(c), "head")
                privileges.apply(c, apps)
        except DBAPIError as exc:
            # The primary message only: the full text may carry a failing row's DETAIL.
            diag = getattr(exc.orig, "diag", None)
            reason = getattr(diag, "message_primary", None) or type(exc.orig).__name__
            raise VaultUnavailable(
                f"Migreringen af {shown(url)} mislykkedes; intet er ændret. ({reason})",
                f"Migrating {shown(url)} failed; nothing was changed. ({reason})",
            ) from exc
    guard = install_guard(url_text, url.database, apps, guard_sql)
    return MigrationReport(url.database, owner, tuple(apps), before, migrate.head_revision(), guard)


def _keyed_pending() -> SchemaMismatch:
    return SchemaMismatch(
        "Boksen har stadig et ældre formats klartekstkolonner: en koordinator skal først "
        "opgradere den med 'infohus vault upgrade' på en arbejdsstation forbundet som "
        "ejerrollen (docs/SERVER.md, Opgradering).",
        "The vault still has the clear columns of an earlier format: a coordinator must first "
        "upgrade it with 'infohus vault upgrade' on a workstation connected as the owner role "
        "(docs/SERVER.md, Upgrading).",
    )


def install_guard(url_text: str, database: str, apps: list[str], sql: str | None) -> bool:
    """(Re)install the unlock guard, naming the application roles; False before a schema."""
    url = admin_url(url_text, database)
    script = read_guard_sql(sql)
    with raw_connection(url) as conn:
        if conn.execute("SELECT to_regclass('public.members')").fetchone() == (None,):
            return False
        try:
            conn.execute("SELECT set_config('infohus.app_roles', %s, false)", (",".join(apps),))
            conn.execute(script.encode())
        except psycopg.Error as exc:
            raise VaultUnavailable(
                f"Beskyttelsen mod gætteforsøg kunne ikke installeres i {url.database}: "
                f"{exc.diag.message_primary or type(exc).__name__}",
                f"The protection against guessing could not be installed in {url.database}: "
                f"{exc.diag.message_primary or type(exc).__name__}",
            ) from exc
    return True
