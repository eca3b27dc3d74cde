"""Statistics: counts from a seeded district match counts made independently here; a member
counts cases they cannot read, only as counts; guests and the DPO get none; the per-case
codes are ciphertext; both engines (``district``)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from infohus_desktop.domain.assessment import ConcernLevel
from infohus_desktop.domain.cases import MeasureType, Person, ScreeningOutcome, Source
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.statistics import SectionKey, StatisticsAction
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.records import MeasureInput
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.schema import GroupEpochRow
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow
from tests.integration.case_fixtures import assessment, new_case
from tests.integration.conftest import (
    District,
    VaultTemplate,
    district_from,
    shared_district,
)

YEAR_FROM, YEAR_TO = date(2026, 1, 1), date(2026, 12, 31)
CATEGORIES = ["hoejreekstremisme", "venstreekstremisme", "militant_islamisme", "anden_uklar"]
SOURCES = [Source.SCHOOL, Source.POLICE, Source.FAMILY, Source.HOTLINE, Source.SOCIAL_SERVICES]
LEVELS = [None, ConcernLevel.LOW, ConcernLevel.MEDIUM, ConcernLevel.HIGH]


@dataclass
class Spec:
    """One seeded case, as the test knows it without asking the statistics."""

    received: date
    municipality: str
    category: str
    source: Source
    sex: Sex
    birth: date | None
    level: ConcernLevel | None
    screening: ScreeningOutcome | None
    status: CaseStatus
    measures: int
    hidden: bool  # in a group the member cannot read


def _age_band(birth: date | None, on: date) -> str:
    """Independent of domain.statistics.age_group: whole years by day count of birthdays."""
    if birth is None:
        return "ukendt"
    age = on.year - birth.year - (1 if (on.month, on.day) < (birth.month, birth.day) else 0)
    if age < 15:
        return "under_15"
    if age <= 17:
        return "15_17"
    if age <= 24:
        return "18_24"
    if age <= 34:
        return "25_34"
    return "35_plus"


def _specs() -> list[Spec]:
    out = []
    ages = [13, 14, 15, 17, 18, 24, 25, 34, 35, 60]
    for i in range(40):
        received = date(2026, 1 + i % 12, 1 + i % 27) if i < 36 else date(2025, 12, 20 + i - 36)
        birth_year_age = ages[i % len(ages)]
        # born the day after the received date's anniversary: one year younger than the year
        # difference, to catch an off-by-one in the age at the received date
        birth = None if i % 9 == 4 else date(received.year - birth_year_age, received.month, 1)
        if birth is not None and i % 2:
            birth = date(birth.year, received.month, min(received.day + 1, 28))
        out.append(
            Spec(
                received=received,
                municipality="Randers Kommune" if i % 3 == 0 else "Aarhus Kommune",
                category=CATEGORIES[i % 4] if i % 7 else "hoejreekstremisme",
                source=SOURCES[i % 5],
                sex=[Sex.FEMALE, Sex.MALE, Sex.MALE, Sex.UNKNOWN][i % 4],
                birth=birth,
                level=LEVELS[i % 4],
                screening=None if i % 5 == 0 else list(ScreeningOutcome)[i % 5],
                status=[CaseStatus.RECEIVED, CaseStatus.SCREENING, CaseStatus.IN_INFOHUS][i % 3],
                measures=i % 3,
                hidden=i % 8 == 1,
            )
        )
    return out


def _seed(lars: MemberServices, specs: list[Spec]) -> None:
    for n, spec in enumerate(specs):
        base = new_case(f"Person {n}", None, spec.municipality)
        case = replace(
            base,
            person=Person(f"Person {n}", None, birth_date=spec.birth, sex=spec.sex),
            intake=replace(base.intake, source=spec.source, received=spec.received),
            category=spec.category,
            group="Skjult kreds" if spec.hidden else None,
        )
        ref = lars.cases.open_case(case, accept_duplicate=True).number
        if spec.screening is not None:
            lars.cases.screen(ref, spec.screening, "Begrundelse", "Lov § 1")
        if spec.status != CaseStatus.RECEIVED:
            lars.cases.change_status(ref, CaseStatus.SCREENING, "Forhåndstjek")
        if spec.status == CaseStatus.IN_INFOHUS:
            lars.cases.change_status(ref, CaseStatus.IN_INFOHUS, "Tages op")
        if spec.level is not None:
            lars.case_records.assess(ref, assessment(ConcernLevel.LOW))
            lars.case_records.assess(ref, assessment(spec.level))  # the latest counts
        for _ in range(spec.measures):
            lars.case_records.add_measure(ref, MeasureInput(MeasureType.MENTOR, "Aarhus"))


def _build_seeded(url: str, home: Path) -> None:
    with shared_district(url, home) as district:
        district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
        district.coordinator.groups.add("Skjult kreds", ["lars"])
        _seed(district.coordinator, _specs())


@pytest.fixture
def seeded(
    db_engine: str,
    cheap_kdf: None,
    infohus_home: Path,
    tmp_path: Path,
    vault_templates: Callable[[str, str, Callable[[str, Path], None]], VaultTemplate],
    request: pytest.FixtureRequest,
) -> Iterator[tuple[District, list[Spec]]]:
    """The district with mette and the 40 seeded cases, built once per test process and
    engine and copied for each test (two of them edit and audit): seeding per test was
    nearly all of the module's time."""
    template = vault_templates("statistics-seeded", db_engine, _build_seeded)
    with district_from(template, tmp_path, infohus_home, request, ["mette"]) as district:
        yield district, _specs()


def _counts(stats: object, key: SectionKey) -> dict[str, int]:
    section = stats.section(key)  # type: ignore[attr-defined]
    assert section is not None, key
    return {c.code: c.n for c in section.counts if c.n}


def test_counts_match_the_seeded_cases(seeded: tuple[District, list[Spec]]) -> None:
    district, specs = seeded
    mette = district.sessions["mette"]
    stats = mette.statistics.compute(YEAR_FROM, YEAR_TO)
    inside = [s for s in specs if YEAR_FROM <= s.received <= YEAR_TO]
    assert stats.new_cases == len(inside) == 36

    assert _counts(stats, SectionKey.CATEGORY) == Counter(s.category for s in inside)
    assert _counts(stats, SectionKey.SOURCE) == Counter(s.source.value for s in inside)
    assert _counts(stats, SectionKey.STATUS) == Counter(s.status.value for s in inside)
    assert _counts(stats, SectionKey.SEX) == Counter(s.sex.value for s in inside)
    assert _counts(stats, SectionKey.AGE_GROUP) == Counter(
        _age_band(s.birth, s.received) for s in inside
    )
    levels = Counter(s.level.value if s.level else "ikke_vurderet" for s in inside)
    assert _counts(stats, SectionKey.CONCERN_LEVEL) == levels
    outcomes = Counter(s.screening.value if s.screening else "ikke_screenet" for s in inside)
    assert _counts(stats, SectionKey.SCREENING) == outcomes
    assert _counts(stats, SectionKey.MEASURES) == {"mentor": sum(s.measures for s in inside)}
    municipalities = stats.section(SectionKey.MUNICIPALITY)
    assert municipalities is not None
    by_name = {c.label[0]: c.n for c in municipalities.counts}
    assert by_name == dict(Counter(s.municipality for s in inside))
    # Every case section partitions the period's cases.
    for key in (SectionKey.STATUS, SectionKey.AGE_GROUP, SectionKey.SEX, SectionKey.SCREENING):
        section = stats.section(key)
        assert section is not None and section.total == 36


def test_member_counts_cases_she_cannot_read(seeded: tuple[District, list[Spec]]) -> None:
    district, specs = seeded
    mette = district.sessions["mette"]
    readable = mette.cases.list()
    # Randers and the hidden group are out of her reach ...
    assert all(c.municipality == "Aarhus Kommune" for c in readable)
    visible = [s for s in specs if s.municipality == "Aarhus Kommune" and not s.hidden]
    assert len(readable) == len(visible) < len(specs)
    # ... yet the statistics count them, as numbers.
    stats = mette.statistics.compute(date(2025, 1, 1), YEAR_TO)
    assert stats.new_cases == len(specs)
    hidden_sexes = Counter(s.sex.value for s in specs)
    assert _counts(stats, SectionKey.SEX) == hidden_sexes


def test_a_shorter_period_and_an_edit_change_the_counts(
    seeded: tuple[District, list[Spec]],
) -> None:
    district, specs = seeded
    lars = district.coordinator
    march = [s for s in specs if s.received.month == 3 and s.received.year == 2026]
    stats = lars.statistics.compute(date(2026, 3, 1), date(2026, 3, 31))
    assert stats.new_cases == len(march)
    # A person's birth date corrected: the age group follows the edit.
    case = next(c for c in lars.cases.list() if c.person_name == "Person 0")
    full = lars.cases.show(case.number)
    before = lars.statistics.compute(YEAR_FROM, YEAR_TO)
    edited = replace(full.person, birth_date=date(1950, 1, 1))
    lars.cases.edit(case.number, full.summary.version, CaseEdit(person=edited))
    after = lars.statistics.compute(YEAR_FROM, YEAR_TO)
    old_band = _age_band(specs[0].birth, specs[0].received)
    assert _counts(after, SectionKey.AGE_GROUP)["35_plus"] == (
        _counts(before, SectionKey.AGE_GROUP).get("35_plus", 0) + (old_band != "35_plus")
    )


def test_two_periods_a_day_apart_give_identical_results(
    seeded: tuple[District, list[Spec]],
) -> None:
    """The differencing attack of the security review: 01.01-22.11 and 01.01-23.11 must not
    differ by the one case received on 23.11 (a man in a case Mette cannot read would be
    singled out). Both runs cover January to November."""
    district, specs = seeded
    mette = district.sessions["mette"]
    on_the_day = [s for s in specs if s.received == date(2026, 11, 23)]
    assert len(on_the_day) == 1 and on_the_day[0].sex == Sex.MALE  # the attack has a target
    shorter = mette.statistics.compute(date(2026, 1, 1), date(2026, 11, 22))
    longer = mette.statistics.compute(date(2026, 1, 1), date(2026, 11, 23))
    assert shorter == longer
    assert (longer.period_from, longer.period_to) == (date(2026, 1, 1), date(2026, 11, 30))
    # ... and both are the counts of the whole months, made independently here.
    inside = [s for s in specs if date(2026, 1, 1) <= s.received <= date(2026, 11, 30)]
    assert longer.new_cases == len(inside) == 33
    assert _counts(longer, SectionKey.SEX) == Counter(s.sex.value for s in inside)
    assert _counts(longer, SectionKey.CATEGORY) == Counter(s.category for s in inside)
    for a, b in zip(shorter.sections, longer.sections, strict=True):
        assert (a.cells(), a.shown_total()) == (b.cells(), b.shown_total())
    # A run inside one month is that month.
    march = mette.statistics.compute(date(2026, 3, 10), date(2026, 3, 20))
    assert march == mette.statistics.compute(date(2026, 3, 1), date(2026, 3, 31))
    assert march.new_cases == sum(
        1 for s in specs if (s.received.year, s.received.month) == (2026, 3)
    )
    # The audit log holds the periods used, which is what was disclosed.
    entries = district.coordinator.audit.list(action=StatisticsAction.COMPUTE, actor_login="mette")
    details = [e.detail for e in entries]
    assert details.count("period=2026-01-01..2026-11-30") == 2
    assert details.count("period=2026-03-01..2026-03-31") == 2


def test_guest_and_dpo_get_no_statistics(district: District) -> None:
    karl = district.enrol(
        "karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN
    )
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    for session in (karl, dorte):
        with pytest.raises(AccessDenied):
            session.statistics.compute(YEAR_FROM, YEAR_TO)
        with pytest.raises(AccessDenied):
            session.statistics.statistics_csv(YEAR_FROM, YEAR_TO)


def test_a_backwards_period_is_refused(district: District) -> None:
    with pytest.raises(InvalidInput):
        district.coordinator.statistics.compute(YEAR_TO, YEAR_FROM)


def test_compute_is_audited_with_the_period(district: District) -> None:
    lars = district.coordinator
    lars.statistics.compute(YEAR_FROM, YEAR_TO)
    entries = [e for e in lars.audit.list() if e.action == StatisticsAction.COMPUTE]
    assert len(entries) == 1
    assert entries[0].detail == "period=2026-01-01..2026-12-31"


def test_codes_are_ciphertext_under_the_casework_key(district: District) -> None:
    lars = district.coordinator
    base = new_case("Sentinel Person", None)
    person = Person("Sentinel Person", None, birth_date=date(2010, 5, 5), sex=Sex.FEMALE)
    summary = lars.cases.open_case(replace(base, person=person), accept_duplicate=True)
    with lars.vault.uow() as session:
        row = session.get(CaseStatisticsRow, summary.id)
        assert row is not None
        raw = bytes(row.payload)
        case_key = session.get(CaseRow, summary.id).data_key_id  # type: ignore[union-attr]
        casework = lars.vault.system_group_id(session, GroupKind.CASEWORK)
        casework_keys = set(
            session.scalars(select(GroupEpochRow.key_id).where(GroupEpochRow.group_id == casework))
        )
    for clear in (b"under_15", b"female", b"age_group", b"sex", b"2010"):
        assert clear not in raw
    # Sealed to the casework group's key (not the network's, which the DPO holds), not the
    # case's data key.
    assert row.payload.key_id in casework_keys
    assert row.payload.key_id != case_key
    if district.url.startswith("sqlite"):  # and nowhere in the files in clear
        database = Path(district.url.split("///", 1)[1])
        files = [database, database.with_name(database.name + "-wal")]
        data = b"".join(f.read_bytes() for f in files if f.exists())
        assert b"age_group" not in data and b"under_15" not in data


def test_csv_suppresses_small_counts(district: District) -> None:
    lars = district.coordinator
    for n in range(7):
        base = new_case(f"Person {n}", None)
        person = Person(f"Person {n}", None, sex=Sex.MALE if n < 6 else Sex.FEMALE)
        lars.cases.open_case(replace(base, person=person), accept_duplicate=True)
    data = lars.statistics.statistics_csv(date(2026, 1, 1), date(2026, 12, 31))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    sex = {r[1]: r[2] for r in rows if r and r[0] == "koen"}
    # 6 men, 1 woman: "< 5" for the woman, and the men hidden too (7 - 6 = 1 otherwise)
    assert sex["Kvinde"] == "< 5"
    assert sex["Mand"] == "x"
    assert sex["Ukendt"] == "0"


def test_pdf_suppresses_small_counts_and_is_audited(district: District) -> None:
    import pypdf

    lars = district.coordinator
    for n in range(7):
        base = new_case(f"Person {n}", None)
        person = Person(f"Person {n}", None, sex=Sex.MALE if n < 6 else Sex.FEMALE)
        lars.cases.open_case(replace(base, person=person), accept_duplicate=True)
    pdf = lars.statistics.statistics_pdf(YEAR_FROM, YEAR_TO)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Sager efter køn" in flat and "FORTROLIGT" in flat
    # The table beside the chart: 1 woman as "< 5", and the 6 men hidden as well, since the
    # total 7 minus 6 would give the woman away.
    assert "Kvinde < 5 Mand x Ukendt 0 I alt 7" in flat
    assert "Mand 6" not in flat and " 6 " not in flat
    assert "Person 0" not in text
    actions = [e.action for e in lars.audit.list()]
    assert StatisticsAction.PDF in actions


def test_refresh_codes_fills_cases_made_before_the_statistics(district: District) -> None:
    from sqlalchemy import delete

    lars = district.coordinator
    base = new_case("Gammel Sag", None)
    person = Person("Gammel Sag", None, birth_date=date(2000, 1, 1), sex=Sex.FEMALE)
    lars.cases.open_case(replace(base, person=person), accept_duplicate=True)
    with lars.vault.uow() as session:  # as a writer without the casework key leaves it
        session.execute(delete(CaseStatisticsRow))
    before = lars.statistics.compute(YEAR_FROM, YEAR_TO)
    assert before.new_cases == 0  # its codes are sealed in its record only
    assert lars.statistics.refresh_codes() == 1
    assert lars.statistics.refresh_codes() == 0
    after = lars.statistics.compute(YEAR_FROM, YEAR_TO)
    assert _counts(after, SectionKey.SEX) == {"female": 1}
    assert _counts(after, SectionKey.AGE_GROUP) == {"25_34": 1}


def test_trend_notes_by_theme_and_quarter(district: District) -> None:
    from infohus_desktop.domain.trends import AreaKind, TrendContent

    lars = district.coordinator
    notes = [
        (date(2026, 1, 10), "hoejreekstremisme"),
        (date(2026, 2, 1), "hoejreekstremisme"),
        (date(2026, 5, 5), "konspiration"),
        (date(2026, 12, 31), "online_had"),
        (date(2025, 12, 31), "online_had"),  # outside the period
    ]
    for start, theme in notes:
        content = TrendContent(
            "Tendens i perioden", start, start, AreaKind.DISTRICT, "Østjylland", theme
        )
        lars.trends.create(content)
    stats = lars.statistics.compute(YEAR_FROM, YEAR_TO)
    assert _counts(stats, SectionKey.TREND_THEMES) == {
        "hoejreekstremisme": 2,
        "konspiration": 1,
        "online_had": 1,
    }
    quarters = stats.section(SectionKey.TREND_QUARTERS)
    assert quarters is not None
    assert [(c.label[0], c.n) for c in quarters.counts] == [
        ("1. kvartal 2026", 2),
        ("2. kvartal 2026", 1),
        ("3. kvartal 2026", 0),
        ("4. kvartal 2026", 1),
    ]
    # Not about persons: exact, however small.
    assert quarters.cells() == ("2", "1", "0", "1")
