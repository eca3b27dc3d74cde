"""Concern cases, part 3: the case list, its filters and the search; each audited, each over
the cases of the member's own access groups only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.index import CaseFilter
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


class Cases:
    """Four cases: A, B and D in Aarhus (D opened by Mette), C in Randers."""

    def __init__(self, district: District) -> None:
        self.district = district
        self.lars = district.coordinator
        self.mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
        self.karl = district.enrol("karl", "Karl Rand", "Randers Kommune", Role.MEMBER)
        open_ = self.lars.cases.open_case
        self.a = open_(
            replace(new_case("Søren Ørsted", "070761-4285"), follow_up=date(2026, 12, 1))
        ).number
        self.b = open_(
            replace(
                new_case("Anna Hansen", None),
                category="hoejreekstremisme",
                follow_up=date(2027, 1, 15),
            )
        ).number
        self.c = open_(
            replace(new_case("Åse Bæk", "0101901234", "Randers Kommune"), category="anden_uklar")
        ).number
        self.d = self.mette.cases.open_case(new_case("Jens Jensen", None)).number
        self.lars.cases.change_status(self.b, CaseStatus.SCREENING, "Politiets forhåndstjek")
        self.groups = {g.name: g.id for g in self.lars.groups.list()}


@pytest.fixture
def cases(district: District) -> Cases:
    return Cases(district)


def _numbers(
    session: MemberServices, filters: CaseFilter | None = None, search: str = ""
) -> set[str]:
    return {c.number for c in session.cases.list(filters, search or None)}


def test_the_list_filters(cases: Cases) -> None:
    lars, a, b, c, d = cases.lars, cases.a, cases.b, cases.c, cases.d
    assert (a, b, c, d) == ("AAR-2026-0001", "AAR-2026-0002", "RAN-2026-0001", "AAR-2026-0003")
    every = lars.cases.list()
    # Newest intake first, then by number: all four were received the same day.
    assert [s.number for s in every] == [c, d, b, a]

    def only(**kwargs: object) -> set[str]:
        return _numbers(lars, CaseFilter(**kwargs))  # type: ignore[arg-type]

    assert only(statuses=frozenset({CaseStatus.SCREENING})) == {b}
    assert only(statuses=frozenset({CaseStatus.RECEIVED})) == {a, c, d}
    assert only(statuses=frozenset({CaseStatus.CLOSED})) == set()
    assert only(categories=frozenset({"hoejreekstremisme", "anden_uklar"})) == {b, c}
    assert only(municipality="randers") == {c}
    assert only(municipality="Aarhus Kommune") == {a, b, d}
    assert only(lead_member_id=cases.mette.member.id) == {d}
    assert only(lead_organisation_id=cases.mette.member.organisation_id) == {d}
    assert only(lead_organisation_id=lars.member.organisation_id) == {a, b, c}
    assert only(group_id=cases.groups["Randers Kommune og politiet"]) == {c}
    assert only(follow_up_due_by=date(2026, 12, 31)) == {a}
    assert only(follow_up_due_by=date(2027, 1, 15)) == {a, b}
    assert only(municipality="Aarhus", categories=frozenset({"militant_islamisme"})) == {a, d}

    # A new lead moves a case between lead filters.
    seen = lars.cases.show(a)
    lars.cases.edit(a, seen.summary.version, CaseEdit(lead_member_id=cases.mette.member.id))
    assert only(lead_member_id=cases.mette.member.id) == {a, d}
    # Clearing the follow-up date takes it off the due list.
    seen = lars.cases.show(a)
    lars.cases.edit(a, seen.summary.version, CaseEdit(clear_follow_up=True))
    assert only(follow_up_due_by=date(2026, 12, 31)) == set()


def test_search_by_number_name_and_cpr(cases: Cases) -> None:
    lars, a, b, c, d = cases.lars, cases.a, cases.b, cases.c, cases.d
    hits = {
        "AAR-2026-0002": {b},
        "aar-2026-0002": {b},
        "RAN-2026": {c},
        "ørsted": {a},
        "ØRS": {a},
        "  SØREN   ørsted ": {a},
        "ørsted søren": {a},
        "åse": {c},
        "BÆK": {c},
        "hansen": {b},
        "jens": {d},
        "070761-4285": {a},
        "0707614285": {a},
        "070761 4285": {a},
        "010190": {c},
        "Ingen Sådan": set(),
        "9999999999": set(),
    }
    assert {text: _numbers(lars, search=text) for text in hits} == hits
    # Search and filters together.
    assert _numbers(lars, CaseFilter(municipality="Randers"), "ørsted") == set()


def test_every_list_and_search_is_audited_with_its_criterion(cases: Cases) -> None:
    mette = cases.mette
    mette.cases.list()
    mette.cases.list(CaseFilter(statuses=frozenset({CaseStatus.SCREENING})))
    mette.cases.list(search="Ørsted")
    mette.cases.list(search="070761-4285")
    audit = cases.lars.audit
    lists = audit.list(action="case.list", actor_login="mette")
    searches = audit.list(action="case.search", actor_login="mette")
    assert len(lists) == 2
    assert "screening" in (lists[0].detail or "")
    assert len(searches) == 2
    assert "search='Ørsted'" in (searches[1].detail or "")
    assert "search='070761-4285'" in (searches[0].detail or "")


def test_a_member_finds_only_cases_of_their_own_groups(cases: Cases) -> None:
    mette, karl, a, b, c, d = cases.mette, cases.karl, cases.a, cases.b, cases.c, cases.d
    assert _numbers(cases.lars) == {a, b, c, d}  # the police are in both groups
    assert _numbers(mette) == {a, b, d}
    assert _numbers(karl) == {c}
    # Not by name, CPR, number or filter either.
    for text in ("Åse", "bæk", "0101901234", "010190-1234", c, "RAN"):
        assert _numbers(mette, search=text) == set(), text
    assert _numbers(mette, CaseFilter(municipality="Randers")) == set()
    assert _numbers(mette, CaseFilter(group_id=cases.groups["Randers Kommune og politiet"])) == (
        set()
    )
    for text in ("Ørsted", "0707614285", a, "AAR"):
        assert _numbers(karl, search=text) == set(), text
    # A fresh unlock, with nothing cached, sees the same.
    assert _numbers(cases.district.unlock("karl")) == {c}
