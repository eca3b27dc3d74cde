"""The assessment (*vurdering*), in the structure of the national assessment tool.

Two parts, risk-and-threat and wellbeing-and-resilience, each a list of indicators marked
present, absent or unknown with a comment; then an overall assessment written by people.
Indicators are an aid, not a checklist: nothing here scores or computes a level from them.
The default indicators follow the public Danish signs (behaviour, relations, attitudes, a
personal crisis, psychological vulnerability); no item of a licensed instrument is used.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from infohus_desktop.domain.errors import InvalidInput


class Part(enum.StrEnum):
    RISK = "risiko_trussel"
    WELLBEING = "trivsel_modstandskraft"


class IndicatorState(enum.StrEnum):
    PRESENT = "til_stede"
    ABSENT = "ikke_til_stede"
    UNKNOWN = "ukendt"


class ConcernLevel(enum.StrEnum):
    LOW = "lav"
    MEDIUM = "middel"
    HIGH = "hoej"


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    part: Part
    group: str  # adfærd, relationer, holdninger, personlige forhold, beskyttende faktorer
    label_da: str
    label_en: str
    serious: bool = False  # a serious sign the UI highlights


def _i(code: str, part: Part, group: str, da: str, en: str, serious: bool = False) -> Indicator:
    return Indicator(code, part, group, da, en, serious)


R, W = Part.RISK, Part.WELLBEING
DEFAULT_INDICATORS: tuple[Indicator, ...] = (
    _i("vold_involvering", R, "adfærd", "Involveret i vold", "Involved in violence", True),
    _i("vaaben_adgang", R, "adfærd", "Let adgang til våben", "Easy access to weapons", True),
    _i(
        "trusler_chikane",
        R,
        "adfærd",
        "Trusler eller chikane mod andre",
        "Threats or harassment of others",
        True,
    ),
    _i(
        "rejse_konfliktzone",
        R,
        "adfærd",
        "Rejse eller rejseplaner til konfliktområde",
        "Travel or plans to travel to a conflict zone",
        True,
    ),
    _i(
        "stoette_vold",
        R,
        "adfærd",
        "Udtrykker støtte til vold som politisk middel",
        "Expresses support for violence as a political means",
        True,
    ),
    _i(
        "propaganda_online",
        R,
        "adfærd",
        "Deler ekstremistisk materiale online",
        "Shares extremist material online",
    ),
    _i(
        "aendret_adfaerd",
        R,
        "adfærd",
        "Markant ændret adfærd, udseende eller sprogbrug",
        "Markedly changed behaviour, appearance or language",
    ),
    _i(
        "ekstreme_miljoeer",
        R,
        "relationer",
        "Kontakt til ekstremistiske miljøer eller personer",
        "Contact with extremist milieus or persons",
    ),
    _i(
        "isolation",
        R,
        "relationer",
        "Trækker sig fra familie og tidligere venner",
        "Withdraws from family and former friends",
    ),
    _i(
        "ny_omgangskreds",
        R,
        "relationer",
        "Ny omgangskreds med ekstremt ståsted",
        "New circle of friends with extreme views",
    ),
    _i(
        "fjendebilleder",
        R,
        "holdninger",
        "Sort-hvidt verdensbillede og fjendebilleder",
        "Black-and-white world view and images of enemies",
    ),
    _i(
        "afviser_demokrati",
        R,
        "holdninger",
        "Afviser demokratiet og retsstaten",
        "Rejects democracy and the rule of law",
    ),
    _i(
        "had_grupper",
        R,
        "holdninger",
        "Had mod eller nedværdigelse af bestemte grupper",
        "Hatred or degradation of particular groups",
    ),
    _i(
        "personlig_krise",
        W,
        "personlige forhold",
        "Personlig krise (fx tab, skilsmisse, arbejdsløshed)",
        "Personal crisis (e.g. loss, divorce, unemployment)",
    ),
    _i(
        "psykisk_saarbarhed",
        W,
        "personlige forhold",
        "Psykisk sårbarhed",
        "Psychological vulnerability",
    ),
    _i("misbrug", W, "personlige forhold", "Misbrug", "Substance misuse"),
    _i(
        "skole_arbejde",
        W,
        "beskyttende faktorer",
        "Skole, uddannelse eller arbejde fungerer",
        "School, education or work is going well",
    ),
    _i(
        "familie_netvaerk",
        W,
        "beskyttende faktorer",
        "Støttende familie og netværk",
        "Supportive family and network",
    ),
    _i(
        "positive_faellesskaber",
        W,
        "beskyttende faktorer",
        "Fritidsaktiviteter og positive fællesskaber",
        "Leisure activities and positive communities",
    ),
)

FOCUS_AREAS: dict[str, tuple[str, str]] = {
    "familie": ("Familie", "Family"),
    "uddannelse_arbejde": ("Uddannelse og arbejde", "Education and work"),
    "fritid_netvaerk": ("Fritid og netværk", "Leisure and network"),
    "helbred": ("Fysisk og psykisk helbred", "Physical and mental health"),
    "bolig_oekonomi": ("Bolig og økonomi", "Housing and finances"),
    "identitet_holdninger": ("Identitet og holdninger", "Identity and attitudes"),
}


@dataclass(frozen=True, slots=True)
class IndicatorAnswer:
    state: IndicatorState
    comment: str = ""


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    """What the assessors write. ``answers`` maps indicator codes to answers."""

    answers: dict[str, IndicatorAnswer]
    main_problems: str
    resources: str
    focus_areas: tuple[str, ...]
    level: ConcernLevel
    rationale: str
    assessors: tuple[str, ...]
    assessed_on: date


@dataclass(frozen=True, slots=True)
class Assessment:
    id: uuid.UUID
    case_id: uuid.UUID
    created_at: datetime
    by_login: str
    content: AssessmentInput
    indicators: tuple[Indicator, ...] = field(default=DEFAULT_INDICATORS)

    def serious_present(self) -> list[Indicator]:
        return [
            i
            for i in self.indicators
            if i.serious
            and self.content.answers.get(i.code, _UNKNOWN).state == IndicatorState.PRESENT
        ]


_UNKNOWN = IndicatorAnswer(IndicatorState.UNKNOWN)


def validate_assessment(content: AssessmentInput, indicators: tuple[Indicator, ...]) -> None:
    known = {i.code for i in indicators}
    unknown = sorted(set(content.answers) - known)
    if unknown:
        raise InvalidInput(
            f"Ukendte indikatorer: {', '.join(unknown)}.",
            f"Unknown indicators: {', '.join(unknown)}.",
        )
    bad_focus = sorted(set(content.focus_areas) - set(FOCUS_AREAS))
    if bad_focus:
        raise InvalidInput(
            f"Ukendte fokusområder: {', '.join(bad_focus)}.",
            f"Unknown focus areas: {', '.join(bad_focus)}.",
        )
    if not content.rationale.strip():
        raise InvalidInput(
            "Den samlede vurdering skal begrundes.", "The overall assessment needs a rationale."
        )
    if not content.assessors:
        raise InvalidInput("Angiv hvem der har vurderet.", "Name the assessors.")


@dataclass(frozen=True, slots=True)
class AssessmentChange:
    """One difference between two assessments, for "what changed since the last one"."""

    what: str  # an indicator code, or a field name of the overall assessment
    before: str
    after: str


def changes_since(
    previous: AssessmentInput | None, current: AssessmentInput
) -> list[AssessmentChange]:
    """What changed, item by item. Indicator states compare as text; nothing is computed."""
    if previous is None:
        return []
    out: list[AssessmentChange] = []
    for code in sorted(set(previous.answers) | set(current.answers)):
        before = previous.answers.get(code, _UNKNOWN)
        after = current.answers.get(code, _UNKNOWN)
        if before.state != after.state:
            out.append(AssessmentChange(code, before.state.value, after.state.value))
        elif before.comment != after.comment:
            out.append(AssessmentChange(f"{code}.comment", before.comment, after.comment))
    for name in ("main_problems", "resources", "rationale"):
        before_text, after_text = getattr(previous, name), getattr(current, name)
        if before_text != after_text:
            out.append(AssessmentChange(name, before_text, after_text))
    if previous.level != current.level:
        out.append(AssessmentChange("level", previous.level.value, current.level.value))
    if set(previous.focus_areas) != set(current.focus_areas):
        out.append(
            AssessmentChange(
                "focus_areas",
                ", ".join(sorted(previous.focus_areas)),
                ", ".join(sorted(current.focus_areas)),
            )
        )
    return out
