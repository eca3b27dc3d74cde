"""The JSON shapes and labels of cases that `infohus case …` prints, shared by the case commands."""

from __future__ import annotations

from typing import Any

from infohus_desktop.cli.io import t
from infohus_desktop.domain.cases import (
    Case,
    CaseSummary,
    Person,
)
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.labels import LEGAL_BASIS_LABELS, SCREENING_LABELS
from infohus_desktop.domain.workflow import STATUS_LABELS, CaseStatus


def summary_json(c: CaseSummary) -> dict[str, Any]:
    return {
        "id": str(c.id),
        "number": c.number,
        "status": c.status.value,
        "category": c.category,
        "municipality": c.municipality,
        "group_id": str(c.group_id),
        "lead_member_id": str(c.lead_member_id) if c.lead_member_id else None,
        "follow_up": c.follow_up.isoformat() if c.follow_up else None,
        "received": c.received.isoformat(),
        "name": c.person_name,
        "cpr": c.person_cpr,
        "version": c.version,
        "tampered": c.tampered,
    }


def case_json(case: Case) -> dict[str, Any]:
    p = case.person
    return {
        **summary_json(case.summary),
        "title": case.title,
        "person": {
            "name": p.name,
            "cpr": p.cpr,
            "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            "sex": p.sex.value,
            "address": p.address,
            "municipality": p.municipality,
            "phone": p.phone,
            "email": p.email,
            "school_or_work": p.school_or_work,
            "guardians": [
                {"name": g.name, "relation": g.relation, "contact": g.contact} for g in p.guardians
            ],
        },
        "intake": {
            "source": case.intake.source.value,
            "received": case.intake.received.isoformat(),
            "reporter_organisation": case.intake.reporter_organisation,
            "reporter_contact": case.intake.reporter_contact,
            "anonymous": case.intake.anonymous,
            "observed": case.intake.observed,
            "answers": [{"question": q, "answer": a} for q, a in case.intake.answers],
        },
        "lead_organisation_id": (
            str(case.summary.lead_organisation_id) if case.summary.lead_organisation_id else None
        ),
        "participating_organisations": list(case.participating_organisations),
        "retention": case.retention.value,
        "closing_reason": case.closing_reason.value if case.closing_reason else None,
        "information": [
            {
                "id": str(i.id),
                "authority": i.authority,
                "asked": i.asked.isoformat(),
                "answer": i.answer,
                "legal_basis": i.legal_basis.value,
                "by": i.by_login,
            }
            for i in case.information
        ],
        "history": [
            {
                "at": h.at.isoformat(),
                "by": h.by_login,
                "from": h.old.value if h.old else None,
                "to": h.new.value,
                "reason": h.reason,
                "closing_reason": h.closing_reason.value if h.closing_reason else None,
            }
            for h in case.history
        ],
        "screenings": [
            {
                "id": str(s.id),
                "at": s.at.isoformat(),
                "by": s.by_login,
                "outcome": s.outcome.value,
                "reason": s.reason,
                "legal_reference": s.legal_reference,
            }
            for s in case.screenings
        ],
        "measures": [
            {
                "id": str(m.id),
                "type": m.type.value,
                "owner": m.owner,
                "description": m.description,
                "status": m.status.value,
                "start": m.start.isoformat() if m.start else None,
                "end": m.end.isoformat() if m.end else None,
                "outcome": m.outcome,
                "version": m.version,
            }
            for m in case.measures
        ],
        "journal": [
            {
                "id": str(j.id),
                "at": j.at.isoformat(),
                "by": j.by_login,
                "kind": j.kind.value,
                "text": j.text,
                "corrects": str(j.corrects) if j.corrects else None,
            }
            for j in case.journal
        ],
        "disclosures": [
            {
                "id": str(d.id),
                "on": d.on.isoformat(),
                "from": d.from_party,
                "to": d.to_party,
                "what": d.what,
                "legal_basis": d.legal_basis.value,
            }
            for d in case.disclosures
        ],
        "attachments": [
            {"id": str(a.id), "filename": a.filename, "size": a.size, "media_type": a.media_type}
            for a in case.attachments
        ],
        "assessments": len(case.assessment_ids),
    }


def status_label(status: CaseStatus) -> str:
    da, en = STATUS_LABELS[status]
    return t(da, en)


def person_lines(person: Person) -> list[str]:
    """What ``case show`` prints of the person beyond the name and CPR number: the details
    a caseworker checks before editing them (only those that are filled in)."""
    rows = [
        (("Adresse", "Address"), ", ".join(x for x in (person.address, person.municipality) if x)),
        (("Kontakt", "Contact"), ", ".join(x for x in (person.phone, person.email) if x)),
        (("Skole/arbejde", "School/work"), person.school_or_work),
    ]
    lines = [f"{t(*label)}: {value}" for label, value in rows if value]
    for guardian in person.guardians:
        who = ", ".join(x for x in (guardian.name, guardian.relation, guardian.contact) if x)
        lines.append(f"{t('Forældremyndighed', 'Guardian')}: {who}")
    return lines


def part_lines(case: Case) -> list[str]:
    """What ``case show`` prints of the case's parts beyond the history, journal and
    measures: screenings, information asked for, disclosures, and how many assessments and
    attachments there are (their own commands show them). The text left these out, and a
    handover's disclosure was seen only with ``--json`` (user trial)."""
    lines: list[str] = []

    def section(title: tuple[str, str], items: list[str]) -> None:
        if items:
            lines.append(f"{t(*title)}:")
            lines.extend(f"  {item}" for item in items)

    section(
        ("Screeninger", "Screenings"),
        [
            f"{s.at.astimezone(COPENHAGEN):%d.%m.%Y}  {s.by_login}  "
            f"{t(*SCREENING_LABELS[s.outcome])}: {s.reason}"
            for s in case.screenings
        ],
    )
    section(
        ("Indhentede oplysninger", "Information asked for"),
        [
            f"{i.asked:%d.%m.%Y}  {i.authority} ({t(*LEGAL_BASIS_LABELS[i.legal_basis])})"
            + (f": {i.answer}" if i.answer else "")
            for i in case.information
        ],
    )
    section(
        ("Videregivelser", "Disclosures"),
        [
            f"{d.on:%d.%m.%Y}  {t('fra', 'from')} {d.from_party} {t('til', 'to')} {d.to_party} "
            f"({t(*LEGAL_BASIS_LABELS[d.legal_basis])}): {d.what}"
            for d in case.disclosures
        ],
    )
    assessed, attached = len(case.assessment_ids), len(case.attachments)
    if assessed:
        lines.append(t(f"Vurderinger: {assessed}", f"Assessments: {assessed}"))
    if attached:
        lines.append(t(f"Bilag: {attached}", f"Attachments: {attached}"))
    return lines
