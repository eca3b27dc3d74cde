"""What every statistics section is built from: the period's records (live and deleted cases),
the shared look-ups, and the one way a count becomes a :class:`Section`.

Every count is taken in memory over the decrypted records of
:mod:`~infohus_desktop.services.core.case_codes` (one per live case) and of
:mod:`~infohus_desktop.services.statistics.kept_counts` (one per deleted case): the codes are
no columns a GROUP BY could read (issue 20).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from infohus_desktop.domain.statistics import Count, Pair, Section, SectionKey
from infohus_desktop.domain.statistics_codes import CaseCodes, ReferralCodes
from infohus_desktop.services.core.session import MemberSession


@dataclass(frozen=True, slots=True)
class PeriodRecords:
    """The cases received in a period, and the referrals sent in it (whatever month their
    case was received in)."""

    cases: tuple[CaseCodes, ...]
    referrals: tuple[ReferralCodes, ...]

    @classmethod
    def of_period(cls, records: Iterable[CaseCodes], start: date, end: date) -> PeriodRecords:
        everything = list(records)
        return cls(
            tuple(c for c in everything if start <= c.month <= end),
            tuple(r for c in everything for r in c.referrals if start <= r.sent_month <= end),
        )

    def column(self, name: str) -> Counter[str]:
        """Per status, category, source or Infohus Kommune."""
        return Counter(str(getattr(c, name)) for c in self.cases)

    def codes(self, name: str) -> Counter[str]:
        """Per age group, sex, level or screening outcome (a case without one not counted)."""
        return Counter(v for c in self.cases if (v := getattr(c, name)) is not None)

    def measures(self) -> Counter[str]:
        return Counter(m for c in self.cases for m in c.measures)

    def referral_codes(self, name: str) -> Counter[str]:
        return Counter(str(getattr(r, name)) for r in self.referrals)


@dataclass
class StatisticsQuery:
    """What a section builder gets: the open session, the period and its records."""

    ms: MemberSession
    session: Session
    period_from: date
    period_to: date
    categories: Mapping[str, Pair]
    records: PeriodRecords

    @property
    def new_cases(self) -> int:
        return len(self.records.cases)


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
