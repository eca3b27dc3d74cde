"""The administration's access groups and Infohus Kommuner (issue 14): details with key
holders and waiting members, renaming, a new case-number prefix, and the refusals."""

from __future__ import annotations

import pytest

from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.organisations import Role, suggest_prefix
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def test_details_name_holders_and_members_waiting_for_the_key(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars = district.coordinator
    lars.groups.add("Kun Aarhus", member_logins=["mette"])  # lars shares, then leaves
    lars.accounts.add("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER, "jens første frase ok")
    lars.groups.add_member("Kun Aarhus", "jens")  # lars holds no key: jens waits for mette
    details = {d.group.name: d for d in lars.group_admin.details()}
    own = details["Kun Aarhus"]
    assert own.members == ("jens", "mette")
    assert own.holders == ("mette",)
    assert own.waiting == ("jens",)
    aarhus = details["Aarhus Kommune og politiet"]
    assert "lars" in aarhus.holders and aarhus.organisations == (
        "Aarhus Kommune",
        "Østjylland – politiet",
    )
    with pytest.raises(AccessDenied):
        district.sessions["mette"].group_admin.details()


def test_rename_a_group_but_not_a_system_or_municipal_one(district: District) -> None:
    lars = district.coordinator
    lars.groups.add("Kun politiet", organisations=["Østjylland – politiet"])
    renamed = lars.group_admin.rename("Kun politiet", "  Politiets  egne ")
    assert renamed.name == "Politiets egne"
    assert "Politiets egne" in {g.name for g in lars.groups.list()}
    with pytest.raises(InvalidInput, match="kommunen"):
        lars.group_admin.rename("Aarhus Kommune og politiet", "Aarhus")
    lars.groups.add("Andet")
    with pytest.raises(InvalidInput, match="allerede"):
        lars.group_admin.rename("Andet", "politiets EGNE")


def test_municipality_rename_and_a_new_prefix_for_new_cases_only(district: District) -> None:
    lars = district.coordinator
    first = lars.cases.open_case(new_case("Ali Hansen"))
    assert first.number.startswith("AAR-")
    changed = lars.group_admin.change_municipality("Aarhus Kommune", prefix="aak")
    assert changed.case_prefix == "AAK"
    second = lars.cases.open_case(new_case("Bo Berg"))
    assert second.number.startswith("AAK-")
    assert lars.cases.show(first.number).person.name == "Ali Hansen"  # numbers stay
    lars.group_admin.change_municipality("Aarhus Kommune", name="Aarhus Kommune (ny)")
    names = {g.name for g in lars.groups.list()}
    assert "Aarhus Kommune (ny) og politiet" in names
    with pytest.raises(InvalidInput, match="bruges allerede"):
        lars.group_admin.change_municipality("Randers Kommune", prefix="AAK")
    with pytest.raises(InvalidInput, match="bruges allerede"):
        lars.groups.add_municipality("Aakirkeby Kommune", "AAK")
    with pytest.raises(InvalidInput, match="1-8"):
        lars.group_admin.change_municipality("Randers Kommune", prefix="RÅ")
    assert lars.groups.add_municipality("Silkeborg Kommune").case_prefix == "SIL"
    assert suggest_prefix("Ærø Kommune") == "AER"
