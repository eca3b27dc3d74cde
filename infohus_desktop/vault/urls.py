"""Vault addresses without SQLAlchemy: the welcome page and ``--vault`` turn a file into a
database URL before anything has loaded the database layer (start-up, issue 17)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote


def url_for_path(path: Path) -> str:
    """The SQLite URL of the vault file ``path``.

    SQLAlchemy reads a URL's database part with ``%XX`` decoded and ends it at ``?`` (a query
    follows), so both are written escaped: a vault named ``sager%41.sqlite`` or
    ``sager?.sqlite`` is that file, not ``sagerA.sqlite`` or ``sager``. Any other path gives
    the URL it always gave."""
    text = str(path).replace("%", "%25").replace("?", "%3F")
    return f"sqlite+pysqlite:///{text}"


def file_of_url(url: str) -> str:
    """The file named by an SQLite URL's database part, read as SQLAlchemy reads it (its
    query dropped, ``%XX`` decoded); "" when there is none. The inverse of
    :func:`url_for_path`."""
    database = url.split("///", 1)[1] if "///" in url else ""
    return unquote(database.split("?", 1)[0])
