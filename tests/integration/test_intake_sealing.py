"""A new case's row and first status change are written with plain inserts (not through the
flush, whose hooks seal every other write): sealed all the same, each copy bound to its own
row, with the statistics record beside them, and the rows usable by the rest of the
transaction as if they had been flushed."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import defer

from infohus_desktop.crypto.aead import FieldContext
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.core.case_meta import (
    CaseTampered,
    meta_values,
    open_meta,
    open_part_meta,
    remember_key,
)
from infohus_desktop.vault.case_schema import CaseRow, StatusChangeRow
from infohus_desktop.vault.codecs.cases import loads
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def test_a_new_cases_rows_are_sealed_as_the_flush_seals_them(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    first = mette.cases.open_case(new_case("Sine Sejl", "0101901234"))
    other = mette.cases.open_case(new_case("Tove Tang"))
    with mette.uow() as db:
        row = db.get(CaseRow, first.id)
        assert row is not None and row.version == 1
        key = mette.keyring.field_key_by_id(db, row.data_key_id)
        sealed = loads(key.decrypt(row.meta, FieldContext("cases", "meta", row.id, row.id)))
        open_meta(row, key, required=True)
        # The copy holds exactly what the flush's hook would have sealed, at version 1, and
        # the listing the case list shows (issue 17).
        listing = {"person_name": "Sine Sejl", "person_cpr": "0101901234"}
        assert sealed == {**meta_values(row, 1), **listing}
        assert (row.status, row.category, row.lead_member_id) == (
            CaseStatus.RECEIVED.value,
            "militant_islamisme",
            mette.member.id,
        )
        status = db.scalars(select(StatusChangeRow).where(StatusChangeRow.case_id == row.id)).one()
        open_part_meta(row, key, status, required=True)
        assert (status.old_status, status.new_status, status.by_member) == (
            None,
            CaseStatus.RECEIVED.value,
            mette.member.id,
        )
        assert db.get(CaseStatisticsRow, row.id) is not None
        other_meta = db.scalar(select(CaseRow.meta).where(CaseRow.id == other.id))
    # Each copy is bound to its row: the other new case's copy does not open on this one.
    with mette.uow() as db:
        db.execute(update(CaseRow).where(CaseRow.id == first.id).values(meta=other_meta))
    with mette.uow() as db:
        row = db.get(CaseRow, first.id)
        assert row is not None
        key = mette.keyring.field_key_by_id(db, row.data_key_id)
        with pytest.raises(CaseTampered):
            open_meta(row, key, required=True)


def test_a_new_case_is_read_and_changed_like_any_other(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    opened = mette.cases.open_case(new_case("Sine Sejl", "0101901234"))
    changed = mette.cases.change_status(opened.number, CaseStatus.SCREENING, "Screening")
    assert (changed.status, changed.version) == (CaseStatus.SCREENING, 2)
    shown = district.unlock("mette").cases.show(opened.number)
    assert shown.person.name == "Sine Sejl"
    assert [(s.old, s.new, s.reason, s.by_login) for s in shown.history] == [
        (None, CaseStatus.RECEIVED, "Bekymring modtaget", "mette"),
        (CaseStatus.RECEIVED, CaseStatus.SCREENING, "Screening", "mette"),
    ]


def test_a_row_saved_without_its_person_loaded_keeps_its_listing(district: District) -> None:
    """A save that never loads the person (a status changed on a row read without it) seals
    the copy anew with the listing of the copy it opened: the list still shows the name and
    CPR number, from the copy alone, and the case still opens."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    opened = mette.cases.open_case(new_case("Sine Sejl", "0101901234"))
    with mette.uow() as db:
        row = db.scalars(
            select(CaseRow).options(defer(CaseRow.person)).where(CaseRow.id == opened.id)
        ).one()
        key = mette.keyring.field_key_by_id(db, row.data_key_id)
        remember_key(row, key)
        open_meta(row, key, required=True)
        row.status = CaseStatus.SCREENING.value
        db.flush()
        assert "person" not in row.__dict__  # the save did not read the person
        sealed = loads(key.decrypt(row.meta, FieldContext("cases", "meta", row.id, row.id)))
    assert (sealed["version"], sealed["person_name"], sealed["person_cpr"]) == (
        2,
        "Sine Sejl",
        "0101901234",
    )
    fresh = district.unlock("mette")
    listed = {c.number: c for c in fresh.cases.list()}[opened.number]
    assert (listed.person_name, listed.status, listed.tampered) == (
        "Sine Sejl",
        CaseStatus.SCREENING,
        False,
    )
    assert fresh.cases.show(opened.number).person.name == "Sine Sejl"
