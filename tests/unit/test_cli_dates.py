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
