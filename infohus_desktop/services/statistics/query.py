"""What every statistics section is built from: the period, the readable scope and the
session (:class:`StatisticsQuery`), and the one way a count becomes a :class:`Section`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.statistics import Count, Pair, Section, SectionKey
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.statistics.kept_counts import KeptCounts
from infohus_desktop.vault.case_schema import AssessmentRow, CaseRow, ScreeningRow


@dataclass
class StatisticsQuery:
    """What a section builder gets: the open session, the period and the shared look-ups."""

    ms: MemberSession
    session: Session
    period_from: date
    period_to: date
    new_cases: int
    categories: Mapping[str, Pair]
    #: The deleted cases of the period, counted with the live ones (kept_counts.py).
    kept: KeptCounts
    _case_columns: dict[str, Counter[str]] | None = None

    @property
    def in_period(self) -> ColumnElement[bool]:
        return and_(CaseRow.received >= self.period_from, CaseRow.received <= self.period_to)

    def by_case_column(self, name: str) -> Counter[str]:
        """The period's cases per status, category, source or Infohus Kommune. The four come
        from one GROUP BY over the four columns (one scan of ``cases``, not four); deleted
        cases add their kept codes (status *slettet*)."""
        if self._case_columns is None:
            columns = (CaseRow.status, CaseRow.category, CaseRow.source, CaseRow.local_infohus_id)
            query = select(*columns, func.count()).where(self.in_period).group_by(*columns)
            counted: dict[str, Counter[str]] = {c.key: Counter() for c in columns}
            for *codes, n in self.session.execute(query):
                for column_, code in zip(columns, codes, strict=True):
                    counted[column_.key][str(code)] += int(n)
            for key, counter in counted.items():
                counter.update(self.kept.column(key))
            self._case_columns = counted
        return self._case_columns[name]

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
    labels: Mapping[str, Pair] | Mapping[Any, Pair],
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
