"""Dates on the command line: typed as ISO or as every output writes them (issue 14)."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from infohus_desktop.cli.args import parse_date


@pytest.mark.parametrize("text", ["2026-11-23", "23.11.2026", "23.11.2026 ", "3.1.2026"])
def test_both_forms_are_dates(text: str) -> None:
    expected = date(2026, 1, 3) if text == "3.1.2026" else date(2026, 11, 23)
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.2026", "23.11.26", "23/11/2026", "i morgen", ""])
def test_anything_else_is_refused_in_words(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFOHUS_LANG", raising=False)
    with pytest.raises(argparse.ArgumentTypeError, match="ikke en dato"):
        parse_date(text)


def test_tables_print_each_date_as_it_is_typed_back() -> None:
    """What ``infohus case list`` prints in its date columns, ``parse_date`` reads back;
    the remembered formatting gives each day its own text."""
    from infohus_desktop.cli.io import day_text

    days = [date(2026, 11, 23), date(2026, 1, 3), date(2026, 11, 23), date(2025, 12, 31)]
    assert [day_text(d) for d in days] == ["23.11.2026", "03.01.2026", "23.11.2026", "31.12.2025"]
    assert [parse_date(day_text(d)) for d in days] == days
    assert day_text(None) == ""
