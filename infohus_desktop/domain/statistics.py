"""Statistics for a period (DOMAIN.md "Statistics"): counts, never persons.

A :class:`Statistics` is a list of :class:`Section` s, each a one-dimensional count (cases by
status, by category, ...). Exports, CLI and screens render any section the same way, so a new
feature (referrals) adds its counts by adding one section builder to the service, not by
changing the result type or any renderer.

Small counts are suppressed (:func:`suppress`): 1-4 is shown as "< 5" so nobody can be singled
out, and :meth:`Section.cells` also hides further cells when the shown total would let a
reader recover a suppressed count by subtraction (*sekundær diskretionering*). Periods are
whole calendar months (:func:`whole_months`), so that two runs cannot be differenced down to
one day's cases.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date

from infohus_desktop.domain.cpr import age_on
from infohus_desktop.domain.errors import InvalidInput

Pair = tuple[str, str]

#: Counts from 1 up to (not including) this are shown as "< 5".
SMALL_COUNT = 5
#: A cell hidden only so that a small one cannot be recovered from the total.
HIDDEN = "x"
HIDDEN_NOTE: Pair = (
    "x: skjult, så et tal under 5 ikke kan regnes ud ved at trække fra totalen.",
    "x: hidden, so that a count below 5 cannot be worked out by subtracting from the total.",
)


def suppress(n: int) -> str:
    """The published form of a count: 0 as 0, 1-4 as "< 5", else the number."""
    if n < 0:
        raise ValueError("a count is never negative")
    return f"< {SMALL_COUNT}" if 0 < n < SMALL_COUNT else str(n)


class AgeGroup(enum.StrEnum):
    """Age at the date the concern was received."""

    UNDER_15 = "under_15"
    AGE_15_17 = "15_17"
    AGE_18_24 = "18_24"
    AGE_25_34 = "25_34"
    AGE_35_PLUS = "35_plus"
    UNKNOWN = "ukendt"


AGE_GROUP_LABELS: dict[AgeGroup, Pair] = {
    AgeGroup.UNDER_15: ("Under 15 år", "Under 15"),
    AgeGroup.AGE_15_17: ("15-17 år", "15-17"),
    AgeGroup.AGE_18_24: ("18-24 år", "18-24"),
    AgeGroup.AGE_25_34: ("25-34 år", "25-34"),
    AgeGroup.AGE_35_PLUS: ("35 år og derover", "35 and over"),
    AgeGroup.UNKNOWN: ("Ukendt alder", "Age unknown"),
}


def age_group(birth_date: date | None, received: date) -> AgeGroup:
    """The group of a person born ``birth_date`` on the day the concern was received."""
    if birth_date is None or birth_date > received:
        return AgeGroup.UNKNOWN
    age = age_on(birth_date, received)
    for limit, group in (
        (15, AgeGroup.UNDER_15),
        (18, AgeGroup.AGE_15_17),
        (25, AgeGroup.AGE_18_24),
        (35, AgeGroup.AGE_25_34),
    ):
        if age < limit:
            return group
    return AgeGroup.AGE_35_PLUS


NOT_ASSESSED = "ikke_vurderet"
NOT_SCREENED = "ikke_screenet"


class SectionKey(enum.StrEnum):
    NEW_CASES = "nye_sager"
    STATUS = "status"
    CATEGORY = "kategori"
    SOURCE = "kilde"
    MUNICIPALITY = "kommune"
    AGE_GROUP = "aldersgruppe"
    SEX = "koen"
    CONCERN_LEVEL = "bekymringsniveau"
    SCREENING = "screening"
    MEASURES = "indsatser"
    TREND_THEMES = "tendenser_tema"
    TREND_QUARTERS = "tendenser_kvartal"
    REFERRALS = "henvisninger"
    REFERRAL_STATUS = "henvisninger_status"


@dataclass(frozen=True, slots=True)
class Count:
    code: str
    label: Pair
    n: int


@dataclass(frozen=True, slots=True)
class Section:
    """One count over one dimension. ``personal`` sections count people's cases and are
    suppressed; a section about trend notes (no person in them) is shown exactly."""

    key: str
    title: Pair
    counts: tuple[Count, ...]
    unit: Pair = ("sager", "cases")
    note: Pair | None = None
    personal: bool = True

    @property
    def total(self) -> int:
        return sum(c.n for c in self.counts)

    def shown_total(self) -> str:
        return suppress(self.total) if self.personal else str(self.total)

    def cells(self) -> tuple[str, ...]:
        """Each count as published: "< 5" for 1-4, and :data:`HIDDEN` for the further cells
        that must go so that the shown total does not give a small one away."""
        if not self.personal:
            return tuple(str(c.n) for c in self.counts)
        values = [c.n for c in self.counts]
        small = {i for i, n in enumerate(values) if 0 < n < SMALL_COUNT}
        hidden: set[int] = set()
        total = sum(values)
        while total >= SMALL_COUNT and _recoverable(values, small, hidden, total):
            visible = [(n, i) for i, n in enumerate(values) if n and i not in small | hidden]
            if not visible:
                break
            hidden.add(min(visible)[1])
        return tuple(
            suppress(n) if i in small else HIDDEN if i in hidden else str(n)
            for i, n in enumerate(values)
        )

    @property
    def has_hidden(self) -> bool:
        return HIDDEN in self.cells()


def _recoverable(values: list[int], small: set[int], hidden: set[int], total: int) -> bool:
    """Could a reader who sees the total and the shown cells pin down a small cell exactly?
    They know each "< 5" is 1-4 and each "x" is at least 5; each cell's possible values are
    an interval, narrowed by the sum of the others."""
    if not small:
        return False
    shown = sum(n for i, n in enumerate(values) if i not in small | hidden)
    rest = total - shown
    bounds = {i: (1, SMALL_COUNT - 1) for i in small} | {i: (SMALL_COUNT, rest) for i in hidden}
    lo_sum = sum(lo for lo, _hi in bounds.values())
    hi_sum = sum(hi for _lo, hi in bounds.values())
    for i in small:
        lo, hi = bounds[i]
        low = max(lo, rest - (hi_sum - hi))
        high = min(hi, rest - (lo_sum - lo))
        if low >= high:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Statistics:
    """Counts for ``period_from``..``period_to`` (both days included): the period actually
    used, always whole months (:func:`whole_months`), whatever dates were asked for."""

    period_from: date
    period_to: date
    new_cases: int
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def quarter_label(day: date) -> Pair:
    q = (day.month - 1) // 3 + 1
    return (f"{q}. kvartal {day.year}", f"Q{q} {day.year}")


#: The longest period a statistics run may cover, in whole months (a typo like 2206 is refused).
MAX_MONTHS = 120
WHOLE_MONTHS_NOTE: Pair = (
    "Statistik opgøres i hele måneder, så ingen enkeltsag kan udledes ved at sammenligne perioder.",
    "Statistics are counted in whole months, so that no single case can be worked out by "
    "comparing periods.",
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month (December 9999's too: no month after it is asked for)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def check_period(period_from: date, period_to: date) -> None:
    """A period runs forwards and spans at most :data:`MAX_MONTHS` months."""
    if period_to < period_from:
        raise InvalidInput(
            "Perioden slutter før den begynder.", "The period ends before it begins."
        )
    months = (period_to.year - period_from.year) * 12 + period_to.month - period_from.month + 1
    if months > MAX_MONTHS:
        raise InvalidInput("Perioden kan højst være ti år.", "The period can be at most ten years.")


def whole_months(period_from: date, period_to: date) -> tuple[date, date]:
    """The period a statistics run really covers: from the first day of ``period_from``'s
    month to the last day of ``period_to``'s month.

    Why: with day-precise periods, two runs that differ by one day (01.01-22.11 and
    01.01-23.11) differ by exactly the cases of that day, and suppression cannot hide a
    difference of one. Whole months make every run a sum of calendar months, so what two
    runs can differ by is at least a month's cases. Refuses a backwards or over-long period.
    """
    check_period(period_from, period_to)
    return month_start(period_from), month_end(period_to)


class StatisticsAction(enum.StrEnum):
    """Audit actions of the statistics; the detail is the period."""

    COMPUTE = "statistics.compute"
    PDF = "statistics.pdf"
    CSV = "statistics.csv"
    PRINT = "statistics.print"
    SAVE = "statistics.save"
    REFRESH = "statistics.refresh"
