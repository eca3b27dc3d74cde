"""Every option and positional argument of ``infohus`` says what it is, in Danish and in
English: ``infohus referral pdf --help`` once listed ``--out FILE`` and ``id`` with nothing
beside them, and 184 other arguments were as bare. A help that reads the same in both
languages is one written in only one of them, unless it is listed in :data:`SAME_IN_BOTH`."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from infohus_desktop.cli import build_parser

#: Arguments whose help is rightly the same word for word in Danish and English (a bare
#: format, a proper noun), by ``infohus <command …> <option or dest>``. Keep it short.
SAME_IN_BOTH: frozenset[str] = frozenset()


def _arguments(parser: argparse.ArgumentParser, path: str) -> Iterator[tuple[str, argparse.Action]]:
    """Each option and positional argument of ``parser`` and its subcommands, by where it is;
    ``-h``/``--help`` and hidden options (``help=argparse.SUPPRESS``) left out."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _arguments(sub, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction) and action.help != argparse.SUPPRESS:
            yield f"{path} {'/'.join(action.option_strings) or action.dest}", action


def _helps(monkeypatch: pytest.MonkeyPatch, language: str) -> dict[str, str | None]:
    monkeypatch.setenv("INFOHUS_LANG", language)
    return {where: action.help for where, action in _arguments(build_parser(), "infohus")}


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_argument_has_a_help(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    helps = _helps(monkeypatch, language)
    assert len(helps) > 400  # the walk reached the whole tree
    assert [where for where, text in helps.items() if not (text or "").strip()] == []


def test_every_help_is_written_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    danish, english = _helps(monkeypatch, "da"), _helps(monkeypatch, "en")
    assert danish.keys() == english.keys()
    same = {where for where in danish if danish[where] == english[where]}
    assert sorted(same - SAME_IN_BOTH) == []
    assert sorted(SAME_IN_BOTH - same) == []  # the exceptions stay the truth


def test_the_walk_finds_a_bare_argument() -> None:
    parser = argparse.ArgumentParser(prog="x")
    sub = parser.add_subparsers()
    child = sub.add_parser("child")
    child.add_argument("--out", metavar="FILE")
    child.add_argument("id", help="an id")
    child.add_argument("--hidden", help=argparse.SUPPRESS)
    found = {where: action.help for where, action in _arguments(parser, "x")}
    assert found == {"x child --out": None, "x child id": "an id"}
