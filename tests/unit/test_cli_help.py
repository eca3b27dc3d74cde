"""Every subcommand is listed in its group's ``--help``: argparse shows only subcommands
given a help text, so one without it is hidden (found by trying it: `infohus group --help`
listed only `add`)."""

from __future__ import annotations

import argparse

from infohus_desktop.cli import build_parser


def _hidden(parser: argparse.ArgumentParser, path: str) -> list[str]:
    hidden: list[str] = []
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        listed = {choice.dest for choice in action._choices_actions}
        for name, sub in action.choices.items():
            if name not in listed:
                hidden.append(f"{path} {name}")
            hidden += _hidden(sub, f"{path} {name}")
    return hidden


def test_every_subcommand_has_a_help_text() -> None:
    assert _hidden(build_parser(), "infohus") == []


def test_the_walk_finds_a_hidden_subcommand() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    sub.add_parser("shown", help="listed")
    sub.add_parser("quiet")
    assert _hidden(parser, "x") == ["x quiet"]
