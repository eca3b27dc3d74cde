"""Alembic environment: always driven programmatically by :mod:`infohus_desktop.vault.migrate`."""

from __future__ import annotations

from alembic import context

from infohus_desktop.vault.models import METADATA

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
