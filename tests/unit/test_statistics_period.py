"""Statistics periods are whole calendar months, so runs cannot be differenced to one day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.statistics import month_end, whole_months


@pytest.mark.parametrize(
    ("asked", "used"),
    [
        # the differencing attack of the security review: both runs cover January-November
        ((date(2026, 1, 1), date(2026, 11, 22)), (date(2026, 1, 1), date(2026, 11, 30))),
        ((date(2026, 1, 1), date(2026, 11, 23)), (date(2026, 1, 1), date(2026, 11, 30))),
        ((date(2026, 1, 2), date(2026, 11, 30)), (date(2026, 1, 1), date(2026, 11, 30))),
        # already whole months: unchanged
        ((date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31))),
        # one day: its month
        ((date(2025, 12, 31), date(2025, 12, 31)), (date(2025, 12, 1), date(2025, 12, 31))),
        # February, leap year and not
        ((date(2024, 2, 10), date(2024, 2, 10)), (date(2024, 2, 1), date(2024, 2, 29))),
        ((date(2026, 2, 28), date(2026, 2, 28)), (date(2026, 2, 1), date(2026, 2, 28))),
        # across a year end
        ((date(2025, 12, 15), date(2026, 1, 15)), (date(2025, 12, 1), date(2026, 1, 31))),
    ],
)
def test_whole_months(asked: tuple[date, date], used: tuple[date, date]) -> None:
    assert whole_months(*asked) == used


def test_every_day_of_a_month_snaps_to_that_month() -> None:
    day = date(2024, 1, 1)
    while day.year < 2027:
        start, end = whole_months(day, day)
        assert start.day == 1 and (start.year, start.month) == (day.year, day.month)
        assert (end + timedelta(days=1)).day == 1 and end.month == day.month
        assert end == month_end(day)
        day += timedelta(days=1)


def test_backwards_and_over_long_periods_are_refused() -> None:
    with pytest.raises(InvalidInput):
        whole_months(date(2026, 11, 23), date(2026, 11, 22))
    # 120 months are allowed; the 121st month is refused
    assert whole_months(date(2017, 1, 15), date(2026, 12, 3)) == (
        date(2017, 1, 1),
        date(2026, 12, 31),
    )
    with pytest.raises(InvalidInput):
        whole_months(date(2016, 12, 31), date(2026, 12, 1))
    with pytest.raises(InvalidInput):
        whole_months(date(2026, 1, 1), date(2206, 1, 1))


def test_the_last_month_of_the_calendar_has_an_end() -> None:
    """``stats --from 9999-01-01 --to 9999-12-31`` was an intern fejl (a month after it)."""
    assert month_end(date(9999, 12, 5)) == date(9999, 12, 31)
    assert whole_months(date(9999, 1, 1), date(9999, 12, 31)) == (
        date(9999, 1, 1),
        date(9999, 12, 31),
    )
