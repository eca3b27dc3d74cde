"""Changing a vault behind the program's back, as a server operator or a thief of the file
could: one transaction of plain SQL on a fresh engine, closed afterwards."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Connection, select, update

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.schema import SettingRow


def tamper(url: str, change: Callable[[Connection], object]) -> None:
    engine = create_vault_engine(url)
    try:
        with engine.begin() as connection:
            change(connection)
    finally:
        engine.dispose()


def flip_person(number: str) -> Callable[[Connection], None]:
    """A change for :func:`tamper`: one bit of case ``number``'s sealed person flipped."""
    return flip_sealed(number, "person")


def flip_sealed(number: str, column: str) -> Callable[[Connection], None]:
    """A change for :func:`tamper`: one bit of a sealed column of case ``number`` flipped
    (``person``, or ``meta``: the sealed copy a case list reads)."""

    def change(c: Connection) -> None:
        value = c.scalar(select(CaseRow.__table__.c[column]).where(CaseRow.number == number))
        assert value is not None
        flipped = bytearray(value)
        flipped[-1] ^= 1
        c.execute(
            update(CaseRow).where(CaseRow.number == number).values({column: Ciphertext(flipped)})
        )

    return change


def edit_stored_rules(section: str, key: str, months: int) -> Callable[[Connection], None]:
    """A change for :func:`tamper`: one period of the signed retention rules rewritten in
    place (``closing_reasons``/``classes``), the coordinator's signature left as it was."""

    def change(c: Connection) -> None:
        where = SettingRow.key == "retention.rules"
        value = json.loads(c.scalar(select(SettingRow.value).where(where)))
        value["rules"][section][key] = months
        c.execute(update(SettingRow).where(where).values(value=json.dumps(value)))

    return change
