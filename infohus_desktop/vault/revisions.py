"""Which schema revision the packaged migrations end at, known without Alembic.

Opening a vault already at that revision (nearly every start) then costs one query instead
of loading Alembic and every migration module (start-up, issue 17); the unlock screen's light
read (:mod:`infohus_desktop.vault.peek`) uses it to know the schema it reads is the current
one. This module imports nothing beyond the standard library."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

#: A package resource, which Alembic opens through :mod:`importlib.resources` itself: the
#: migrations are package data (pyproject), found wherever the package is installed.
MIGRATIONS = "infohus_desktop.vault:migrations"

_REVISION = re.compile(r"^revision\s*=\s*[\"']([^\"']+)[\"']", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(?:[\"']([^\"']+)[\"']|None)", re.M)


@cache
def packaged_head() -> str | None:
    """The head revision of the packaged migrations, read from the revision files' text
    (``revision = "…"``, ``down_revision = "…"``) without importing them; None when that is
    not one clear line of revisions, and the caller asks Alembic instead. A unit test holds
    it equal to Alembic's own head (``migrate.head_revision``)."""
    try:
        versions = resources.files(MIGRATIONS.replace(":", ".")) / "versions"
        sources = [
            entry.read_text(encoding="utf-8")
            for entry in versions.iterdir()
            if entry.name.endswith(".py") and not entry.name.startswith("_")
        ]
    except (OSError, ImportError):  # e.g. a frozen build without the files: ask Alembic
        return None
    revisions: set[str] = set()
    parents: set[str] = set()
    for source in sources:
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1) is not None:
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and len(revisions) == len(sources) else None
