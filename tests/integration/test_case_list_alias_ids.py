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
