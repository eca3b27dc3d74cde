"""Run Alembic migrations from code: ``upgrade_to_head`` is what init calls, and
``upgrade_automatic`` what open calls.

Most revisions only add (tables, columns): open applies them. A *keyed* revision removes
values that must first be sealed by a member who holds the keys (issue 20: the clear columns
of ``cases``): open stops before it, and ``infohus vault upgrade`` applies it in the
transaction that seals (services/accounts/vault_upgrade.py)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

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
        return MigrationContext.configure(connection).get_current_revision()


#: Revisions that open does not apply by itself (see the module's docstring).
KEYED_REVISIONS = frozenset({"0014", "0015", "0016", "0017"})


def upgrade_to_head(engine: Engine) -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def pending_revisions(engine: Engine) -> list[str]:
    """The revisions not yet applied, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    current = current_revision(engine)
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
