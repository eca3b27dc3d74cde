"""Whether this workstation can use the vault's schema as it is (issue 15).

A vault in a file, or on a PostgreSQL database its workstation owns, migrates itself when
opened (vault/migrate.py). On a shared server set up with ``infohus server init`` the
workstations connect as an application role that may not change the schema:
:func:`checked_pending` tells such a workstation to have the server updated (``infohus
server migrate``, run as the owner role) instead of trying, and any workstation that meets a
schema newer than its own to update Infohus Desktop. Alembic is loaded only on the paths
that need it, as in vault/migrate.py.
"""

from __future__ import annotations

import sys

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import ProgrammingError

from infohus_desktop.domain.errors import SchemaMismatch, VaultUnavailable
from infohus_desktop.vault import migrate

#: SQLSTATE insufficient_privilege.
_NO_PRIVILEGE = "42501"


def known_revision(revision: str) -> bool:
    """Whether this program's migrations know ``revision`` (an unknown one is newer)."""
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        script = ScriptDirectory.from_config(migrate.alembic_config())
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def may_migrate(engine: Engine) -> bool:
    """Whether the connected role may change the schema: always on SQLite; on PostgreSQL
    only a role that may create in the schema (the owner, not a server's application role)."""
    if engine.dialect.name != "postgresql":
        return True
    with engine.connect() as connection:
        allowed = connection.execute(
            text("SELECT has_schema_privilege(current_user, 'public', 'CREATE')")
        ).scalar()
    return bool(allowed)


def checked_pending(engine: Engine) -> list[str]:
    """The pending revisions, oldest first, when this workstation can deal with them;
    :class:`SchemaMismatch` when the schema is newer than this program, or older (or not
    yet granted to it) and this workstation's role may not migrate it."""
    try:
        pending = migrate.pending_revisions(engine)
    except ProgrammingError as exc:
        # A server's application role not granted the schema yet: after a restore as the
        # owner role, before ``server migrate`` gave the grants.
        if getattr(exc.orig, "sqlstate", None) == _NO_PRIVILEGE:
            raise SchemaMismatch.server_outdated() from exc
        raise
    except Exception as exc:
        if not _is_revision_error(exc):
            raise
        current = migrate.current_revision(engine)
        if current is not None and not known_revision(current):
            raise SchemaMismatch.app_outdated() from exc
        raise
    if pending and not may_migrate(engine):
        raise SchemaMismatch.server_outdated()
    return pending


def _is_revision_error(exc: Exception) -> bool:
    """Whether Alembic could not place the stored revision. Asked without importing Alembic
    when it is not loaded (a vault at the current revision never loads it: start-up, issue
    17), since then it cannot have raised."""
    if "alembic" not in sys.modules:
        return False
    from alembic.script.revision import RevisionError

    return isinstance(exc, RevisionError)


def no_vault_yet(location: str) -> VaultUnavailable:
    """A server made ready by ``infohus server init`` that has no vault in it yet."""
    return VaultUnavailable(
        f"Serveren på {location} er klar, men der er endnu ingen boks. Den første koordinator "
        "opretter den med 'infohus init' (eller Opret en ny boks i programmet).",
        f"The server at {location} is ready, but there is no vault yet. The first coordinator "
        "creates it with 'infohus init' (or Create a new vault in the program).",
    )


def revision_in(connection: Connection) -> str | None:
    """The revision of the database ``connection`` is in (the server's migration)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def pending_after(current: str | None) -> list[str]:
    """The revisions after ``current`` (a known one), oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    return list(reversed([r.revision for r in script.iterate_revisions("head", current)]))
