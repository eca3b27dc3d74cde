"""Run Alembic migrations from code: ``upgrade_to_head`` is what init calls, and
``upgrade_automatic`` what open calls.

Most revisions only add (tables, columns): open applies them. A *keyed* revision removes
values that must first be sealed by a member who holds the keys (issue 20: the clear columns
of ``cases``): open stops before it, and ``infohus vault upgrade`` applies it in the
transaction that seals (services/accounts/vault_upgrade.py).

On a shared PostgreSQL server set up with ``infohus server init`` the workstations connect as
an application role that may not change the schema: :func:`checked_pending` tells such a
workstation to have the server updated (``infohus server migrate``, run as the owner role)
instead of trying, and any workstation that meets a schema newer than its own to update
Infohus Desktop."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import ProgrammingError

from infohus_desktop.domain.errors import SchemaMismatch

#: A package resource, which Alembic opens through :mod:`importlib.resources` itself: the
#: migrations are package data (pyproject), found wherever the package is installed.
MIGRATIONS = "infohus_desktop.vault:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return revision_in(connection)


def revision_in(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


#: Revisions that open does not apply by itself (see the module's docstring).
KEYED_REVISIONS = frozenset({"0014", "0015", "0016", "0017"})


def upgrade_to_head(engine: Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def pending_revisions(engine: Engine) -> list[str]:
    """The revisions not yet applied, oldest first."""
    return pending_after(current_revision(engine))


def pending_after(current: str | None) -> list[str]:
    """The revisions after ``current`` (a known one), oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    pending = [r.revision for r in script.iterate_revisions("head", current)]
    return list(reversed(pending))


def upgrade_automatic(engine: Engine) -> None:
    """Apply the pending revisions up to the first keyed one (all of them if none is keyed)."""
    pending = pending_revisions(engine)
    target = None
    for revision in pending:
        if revision in KEYED_REVISIONS:
            break
        target = revision
    if target is not None:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), target)


def upgrade_in(connection: Connection) -> None:
    """Apply every pending revision in the caller's transaction (the keyed upgrade)."""
    command.upgrade(alembic_config(connection), "head")


def keyed_upgrade_due(engine: Engine) -> bool:
    """Whether a keyed revision waits for ``infohus vault upgrade``."""
    return any(r in KEYED_REVISIONS for r in pending_revisions(engine))


def known_revision(revision: str) -> bool:
    """Whether this program's migrations know ``revision`` (an unknown one is newer)."""
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
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
    :class:`SchemaMismatch` when the schema is newer than this program, or older and this
    workstation's role may not migrate it."""
    try:
        current = current_revision(engine)
    except ProgrammingError as exc:
        # A server's application role not (yet) granted the schema: after a restore as the
        # owner role, before ``server migrate`` gave the grants. SQLSTATE 42501.
        if getattr(exc.orig, "sqlstate", None) == "42501":
            raise SchemaMismatch.server_outdated() from exc
        raise
    if current is not None and not known_revision(current):
        raise SchemaMismatch.app_outdated()
    pending = pending_revisions(engine)
    if pending and not may_migrate(engine):
        raise SchemaMismatch.server_outdated()
    return pending
