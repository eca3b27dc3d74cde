"""Every encrypted column: plaintext refused on the way in, tampering refused on the way out.

The columns are found from the schema, so a column added by a later feature is covered
without touching this file.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.schema import Base, GroupRow, MemberRow
from infohus_desktop.vault.types import EncryptedBlob, PlaintextRefused
from tests.integration.conftest import District

ENCRYPTED = [
    (table, column)
    for table in Base.metadata.sorted_tables
    for column in table.columns
    if isinstance(column.type, EncryptedBlob)
]


@contextlib.contextmanager
def refused() -> Iterator[None]:
    """SQLAlchemy wraps the type's refusal in a StatementError; the cause must be ours."""
    with pytest.raises(StatementError) as caught:
        yield
    assert isinstance(caught.value.orig, PlaintextRefused)


def test_schema_has_encrypted_columns() -> None:
    names = {f"{t.name}.{c.name}" for t, c in ENCRYPTED}
    assert {"members.name", "access_groups.name"} <= names


def _pk(table: Table) -> str:
    (pk,) = table.primary_key.columns
    return pk.name


def _rows(session: Session, table: Table, column: str) -> list[tuple[uuid.UUID, bytes]]:
    pk = _pk(table)
    return [(r[0], r[1]) for r in session.execute(select(table.c[pk], table.c[column]))]


@pytest.mark.parametrize(("table", "column"), ENCRYPTED, ids=lambda x: getattr(x, "name", x))
@pytest.mark.parametrize("bad", ["plain text", b"raw bytes", bytearray(b"x" * 40)])
def test_plaintext_refused_through_core_and_orm(
    district: District, table: Table, column: object, bad: object
) -> None:
    with district.open().uow() as session:
        key, _ = _rows(session, table, column.name)[0]  # type: ignore[attr-defined]
        pk = _pk(table)
        with refused():
            session.execute(
                update(table).where(table.c[pk] == key).values({column.name: bad})  # type: ignore[attr-defined]
            )
        session.rollback()
        with refused():
            session.execute(insert(table).values({pk: uuid.uuid4(), column.name: bad}))  # type: ignore[attr-defined]
        session.rollback()


def test_plaintext_refused_through_mapped_objects(district: District) -> None:
    with district.open().uow() as session:
        member = session.scalar(select(MemberRow))
        assert member is not None
        member.name = "Lars i klartekst"  # type: ignore[assignment]
        with refused():
            session.flush()
        session.rollback()
        group = session.scalar(select(GroupRow))
        assert group is not None
        group.name = b"bytes"  # type: ignore[assignment]
        with refused():
            session.flush()
        session.rollback()


def _decrypt(
    district: District, session: Session, table: Table, column: str, row_id: uuid.UUID, value: bytes
) -> bytes:
    ciphertext = Ciphertext(value)
    key = district.coordinator.keyring.field_key_by_id(session, ciphertext.key_id)
    return key.decrypt(ciphertext, FieldContext(table.name, column, row_id))


@pytest.mark.parametrize(("table", "column"), ENCRYPTED, ids=lambda x: getattr(x, "name", x))
def test_flipped_bits_and_truncation_are_refused(
    district: District, table: Table, column: object
) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    name = column.name  # type: ignore[attr-defined]
    with district.open().uow() as session:
        rows = _rows(session, table, name)
        assert len(rows) >= 2
        for row_id, value in rows:
            assert _decrypt(district, session, table, name, row_id, value)  # intact reads
            for position in range(1, len(value)):  # byte 0 is the version
                flipped = bytearray(value)
                flipped[position] ^= 1 << (position % 8)
                with pytest.raises(TamperedData):
                    _decrypt(district, session, table, name, row_id, bytes(flipped))
            for length in range(len(value)):
                with pytest.raises(TamperedData):
                    _decrypt(district, session, table, name, row_id, value[:length])


@pytest.mark.parametrize(("table", "column"), ENCRYPTED, ids=lambda x: getattr(x, "name", x))
def test_values_moved_between_rows_and_columns_are_refused(
    district: District, table: Table, column: object
) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "police", Role.MEMBER)
    name = column.name  # type: ignore[attr-defined]
    with district.open().uow() as session:
        rows = _rows(session, table, name)
        moved = 0
        for source_id, value in rows:
            for target_id, _ in rows:
                if target_id == source_id:
                    continue
                with pytest.raises(TamperedData):
                    _decrypt(district, session, table, name, target_id, value)
                moved += 1
            for other_table, other_column in ENCRYPTED:
                if (other_table, other_column.name) == (table, name):
                    continue
                with pytest.raises(TamperedData):
                    _decrypt(district, session, other_table, other_column.name, source_id, value)
                moved += 1
        assert moved >= 6


def test_tampered_name_in_database_fails_the_listing_with_a_clear_error(
    district: District,
) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with district.open().uow() as session:
        lars = session.scalar(select(MemberRow).where(MemberRow.login == "lars"))
        mette = session.scalar(select(MemberRow).where(MemberRow.login == "mette"))
        assert lars is not None
        assert mette is not None
        session.execute(  # Lars's sealed name copied onto Mette's row
            update(MemberRow)
            .where(MemberRow.id == mette.id)
            .values(name=lars.name, version=MemberRow.version + 1)
        )
    with pytest.raises(TamperedData) as caught:
        district.unlock("lars").accounts.list()
    assert "Lars" not in str(caught.value)
