"""A few cases with known counts, and referrals of them, for the statistics screens."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from infohus_desktop.domain.cases import Person
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import new_case
from tests.integration.referral_fixtures import COMPLETE

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


R = ReferralStatus
#: (programme, day sent, the steps after sending) of the referrals of the first cases.
REFERRALS = [
    ("pet_exit", date(2026, 2, 20), [R.RECEIVED, R.ACCEPTED]),
    ("pet_exit", date(2026, 3, 20), [R.RECEIVED, R.ACCEPTED, R.CLOSED]),
    ("pet_exit", date(2026, 5, 10), [R.RECEIVED]),
    ("pet_exit", date(2026, 6, 25), []),
    ("pet_exit", date(2026, 7, 1), [R.RECEIVED, R.DECLINED]),
    ("kommunal_exit", date(2026, 8, 15), [R.WITHDRAWN]),
    ("kriminalforsorgen", date(2026, 9, 20), []),
]


def seed(session: MemberServices) -> None:
    numbers = []
    for n, (received, category, sex, birth) in enumerate(CASES):
        base = new_case(f"Statistik Person {n}", None)
        summary = session.cases.open_case(
            replace(
                base,
                person=Person(f"Statistik Person {n}", None, birth_date=birth, sex=sex),
                intake=replace(base.intake, received=received),
                category=category,
            ),
            accept_duplicate=True,
        )
        numbers.append(summary.number)
    for number, (programme, sent_on, steps) in zip(numbers, REFERRALS, strict=False):
        values = {**COMPLETE, "guardians_consent": "ja"}
        referral = session.referrals.create(number, programme, values)
        session.referrals.change_status(referral.id, R.SENT, how=SendMethod.SECURE_MAIL, on=sent_on)
        for step in steps:
            reason = "" if step in (R.RECEIVED, R.ACCEPTED) else "Begrundelse"
            session.referrals.change_status(referral.id, step, reason, on=sent_on)
