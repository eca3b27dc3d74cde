"""Statistics over the district's cases and trend notes, for a period, as counts only.

Who: coordinators and members, and only while they hold the network group's key. The counts
cover every case of the district, also those in access groups the caller is not in: counts are
what the network shares (DOMAIN.md "Statistics"); guests see only their shared cases and the DPO
supervises through the audit log, so neither gets statistics. Every computation and export is
audited with the period.

How: the clear codes of ``cases`` and its parts (status, category, source, Infohus Kommune,
received date, assessment level, screening outcome, measure type) are counted in SQL with
GROUP BY; only the small per-case codes of ``case_statistics`` (age group, sex, sealed to the
network key: services/case_statistics.py) are decrypted, one key per network epoch.

Adding a section (referrals): write a builder ``(StatisticsQuery) -> Section | None`` and add
it to :data:`SECTION_BUILDERS`; results, exports, CLI and screens render every section alike.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, String, and_, column, func, select, table
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.statistics import (
    AGE_GROUP_LABELS,
    LEVEL_LABELS,
    MEASURE_LABELS,
    NOT_ASSESSED,
    NOT_SCREENED,
    SCREENING_LABELS,
    SEX_LABELS,
    SOURCE_LABELS,
    AgeGroup,
    Count,
    Pair,
    Section,
    SectionKey,
    Statistics,
    StatisticsAction,
    check_period,
    quarter_label,
)
from infohus_desktop.domain.workflow import STATUS_LABELS
from infohus_desktop.services.case_access import readable_group_ids
from infohus_desktop.services.case_statistics import open_codes, seal_codes
from infohus_desktop.services.session import MemberSession, denied
from infohus_desktop.vault.case_schema import AssessmentRow, CaseRow, MeasureRow, ScreeningRow
from infohus_desktop.vault.repositories.case_codec import person_from_json
from infohus_desktop.vault.schema import LocalInfohusRow, OrganisationRow
from infohus_desktop.vault.statistics_schema import CaseStatisticsRow

#: Roles that may see statistics (with the network key).
STATISTICS_ROLES = (Role.COORDINATOR, Role.MEMBER)


def may_see_statistics(role: Role) -> bool:
    """For screens deciding whether to offer the area."""
    return role in STATISTICS_ROLES


@dataclass
class StatisticsQuery:
    """What a section builder gets: the open session, the period and the shared look-ups."""

    ms: MemberSession
    session: Session
    period_from: date
    period_to: date
    new_cases: int
    categories: Mapping[str, Pair]

    @property
    def in_period(self) -> ColumnElement[bool]:
        return and_(CaseRow.received >= self.period_from, CaseRow.received <= self.period_to)

    def grouped(
        self, code: Any, join: tuple[Any, ColumnElement[bool]] | None = None
    ) -> Counter[str]:
        """Cases (or rows of a joined table) of the period per code, counted in SQL."""
        query = select(code, func.count()).select_from(CaseRow)
        if join is not None:
            query = query.join(*join)
        query = query.where(self.in_period).group_by(code)
        return Counter({str(k): int(n) for k, n in self.session.execute(query)})

    def latest(self, row: type[AssessmentRow] | type[ScreeningRow], code: str) -> Counter[str]:
        """Per case of the period, the code of its latest row (assessment or screening)."""
        ranked = (
            select(
                getattr(row, code).label("code"),
                func.row_number()
                .over(partition_by=row.case_id, order_by=(row.at.desc(), row.id.desc()))
                .label("rank"),
            )
            .join(CaseRow, CaseRow.id == row.case_id)
            .where(self.in_period)
            .subquery()
        )
        query = select(ranked.c.code, func.count()).where(ranked.c.rank == 1)
        return Counter(
            {str(k): int(n) for k, n in self.session.execute(query.group_by(ranked.c.code))}
        )


def section(
    key: SectionKey,
    title: Pair,
    counted: Counter[str],
    labels: Mapping[str, Pair],
    **extra: object,
) -> Section:
    """Every known code in ``labels`` order (zeros too, so tables keep their shape), then any
    code found in the data that has no label (e.g. a category since removed)."""
    rows = [Count(str(code), pair, counted.get(str(code), 0)) for code, pair in labels.items()]
    known = {str(code) for code in labels}
    rows += [
        Count(code, (code, code), n) for code, n in sorted(counted.items()) if code not in known
    ]
    return Section(key.value, title, tuple(rows), **extra)  # type: ignore[arg-type]


def _status(q: StatisticsQuery) -> Section:
    labels = {s.value: pair for s, pair in STATUS_LABELS.items()}
    return section(
        SectionKey.STATUS,
        ("Sager efter status nu", "Cases by current status"),
        q.grouped(CaseRow.status),
        labels,
    )


def _category(q: StatisticsQuery) -> Section:
    return section(
        SectionKey.CATEGORY,
        ("Sager efter bekymringstype", "Cases by category"),
        q.grouped(CaseRow.category),
        q.categories,
    )


def _source(q: StatisticsQuery) -> Section:
    return section(
        SectionKey.SOURCE,
        ("Sager efter kilde", "Cases by source"),
        q.grouped(CaseRow.source),
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
        q.grouped(CaseRow.local_infohus_id),
        names,
    )


def _codes(q: StatisticsQuery) -> tuple[Counter[str], Counter[str]]:
    """Age groups and sexes of the period's cases, from the codes sealed to the network key.
    A case without codes (made before the statistics existed) counts as unknown."""
    keys: dict[uuid.UUID, FieldKey] = {}
    ages: Counter[str] = Counter()
    sexes: Counter[str] = Counter()
    query = (
        select(CaseStatisticsRow.case_id, CaseStatisticsRow.payload)
        .join(CaseRow, CaseRow.id == CaseStatisticsRow.case_id)
        .where(q.in_period)
    )
    for case_id, payload in q.session.execute(query):
        key = keys.get(payload.key_id)
        if key is None:
            key = keys[payload.key_id] = q.ms.keyring.field_key_by_id(q.session, payload.key_id)
        group, sex = open_codes(key, case_id, payload)
        ages[group.value] += 1
        sexes[sex.value] += 1
    ages[AgeGroup.UNKNOWN.value] += q.new_cases - ages.total()
    sexes[Sex.UNKNOWN.value] += q.new_cases - sexes.total()
    return ages, sexes


def _age_and_sex(q: StatisticsQuery) -> Iterable[Section]:
    ages, sexes = _codes(q)
    yield section(
        SectionKey.AGE_GROUP,
        ("Sager efter alder, da bekymringen kom", "Cases by age when the concern arrived"),
        ages,
        {g.value: p for g, p in AGE_GROUP_LABELS.items()},
    )
    yield section(SectionKey.SEX, ("Sager efter køn", "Cases by sex"), sexes, SEX_LABELS)


def _level(q: StatisticsQuery) -> Section:
    counted = q.latest(AssessmentRow, "level")
    counted[NOT_ASSESSED] = q.new_cases - counted.total()
    labels = {**LEVEL_LABELS, NOT_ASSESSED: ("Ikke vurderet", "Not assessed")}
    return section(
        SectionKey.CONCERN_LEVEL,
        ("Sager efter seneste bekymringsniveau", "Cases by latest level of concern"),
        counted,
        labels,
    )


def _screening(q: StatisticsQuery) -> Section:
    counted = q.latest(ScreeningRow, "outcome")
    counted[NOT_SCREENED] = q.new_cases - counted.total()
    labels = {**SCREENING_LABELS, NOT_SCREENED: ("Ikke screenet", "Not screened")}
    return section(
        SectionKey.SCREENING,
        ("Sager efter seneste screeningsudfald", "Cases by latest screening outcome"),
        counted,
        labels,
    )


def _measures(q: StatisticsQuery) -> Section:
    counted = q.grouped(MeasureRow.type, (MeasureRow, MeasureRow.case_id == CaseRow.id))
    return section(
        SectionKey.MEASURES,
        ("Indsatser i periodens sager", "Measures in the period's cases"),
        counted,
        MEASURE_LABELS,
        unit=("indsatser", "measures"),
        note=("En sag kan have flere indsatser.", "A case can have several measures."),
    )


_TRENDS = table("trend_notes", column("theme", String), column("period_from", Date))


def _trends(q: StatisticsQuery) -> Iterable[Section]:
    """Trend notes whose period begins in this period, by theme and by quarter (clear
    columns of the trend feature's table; every note counts, whoever may read it)."""
    from infohus_desktop.domain.trends import EXTRA_THEMES

    rows = q.session.execute(
        select(_TRENDS.c.theme, _TRENDS.c.period_from).where(
            _TRENDS.c.period_from >= q.period_from, _TRENDS.c.period_from <= q.period_to
        )
    ).all()
    themes = Counter(str(theme) for theme, _day in rows)
    quarters: Counter[str] = Counter()
    labels: dict[str, Pair] = {}
    for day in _quarter_starts(q.period_from, q.period_to):
        labels[day.isoformat()] = quarter_label(day)
    for _theme, day in rows:
        quarters[date(day.year, (day.month - 1) // 3 * 3 + 1, 1).isoformat()] += 1
    exact = (
        "Tendensnotater handler ikke om personer: tallene vises præcist.",
        "Trend notes are not about persons: the counts are shown exactly.",
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


Builder = Callable[[StatisticsQuery], "Section | Iterable[Section] | None"]

#: The sections, in the order they are shown. A feature adds its own with one line here
#: (referrals: a builder returning a Section with key SectionKey.REFERRALS).
SECTION_BUILDERS: list[Builder] = [
    _status,
    _category,
    _source,
    _municipality,
    _age_and_sex,
    _level,
    _screening,
    _measures,
    _trends,
]


class StatisticsService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    def _require(self, session: Session) -> None:
        self.ms.require()
        if self.ms.member.role not in STATISTICS_ROLES:
            raise denied()
        network = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
        if network not in readable_group_ids(self.ms, session):
            raise AccessDenied(
                "Statistik kræver, at du har netværkets nøgle; spørg koordinatoren.",
                "Statistics need the network's key; ask the coordinator.",
            )

    def _audited(self, action: StatisticsAction, period_from: date, period_to: date) -> None:
        check_period(period_from, period_to)
        with self.ms.vault.uow() as session:
            self._require(session)
        self.ms.audited_read(
            action, None, Purpose.ADMINISTRATION, f"period={period_from}..{period_to}"
        )

    def compute(self, period_from: date, period_to: date) -> Statistics:
        """Counts for the period (both days included). Audited before anything is decrypted."""
        self._audited(StatisticsAction.COMPUTE, period_from, period_to)
        return self._compute(period_from, period_to)

    def _compute(self, period_from: date, period_to: date) -> Statistics:
        from infohus_desktop.services.case_settings import CaseSettings

        with self.ms.vault.uow() as session:
            new_cases = int(
                session.scalar(
                    select(func.count())
                    .select_from(CaseRow)
                    .where(CaseRow.received >= period_from, CaseRow.received <= period_to)
                )
                or 0
            )
            q = StatisticsQuery(
                self.ms,
                session,
                period_from,
                period_to,
                new_cases,
                CaseSettings(self.ms).categories(session),
            )
            sections: list[Section] = []
            for build in SECTION_BUILDERS:
                made = build(q)
                if isinstance(made, Section):
                    sections.append(made)
                elif made is not None:
                    sections.extend(made)
        return Statistics(period_from, period_to, new_cases, tuple(sections))

    # -- exports ----------------------------------------------------------------------------

    def statistics_pdf(self, period_from: date, period_to: date, language: str = "da") -> bytes:
        """The anonymised PDF (counts below 5 as "< 5"). Building it is audited; printing
        and saving it are audited by :meth:`audit_export`."""
        from infohus_desktop.reports.statistics import render_statistics_pdf

        self._audited(StatisticsAction.PDF, period_from, period_to)
        stats = self._compute(period_from, period_to)
        return render_statistics_pdf(
            stats, self._printed_by(), language, header_left=self._infohus()
        )

    def statistics_csv(self, period_from: date, period_to: date, language: str = "da") -> bytes:
        """The CSV (UTF-8 with BOM, ``;``), with the same suppression as the PDF. Audited."""
        from infohus_desktop.reports.statistics_csv import statistics_csv

        self._audited(StatisticsAction.CSV, period_from, period_to)
        return statistics_csv(self._compute(period_from, period_to), language)

    def audit_export(self, period_from: date, period_to: date, action: str) -> None:
        """The audit entry the PDF preview writes before it prints (``"print"``) or saves
        (``"save"``) the document it shows."""
        what = StatisticsAction.PRINT if action == "print" else StatisticsAction.SAVE
        self.ms.audited_read(
            what, None, Purpose.ADMINISTRATION, f"period={period_from}..{period_to}"
        )

    def _infohus(self) -> str:
        name = self.ms.vault.infohus_name
        return name if name.casefold().startswith("infohus") else f"Infohus {name}"

    def _printed_by(self) -> str:
        return f"{self.ms.member.name} ({self.ms.member.login})"

    # -- the sealed codes -------------------------------------------------------------------

    def refresh_codes(self) -> int:
        """Write the age group and sex codes of every case this member can read that has
        none yet (cases made before the statistics existed). Returns how many were written."""
        from infohus_desktop.services.case_access import CaseHandle

        with self.ms.transaction() as session:
            self._require(session)
            groups = readable_group_ids(self.ms, session)
            rows = session.scalars(
                select(CaseRow)
                .outerjoin(CaseStatisticsRow, CaseStatisticsRow.case_id == CaseRow.id)
                .where(CaseRow.group_id.in_(groups), CaseStatisticsRow.case_id.is_(None))
            ).all()
            self.ms.keyring.preload_data_keys(session, (r.data_key_id for r in rows))
            network = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
            key, now = self.ms.keyring.group_field_key(session, network), datetime.now(UTC)
            for row in rows:  # none has codes yet: add without asking for each
                handle = CaseHandle(row, self.ms.keyring.field_key_by_id(session, row.data_key_id))
                person = person_from_json(handle.open_case("person"))
                payload = seal_codes(key, row.id, person, row.received)
                session.add(CaseStatisticsRow(case_id=row.id, payload=payload, updated_at=now))
            self.ms.record(
                session, StatisticsAction.REFRESH, None, Purpose.ADMINISTRATION, str(len(rows))
            )
            return len(rows)
