"""A deleted case whose rows someone with write access puts back from a copy taken before the
deletion. Its sealed copies still verify (they were valid once: docs/SECURITY.md lists row
rollback as a limit), but the case's own signed tombstone is still there, and it says the
case is gone: the list and the case itself read as tampered, not as the genuine case it
once was."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Table, insert, select

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.retention import add_months
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.models import METADATA
from infohus_desktop.vault.schema import DataKeyRow
from tests.integration.conftest import District
from tests.integration.test_retention import RULES, _closed_case


def _rows_of_case(url: str, number: str) -> list[tuple[Table, list[dict[str, Any]]]]:
    """The case's data key, its row and every row of a table that names it, as stored."""
    engine = create_vault_engine(url)
    try:
        with engine.connect() as c:
            cases = CaseRow.__table__
            row = c.execute(select(cases).where(cases.c.number == number)).mappings().one()
            keys = DataKeyRow.__table__
            kept = [
                (
                    keys,
                    [
                        dict(m)
                        for m in c.execute(
                            select(keys).where(keys.c.id == row["data_key_id"])
                        ).mappings()
                    ],
                ),
                (cases, [dict(row)]),
            ]
            for table in METADATA.sorted_tables:
                if "case_id" in table.c and table is not cases:
                    found = c.execute(select(table).where(table.c.case_id == row["id"]))
                    kept.append((table, [dict(m) for m in found.mappings()]))
            return kept
    finally:
        engine.dispose()


def _put_back(url: str, kept: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    engine = create_vault_engine(url)
    try:
        with engine.begin() as c:
            for table, rows in kept:
                if rows:
                    c.execute(insert(table), rows)
    finally:
        engine.dispose()


def test_a_deleted_case_put_back_beside_its_tombstone_reads_as_tampered(
    district: District,
) -> None:
    lars = district.coordinator
    lars.retention.rules.set(RULES, district.approval())
    case = _closed_case(lars)
    kept = _rows_of_case(district.url, case.number)
    lars.retention.delete(case.number, "Slettefrist udløbet", today=add_months(date.today(), 30))
    _put_back(district.url, kept)
    [listed] = [c for c in lars.cases.list() if c.number == case.number]
    assert listed.tampered and listed.person_name == ""
    with pytest.raises(TamperedData) as caught:
        lars.cases.show(case.number)
    assert "ændret uden om programmet" in caught.value.message("da")
