"""The ``data`` of a ``case-transfer`` bundle (docs/BUNDLE.md §8): the whole case as the
receiving Infohus reads it, built from what the sender's services read, checked field by field
on import, and put into words for the receiving case's journal.

Only the case: its person, intake, title and category, status history, screenings, information
gathered, assessments with their history, measures, journal, disclosures, and a summary of what
meetings decided about it (date and decision, not the minutes). Logins name who did what at the
sender; the receiver shows them as the sender's, never as its own members.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, TypeVar

from infohus_desktop.domain.assessment import Assessment
from infohus_desktop.domain.cases import Case, Intake, Person, Source
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import (
    DECISION_KIND_LABELS,
    JOURNAL_KIND_LABELS,
    LEGAL_BASIS_LABELS,
    MEASURE_STATUS_LABELS,
    MEASURE_TYPE_LABELS,
    SCREENING_LABELS,
)
from infohus_desktop.domain.workflow import CLOSING_LABELS, STATUS_LABELS
from infohus_desktop.services.cases.index import checked_intake, checked_person
from infohus_desktop.vault.codecs.cases import (
    assessment_to_json,
    intake_from_json,
    intake_to_json,
    person_from_json,
    person_to_json,
)

#: The top-level keys of the data, exactly.
DATA_KEYS = frozenset(
    {
        "assessments",
        "case",
        "decisions",
        "disclosures",
        "handover",
        "history",
        "information",
        "intake",
        "journal",
        "measures",
        "person",
        "screenings",
    }
)
_CASE_KEYS = frozenset(
    {"category", "number", "participating_organisations", "received", "retention", "title"}
)
_HANDOVER_KEYS = frozenset({"from", "on", "reason"})
#: The keys of each list's items, with the JSON type each value must have (``str?``: or null).
_ITEM_KEYS: dict[str, dict[str, str]] = {
    "history": {"at": "moment", "by": "str", "from": "str?", "to": "str", "reason": "str",
                "closing_reason": "str?"},
    "screenings": {"at": "moment", "by": "str", "outcome": "str", "reason": "str",
                   "legal_reference": "str"},
    "information": {"authority": "str", "asked": "date", "answer": "str", "legal_basis": "str",
                    "by": "str"},
    "assessments": {"at": "moment", "by": "str", "content": "dict"},
    "measures": {"type": "str", "owner": "str", "description": "str", "start": "date?",
                 "end": "date?", "status": "str", "outcome": "str"},
    "journal": {"at": "moment", "by": "str", "kind": "str", "text": "str", "corrects": "int?"},
    "disclosures": {"on": "date", "from": "str", "to": "str", "what": "str",
                    "legal_basis": "str", "by": "str"},
    "decisions": {"meeting": "date", "kind": "str", "text": "str", "authority": "str"},
}  # fmt: skip
MAX_TEXT = 100_000
#: The person and the intake exactly as the vault's own codecs write them.
_PERSON_KEYS = frozenset(person_to_json(Person(name="x")))
_INTAKE_KEYS = frozenset(intake_to_json(Intake(Source.SCHOOL, date(2026, 1, 1))))


def _moment(value: datetime) -> str:
    return value.isoformat()


def build(
    case: Case,
    assessments: list[Assessment],
    decisions: list[dict[str, Any]],
    sender: str,
    on: date,
    reason: str,
) -> dict[str, Any]:
    """The data of the bundle for ``case``; ``decisions`` are already in their JSON shape."""
    journal_index = {entry.id: n for n, entry in enumerate(case.journal)}
    return {
        "case": {
            "number": case.summary.number,
            "received": case.summary.received.isoformat(),
            "category": case.summary.category,
            "title": case.title,
            "retention": case.retention.value,
            "participating_organisations": list(case.participating_organisations),
        },
        "person": person_to_json(case.person),
        "intake": intake_to_json(case.intake),
        "history": [
            {
                "at": _moment(c.at),
                "by": c.by_login,
                "from": c.old.value if c.old else None,
                "to": c.new.value,
                "reason": c.reason,
                "closing_reason": c.closing_reason.value if c.closing_reason else None,
            }
            for c in case.history
        ],
        "screenings": [
            {
                "at": _moment(s.at),
                "by": s.by_login,
                "outcome": s.outcome.value,
                "reason": s.reason,
                "legal_reference": s.legal_reference,
            }
            for s in case.screenings
        ],
        "information": [
            {
                "authority": i.authority,
                "asked": i.asked.isoformat(),
                "answer": i.answer,
                "legal_basis": i.legal_basis.value,
                "by": i.by_login,
            }
            for i in case.information
        ],
        "assessments": [
            {
                "at": _moment(a.created_at),
                "by": a.by_login,
                "content": assessment_to_json(a.content),
            }
            for a in assessments
        ],
        "measures": [
            {
                "type": m.type.value,
                "owner": m.owner,
                "description": m.description,
                "start": m.start.isoformat() if m.start else None,
                "end": m.end.isoformat() if m.end else None,
                "status": m.status.value,
                "outcome": m.outcome,
            }
            for m in case.measures
        ],
        "journal": [
            {
                "at": _moment(j.at),
                "by": j.by_login,
                "kind": j.kind.value,
                "text": j.text,
                "corrects": journal_index.get(j.corrects) if j.corrects else None,
            }
            for j in case.journal
        ],
        "disclosures": [
            {
                "on": d.on.isoformat(),
                "from": d.from_party,
                "to": d.to_party,
                "what": d.what,
                "legal_basis": d.legal_basis.value,
                "by": d.by_login,
            }
            for d in case.disclosures
        ],
        "decisions": decisions,
        "handover": {"from": sender, "on": on.isoformat(), "reason": reason},
    }


# -- checking what arrived ----------------------------------------------------------------------


def _fits(value: object, kind: str) -> bool:
    if kind.endswith("?"):
        return value is None or _fits(value, kind[:-1])
    if kind == "str":
        return isinstance(value, str) and len(value) <= MAX_TEXT
    if kind == "int":
        return type(value) is int
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "date":
        try:
            return isinstance(value, str) and bool(date.fromisoformat(value))
        except ValueError:
            return False
    if kind == "moment":
        try:
            return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
        except ValueError:
            return False
    raise AssertionError(kind)


def check(data: object) -> dict[str, Any]:
    """The data if every key and value is as §8 has it; ValueError naming no content."""
    if not isinstance(data, dict) or set(data) != DATA_KEYS:
        raise ValueError("data keys")
    case, handover = data["case"], data["handover"]
    if not isinstance(case, dict) or set(case) != _CASE_KEYS:
        raise ValueError("case keys")
    for key in ("number", "category", "title", "retention"):
        if not _fits(case[key], "str"):
            raise ValueError("case value")
    if not _fits(case["received"], "date"):
        raise ValueError("received")
    organisations = case["participating_organisations"]
    if not isinstance(organisations, list) or not all(_fits(o, "str") for o in organisations):
        raise ValueError("organisations")
    if not isinstance(handover, dict) or set(handover) != _HANDOVER_KEYS:
        raise ValueError("handover keys")
    if not (_fits(handover["from"], "str") and _fits(handover["reason"], "str")):
        raise ValueError("handover value")
    if not _fits(handover["on"], "date"):
        raise ValueError("handover date")
    for name, shape in _ITEM_KEYS.items():
        items = data[name]
        if not isinstance(items, list) or len(items) > 10_000:
            raise ValueError(name)
        for item in items:
            if not isinstance(item, dict) or set(item) != set(shape):
                raise ValueError(f"{name} keys")
            if not all(_fits(item[key], kind) for key, kind in shape.items()):
                raise ValueError(f"{name} value")
    for name, keys in (("person", _PERSON_KEYS), ("intake", _INTAKE_KEYS)):
        if not isinstance(data[name], dict) or set(data[name]) != keys:
            raise ValueError(f"{name} keys")
    try:  # then the values through the vault's own readers and checks
        checked_person(person_from_json(data["person"]))
        checked_intake(intake_from_json(data["intake"]))
    except (KeyError, TypeError, ValueError, AttributeError, InfohusError) as exc:
        raise ValueError("person or intake") from exc
    return data


# -- in words, for the receiving case's journal -------------------------------------------------


def _day(text: str) -> str:
    return date.fromisoformat(text[:10]).strftime("%d.%m.%Y")


E = TypeVar("E", bound=enum.Enum)


def _word(labels: dict[E, tuple[str, str]], code: str | None) -> str:
    """A code of the sender's as the receiving members read it (Danish, as the journal is
    written); a code this version does not know (a newer sender's) stays as it came."""
    if code is None:
        return "–"
    for key, (danish, _english) in labels.items():
        if key.value == code:
            return danish
    return code


def in_words(data: dict[str, Any], sender: str) -> str:
    """The sender's history as text: what the receiving members read in the journal. The
    whole data is also kept as a JSON attachment, as it arrived. ``sender`` is the name this
    Infohus gave the sender when it pinned its key (BUNDLE.md §2), not the name it sent."""
    case, handover = data["case"], data["handover"]
    lines = [
        f"Overdraget fra {sender} (deres sag {case['number']}) den {_day(handover['on'])}.",
    ]
    if handover["reason"]:
        lines.append(f"Begrundelse: {handover['reason']}")
    lines.append(
        "Historikken herunder er afsenderens; navnene er afsenderens brugere. Hele sagen, som "
        "den kom, ligger som bilag (JSON)."
    )

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.extend(["", f"{title}:", *(f"- {item}" for item in items)])

    section(
        "Status",
        [
            f"{_day(c['at'])} {_word(STATUS_LABELS, c['from'])} → "
            f"{_word(STATUS_LABELS, c['to'])}"
            + (
                f", {_word(CLOSING_LABELS, c['closing_reason']).lower()}"
                if c.get("closing_reason")
                else ""
            )
            + f" ({c['by']}): {c['reason']}"
            for c in data["history"]
        ],
    )
    section(
        "Screeninger",
        [
            f"{_day(s['at'])} {_word(SCREENING_LABELS, s['outcome'])} ({s['by']}): {s['reason']}"
            for s in data["screenings"]
        ],
    )
    section(
        "Indhentede oplysninger",
        [
            f"{_day(i['asked'])} {i['authority']} "
            f"({_word(LEGAL_BASIS_LABELS, i['legal_basis'])}): {i['answer']}"
            for i in data["information"]
        ],
    )
    section("Vurderinger", [f"{_day(a['at'])} ({a['by']})" for a in data["assessments"]])
    section(
        "Indsatser",
        [
            f"{_word(MEASURE_TYPE_LABELS, m['type'])} ved {m['owner']}, "
            f"{_word(MEASURE_STATUS_LABELS, m['status']).lower()}: {m['description']}"
            + (f" Resultat: {m['outcome']}" if m["outcome"] else "")
            for m in data["measures"]
        ],
    )
    section(
        "Journal",
        [
            f"{_day(j['at'])} {_word(JOURNAL_KIND_LABELS, j['kind'])} ({j['by']}): {j['text']}"
            for j in data["journal"]
        ],
    )
    section(
        "Videregivelser",
        [
            f"{_day(d['on'])} fra {d['from']} til {d['to']} "
            f"({_word(LEGAL_BASIS_LABELS, d['legal_basis'])}): {d['what']}"
            for d in data["disclosures"]
        ],
    )
    section(
        "Mødebeslutninger",
        [
            f"{_day(d['meeting'])} {_word(DECISION_KIND_LABELS, d['kind'])} "
            f"({d['authority']}): {d['text']}"
            for d in data["decisions"]
        ],
    )
    return "\n".join(lines)


__all__ = ["DATA_KEYS", "build", "check", "in_words"]
