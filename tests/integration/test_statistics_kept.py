"""Statistics of an earlier period keep their counts when its cases are deleted after their
retention period (issue 12): a deleted case counts, from the codes it left, in every section
as before, with its status now *slettet*; the codes it left name no case; a kept row changed
or moved in the database is refused, not counted wrong. SQLite and PostgreSQL (``district``).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.retention import add_months
from infohus_desktop.domain.statistics import SectionKey, Statistics
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.retention_schema import TombstoneRow
from infohus_desktop.vault.statistics_schema import KeptCountsRow
from tests.integration.case_fixtures import RECEIVED, fill_case, new_case
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ADULT_CPR, COMPLETE

MONTH = (RECEIVED.replace(day=1), date(RECEIVED.year, RECEIVED.month, 30))
LATER = add_months(date.today(), 40)


def _counts(stats: Statistics) -> dict[str, dict[str, int]]:
    return {s.key: {c.code: c.n for c in s.counts if c.n} for s in stats.sections}


def _seed(lars: MemberServices) -> list[str]:
    """Three full cases of the month, closed, one with an accepted referral; one open case
    that stays."""
    numbers = []
    for n, cpr in enumerate((ADULT_CPR, "010203-4567", None)):
        case = fill_case(lars, f"Kept Person {n}", cpr, "Aarhus Kommune")
        numbers.append(case.number)
    referral = lars.referrals.create(numbers[0], "pet_exit", COMPLETE)
    sent = date(RECEIVED.year, RECEIVED.month, 25)
    lars.referrals.change_status(
        referral.id, ReferralStatus.SENT, how=SendMethod.SECURE_MAIL, on=sent
    )
    lars.referrals.change_status(referral.id, ReferralStatus.RECEIVED, on=sent)
    lars.referrals.change_status(referral.id, ReferralStatus.ACCEPTED, on=sent)
    for number in numbers:
        lars.cases.change_status(
            number, CaseStatus.CLOSED, "Afsluttet", ClosingReason.MEASURES_DONE
        )
    lars.cases.open_case(new_case("Stays Open"), accept_duplicate=True)
    return numbers


def test_an_earlier_period_keeps_its_counts_after_its_cases_are_deleted(
    district: District,
) -> None:
    lars = district.coordinator
    numbers = _seed(lars)
    before = lars.statistics.compute(*MONTH)
    for number in numbers:
        lars.retention.delete(number, "Slettefrist udløbet", today=LATER)
    after = lars.statistics.compute(*MONTH)

    assert after.new_cases == before.new_cases == 4
    counted_before, counted_after = _counts(before), _counts(after)
    status_before = counted_before.pop(SectionKey.STATUS)
    status_after = counted_after.pop(SectionKey.STATUS)
    assert counted_after == counted_before  # category, source, age, sex, level, measures, …
    assert status_before["afsluttet"] == 3
    assert status_after == {
        **{k: v for k, v in status_before.items() if k != "afsluttet"},
        "slettet": 3,
    }
    assert counted_after[SectionKey.REFERRALS] == {"pet_exit": 1}
    assert counted_after[SectionKey.CONCERN_LEVEL]["hoej"] == 3
    deleted = next(c for c in after.section(SectionKey.STATUS).counts if c.code == "slettet")
    assert deleted.label[0] == "Slettet efter opbevaringstiden"

    # The month after knows nothing of them.
    next_month = lars.statistics.compute(date(2026, 12, 1), date(2026, 12, 31))
    assert next_month.new_cases == 0


def test_the_kept_codes_name_no_case_and_refuse_a_changed_or_moved_row(
    district: District,
) -> None:
    lars = district.coordinator
    numbers = _seed(lars)
    for number in numbers[:2]:
        lars.retention.delete(number, "Slettefrist udløbet", today=LATER)
    engine = create_vault_engine(district.url)
    try:
        with engine.begin() as conn:
            kept = conn.execute(select(KeptCountsRow.id, KeptCountsRow.payload)).all()
            stones = {str(i) for i in conn.scalars(select(TombstoneRow.id))}
            assert len(kept) == 2 and len(stones) == 2
            for row_id, payload in kept:
                assert str(row_id) not in stones  # not the case's id
                for number in numbers:
                    assert number.encode() not in bytes(payload)
            # A copy under a new id does not open: a deleted case cannot be counted twice.
            conn.execute(
                KeptCountsRow.__table__.insert().values(id=uuid.uuid4(), payload=kept[0][1])
            )
        with pytest.raises(TamperedData) as caught:
            lars.statistics.compute(*MONTH)
        assert "slettede sager" in caught.value.message("da")
    finally:
        engine.dispose()
