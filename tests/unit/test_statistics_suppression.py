"""Small-count suppression: "< 5" for 1-4, and no small count recoverable from the total."""

from __future__ import annotations

from datetime import date

import pytest

from infohus_desktop.domain.statistics import (
    HIDDEN,
    AgeGroup,
    Count,
    Section,
    age_group,
    suppress,
)


@pytest.mark.parametrize(
    ("n", "shown"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (17, "17"), (1234, "1234")]
)
def test_suppress(n: int, shown: str) -> None:
    assert suppress(n) == shown


def _section(*values: int, personal: bool = True) -> Section:
    counts = tuple(Count(str(i), (str(i), str(i)), n) for i, n in enumerate(values))
    return Section("s", ("S", "S"), counts, personal=personal)


def _recover(cells: tuple[str, ...], total: int) -> set[int]:
    """What a reader can conclude about the first "< 5" cell: every value consistent with the
    shown cells and the total (a brute force over what "< 5" and "x" may hide)."""
    import itertools

    ranges = [
        range(1, 5) if c == "< 5" else range(5, total + 1) if c == HIDDEN else [int(c)]
        for c in cells
    ]
    first = cells.index("< 5")
    return {combo[first] for combo in itertools.product(*ranges) if sum(combo) == total}


@pytest.mark.parametrize(
    "values",
    [
        (6, 1, 0),  # one small cell: total - 6 would give it away
        (20, 9, 2, 0),
        (10, 1, 1),  # two small cells summing to 2: both must be 1
        (10, 4, 4),  # two small cells summing to 8: both must be 4
        (30, 3, 2, 7),
        (6, 5, 1),
        pytest.param(
            (5, 5, 1),
            marks=pytest.mark.xfail(
                strict=True,
                reason="known limit: with every cell hidden, 11 = x + x + s still forces s = 1; "
                "only hiding the period's total would help",
            ),
        ),
    ],
)
def test_no_small_count_recoverable_from_the_total(values: tuple[int, ...]) -> None:
    section = _section(*values)
    cells = section.cells()
    assert section.shown_total() == str(sum(values))
    assert "< 5" in cells
    assert len(_recover(cells, sum(values))) > 1, cells


def test_nothing_hidden_without_need() -> None:
    assert _section(10, 2, 3).cells() == ("10", "< 5", "< 5")  # 5 = 2+3 or 1+4 or ...
    assert _section(10, 0, 7).cells() == ("10", "0", "7")
    assert _section(3, 1).cells() == ("< 5", "< 5")  # the total is "< 5" itself
    assert _section(3, 1).shown_total() == "< 5"


def test_trend_sections_are_exact() -> None:
    section = _section(1, 2, personal=False)
    assert section.cells() == ("1", "2")
    assert section.shown_total() == "3"


@pytest.mark.parametrize(
    ("birth", "received", "group"),
    [
        (None, date(2026, 5, 1), AgeGroup.UNKNOWN),
        (date(2011, 5, 2), date(2026, 5, 1), AgeGroup.UNDER_15),  # 14, birthday tomorrow
        (date(2011, 5, 1), date(2026, 5, 1), AgeGroup.AGE_15_17),  # 15 today
        (date(2008, 5, 2), date(2026, 5, 1), AgeGroup.AGE_15_17),
        (date(2008, 5, 1), date(2026, 5, 1), AgeGroup.AGE_18_24),
        (date(1992, 1, 1), date(2026, 5, 1), AgeGroup.AGE_25_34),
        (date(1991, 5, 1), date(2026, 5, 1), AgeGroup.AGE_35_PLUS),
        (date(2027, 1, 1), date(2026, 5, 1), AgeGroup.UNKNOWN),  # born after: a typo
    ],
)
def test_age_at_received(birth: date | None, received: date, group: AgeGroup) -> None:
    assert age_group(birth, received) == group
