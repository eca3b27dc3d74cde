"""Changing a vault behind the program's back, as a server operator or a thief of the file
could: one transaction of plain SQL on a fresh engine, closed afterwards."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select, update

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine


def tamper(url: str, change: Callable[[Connection], object]) -> None:
    engine = create_vault_engine(url)
    try:
        with engine.begin() as connection:
            change(connection)
    finally:
        engine.dispose()


def flip_person(number: str) -> Callable[[Connection], None]:
    """A change for :func:`tamper`: one bit of case ``number``'s sealed person flipped."""

    def change(c: Connection) -> None:
        person = c.scalar(select(CaseRow.person).where(CaseRow.number == number))
        assert person is not None
        flipped = bytearray(person)
        flipped[-1] ^= 1
        c.execute(
            update(CaseRow).where(CaseRow.number == number).values(person=Ciphertext(flipped))
        )

    return change
