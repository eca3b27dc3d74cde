"""The application role's least privilege and the guards, applied after every migration.

Who may do what in a vault database set up by ``infohus server init``:

* the **owner role** owns the database, the schema and every table; it runs the migrations
  (``infohus server migrate`` switches to it with ``SET ROLE``), and nothing else;
* the **application role(s)**, every role other than the owner that may connect to the
  database, read and write the tables the program changes, may only insert into the
  append-only tables (vault/append_only.py) and only read ``alembic_version``; they may not
  create, alter or drop anything, and call just the two functions that do the program's own
  deletions there (a case's journal with its case, audit entries behind a pruning summary);
* the **unlock guard** (resources/sql/postgresql-unlock-guard.sql) keeps the failed unlocks
  where no application role can write.

Everything here is idempotent and runs in the migration's transaction (the guard right
after it), so the grants always match the tables of the schema that was just made.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.vault.append_only import (
    APP_FUNCTIONS,
    APPEND_ONLY_TABLES,
    POLICY_TABLE,
    install_statements,
)


def roles_of(connection: Connection) -> tuple[str, list[str]]:
    """The database's owner role and its application roles (those granted CONNECT)."""
    row = connection.execute(
        text(
            "SELECT pg_get_userbyid(d.datdba) AS owner, "
            "has_database_privilege('public', d.oid, 'CONNECT') AS public_connect "
            "FROM pg_database d WHERE d.datname = current_database()"
        )
    ).one()
    if row.public_connect:
        raise InvalidInput(
            "Databasen er ikke sat op med 'infohus server init' (alle roller må forbinde til den).",
            "The database was not set up with 'infohus server init' (every role may connect "
            "to it).",
        )
    apps = connection.execute(
        text(
            "SELECT r.rolname FROM pg_database d, aclexplode(d.datacl) a "
            "JOIN pg_roles r ON r.oid = a.grantee "
            "WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT' "
            "AND a.grantee <> d.datdba AND NOT r.rolsuper ORDER BY r.rolname"
        )
    ).scalars()
    return str(row.owner), [str(a) for a in apps]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def apply(connection: Connection, apps: list[str]) -> None:
    """Guards and grants, as the owner role (the caller has ``SET ROLE`` to it)."""
    cursor = connection.connection.cursor()  # plain SQL: its '%' are PL/pgSQL's, not params
    try:
        for statement in install_statements():
            cursor.execute(statement)
    finally:
        cursor.close()
    tables = [
        str(t)
        for t in connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
    ]
    for app in apps:
        role = _q(app)
        connection.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        connection.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
        for table in tables:
            if table in ("alembic_version", POLICY_TABLE):
                rights = "SELECT"
            elif table in APPEND_ONLY_TABLES:
                rights = "SELECT, INSERT"
            else:
                rights = "SELECT, INSERT, UPDATE, DELETE"
            connection.exec_driver_sql(f"GRANT {rights} ON public.{_q(table)} TO {role}")
        connection.exec_driver_sql(
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"
        )
        for function in APP_FUNCTIONS:
            connection.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")
