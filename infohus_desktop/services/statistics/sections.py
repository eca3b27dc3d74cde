"""The sections of the statistics: one builder per count over the period's decrypted records
(services/statistics/query.py).

A feature adds its counts (referrals) by writing a builder ``(StatisticsQuery) -> Section |
Iterable[Section] | None`` and adding it to :data:`SECTION_BUILDERS`: one line; results,
exports, CLI and screens render every section alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select

from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.labels import (
    LEVEL_LABELS,
    MEASURE_TYPE_LABELS,
    SCREENING_LABELS,
    SEX_LABELS,
    SOURCE_LABELS,
)
from infohus_desktop.domain.statistics import (
    AGE_GROUP_LABELS,
    NOT_ASSESSED,
    NOT_SCREENED,
    AgeGroup,
    Pair,
    Section,
    SectionKey,
    quarter_label,
)
from infohus_desktop.domain.statistics_codes import DELETED
from infohus_desktop.domain.trends import EXTRA_THEMES
from infohus_desktop.domain.workflow import STATUS_LABELS
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.statistics.query import StatisticsQuery, section
from infohus_desktop.services.statistics.referrals import referral_sections
from infohus_desktop.vault.schema import LocalInfohusRow, OrganisationRow
from infohus_desktop.vault.trend_schema import TrendNoteRow


def _status(q: StatisticsQuery) -> Section:
    labels = {s.value: pair for s, pair in STATUS_LABELS.items()}
    labels[DELETED] = ("Slettet efter opbevaringstiden", "Deleted after the retention period")
    return section(
        SectionKey.STATUS,
        ("Sager efter status nu", "Cases by current status"),
        q.records.column("status"),
        labels,
    )


def _category(q: StatisticsQuery) -> Section:
    return section(
        SectionKey.CATEGORY,
        ("Sager efter bekymringstype", "Cases by category"),
        q.records.column("category"),
        q.categories,
    )


def _source(q: StatisticsQuery) -> Section:
    return section(
        SectionKey.SOURCE,
        ("Sager efter kilde", "Cases by source"),
        q.records.column("source"),
        SOURCE_LABELS,
    )


def _municipality(q: StatisticsQuery) -> Section:
    names = {
        str(local_id): (name, name)
        for local_id, name in q.session.execute(
            select(LocalInfohusRow.id, OrganisationRow.name)
            .join(OrganisationRow, OrganisationRow.id == LocalInfohusRow.municipality_id)
            .order_by(OrganisationRow.name)
        )
    }
    return section(
        SectionKey.MUNICIPALITY,
        ("Sager efter Infohus Kommune", "Cases by Infohus Kommune"),
        q.records.column("local_infohus_id"),
        names,
    )


def _age_and_sex(q: StatisticsQuery) -> Iterable[Section]:
    ages = q.records.codes("age_group")
    sexes = q.records.codes("sex")
    ages[AgeGroup.UNKNOWN.value] += q.new_cases - ages.total()
    sexes[Sex.UNKNOWN.value] += q.new_cases - sexes.total()
    yield section(
        SectionKey.AGE_GROUP,
        ("Sager efter alder, da bekymringen kom", "Cases by age when the concern arrived"),
        ages,
        {g.value: p for g, p in AGE_GROUP_LABELS.items()},
    )
    yield section(SectionKey.SEX, ("Sager efter køn", "Cases by sex"), sexes, SEX_LABELS)


def _level(q: StatisticsQuery) -> Section:
    counted = q.records.codes("level")
    counted[NOT_ASSESSED] = q.new_cases - counted.total()
    labels: dict[str, Pair] = {str(code): pair for code, pair in LEVEL_LABELS.items()}
    labels[NOT_ASSESSED] = ("Ikke vurderet", "Not assessed")
    return section(
        SectionKey.CONCERN_LEVEL,
        ("Sager efter seneste bekymringsniveau", "Cases by latest level of concern"),
        counted,
        labels,
    )


def _screening(q: StatisticsQuery) -> Section:
    counted = q.records.codes("screening")
    counted[NOT_SCREENED] = q.new_cases - counted.total()
    labels: dict[str, Pair] = {str(code): pair for code, pair in SCREENING_LABELS.items()}
    labels[NOT_SCREENED] = ("Ikke screenet", "Not screened")
    return section(
        SectionKey.SCREENING,
        ("Sager efter seneste screeningsudfald", "Cases by latest screening outcome"),
        counted,
        labels,
    )


def _measures(q: StatisticsQuery) -> Section:
    return section(
        SectionKey.MEASURES,
        ("Indsatser i periodens sager", "Measures in the period's cases"),
        q.records.measures(),
        MEASURE_TYPE_LABELS,
        unit=("indsatser", "measures"),
        note=("En sag kan have flere indsatser.", "A case can have several measures."),
    )


def _trends(q: StatisticsQuery) -> Iterable[Section]:
    """Trend notes whose period begins in this period, by theme and by quarter: the notes of
    the member's own groups (theme and period are sealed under each note's group key, issue
    20; most notes are the whole network's), each opened and checked."""

    rows = []
    for note in q.session.scalars(
        select(TrendNoteRow).where(TrendNoteRow.group_id.in_(readable_group_ids(q.ms, q.session)))
    ):
        q.ms.check_bound(q.session, note)
        if q.period_from <= note.period_from <= q.period_to:
            rows.append((note.theme, note.period_from))
    themes = Counter(str(theme) for theme, _day in rows)
    quarters: Counter[str] = Counter()
    labels: dict[str, Pair] = {}
    for day in _quarter_starts(q.period_from, q.period_to):
        labels[day.isoformat()] = quarter_label(day)
    for _theme, day in rows:
        quarters[date(day.year, (day.month - 1) // 3 * 3 + 1, 1).isoformat()] += 1
    exact = (
        "Tendensnotater handler ikke om personer: tallene vises præcist. Talt er de "
        "notater, du kan læse.",
        "Trend notes are not about persons: the counts are shown exactly. Counted are the "
        "notes you can read.",
    )
    unit = ("notater", "notes")
    yield section(
        SectionKey.TREND_THEMES,
        ("Tendensnotater efter tema", "Trend notes by theme"),
        themes,
        {**q.categories, **EXTRA_THEMES},
        unit=unit,
        note=exact,
        personal=False,
    )
    yield section(
        SectionKey.TREND_QUARTERS,
        ("Tendensnotater efter kvartal", "Trend notes by quarter"),
        quarters,
        labels,
        unit=unit,
        note=exact,
        personal=False,
    )


def _quarter_starts(start: date, end: date) -> list[date]:
    day = date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    out = []
    while day <= end:
        out.append(day)
        day = date(day.year + (day.month == 10), (day.month + 2) % 12 + 1, 1)
    return out


def _referrals(q: StatisticsQuery) -> Iterable[Section]:
    return referral_sections(q)


Builder = Callable[[StatisticsQuery], "Section | Iterable[Section] | None"]

#: The sections, in the order they are shown. A feature adds its own with one line here
#: (referrals: services/statistics/referrals.py).
SECTION_BUILDERS: list[Builder] = [
    _status,
    _category,
    _source,
    _municipality,
    _age_and_sex,
    _level,
    _screening,
    _measures,
    _referrals,
    _trends,
]
