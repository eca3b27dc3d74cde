"""The database-free rules of a trend note: input tidying, filters, search and the three-way
merge the conflict dialog offers."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.trends import (
    EXTRA_THEMES,
    AreaKind,
    Development,
    SourceKind,
    TrendContent,
    TrendFilter,
    TrendNote,
    quarter_of,
)
from infohus_desktop.services.trends.rules import (
    checked_content,
    matches,
    merge,
    pick,
    search_hit,
)

THEMES = {"hoejreekstremisme": ("Højreekstremisme", "Right-wing extremism"), **EXTRA_THEMES}
BASE = TrendContent(
    title="Memes i skolegården",
    period_from=date(2026, 4, 1),
    period_to=date(2026, 6, 30),
    area_kind=AreaKind.ONLINE,
    area="Snapchat",
    theme="hoejreekstremisme",
    description="Elever deler memes.",
    source_kinds=(SourceKind.SCHOOL,),
    development=Development.RISING,
)


def _note(content: TrendContent) -> TrendNote:
    now = datetime.now(UTC)
    return TrendNote(uuid.uuid4(), content, uuid.uuid4(), 1, now, "a", now, "a")


def test_checked_content_tidies_and_refuses() -> None:
    messy = replace(
        BASE,
        title="  Memes \n i  skolegården ",
        area=" Snap  chat ",
        source_kinds=(SourceKind.SCHOOL, SourceKind.SCHOOL, SourceKind.SSP),
    )
    tidy = checked_content(messy, THEMES)
    assert (tidy.title, tidy.area) == ("Memes i skolegården", "Snap chat")
    assert tidy.source_kinds == (SourceKind.SCHOOL, SourceKind.SSP)
    for bad in (
        replace(BASE, title=" "),
        replace(BASE, title="x" * 201),
        replace(BASE, description="x" * 20_001),
        replace(BASE, period_to=date(2026, 3, 31)),
        replace(BASE, theme="ukendt"),
    ):
        with pytest.raises(InvalidInput):
            checked_content(bad, THEMES)


def test_filters_overlap_periods_and_search_labels() -> None:
    note = _note(BASE)
    assert matches(note, TrendFilter(period_from=date(2026, 6, 30)))
    assert not matches(note, TrendFilter(period_from=date(2026, 7, 1)))
    assert matches(note, TrendFilter(period_to=date(2026, 4, 1)))
    assert not matches(note, TrendFilter(period_to=date(2026, 3, 31)))
    assert matches(note, TrendFilter(area="SNAP"))
    assert not matches(note, TrendFilter(area_kind=AreaKind.MUNICIPALITY))
    assert search_hit(note, "right-wing SKOLER", THEMES)  # theme label (en), source label (da)
    assert search_hit(note, "online platform", THEMES)
    assert not search_hit(note, "telegram", THEMES)


def test_merge_keeps_each_sides_own_changes_and_asks_for_the_rest() -> None:
    mine = replace(BASE, title="Min titel", area="Instagram")
    theirs = replace(BASE, title="Deres titel", development=Development.FALLING)
    merged, choices = merge(BASE, mine, theirs)
    assert choices == ["title"]
    assert (merged.area, merged.development, merged.title) == (
        "Instagram",
        Development.FALLING,
        "Deres titel",
    )
    assert pick(merged, mine, {"title": True}).title == "Min titel"
    assert pick(merged, mine, {"title": False}).title == "Deres titel"
    same = replace(BASE, title="Samme")
    assert merge(BASE, same, same)[1] == []


def test_quarter_of() -> None:
    assert [quarter_of(date(2026, m, 1)) for m in (1, 3, 4, 12)] == [
        "2026-K1",
        "2026-K1",
        "2026-K2",
        "2026-K4",
    ]
