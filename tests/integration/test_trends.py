"""Trend notes on both engines: create, edit with conflicts, filters and search, links,
narrowing the access group, the personal-data check before saving, and the audit trail."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.trends import (
    AreaKind,
    Development,
    SourceKind,
    TrendAction,
    TrendContent,
    TrendFilter,
)
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.trends.personal_data_check import FindingKind
from infohus_desktop.services.trends.service import PersonalDataFound, TrendConflict
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def note(
    title: str = "Flere unge deler voldsforherligende memes",
    theme: str = "hoejreekstremisme",
    development: Development = Development.RISING,
    area_kind: AreaKind = AreaKind.MUNICIPALITY,
    area: str = "Aarhus Kommune",
    period: tuple[date, date] = (date(2026, 7, 1), date(2026, 9, 30)),
    description: str = "Skolerne melder om flere elever, der deler materiale i lukkede grupper.",
) -> TrendContent:
    return TrendContent(
        title=title,
        period_from=period[0],
        period_to=period[1],
        area_kind=area_kind,
        area=area,
        theme=theme,
        description=description,
        source_kinds=(SourceKind.SCHOOL, SourceKind.SOCIAL_MEDIA),
        development=development,
        follow_up=date(2026, 12, 1),
    )


def _mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def _actions(district: District, object_id: object = None) -> list[str]:
    lars = district.sessions.get("lars_audit") or district.unlock("lars")
    district.sessions["lars_audit"] = lars
    entries = lars.audit.list(limit=500)
    return [
        e.action
        for e in reversed(entries)
        if e.action.startswith("trend.") and (object_id is None or e.object_id == str(object_id))
    ]


def test_create_and_read_back_by_another_network_member(district: District) -> None:
    mette = _mette(district)
    created = mette.trends.create(note(title="  Flere  unge   deler memes "))
    assert created.version == 1
    assert created.content.title == "Flere unge deler memes"  # white space tidied
    assert created.created_by == "mette"
    jens = district.enrol("jens", "Jens Bo", "Randers Kommune", Role.MEMBER)
    seen = jens.trends.get(created.id)
    assert seen.content == created.content
    assert seen.content.source_kinds == (SourceKind.SCHOOL, SourceKind.SOCIAL_MEDIA)
    assert [s.title for s in jens.trends.summaries()] == ["Flere unge deler memes"]


def test_invalid_input_changes_nothing(district: District) -> None:
    mette = _mette(district)
    with pytest.raises(InvalidInput, match="titel"):
        mette.trends.create(note(title="   "))
    with pytest.raises(InvalidInput, match="slutter før"):
        mette.trends.create(note(period=(date(2026, 9, 1), date(2026, 8, 1))))
    with pytest.raises(InvalidInput, match="Ukendt tema"):
        mette.trends.create(note(theme="ukendt"))
    assert mette.trends.list() == []


def test_themes_are_the_case_categories_and_more(district: District) -> None:
    themes = district.coordinator.trends.themes()
    assert {"hoejreekstremisme", "militant_islamisme", "konspiration"} <= set(themes)
    created = district.coordinator.trends.create(note(theme="konspiration"))
    assert created.content.theme == "konspiration"


def test_edit_bumps_the_version_and_a_stale_edit_is_a_conflict(district: District) -> None:
    mette = _mette(district)
    jens = district.enrol("jens", "Jens Bo", "Randers Kommune", Role.MEMBER)
    first = mette.trends.create(note())
    theirs = jens.trends.edit(
        first.id, 1, replace(first.content, development=Development.FALLING), base=first.content
    )
    assert theirs.version == 2
    with pytest.raises(TrendConflict) as caught:
        mette.trends.edit(
            first.id, 1, replace(first.content, title="Min titel"), base=first.content
        )
    assert caught.value.fields == ["development"]
    assert (caught.value.base_version, caught.value.current_version) == (1, 2)
    assert "Udvikling" in caught.value.da
    current = mette.trends.get(first.id)
    assert (current.content.title, current.version) == (first.content.title, 2)
    saved = mette.trends.edit(first.id, 2, replace(current.content, title="Min titel"))
    assert (saved.version, saved.content.title, saved.updated_by) == (3, "Min titel", "mette")
    assert saved.content.development == Development.FALLING
    assert saved.created_by == "mette"


def test_filters_and_search(district: District) -> None:
    mette = _mette(district)
    a = mette.trends.create(
        note(title="Memes på skoler", period=(date(2026, 1, 1), date(2026, 3, 31)))
    )
    b = mette.trends.create(
        note(
            title="Konspirationsgrupper på Telegram",
            theme="konspiration",
            area_kind=AreaKind.ONLINE,
            area="Telegram",
            development=Development.STABLE,
            period=(date(2026, 4, 1), date(2026, 6, 30)),
            description="Lukkede kanaler med antiautoritært indhold.",
        )
    )
    c = mette.trends.create(
        note(
            title="Færre klistermærker i bybilledet",
            development=Development.FALLING,
            area_kind=AreaKind.DISTRICT,
            area="Østjyllands Politi",
            period=(date(2026, 7, 1), date(2026, 12, 31)),
        )
    )

    def ids(filters: TrendFilter | None = None, search: str | None = None) -> list[object]:
        return [n.id for n in mette.trends.list(filters, search)]

    assert ids() == [c.id, b.id, a.id]  # newest period first
    assert ids(TrendFilter(themes=frozenset({"konspiration"}))) == [b.id]
    assert ids(TrendFilter(area_kind=AreaKind.ONLINE)) == [b.id]
    assert ids(TrendFilter(area="østjylland")) == [c.id]
    assert ids(TrendFilter(developments=frozenset({Development.FALLING}))) == [c.id]
    # A period filter keeps the notes that overlap it.
    assert ids(TrendFilter(period_from=date(2026, 3, 1), period_to=date(2026, 4, 15))) == [
        b.id,
        a.id,
    ]
    assert ids(TrendFilter(period_from=date(2027, 1, 1))) == []
    # Search: every word, any case, in title, area, description or the labels of the codes.
    assert ids(search="TELEGRAM antiautoritært") == [b.id]
    assert ids(search="klistermærker") == [c.id]
    assert ids(search="Faldende") == [c.id]  # the development's label
    assert ids(search="sociale medier") == [c.id, b.id, a.id]  # a source kind's label
    assert ids(search="ingen sådan tekst") == []
    assert ids(TrendFilter(themes=frozenset({"hoejreekstremisme"})), "memes") == [a.id]


def test_links_both_ways_and_unlink(district: District) -> None:
    mette = _mette(district)
    a = mette.trends.create(note(title="A"))
    b = mette.trends.create(note(title="B"))
    c = mette.trends.create(note(title="C"))
    mette.trends.link(a.id, b.id)
    mette.trends.link(b.id, a.id)  # the same link: nothing new
    mette.trends.link(c.id, a.id)
    assert [s.title for s in mette.trends.get(a.id).related] == ["B", "C"]
    assert [s.title for s in mette.trends.get(b.id).related] == ["A"]
    mette.trends.unlink(b.id, a.id)
    assert [s.title for s in mette.trends.get(a.id).related] == ["C"]
    with pytest.raises(NotFound):
        mette.trends.link(a.id, a.id)
    assert _actions(district, a.id).count("trend.link") == 1


def test_a_coordinator_narrows_the_access_group(district: District) -> None:
    lars = district.coordinator
    mette = _mette(district)
    jens = district.enrol("jens", "Jens Bo", "Randers Kommune", Role.MEMBER)
    lars.groups.add("Kun politi og Aarhus", ["lars", "mette"])
    narrow = mette.trends.create(note(title="Kun for få"))
    open_note = mette.trends.create(note(title="For alle"))
    mette.trends.link(narrow.id, open_note.id)
    with pytest.raises(AccessDenied):
        mette.trends.set_access_group(narrow.id, "Kun politi og Aarhus")
    moved = lars.trends.set_access_group(narrow.id, "Kun politi og Aarhus")
    assert moved.version == 2 and moved.group_id != open_note.group_id
    assert [n.title for n in jens.trends.summaries()] == ["For alle"]
    with pytest.raises(NotFound):
        jens.trends.get(narrow.id)
    assert jens.trends.get(open_note.id).related == ()  # the narrowed note stays invisible
    assert mette.trends.get(narrow.id).content.title == "Kun for få"
    assert [s.title for s in mette.trends.get(open_note.id).related] == ["Kun for få"]
    # Only into a group the coordinator is in themselves.
    district.coordinator.groups.add("Uden Lars", ["mette"])
    with pytest.raises(AccessDenied):
        lars.trends.set_access_group(open_note.id, "Uden Lars")
    assert "trend.access" in _actions(district, narrow.id)


def test_personal_data_needs_confirmation_which_is_audited(district: District) -> None:
    mette = _mette(district)
    mette.cases.open_case(new_case("Søren Ærbø Østergaard", "070761-4285"))
    text = "Tidligere nævnt: 070761-4285.\nSØREN ØSTERGAARD har også delt opslag."
    content = note(description=text)
    with pytest.raises(PersonalDataFound) as caught:
        mette.trends.create(content)
    found = caught.value.findings
    assert [(f.field, f.line, f.kind) for f in found] == [
        ("description", 1, FindingKind.CPR),
        ("description", 2, FindingKind.NAME),
    ]
    # The message says where and why, never the data.
    assert "Beskrivelse, linje 1, tegn 18" in caught.value.da
    for message in (caught.value.da, caught.value.en):
        assert "4285" not in message and "Østergaard".casefold() not in message.casefold()
    assert mette.trends.list() == []
    assert mette.trends.check(content) == found
    saved = mette.trends.create(content, confirmed_personal_data_check=True)
    # An edit that keeps the text needs the confirmation again.
    with pytest.raises(PersonalDataFound):
        mette.trends.edit(saved.id, 1, replace(content, title="Ny titel"))
    clean = mette.trends.edit(saved.id, 1, replace(content, description="Nu uden navne."))
    assert clean.version == 2
    assert _actions(district, saved.id) == [
        "trend.personal_data_confirmed",
        "trend.create",
        "trend.edit",
    ]
    lars = district.sessions["lars_audit"]
    detail = next(
        e.detail
        for e in lars.audit.list(limit=200)
        if e.action == TrendAction.PERSONAL_DATA_CONFIRMED
    )
    assert detail == "description:1:18:cpr,description:2:1:name"


def test_the_name_register_holds_only_readable_cases(district: District) -> None:
    mette = _mette(district)
    jens = district.enrol("jens", "Jens Bo", "Randers Kommune", Role.MEMBER)
    mette.cases.open_case(new_case("Ditte Aarhusen Lund"))
    jens.cases.open_case(new_case("Bent Randersen", municipality="Randers Kommune"))
    text = {"description": "Ditte Lund og Bent Randersen"}
    from infohus_desktop.services.trends.personal_data_check import find_personal_data

    assert len(find_personal_data(text, mette.trends.name_register())) == 1
    assert len(find_personal_data(text, jens.trends.name_register())) == 1
    assert len(find_personal_data(text, district.coordinator.trends.name_register())) == 2


def test_roles_and_every_read_audited(district: District) -> None:
    mette = _mette(district)
    created = mette.trends.create(note())
    mette.trends.get(created.id)
    mette.trends.list(search="memes")
    mette.trends.list()
    guest = district.enrol("karl", "Karl Krog", "kriminalforsorgen", Role.GUEST)
    with pytest.raises(AccessDenied):
        guest.trends.create(note())
    assert guest.trends.list() == []  # guests are not in the network group
    with pytest.raises(NotFound):
        guest.trends.get(created.id)
    dpo = district.enrol("dorte", "Dorte DPO", "police", Role.DPO)
    with pytest.raises(AccessDenied):
        dpo.trends.list()
    assert _actions(district) == [
        "trend.name_check",
        "trend.create",
        "trend.read",
        "trend.search",
        "trend.list",
        "trend.list",
    ]


def test_a_theme_removed_from_the_list_stays_on_its_notes(district: District) -> None:
    lars = district.coordinator
    old = lars.trends.create(note(theme="venstreekstremisme"))
    lars.case_settings.set_categories({"hoejreekstremisme": ["Højreekstremisme", "Right-wing"]})
    assert "venstreekstremisme" not in lars.trends.themes()
    edited = lars.trends.edit(old.id, 1, replace(old.content, title="Ny titel"))
    assert (edited.content.theme, edited.version) == ("venstreekstremisme", 2)
    with pytest.raises(InvalidInput, match="Ukendt tema"):
        lars.trends.create(note(theme="venstreekstremisme"))
