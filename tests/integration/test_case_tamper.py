"""The review's attacks on case rows, replayed by direct SQL as a server operator or anyone
with the vault file could: each is reported as tampering of that row, the others read on."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Connection, select, text, update

from infohus_desktop.domain.assessment import ConcernLevel
from infohus_desktop.domain.cases import TAMPERED_TEXT, JournalKind
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.core.case_meta import CasePartTampered, CaseTampered
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.schema import GroupRow, VaultInfo
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import assessment, new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import flip_person, flip_sealed, tamper


@pytest.fixture
def cases(district: District) -> tuple[District, MemberServices, list[str]]:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    numbers = [
        mette.cases.open_case(new_case(name)).number
        for name in ("Ali Testesen", "Bodil Prøvesen", "Carl Eksempel")
    ]
    return district, mette, numbers


_sql = tamper


def _fresh(district: District, login: str) -> MemberServices:
    """A new unlock: nothing decrypted is cached from before the attack."""
    return district.unlock(login)


def test_swapped_numbers_show_neither_person_and_the_list_names_both(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    district, _, (first, second, third) = cases

    def swap(c: Connection) -> None:
        c.execute(update(CaseRow).where(CaseRow.number == first).values(number="TMP"))
        c.execute(update(CaseRow).where(CaseRow.number == second).values(number=first))
        c.execute(update(CaseRow).where(CaseRow.number == "TMP").values(number=second))

    _sql(district.url, swap)
    mette = _fresh(district, "mette")
    for number in (first, second):
        with pytest.raises(CaseTampered) as caught:
            mette.cases.show(number)
        assert number in caught.value.message("da")
    listed = {c.number: c for c in mette.cases.list()}
    assert listed[first].tampered and listed[second].tampered
    assert not listed[third].tampered
    assert listed[third].person_name == "Carl Eksempel"
    assert listed[first].person_name == ""  # nothing of either person is shown


def test_a_sealed_copy_moved_to_another_case_is_tampering_of_that_case(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    """The status is no column any more (issue 20): what someone with the database can try
    is to give a case another case's sealed values, e.g. those of a closed one."""
    district, _, (first, second, _) = cases

    def move(c: Connection) -> None:
        meta = c.scalar(select(CaseRow.meta).where(CaseRow.number == second))
        c.execute(update(CaseRow).where(CaseRow.number == first).values(meta=meta))

    _sql(district.url, move)
    mette = _fresh(district, "mette")
    with pytest.raises(CaseTampered):
        mette.cases.show(first)
    assert mette.cases.show(second).summary.number == second
    lars = _fresh(district, "lars")
    reported = [b for _, b in opened_since(lars) if b.action == "case.tampered"]
    assert [b.actor_login for b in reported] == ["mette"]


def test_one_corrupted_ciphertext_leaves_the_rest_of_the_list(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    district, _, (first, second, third) = cases

    # The sealed copy is what the list reads of each case (its listing included).
    _sql(district.url, flip_sealed(second, "meta"))
    mette = _fresh(district, "mette")
    listed = {c.number: c for c in mette.cases.list()}
    assert set(listed) == {first, second, third}
    assert [n for n, c in listed.items() if c.tampered] == [second]
    assert listed[second].person_name == ""


def test_a_corrupted_person_is_reported_when_the_case_is_opened(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    """The list shows the name and CPR number the sealed copy lists (it does not open the
    person, issue 17): what it shows is the case's own. Opening the case finds the person
    changed and says so, naming the case."""
    district, _, (_, second, _) = cases
    _sql(district.url, flip_person(second))
    mette = _fresh(district, "mette")
    listed = {c.number: c for c in mette.cases.list()}
    assert not listed[second].tampered
    assert listed[second].person_name == "Bodil Prøvesen"
    with pytest.raises(TamperedData):
        mette.cases.show(second)


def test_an_older_person_written_back_is_tampering(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    """A person's ciphertext is bound to its case, not to the case's version: an older one
    written back by SQL still decrypts. The sealed copy (bound to the version) lists the
    name and CPR number of the person saved with it, so the case no longer opens, and the
    list goes on showing the name saved last."""
    district, mette, (_, second, _) = cases
    with mette.vault.uow() as db:
        old_person = db.scalar(select(CaseRow.person).where(CaseRow.number == second))
    case = mette.cases.show(second)
    renamed = replace(case.person, name="Bodil Nyt-Navn")
    mette.cases.edit(second, case.summary.version, CaseEdit(person=renamed))
    _sql(
        district.url,
        lambda c: c.execute(
            update(CaseRow).where(CaseRow.number == second).values(person=old_person)
        ),
    )
    fresh = _fresh(district, "mette")
    assert {c.number: c.person_name for c in fresh.cases.list()}[second] == "Bodil Nyt-Navn"
    with pytest.raises(CaseTampered) as caught:
        fresh.cases.show(second)
    assert second in caught.value.message("da")


def test_a_case_moved_to_another_group_by_sql_is_reported_not_hidden(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    district, _, (first, _, _) = cases
    lars = district.coordinator
    lars.groups.add("Kun politiet", ["lars"])
    with lars.vault.uow() as db:
        police_only = db.scalars(select(GroupRow.id).where(GroupRow.kind == "custom")).one()
    _sql(
        district.url,
        lambda c: c.execute(
            update(CaseRow).where(CaseRow.number == first).values(group_id=police_only)
        ),
    )
    fresh = _fresh(district, "mette")
    listed = {c.number: c for c in fresh.cases.list()}
    assert first in listed and listed[first].tampered


def test_a_sealed_copy_removed_in_a_new_vault_is_tampering(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    district, _, (first, _, _) = cases
    _sql(
        district.url,
        lambda c: c.execute(update(CaseRow).where(CaseRow.number == first).values(meta=None)),
    )
    with pytest.raises(CaseTampered):
        _fresh(district, "mette").cases.show(first)


def test_a_downgraded_vault_format_is_refused_at_unlock(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    district, _, _ = cases
    _sql(
        district.url,
        lambda c: c.execute(update(VaultInfo).values(format_version=1, format_signature=None)),
    )
    with pytest.raises(TamperedData, match="ældre format"):
        _fresh(district, "mette")


def test_a_format_without_the_roots_signature_is_refused(
    cases: tuple[District, MemberServices, list[str]],
) -> None:
    district, _, _ = cases
    _sql(district.url, lambda c: c.execute(update(VaultInfo).values(format_signature=b"x" * 64)))
    with pytest.raises(TamperedData, match="ikke underskrevet af dens rodnøgle"):
        _fresh(district, "mette")


def test_the_tampered_text_is_danish_and_english() -> None:
    assert TAMPERED_TEXT == (
        "kan ikke læses — ændret uden om programmet",
        "cannot be read — changed outside the program",
    )


@pytest.mark.parametrize(
    ("table", "column", "value", "named"),
    [
        # The codes are sealed (issue 20); what stays clear is bound: the time, the copy.
        ("case_assessments", "at", "2020-01-01 00:00:00", "En vurdering"),
        ("case_journal", "at", "2020-01-01 00:00:00", "Et journalnotat"),
        ("case_status_changes", "at", "2020-01-01 00:00:00", "En statusændring"),
        ("case_assessments", "meta", None, "En vurdering"),
    ],
)
def test_a_part_changed_by_sql_is_named_when_the_case_is_read(
    cases: tuple[District, MemberServices, list[str]],
    table: str,
    column: str,
    value: str | None,
    named: str,
) -> None:
    district, mette, (first, second, _) = cases
    mette.case_records.assess(first, assessment(ConcernLevel.HIGH))
    mette.case_records.add_journal(first, JournalKind.NOTE, "Samtale med skolen")
    case_id = next(c.id for c in mette.cases.list() if c.number == first)
    _sql(
        district.url,
        lambda c: c.execute(
            text(f"UPDATE {table} SET {column} = :v WHERE case_id = :c"),
            {"v": value, "c": str(case_id)},
        ),
    )
    fresh = _fresh(district, "mette")
    read = (  # the assessment history is read on its own, the rest with the case
        (lambda: fresh.case_records.assessments(first))
        if table == "case_assessments"
        else (lambda: fresh.cases.show(first))
    )
    with pytest.raises(CasePartTampered) as caught:
        read()
    assert caught.value.message("da").startswith(named)
    assert fresh.cases.show(second).summary.number == second  # the other cases read on
