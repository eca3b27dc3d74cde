"""A few cases with known counts, for the statistics screens."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from infohus_desktop.domain.cases import Person
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.services.session import MemberSession
from tests.integration.case_fixtures import new_case

#: (received, category, sex, birth date) of the seeded cases.
CASES = [
    (date(2026, 2, 3), "militant_islamisme", Sex.MALE, date(2010, 1, 1)),
    (date(2026, 3, 9), "militant_islamisme", Sex.MALE, date(2009, 6, 1)),
    (date(2026, 4, 14), "hoejreekstremisme", Sex.MALE, date(2008, 2, 2)),
    (date(2026, 5, 2), "militant_islamisme", Sex.FEMALE, date(2001, 3, 3)),
    (date(2026, 6, 20), "hoejreekstremisme", Sex.MALE, date(2007, 4, 4)),
    (date(2026, 8, 1), "militant_islamisme", Sex.MALE, None),
    (date(2026, 9, 12), "hoejreekstremisme", Sex.MALE, date(1990, 5, 5)),
    (date(2026, 10, 30), "militant_islamisme", Sex.MALE, date(2011, 6, 6)),
    (date(2025, 5, 5), "venstreekstremisme", Sex.FEMALE, date(2005, 7, 7)),
    (date(2025, 6, 6), "venstreekstremisme", Sex.MALE, date(2004, 8, 8)),
]


def seed(session: MemberSession) -> None:
    for n, (received, category, sex, birth) in enumerate(CASES):
        base = new_case(f"Statistik Person {n}", None)
        session.cases.open_case(
            replace(
                base,
                person=Person(f"Statistik Person {n}", None, birth_date=birth, sex=sex),
                intake=replace(base.intake, received=received),
                category=category,
            ),
            accept_duplicate=True,
        )
