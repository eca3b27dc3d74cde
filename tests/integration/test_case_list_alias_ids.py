"""A case row inserted by SQL whose id is another case's id written differently (upper
case, without dashes: the same UUID to ``uuid.UUID``, another primary key to the
database) is a row written around the program: every list shows it as tampered, the warm
list included, and never as a copy of the case whose id it imitates."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Connection, select, text

from infohus_desktop.vault.case_schema import CaseRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import tamper


def _alias(case_id: str, form: str) -> str:
    return case_id.upper() if form == "upper" else case_id.replace("-", "")


@pytest.mark.parametrize("form", ["upper", "no-dashes"])
def test_a_row_under_another_cases_id_written_differently_reads_as_tampered(
    district: District, form: str
) -> None:
    lars = district.coordinator
    opened = lars.cases.open_case(new_case("Ali Hansen"))
    lars.cases.open_case(new_case("Bodil Prøvesen"))
    assert {c.number for c in lars.cases.list()} >= {opened.number}  # summaries cached
    alias = _alias(str(opened.id), form)

    def insert_copy(c: Connection) -> None:
        row = c.execute(select(CaseRow.__table__).where(CaseRow.id == opened.id)).mappings().one()
        values = dict(row)
        values.update(id=alias, number="AAR-2099-0999", year=2099, serial=999)
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        raw = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in values.items()}
        c.execute(text(f"INSERT INTO cases ({columns}) VALUES ({marks})"), raw)

    tamper(district.url, insert_copy)
    for _ in range(2):  # warm: the summaries of this session are cached
        listed = lars.cases.list()
        copies = [c for c in listed if c.id == opened.id and not c.tampered]
        assert len(copies) == 1, "the imitating row must not show as the case it imitates"
        assert [c.number for c in listed if c.tampered] == ["AAR-2099-0999"]


def _copy_as(c: Connection, source: uuid.UUID, **changes: object) -> None:
    """A copy of case ``source``'s row with some values changed, inserted by SQL."""
    row = c.execute(select(CaseRow.__table__).where(CaseRow.id == source)).mappings().one()
    values = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in dict(row).items()}
    values.update(changes)
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    c.execute(text(f"INSERT INTO cases ({columns}) VALUES ({marks})"), values)


def test_a_row_whose_id_is_no_uuid_at_all_is_listed_as_tampered_not_a_failure(
    district: District,
) -> None:
    """Someone who can write the database must not take every member's list down with one
    row: the row is listed as tampered, cold and warm, and opening it says so."""
    from infohus_desktop.domain.errors import TamperedData

    lars = district.coordinator
    opened = lars.cases.open_case(new_case("Ali Hansen"))
    lars.cases.list()  # warm: the summaries of this session are cached
    tamper(
        district.url,
        lambda c: _copy_as(c, opened.id, id="ikke-et-id", number="AAR-2099-0998", serial=998),
    )
    for session in (lars, district.unlock("lars")):  # warm, then cold
        listed = session.cases.list()
        assert [c.number for c in listed if c.tampered] == ["AAR-2099-0998"]
        assert [c.number for c in listed if not c.tampered] == [opened.number]
    with pytest.raises(TamperedData) as refused:
        lars.cases.show("AAR-2099-0998")
    assert "ændret uden om programmet" in refused.value.message("da")


def test_a_row_moved_away_whose_id_is_no_uuid_is_listed_to_its_group_as_tampered(
    district: District,
) -> None:
    """Moved into a group its key is not wrapped for, and its id no UUID: the group the key
    belongs to still sees it, as tampered, and the other group does not learn of it."""
    from infohus_desktop.domain.organisations import Role

    lars = district.coordinator
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars.groups.add("Kun Mette", ["mette"])
    opened = lars.cases.open_case(new_case("Ali Hansen"))
    other = district.unlock("mette").groups.list()
    [elsewhere] = [g.id for g in other if g.name == "Kun Mette"]
    tamper(
        district.url,
        lambda c: _copy_as(
            c,
            opened.id,
            id="ikke-et-id",
            number="AAR-2099-0997",
            serial=997,
            group_id=str(elsewhere),
        ),
    )
    listed = district.unlock("lars").cases.list()
    assert [c.number for c in listed if c.tampered] == ["AAR-2099-0997"]


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_a_row_whose_infohus_kommune_is_no_uuid_is_listed_as_tampered(
    district: District,
) -> None:
    """The file's thief, with the sqlite3 shell (no foreign keys there unless asked)."""
    import sqlite3

    from sqlalchemy import make_url

    lars = district.coordinator
    opened = lars.cases.open_case(new_case("Ali Hansen"))
    with sqlite3.connect(str(make_url(district.url).database)) as db:
        db.execute("UPDATE cases SET local_infohus_id = 'x' WHERE id = ?", (str(opened.id),))
    listed = district.unlock("lars").cases.list()
    assert [(c.number, c.tampered) for c in listed] == [(opened.number, True)]
