"""Vault addresses without SQLAlchemy: the welcome page and ``--vault`` turn a file into a
database URL before anything has loaded the database layer (start-up, issue 17)."""

from __future__ import annotations

from pathlib import Path


def url_for_path(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"
