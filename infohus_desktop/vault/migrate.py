"""Run Alembic migrations from code: ``upgrade_to_head`` is what init calls, and
``upgrade_automatic`` what open calls.

Most revisions only add (tables, columns): open applies them. A *keyed* revision removes
values that must first be sealed by a member who holds the keys (issue 20: the clear columns
of ``cases``): open stops before it, and ``infohus vault upgrade`` applies it in the
transaction that seals (services/accounts/vault_upgrade.py).

Alembic loads only when there is something to do: opening a vault already at the packaged head
(nearly every start) compares the stored revision with the head read from the revision files'
text, which costs a query and a few small reads instead of Alembic and every migration module
(start-up, issue 17). Anything unexpected falls back to Alembic's own answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from infohus_desktop.vault.revisions import MIGRATIONS, packaged_head

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


#: Revisions that open does not apply by itself (see the module's docstring).
KEYED_REVISIONS = frozenset({"0014", "0015", "0016", "0017"})


def upgrade_to_head(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def pending_revisions(engine: Engine) -> list[str]:
    """The revisions not yet applied, oldest first."""
    head = packaged_head()
    if head is not None and _stored_revision(engine) == head:
        return []
    from alembic.script import ScriptDirectory

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
        from alembic import command

        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), target)


def upgrade_in(connection: Connection) -> None:
    """Apply every pending revision in the caller's transaction (the keyed upgrade)."""
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def keyed_upgrade_due(engine: Engine) -> bool:
    """Whether a keyed revision waits for ``infohus vault upgrade``."""
    return any(r in KEYED_REVISIONS for r in pending_revisions(engine))


def _stored_revision(engine: Engine) -> str | None:
    """The one revision in ``alembic_version``, or None (no table yet, or not one row)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None
