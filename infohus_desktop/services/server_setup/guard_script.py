"""Where the unlock guard's SQL is (``docs/postgresql-unlock-guard.sql``, the one script an
administrator could also run by hand with psql): next to the source in a checkout, in the
bundle of the frozen program, or where ``--unlock-guard-sql`` says."""

from __future__ import annotations

import sys
from pathlib import Path

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.services.accounts.unlock_guard import SCRIPT


def candidates() -> list[Path]:
    found = [Path(__file__).resolve().parents[3] / SCRIPT]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / SCRIPT)
    return found


def guard_sql(given: str | None = None) -> str:
    paths = [Path(given).expanduser()] if given else candidates()
    for path in paths:
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            continue
    raise InvalidInput(
        f"Scriptet til beskyttelsen mod gætteforsøg ({SCRIPT}) blev ikke fundet: angiv det "
        "med --unlock-guard-sql FIL.",
        f"The script of the protection against guessing ({SCRIPT}) was not found: give it "
        "with --unlock-guard-sql FILE.",
    )
