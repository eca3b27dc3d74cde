"""Every column a reader of the database sees in clear is on the one list of docs/SECURITY.md
§8, with the reason it is clear: the test reads the live schema of a migrated vault (SQLite
and PostgreSQL) and fails on any clear column the list does not name, so a feature cannot add
one unnoticed.

The list's first cell names columns as `table`.`column`, further `column`s of the same table,
several tables before a colon (`a`, `b`: `x`, `y`), "the same tables'" for the row before's
tables, and patterns such as `created_*` or `*`.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from sqlalchemy import inspect

from infohus_desktop.vault import migrate
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.models import METADATA
from infohus_desktop.vault.types import EncryptedBlob

SECURITY = Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md"
_TICKED = re.compile(r"`([^`]+)`")


def documented() -> dict[str, set[str]]:
    """Table → column names or patterns named in the storage table of SECURITY.md §8."""
    text = SECURITY.read_text(encoding="utf-8")
    section = text[text.index("## 8. Storage") : text.index("## 9. Parameters")]
    out: dict[str, set[str]] = {}
    previous: list[str] = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| Column") or line.startswith("|---"):
            continue
        cell = line.split(" | ", 1)[0][2:]
        tables = list(previous) if "same tables" in cell else []
        head, colon, tail = cell.partition(":")
        if colon and "`.`" not in head:
            tables, cell = _TICKED.findall(head), tail
        for match in re.finditer(r"`([^`]+)`(?:\.(?:`([^`]+)`|(\*)))?", cell):
            name, column = match.group(1), match.group(2) or match.group(3)
            if column is not None:
                tables = [name]
                out.setdefault(name, set()).add(column)
            else:
                for table in tables:
                    out.setdefault(table, set()).add(name)
        previous = tables or previous
    return out


def _named(patterns: set[str], column: str) -> bool:
    return any(fnmatch.fnmatchcase(column, p) for p in patterns)


def test_every_clear_column_of_the_live_schema_is_on_the_list(db_url: str) -> None:
    engine = create_vault_engine(db_url)
    try:
        migrate.upgrade_to_head(engine)
        live = inspect(engine)
        names = documented()
        missing = []
        for table in live.get_table_names():
            if table == "alembic_version":
                continue  # Alembic's own; §8 names it
            model = METADATA.tables[table]
            for column in live.get_columns(table):
                name = column["name"]
                if isinstance(model.c[name].type, EncryptedBlob):
                    continue
                if not _named(names.get(table, set()), name):
                    missing.append(f"{table}.{name}")
    finally:
        engine.dispose()
    assert missing == [], "clear columns not on the list of docs/SECURITY.md §8"


def test_the_list_is_read_as_meant() -> None:
    """A check of the reader itself: a few rows of each form."""
    names = documented()
    assert {"id", "number", "version", "meta"} <= names["cases"]
    assert not {"status", "category", "received"} & names["cases"]  # sealed (issue 20)
    assert _named(names["meetings"], "created_at") and not _named(names["meetings"], "status")
    assert "corrects" in names["case_journal"] and "payload" in names["case_journal"]
    assert "by_member" not in names["case_journal"]
    assert _named(names["group_removals"], "anything")
