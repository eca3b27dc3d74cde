"""The vault's own categories and assessment indicators: set by a coordinator, used by every
new case and assessment, and never breaking what was recorded under an earlier list."""

from __future__ import annotations

from dataclasses import replace

import pytest

from infohus_desktop.domain.assessment import DEFAULT_INDICATORS, IndicatorAnswer, IndicatorState
from infohus_desktop.domain.cases import DEFAULT_CATEGORIES
from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.settings import indicators_to_json
from tests.integration.case_fixtures import assessment, new_case
from tests.integration.conftest import District

OWN_INDICATORS = [
    {
        "code": "trusler_online",
        "part": "risiko_trussel",
        "group": "adfærd",
        "label_da": "Trusler på sociale medier",
        "label_en": "Threats on social media",
        "serious": True,
    },
    {
        "code": "fritidsjob",
        "part": "trivsel_modstandskraft",
        "group": "beskyttende faktorer",
        "label_da": "Har et fritidsjob",
        "label_en": "Has a part-time job",
    },
]


def test_defaults_until_a_coordinator_changes_them(district: District) -> None:
    lars = district.coordinator
    assert lars.case_settings.indicators() == DEFAULT_INDICATORS
    assert lars.case_settings.categories() == DEFAULT_CATEGORIES


def test_own_categories_govern_new_cases_and_keep_old_ones(district: District) -> None:
    lars = district.coordinator
    old = lars.cases.open_case(new_case("Anna Ørsted"))
    lars.case_settings.set_categories(
        {
            "hoejreekstremisme": ["Højreekstremisme", "Right-wing extremism"],
            "online_radikalisering": ["Online radikalisering", "Online radicalisation"],
        }
    )
    assert set(lars.cases.categories()) == {"hoejreekstremisme", "online_radikalisering"}
    with pytest.raises(InvalidInput, match="militant_islamisme"):
        lars.cases.open_case(new_case("Bo Ærø"))  # no longer on the list
    made = lars.cases.open_case(replace(new_case("Bo Ærø"), category="online_radikalisering"))
    assert made.category == "online_radikalisering"
    # The earlier case keeps its category and can still be read.
    assert lars.cases.show(old.number).summary.category == "militant_islamisme"


def test_own_indicators_govern_new_assessments(district: District) -> None:
    lars = district.coordinator
    case = lars.cases.open_case(new_case("Anna Ørsted"))
    lars.case_records.assess(case.number, assessment())  # under the default list
    lars.case_settings.set_indicators(OWN_INDICATORS)

    with pytest.raises(InvalidInput, match="vold_involvering"):
        lars.case_records.assess(case.number, assessment())
    content = replace(
        assessment(),
        answers={"trusler_online": IndicatorAnswer(IndicatorState.PRESENT, "Opslag på TikTok")},
    )
    lars.case_records.assess(case.number, content)

    history = lars.case_records.assessments(case.number)
    assert len(history) == 2
    assert history[0].content.answers["vold_involvering"].state == IndicatorState.ABSENT
    assert [i.code for i in history[1].serious_present()] == ["trusler_online"]
    # A second handle on the vault sees the same list: it is stored, not cached.
    other = district.unlock("lars")
    assert indicators_to_json(other.case_settings.indicators()) == [
        {**item, "serious": bool(item.get("serious", False))} for item in OWN_INDICATORS
    ]


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ([], "ikke-tom"),
        ([{**OWN_INDICATORS[0], "code": "Ugyldig kode"}], "koden"),
        ([OWN_INDICATORS[0], OWN_INDICATORS[0]], "to gange"),
        ([{**OWN_INDICATORS[0], "part": "score"}], "del skal"),
        ([{**OWN_INDICATORS[0], "label_en": " "}], "engelsk"),
        ("ikke en liste", "JSON-liste"),
    ],
)
def test_malformed_indicator_lists_are_refused_and_change_nothing(
    district: District, bad: object, says: str
) -> None:
    lars = district.coordinator
    with pytest.raises(InvalidInput, match=says):
        lars.case_settings.set_indicators(bad)
    assert lars.case_settings.indicators() == DEFAULT_INDICATORS


def test_only_a_coordinator_changes_the_lists(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with pytest.raises(AccessDenied):
        mette.case_settings.set_categories({"andet": ["Andet", "Other"]})
    with pytest.raises(AccessDenied):
        mette.case_settings.set_indicators(OWN_INDICATORS)
    assert mette.case_settings.categories() == DEFAULT_CATEGORIES
    entries = district.coordinator.audit.list(limit=50)
    assert not [e for e in entries if e.action.startswith("case.settings")]
    district.coordinator.case_settings.set_categories({"andet": ["Andet", "Other"]})
    entries = district.coordinator.audit.list(limit=50)
    assert [e.action for e in entries if e.action.startswith("case.settings")] == [
        "case.settings.categories"
    ]
