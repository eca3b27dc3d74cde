"""Changing a vault behind the program's back, as a server operator or a thief of the file
could: one transaction of plain SQL on a fresh engine, closed afterwards."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from infohus_desktop.vault.engine import create_vault_engine


def tamper(url: str, change: Callable[[Connection], object]) -> None:
    engine = create_vault_engine(url)
    try:
        with engine.begin() as connection:
            change(connection)
    finally:
        engine.dispose()
