"""JSON forms of the encrypted case payloads. Explicit, so a stored payload never depends on
the shape of a Python class by accident."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from infohus_desktop.domain.assessment import (
    AssessmentInput,
    ConcernLevel,
    IndicatorAnswer,
    IndicatorState,
)
from infohus_desktop.domain.cases import Guardian, Intake, Person, Source
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.errors import TamperedData


def dumps(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


#: The decoder ``json.loads`` uses with its defaults. A cold list parses two payloads per
#: case; ``raw_decode`` skips the two white-space scans of ``decode``, which payloads written
#: by ``dumps`` never need (anything else takes the whole ``json.loads``, same result).
_DECODER = json.JSONDecoder()


def loads(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
        try:
            data, end = _DECODER.raw_decode(text)
        except ValueError:
            end = -1
        if end != len(text):
            data = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise _bad() from exc
    if not isinstance(data, dict):
        raise _bad()
    return data


def _bad() -> TamperedData:
    return TamperedData("Sagsdata kan ikke læses.", "Case data cannot be read.")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def person_to_json(person: Person) -> dict[str, Any]:
    return {
        "name": person.name,
        "cpr": person.cpr,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "sex": person.sex.value,
        "address": person.address,
        "municipality": person.municipality,
        "phone": person.phone,
        "email": person.email,
        "school_or_work": person.school_or_work,
        "guardians": [
            {"name": g.name, "relation": g.relation, "contact": g.contact, "informed": g.informed}
            for g in person.guardians
        ],
    }


def person_from_json(data: dict[str, Any]) -> Person:
    try:
        return Person(
            name=str(data["name"]),
            cpr=data.get("cpr"),
            birth_date=_date(data.get("birth_date")),
            sex=Sex(data.get("sex", Sex.UNKNOWN.value)),
            address=str(data.get("address", "")),
            municipality=str(data.get("municipality", "")),
            phone=str(data.get("phone", "")),
            email=str(data.get("email", "")),
            school_or_work=str(data.get("school_or_work", "")),
            guardians=tuple(
                Guardian(
                    str(g["name"]),
                    str(g.get("relation", "")),
                    str(g.get("contact", "")),
                    bool(g.get("informed", False)),
                )
                for g in data.get("guardians", [])
            ),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise _bad() from exc


def intake_to_json(intake: Intake) -> dict[str, Any]:
    return {
        "source": intake.source.value,
        "received": intake.received.isoformat(),
        "reporter_organisation": intake.reporter_organisation,
        "reporter_contact": intake.reporter_contact,
        "anonymous": intake.anonymous,
        "observed": intake.observed,
        "answers": [list(pair) for pair in intake.answers],
    }


def intake_from_json(data: dict[str, Any]) -> Intake:
    try:
        return Intake(
            source=Source(data["source"]),
            received=date.fromisoformat(data["received"]),
            reporter_organisation=str(data.get("reporter_organisation", "")),
            reporter_contact=str(data.get("reporter_contact", "")),
            anonymous=bool(data.get("anonymous", False)),
            observed=str(data.get("observed", "")),
            answers=tuple((str(q), str(a)) for q, a in data.get("answers", [])),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise _bad() from exc


def assessment_to_json(content: AssessmentInput) -> dict[str, Any]:
    return {
        "answers": {
            code: {"state": a.state.value, "comment": a.comment}
            for code, a in sorted(content.answers.items())
        },
        "main_problems": content.main_problems,
        "resources": content.resources,
        "focus_areas": list(content.focus_areas),
        "level": content.level.value,
        "rationale": content.rationale,
        "assessors": list(content.assessors),
        "assessed_on": content.assessed_on.isoformat(),
    }


def assessment_from_json(data: dict[str, Any]) -> AssessmentInput:
    try:
        return AssessmentInput(
            answers={
                str(code): IndicatorAnswer(IndicatorState(a["state"]), str(a.get("comment", "")))
                for code, a in data.get("answers", {}).items()
            },
            main_problems=str(data.get("main_problems", "")),
            resources=str(data.get("resources", "")),
            focus_areas=tuple(str(f) for f in data.get("focus_areas", [])),
            level=ConcernLevel(data["level"]),
            rationale=str(data.get("rationale", "")),
            assessors=tuple(str(a) for a in data.get("assessors", [])),
            assessed_on=date.fromisoformat(data["assessed_on"]),
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _bad() from exc
