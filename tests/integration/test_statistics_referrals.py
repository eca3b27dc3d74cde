"""Statistics of referrals: counts from seeded referrals in every status match counts made
independently here; they cover cases the member cannot read; small counts are suppressed in
the result, the CSV and the PDF; both engines (``district``)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pypdf
import pytest

from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.statistics import SectionKey
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ADULT_CPR, COMPLETE, jens, mette

YEAR_FROM, YEAR_TO = date(2026, 1, 1), date(2026, 12, 31)
R = ReferralStatus
#: The steps after sending that lead to each status.
PATHS: dict[ReferralStatus, list[ReferralStatus]] = {
    R.SENT: [],
    R.RECEIVED: [R.RECEIVED],
    R.ACCEPTED: [R.RECEIVED, R.ACCEPTED],
    R.DECLINED: [R.RECEIVED, R.DECLINED],
    R.CLOSED: [R.RECEIVED, R.ACCEPTED, R.CLOSED],
    R.WITHDRAWN: [R.WITHDRAWN],
}


@dataclass(frozen=True)
class Spec:
    """One seeded referral as the test knows it: programme, status now, day sent (None:
    never sent)."""

    programme: str
    status: ReferralStatus
    sent_on: date | None


def _specs() -> list[Spec]:
    in_period = [
        ("pet_exit", R.SENT, date(2026, 1, 5)),
        ("pet_exit", R.SENT, date(2026, 2, 10)),
        ("pet_exit", R.RECEIVED, date(2026, 3, 3)),
        ("pet_exit", R.ACCEPTED, date(2026, 4, 4)),
        ("pet_exit", R.CLOSED, date(2026, 5, 5)),
        ("pet_exit", R.WITHDRAWN, date(2026, 6, 6)),
        ("pet_exit", R.SENT, date(2026, 11, 1)),
        ("kommunal_exit", R.RECEIVED, date(2026, 7, 7)),
        ("kommunal_exit", R.DECLINED, date(2026, 8, 8)),
        ("kommunal_exit", R.CLOSED, date(2026, 9, 9)),
        ("kriminalforsorgen", R.ACCEPTED, date(2026, 10, 10)),
        ("kriminalforsorgen", R.WITHDRAWN, date(2026, 1, 1)),
    ]
    outside = [
        ("pet_exit", R.ACCEPTED, date(2025, 12, 31)),  # the day before the period
        ("andet", R.DRAFT, None),  # never sent: not a referral made
        ("kommunal_exit", R.WITHDRAWN, None),  # a draft withdrawn
    ]
    return [Spec(*row) for row in in_period + outside]


def _seed(author: MemberServices, specs: list[Spec]) -> None:
    """Three referrals per case, in the author's (Aarhus) cases."""
    case = ""
    for n, spec in enumerate(specs):
        if n % 3 == 0:
            summary = author.cases.open_case(
                new_case(f"Henvist Person {n}", ADULT_CPR), accept_duplicate=True
            )
            case = summary.number
        referral = author.referrals.create(case, spec.programme, COMPLETE)
        if spec.sent_on is None:
            if spec.status is R.WITHDRAWN:
                author.referrals.change_status(referral.id, R.WITHDRAWN, "Fortrudt")
            continue
        author.referrals.change_status(
            referral.id, R.SENT, how=SendMethod.SECURE_MAIL, on=spec.sent_on
        )
        for step in PATHS[spec.status]:
            reason = "" if step in (R.RECEIVED, R.ACCEPTED) else "Begrundelse"
            author.referrals.change_status(referral.id, step, reason, on=spec.sent_on)


@pytest.fixture
def seeded(district: District) -> tuple[District, list[Spec]]:
    author = mette(district)
    jens(district)
    specs = _specs()
    _seed(author, specs)
    return district, specs


def _counts(stats: object, key: SectionKey) -> dict[str, int]:
    section = stats.section(key)  # type: ignore[attr-defined]
    assert section is not None, key
    return {c.code: c.n for c in section.counts if c.n}


def _outcome(status: ReferralStatus) -> str:
    """Independent of the service: sent and received have no answer yet."""
    return "aaben" if status in (R.SENT, R.RECEIVED) else status.value


def test_counts_match_the_seeded_referrals(seeded: tuple[District, list[Spec]]) -> None:
    district, specs = seeded
    # Jens (Randers) cannot read a single one of Mette's Aarhus cases ...
    outsider = district.sessions["jens"]
    assert outsider.referrals.list() == []
    # ... yet the statistics count their referrals, as numbers.
    stats = outsider.statistics.compute(YEAR_FROM, YEAR_TO)
    made = [s for s in specs if s.sent_on is not None and YEAR_FROM <= s.sent_on <= YEAR_TO]
    assert len(made) == 12
    assert _counts(stats, SectionKey.REFERRALS) == Counter(s.programme for s in made)
    assert _counts(stats, SectionKey.REFERRAL_STATUS) == Counter(_outcome(s.status) for s in made)
    by_programme = stats.section(SectionKey.REFERRALS)
    by_status = stats.section(SectionKey.REFERRAL_STATUS)
    assert by_programme is not None and by_status is not None
    assert by_programme.total == by_status.total == 12
    assert by_status.unit == ("henvisninger", "referrals")
    # Every status has its row, in order, also when nothing is in it.
    assert [c.label[1] for c in by_status.counts] == [
        "Open (awaiting an answer)",
        "Accepted",
        "Declined",
        "Closed",
        "Withdrawn",
    ]
    assert [c.code for c in by_programme.counts][-1] == "andet"
    # A day's period counts its whole month: what was sent in December 2025.
    day = outsider.statistics.compute(date(2025, 12, 31), date(2025, 12, 31))
    assert (day.period_from, day.period_to) == (date(2025, 12, 1), date(2025, 12, 31))
    december = [s for s in specs if s.sent_on and (s.sent_on.year, s.sent_on.month) == (2025, 12)]
    assert _counts(day, SectionKey.REFERRALS) == Counter(s.programme for s in december)
    assert _counts(day, SectionKey.REFERRAL_STATUS) == Counter(_outcome(s.status) for s in december)
    # A mid-month period: the whole months it touches (January 5 is in, January 1 too).
    mid = outsider.statistics.compute(date(2026, 1, 3), date(2026, 2, 9))
    early = [s for s in specs if s.sent_on and date(2026, 1, 1) <= s.sent_on <= date(2026, 2, 28)]
    assert len(early) == 3
    assert _counts(mid, SectionKey.REFERRALS) == Counter(s.programme for s in early)


def test_small_referral_counts_are_suppressed(seeded: tuple[District, list[Spec]]) -> None:
    district, specs = seeded
    stats = district.coordinator.statistics.compute(YEAR_FROM, YEAR_TO)
    by_programme = stats.section(SectionKey.REFERRALS)
    assert by_programme is not None
    shown = dict(zip((c.code for c in by_programme.counts), by_programme.cells(), strict=True))
    # pet_exit 7, kommunal_exit 3, kriminalforsorgen 2, andet 0: the two small ones as "< 5";
    # 7 stays, since "< 5" + "< 5" could be anything from 2 to 8 and 12 - 7 = 5 pins neither.
    assert shown == {
        "pet_exit": "7",
        "kommunal_exit": "< 5",
        "kriminalforsorgen": "< 5",
        "andet": "0",
    }
    by_status = stats.section(SectionKey.REFERRAL_STATUS)
    assert by_status is not None
    # open 5 (3 sent, 2 received) is shown; the other four (1-2 each) as "< 5": the 7 left
    # of the total could be split among them in many ways.
    expected = Counter(_outcome(s.status) for s in specs if s.sent_on and s.sent_on.year == 2026)
    assert expected["aaben"] == 5 and all(0 < n < 5 for k, n in expected.items() if k != "aaben")
    assert by_status.cells() == ("5", "< 5", "< 5", "< 5", "< 5")
    assert by_status.shown_total() == "12"


def test_csv_and_pdf_carry_the_referral_sections(seeded: tuple[District, list[Spec]]) -> None:
    district = seeded[0]
    lars = district.coordinator
    data = lars.statistics.statistics_csv(YEAR_FROM, YEAR_TO, language="en")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    programmes = {r[1]: r[2] for r in rows if r and r[0] == "henvisninger"}
    assert programmes["Referrals by recipient programme"] == "referrals"
    assert programmes["PET's exit programme (EXIT)"] == "7"
    assert programmes["Municipal exit programme"] == "< 5"
    assert programmes["Total"] == "12"
    status = {r[1]: r[2] for r in rows if r and r[0] == "henvisninger_status"}
    assert status["Open (awaiting an answer)"] == "5"
    assert status["Withdrawn"] == "< 5"

    pdf = lars.statistics.statistics_pdf(YEAR_FROM, YEAR_TO)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "Henvisninger efter modtager" in flat
    assert "Henvisninger efter status nu" in flat
    assert "PET's exitprogram (EXIT) 7" in flat
    assert "Kommunalt exitprogram < 5" in flat
    assert "Åben (afventer svar) 5 Accepteret < 5" in flat
    assert "Henvist Person" not in text
