"""Helpers that open realistic cases through the services, for tests of every kind."""

from __future__ import annotations

import io
from datetime import date

from infohus_desktop.domain.assessment import (
    AssessmentInput,
    ConcernLevel,
    IndicatorAnswer,
    IndicatorState,
)
from infohus_desktop.domain.cases import (
    CaseSummary,
    Guardian,
    Intake,
    JournalKind,
    LegalBasis,
    MeasureType,
    Person,
    ScreeningOutcome,
    Source,
)
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.services.cases.records import MeasureInput
from infohus_desktop.services.front_door import MemberServices

RECEIVED = date(2026, 11, 20)


def new_case(
    name: str,
    cpr: str | None = None,
    municipality: str | None = "Aarhus Kommune",
    group: str | None = None,
    observed: str = "Eleven har delt voldsforherligende materiale i klassens chat.",
) -> NewCase:
    return NewCase(
        person=Person(
            name,
            cpr,
            address="Testvej 1, 8000 Aarhus C",
            phone="12345678",
            guardians=(Guardian("Forælder Testesen", "mor", "87654321"),),
        ),
        intake=Intake(
            Source.SCHOOL,
            RECEIVED,
            "Testskolen",
            "Lærer Lærersen",
            observed=observed,
            answers=(("Hvor ofte?", "Flere gange om ugen"),),
        ),
        category="militant_islamisme",
        municipality=municipality,
        group=group,
        title="Bekymring fra skolen",
    )


def assessment(
    level: ConcernLevel = ConcernLevel.MEDIUM, violence: bool = False
) -> AssessmentInput:
    state = IndicatorState.PRESENT if violence else IndicatorState.ABSENT
    return AssessmentInput(
        answers={
            "vold_involvering": IndicatorAnswer(
                state, "Slåskamp i frikvarteret" if violence else ""
            ),
            "isolation": IndicatorAnswer(IndicatorState.PRESENT, "Har trukket sig fra holdet"),
        },
        main_problems="Isolation og ny omgangskreds",
        resources="Støttende mor",
        focus_areas=("familie",),
        level=level,
        rationale="Bekymrende tegn, ingen akut fare",
        assessors=("SSP-konsulent",),
        assessed_on=RECEIVED,
    )


def fill_case(
    session: MemberServices, name: str, cpr: str | None, municipality: str | None
) -> CaseSummary:
    """A case with every part: screening, information, status history, two assessments, a
    measure, journal entries with a correction, a disclosure and an attachment."""
    summary = session.cases.open_case(new_case(name, cpr, municipality), accept_duplicate=True)
    ref = summary.number
    session.cases.screen(ref, ScreeningOutcome.INFOHUS, "Relevant for Infohuset")
    session.cases.add_information(
        ref, "Skolen", RECEIVED, "Fravær stigende", LegalBasis.RPL_115_1_1
    )
    session.cases.change_status(ref, CaseStatus.SCREENING, "Politiets forhåndstjek")
    session.cases.change_status(ref, CaseStatus.IN_INFOHUS, "Tages op i Infohuset")
    session.case_records.assess(ref, assessment())
    session.case_records.assess(ref, assessment(ConcernLevel.HIGH, violence=True))
    session.case_records.add_measure(
        ref, MeasureInput(MeasureType.MENTOR, "Aarhus Kommune", "Mentor fra korpset")
    )
    entry = session.case_records.add_journal(
        ref, JournalKind.CONVERSATION, "Samtale med mor om bekymringen"
    )
    session.case_records.add_journal(
        ref, JournalKind.NOTE, "Rettelse: samtalen var med far", corrects=entry.id
    )
    session.case_records.add_disclosure(
        ref,
        RECEIVED,
        "Politiet",
        "Aarhus Kommune",
        "Oplysninger om bekymringen",
        LegalBasis.RPL_115_1_1,
    )
    session.attachments.add(ref, "notat.txt", io.BytesIO(b"Fortroligt notat om personen " * 3))
    return summary
