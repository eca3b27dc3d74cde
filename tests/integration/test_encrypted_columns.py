"""Every encrypted column: plaintext refused on the way in, tampering refused on the way out.

The columns are found from the schema, so a column added by a later feature is covered
without touching this file (the `populated` fixture must give it rows).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault.models import METADATA
from infohus_desktop.vault.schema import GroupRow, MemberRow
from infohus_desktop.vault.types import EncryptedBlob, PlaintextRefused, UUIDString
from tests.integration.conftest import (
    District,
    module_database,
    one_test_of,
    shared_district,
)
from tests.integration.encrypted_population import (
    ONE_PER_VAULT,
    Stored,
    populate,
    stored_values,
)

ENCRYPTED = [
    (table, column)
    for table in METADATA.sorted_tables
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
    assert {
        "members.name",
        "access_groups.name",
        "cases.person",
        "case_journal.payload",
        "case_attachment_chunks.data",
    } <= names


def _made_up_key(table: Table) -> dict[str, object]:
    """Primary key values of the right types, for an insert that must be refused."""
    return {
        c.name: (uuid.uuid4() if isinstance(c.type, UUIDString) else 0)
        for c in table.primary_key.columns
    }


@pytest.fixture(scope="module")
def populated_vault(
    module_engine: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[District]:
    """Rows in every encrypted column (tests/integration/encrypted_population.py).

    Built once per engine for the module: it takes seconds, and the tests that use it only
    read stored values and decrypt them in memory, so they cannot disturb one another.
    """
    tmp_path = tmp_path_factory.mktemp("populated")
    with (
        module_database(module_engine, request, tmp_path_factory) as url,
        shared_district(url, tmp_path / "home") as district,
    ):
        with pytest.MonkeyPatch.context() as monkeypatch:  # chunk sizes: while populating
            populate(district, tmp_path, monkeypatch)
        yield district


@pytest.fixture
def populated(populated_vault: District) -> Iterator[District]:
    with one_test_of(populated_vault) as district:
        yield district


@pytest.fixture(scope="module")
def empty_vault(
    module_engine: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[District]:
    """A standard district for the module's tests that only try to write and are refused
    before anything reaches the database: one vault per engine, not one per parameter."""
    tmp_path = tmp_path_factory.mktemp("empty")
    with (
        module_database(module_engine, request, tmp_path_factory) as url,
        shared_district(url, tmp_path / "home") as district,
    ):
        yield district


@pytest.fixture
def empty_district(empty_vault: District) -> Iterator[District]:
    with one_test_of(empty_vault) as district:
        yield district


def _decrypt(district: District, session: Session, stored: Stored) -> bytes:
    ciphertext = Ciphertext(stored.value)
    key = district.coordinator.keyring.field_key_by_id(session, ciphertext.key_id)
    return key.decrypt(ciphertext, stored.ctx)


@pytest.mark.parametrize(("table", "column"), ENCRYPTED, ids=lambda x: getattr(x, "name", x))
@pytest.mark.parametrize("bad", ["plain text", b"raw bytes", bytearray(b"x" * 40)])
def test_plaintext_refused_through_core(
    empty_district: District, table: Table, column: object, bad: object
) -> None:
    # The type refuses the value as it is bound, rows or not: an empty vault will do (the
    # populated one costs seconds, times every column and bad value), and as nothing is
    # written one vault serves every parameter.
    name = column.name  # type: ignore[attr-defined]
    with empty_district.open().uow() as session:
        with refused():
            session.execute(update(table).values({name: bad}))
        session.rollback()
        with refused():
            session.execute(insert(table).values({**_made_up_key(table), name: bad}))
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


@pytest.mark.parametrize(("table", "column"), ENCRYPTED, ids=lambda x: getattr(x, "name", x))
def test_flipped_bits_and_truncation_are_refused(
    populated: District, table: Table, column: object
) -> None:
    with populated.open().uow() as session:
        values = stored_values(session, table, column.name)  # type: ignore[attr-defined]
        if (table.name, column.name) in ONE_PER_VAULT:  # type: ignore[attr-defined]
            # One row per vault by design (the vault's bundle identity): one database cannot
            # hold two, so its one value is checked as fully as the others.
            assert len(values) == 1, "the column must have its row in this test"
        else:
            assert len(values) >= 2, "every encrypted column needs rows in this test"
        for stored in values[:3]:
            _decrypt(populated, session, stored)  # the intact value reads
            data = stored.value
            for position in range(1, len(data)):  # byte 0 is the version
                flipped = bytearray(data)
                flipped[position] ^= 1 << (position % 8)
                with pytest.raises(TamperedData):
                    _decrypt(populated, session, Stored(stored.ctx, bytes(flipped)))
            for length in range(len(data)):
                with pytest.raises(TamperedData):
                    _decrypt(populated, session, Stored(stored.ctx, data[:length]))


def test_values_moved_anywhere_else_are_refused(populated: District) -> None:
    """Stored values put in the place of others (another row, column, table, case or chunk
    position) fail to decrypt, as does a value whose case id alone is changed."""
    with populated.open().uow() as session:
        everything = [
            stored
            for table, column in ENCRYPTED
            for stored in stored_values(session, table, column.name)
        ]
        moved = 0
        for source in everything[::7]:
            for target in everything:
                if target.ctx == source.ctx:
                    continue
                with pytest.raises(TamperedData):
                    _decrypt(populated, session, Stored(target.ctx, source.value))
                moved += 1
        for source in everything:
            if source.ctx.case_id is not None:
                other = replace(source.ctx, case_id=uuid.uuid4())
                with pytest.raises(TamperedData):
                    _decrypt(populated, session, Stored(other, source.value))
                moved += 1
    assert moved >= 500


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
