"""The member session tells what committed work changed, and only that: the channel every
open screen refreshes from."""

from __future__ import annotations

import pytest

from infohus_desktop.domain.changes import Area
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import Role
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def test_a_change_is_told_once_with_its_area_and_object(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.take_changes()  # the enrolment's own entries
    case = mette.cases.open_case(new_case("Ali Testesen"))
    changes = mette.take_changes()
    assert changes.areas == {Area.CASES}
    assert changes.touches(Area.CASES, case.id)
    assert not mette.take_changes()  # told once


def test_reading_and_listing_change_nothing(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Ali Testesen"))
    mette.take_changes()
    mette.cases.list()
    mette.cases.show(case.number)
    mette.meetings.list()
    assert not mette.take_changes()


def test_work_that_is_rolled_back_is_not_told(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Ali Testesen"))
    mette.take_changes()

    def edit_then_fail() -> None:
        with mette.transaction() as session:
            mette.record(session, "case.edit", case.id)  # written, then the work fails
            raise InvalidInput("afvist", "refused")

    with pytest.raises(InvalidInput):
        edit_then_fail()
    assert not mette.take_changes()
    with mette.transaction() as session:  # the next transaction is told as usual
        mette.record(session, "case.edit", case.id)
    assert mette.take_changes().touches(Area.CASES, case.id)


def test_another_members_session_is_not_told(district: District) -> None:
    """Each session tells its own work; other workstations come through the server's
    live updates, not through this value."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.coordinator.take_changes()
    mette.cases.open_case(new_case("Ali Testesen"))
    assert not district.coordinator.take_changes()
