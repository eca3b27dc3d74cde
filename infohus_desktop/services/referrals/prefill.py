"""A new referral's first draft, taken from its case: the person, the concern, the latest
assessment, its risk and protective indicators, and the measures tried.

Pure functions of what the case services already returned (and audited); the member edits the
draft before it is sent. Prefilled text is Danish, the language the form is filed in.
"""

from __future__ import annotations

from infohus_desktop.domain.assessment import Assessment, IndicatorState, Part
from infohus_desktop.domain.cases import Case, MeasureStatus, MeasureType, Person
from infohus_desktop.domain.cpr import parse_cpr
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.referrals import FieldValue, Programme

#: The indicator group whose present answers are protective; every other present one is a risk.
PROTECTIVE_GROUP = "beskyttende faktorer"
_LEVELS = {"lav": "lav", "middel": "middel", "hoej": "høj"}
_MEASURES: dict[MeasureType, str] = {
    MeasureType.CONCERN_CONVERSATION: "Bekymringssamtale",
    MeasureType.STREET_WORK: "Opsøgende relationsarbejde",
    MeasureType.MENTOR: "Mentor",
    MeasureType.PARENT_COACH: "Forældrecoach",
    MeasureType.PSYCHOLOGICAL_HELP: "Psykologhjælp",
    MeasureType.EDUCATION_JOB: "Uddannelses- eller jobindsats",
    MeasureType.EXIT_PROGRAMME: "Exitprogram",
    MeasureType.POLICE_INVESTIGATION: "Politiets efterforskning",
    MeasureType.OTHER: "Anden indsats",
}
_MEASURE_STATUS: dict[MeasureStatus, str] = {
    MeasureStatus.PLANNED: "planlagt",
    MeasureStatus.RUNNING: "igangværende",
    MeasureStatus.COMPLETED: "afsluttet",
    MeasureStatus.STOPPED: "afbrudt",
}


def _person(person: Person) -> dict[str, FieldValue]:
    birth = person.birth_date
    if birth is None and person.cpr:
        try:
            birth = parse_cpr(person.cpr).birth_date
        except InvalidInput:
            birth = None
    contact = ", ".join(x for x in (person.phone, person.email) if x)
    guardians = [
        ", ".join(x for x in (g.name, g.relation, g.contact) if x) for g in person.guardians
    ]
    return {
        "person_name": person.name,
        "person_cpr": person.cpr or "",
        "person_birth_date": birth.isoformat() if birth else "",
        "person_address": person.address,
        "person_municipality": person.municipality,
        "person_contact": contact,
        "guardians": [g for g in guardians if g],
    }


def _assessment(latest: Assessment | None) -> dict[str, FieldValue]:
    if latest is None:
        return {}
    content = latest.content
    lines = [
        f"Vurdering {content.assessed_on.strftime('%d.%m.%Y')}, "
        f"bekymringsniveau {_LEVELS.get(content.level.value, content.level.value)}."
    ]
    for title, text in (
        ("Hovedproblemer", content.main_problems),
        ("Ressourcer", content.resources),
        ("Begrundelse", content.rationale),
    ):
        if text.strip():
            lines.append(f"{title}: {text.strip()}")
    risk: list[str] = []
    protective: list[str] = []
    for indicator in latest.indicators:
        answer = content.answers.get(indicator.code)
        if answer is None or answer.state is not IndicatorState.PRESENT:
            continue
        text = indicator.label_da + (
            f": {answer.comment.strip()}" if answer.comment.strip() else ""
        )
        protects = indicator.part is Part.WELLBEING and indicator.group == PROTECTIVE_GROUP
        (protective if protects else risk).append(text)
    return {
        "assessment_summary": "\n".join(lines),
        "risk_factors": risk,
        "protective_factors": protective,
    }


def _measures(case: Case) -> list[str]:
    out = []
    for m in case.measures:
        what = _MEASURES.get(m.type, m.type.value)
        parts = [f"{what} ({m.owner})" if m.owner else what, _MEASURE_STATUS[m.status]]
        if m.start:
            parts.append(f"fra {m.start.strftime('%d.%m.%Y')}")
        if m.end:
            parts.append(f"til {m.end.strftime('%d.%m.%Y')}")
        text = ", ".join(parts)
        if m.outcome.strip():
            text += f": {m.outcome.strip()}"
        out.append(text)
    return out


def _referrer(infohus_name: str, organisation: str) -> str:
    if infohus_name.casefold() in organisation.casefold():
        return f"Infohus {organisation}"
    return f"Infohus {infohus_name}, {organisation}"


def prefill_values(
    case: Case,
    assessments: list[Assessment],
    member: Member,
    infohus_name: str,
    programme: Programme | None = None,
) -> dict[str, FieldValue]:
    """The draft's values. Keys are those of the shipped form."""
    values: dict[str, FieldValue] = {
        "referring_organisation": _referrer(infohus_name, member.organisation_name),
        "referring_contact": member.name,
        "concern": case.intake.observed,
        "measures_tried": _measures(case),
        "urgency": "normal",
    }
    if programme is not None:
        values["programme"] = programme.value
    values.update(_person(case.person))
    values.update(_assessment(assessments[-1] if assessments else None))
    return values
