"""The cold list reads and decrypts its rows in batches, each case's data key read in the
same statement (issue 17). A row that does not verify in a batch is listed as tampered and
the other rows of its batch read on: whichever part the list reads was changed (the sealed
copy with its listing, the data key's wrapping, the key's group, the version), and on a
cold list (read by group) as on a list after a change (read by id)."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, select, update

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases import summary_index
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.core import case_meta
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import loads
from infohus_desktop.vault.schema import DataKeyRow, GroupRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import flip_person, flip_sealed, tamper

NAMES = [f"Person Nummer{n}" for n in range(7)]


@pytest.fixture
def seven(district: District, monkeypatch: pytest.MonkeyPatch) -> tuple[District, list[str]]:
    # Batches of two: seven cases make four batches, the tampered rows in different ones.
    monkeypatch.setattr(summary_index, "BATCH", 2)
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    numbers = [
        mette.cases.open_case(new_case(name), accept_duplicate=True).number for name in NAMES
    ]
    return district, numbers


def _key_of(c: Connection, number: str) -> object:
    return c.scalar(select(CaseRow.data_key_id).where(CaseRow.number == number))


def _listed(member: MemberServices) -> dict[str, tuple[bool, str]]:
    return {c.number: (c.tampered, c.person_name) for c in member.cases.list()}


def test_a_cold_list_lists_each_tampered_row_and_reads_the_rest(
    seven: tuple[District, list[str]],
) -> None:
    district, numbers = seven
    bad_meta, bad_wrap, bad_group = numbers[1], numbers[4], numbers[6]

    def attack(c: Connection) -> None:
        flip_sealed(bad_meta, "meta")(c)
        c.execute(
            update(DataKeyRow)
            .where(DataKeyRow.id == _key_of(c, bad_wrap))
            .values(wrapped=bytes(60))
        )
        # The key row names another group (one the member is in, too): the wrapping binds
        # the group, so it does not open.
        other = c.scalars(select(GroupRow.id)).all()
        key = c.execute(
            select(DataKeyRow.id, DataKeyRow.group_id).where(DataKeyRow.id == _key_of(c, bad_group))
        ).one()
        moved_to = next(g for g in other if g != key.group_id)
        c.execute(update(DataKeyRow).where(DataKeyRow.id == key.id).values(group_id=moved_to))

    tamper(district.url, attack)
    mette = district.unlock("mette")
    listed = _listed(mette)
    assert sorted(listed) == sorted(numbers)
    assert sorted(n for n, (bad, _) in listed.items() if bad) == sorted(
        [bad_meta, bad_wrap, bad_group]
    )
    for number, name in zip(numbers, NAMES, strict=True):
        tampered, shown = listed[number]
        assert shown == ("" if tampered else name)
    # Listed again in the same session: the same, from what the session keeps.
    assert _listed(mette) == listed


def test_a_row_changed_after_the_list_is_listed_as_tampered_on_the_next(
    seven: tuple[District, list[str]],
) -> None:
    district, numbers = seven
    mette = district.unlock("mette")
    assert not any(bad for bad, _ in _listed(mette).values())
    # One row's version raised by SQL (its sealed copy names the old one), another's person
    # corrupted with its version raised too: both are read again, by id, and fail.
    tamper(
        district.url,
        lambda c: c.execute(
            update(CaseRow)
            .where(CaseRow.number.in_([numbers[0], numbers[5]]))
            .values(version=CaseRow.version + 1)
        ),
    )
    tamper(district.url, flip_person(numbers[5]))
    listed = _listed(mette)
    assert sorted(listed) == sorted(numbers)
    assert sorted(n for n, (bad, _) in listed.items() if bad) == sorted([numbers[0], numbers[5]])
    assert listed[numbers[3]] == (False, NAMES[3])


def _bytes_reachable(root: object) -> set[bytes]:
    """Every bytes value reachable from ``root`` through containers and object attributes."""
    import gc

    found: set[bytes] = set()
    seen: set[int] = set()
    pending = [root]
    while pending:
        item = pending.pop()
        if id(item) in seen or isinstance(item, type):
            continue
        seen.add(id(item))
        if isinstance(item, bytes):
            found.add(item)
        elif not isinstance(item, str | int | float | bool | type(None)):
            pending.extend(gc.get_referents(item))
    return found


def test_a_list_keeps_no_case_key_in_memory_and_lists_again_alike(
    seven: tuple[District, list[str]],
) -> None:
    """A list holds each case's data key for its batch only: after it the session's keyring
    holds no case key (only the group keys it unwrapped them with), and a second list and a
    case opened afterwards read the same as before."""
    district, numbers = seven
    member = district.unlock("mette")
    first = _listed(member)
    coordinator = district.coordinator
    with coordinator.vault.uow() as session:
        key_ids = session.scalars(select(CaseRow.data_key_id)).all()
        case_keys = {coordinator.keyring.data_key(session, key_id) for key_id in key_ids}
    assert len(case_keys) == len(NAMES)
    assert not case_keys & _bytes_reachable(member.keyring)
    assert _listed(member) == first
    assert member.cases.show(numbers[3]).summary.person_name == NAMES[3]


def test_a_second_list_reuses_every_summary_by_the_ids_as_stored(
    seven: tuple[District, list[str]],
) -> None:
    """A list after a list decrypts nothing again: it finds each summary by the id its row
    stores, turned into the number the session's summaries are kept by (no id text and no
    second map of ids kept per case)."""
    district, _numbers = seven
    member = district.unlock("mette")
    first = member.cases.list()
    assert {summary_index.id_number(str(s.id)) for s in first} == set(member.case_cache)
    assert {s.id.int for s in first} == set(member.case_cache)
    second = member.cases.list()
    assert sorted(map(id, second)) == sorted(map(id, first))


def test_copies_sealed_before_the_listing_list_through_the_person(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vault written by an earlier version: its sealed copies hold no listing. The list
    opens each such case's person instead, as it did before, so names and CPR numbers show
    the same, and a person changed by SQL is listed as tampered; a case saved since (its copy
    sealed anew, with the listing) lists from its copy."""
    monkeypatch.setattr(summary_index, "BATCH", 2)
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with monkeypatch.context() as earlier_version:
        earlier_version.setattr(case_meta, "person_listing", lambda _row, _key: None)
        numbers = [
            mette.cases.open_case(new_case(name, cpr), accept_duplicate=True).number
            for name, cpr in (("Ane Før", "0101901234"), ("Bo Før", None), ("Cai Før", None))
        ]
    with mette.vault.uow() as db:
        key = mette.keyring.field_key_by_id(db, db.scalars(select(CaseRow.data_key_id)).first())
        row = db.scalars(select(CaseRow).where(CaseRow.data_key_id == key.key_id)).one()
        sealed = loads(key.decrypt(row.meta, FieldContext("cases", "meta", row.id, row.id)))
    assert not set(case_meta.LISTING_FIELDS) & set(sealed)  # as an earlier version sealed it
    saved = mette.cases.show(numbers[2])
    mette.cases.edit(numbers[2], saved.summary.version, CaseEdit(title="Gemt igen"))
    tamper(district.url, flip_person(numbers[1]))
    listed = {c.number: c for c in district.unlock("mette").cases.list()}
    assert (listed[numbers[0]].person_name, listed[numbers[0]].person_cpr) == (
        "Ane Før",
        "0101901234",
    )
    assert listed[numbers[1]].tampered and listed[numbers[1]].person_name == ""
    assert not listed[numbers[2]].tampered and listed[numbers[2]].person_name == "Cai Før"
