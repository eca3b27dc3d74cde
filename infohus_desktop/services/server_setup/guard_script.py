"""Where the unlock guard's SQL is: a package resource
(``infohus_desktop/resources/sql/postgresql-unlock-guard.sql``, the one script an
administrator could also run by hand with psql), so a checkout, an installed wheel and the
frozen program all have it; or where ``--unlock-guard-sql`` says."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.services.accounts.unlock_guard import SCRIPT, SCRIPT_NAME


def packaged() -> str:
    """The script as the package ships it."""
    return (resources.files("infohus_desktop.resources") / "sql" / SCRIPT_NAME).read_text(
        encoding="utf-8"
    )


def guard_sql(given: str | None = None) -> str:
    try:
        return Path(given).expanduser().read_text(encoding="utf-8") if given else packaged()
    except OSError:
        raise InvalidInput(
            f"Scriptet til beskyttelsen mod gætteforsøg ({given or SCRIPT}) kunne ikke læses: "
            "angiv det med --unlock-guard-sql FIL.",
            f"The script of the protection against guessing ({given or SCRIPT}) could not be "
            "read: give it with --unlock-guard-sql FILE.",
        ) from None
