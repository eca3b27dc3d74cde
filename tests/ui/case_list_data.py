"""Realistic cases for the case list: Danish names (Faker ``da_DK``), fictitious CPR numbers of
valid form, every status, some follow-ups due. Used by the tests and to look at the list."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from faker import Faker

from infohus_desktop.domain.cases import CaseSummary, Intake, Person, Source
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.services.front_door import MemberServices

CATEGORIES = ("hoejreekstremisme", "venstreekstremisme", "militant_islamisme", "anden_uklar")
#: A path through the workflow to each status.
PATHS: dict[CaseStatus, tuple[CaseStatus, ...]] = {
    CaseStatus.RECEIVED: (),
    CaseStatus.SCREENING: (CaseStatus.SCREENING,),
    CaseStatus.IN_INFOHUS: (CaseStatus.SCREENING, CaseStatus.IN_INFOHUS),
    CaseStatus.MEASURES: (CaseStatus.SCREENING, CaseStatus.IN_INFOHUS, CaseStatus.MEASURES),
    CaseStatus.FOLLOW_UP: (CaseStatus.SCREENING, CaseStatus.IN_INFOHUS, CaseStatus.FOLLOW_UP),
    CaseStatus.REFERRED: (CaseStatus.SCREENING, CaseStatus.IN_INFOHUS, CaseStatus.REFERRED),
    CaseStatus.CLOSED: (CaseStatus.SCREENING, CaseStatus.CLOSED),
}


def fictitious_cpr(rnd: random.Random, born: date) -> str:
    """Ten digits whose date is ``born`` and whose 7th digit gives the right century."""
    century_digit = rnd.choice("49") if born.year >= 2000 else rnd.choice("0123")
    return f"{born:%d%m%y}{century_digit}{rnd.randrange(1000):03d}"


def open_case(
    session: MemberServices,
    name: str,
    cpr: str | None,
    municipality: str,
    received: date,
    category: str = "militant_islamisme",
    status: CaseStatus = CaseStatus.RECEIVED,
    follow_up: date | None = None,
) -> CaseSummary:
    summary = session.cases.open_case(
        NewCase(
            person=Person(name, cpr),
            intake=Intake(Source.SCHOOL, received, "Skolen", observed="Bekymrende adfærd"),
            category=category,
            municipality=municipality,
            follow_up=follow_up,
        ),
        accept_duplicate=True,
    )
    for step in PATHS[status]:
        closing = ClosingReason.UNFOUNDED if step == CaseStatus.CLOSED else None
        summary = session.cases.change_status(summary.number, step, "Testforløb", closing)
    return summary


def realistic_cases(
    session: MemberServices,
    count: int,
    today: date,
    seed: int = 7,
    municipalities: tuple[str, ...] = ("Randers Kommune", "Aarhus Kommune", "Aarhus Kommune"),
) -> list[CaseSummary]:
    rnd = random.Random(seed)
    fake = Faker("da_DK")
    fake.seed_instance(seed)
    out = []
    statuses = list(PATHS)
    for i in range(count):
        born = date(2004, 1, 1) + timedelta(days=rnd.randrange(9 * 365))
        received = today - timedelta(days=rnd.randrange(5, 300))
        follow_up = (
            None if rnd.random() < 0.3 else received + timedelta(days=rnd.choice((30, 60, 90)))
        )
        out.append(
            open_case(
                session,
                f"{fake.first_name()} {fake.last_name()}",
                None if rnd.random() < 0.25 else fictitious_cpr(rnd, born),
                municipalities[i % len(municipalities)],
                received,
                rnd.choice(CATEGORIES),
                statuses[i % len(statuses)],
                follow_up,
            )
        )
    return out


def set_follow_up(session: MemberServices, summary: CaseSummary, day: date) -> CaseSummary:
    return session.cases.edit(summary.number, summary.version, CaseEdit(follow_up=day))


def summary(
    number: str,
    name: str,
    cpr: str | None = None,
    status: CaseStatus = CaseStatus.RECEIVED,
    category: str = "militant_islamisme",
    municipality: str = "Aarhus Kommune",
    lead: uuid.UUID | None = None,
    received: date = date(2026, 11, 1),
    follow_up: date | None = None,
) -> CaseSummary:
    """A summary without a vault, for model tests."""
    return CaseSummary.of(
        key=uuid.uuid4().int,
        number=number,
        status=status,
        category=category,
        local_infohus_id=uuid.UUID(int=1),
        municipality=municipality,
        group_id=uuid.UUID(int=2),
        lead_organisation_id=None,
        lead_member_id=lead,
        follow_up=follow_up,
        received=received,
        person_name=name,
        person_cpr=cpr,
        version=1,
    )
