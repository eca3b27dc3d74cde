"""``infohus <command>`` builds only that command's parser (issue 17), and nobody can tell:
every help, in Danish and in English, is the one the whole parser gives, and the top level
lists the same commands with the same words (cli/command_table.py holds those words)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from infohus_desktop.cli import build_parser, command_of
from infohus_desktop.cli.command_table import COMMANDS
from tests.unit.test_startup_imports import loaded_after, modules_after


@pytest.fixture(params=["da", "en"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("INFOHUS_LANG", request.param)
    monkeypatch.setenv("COLUMNS", "100")
    return str(request.param)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _paths(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield prefix, parser
    for name, sub in _subparsers(parser).items():
        yield from _paths(sub, (*prefix, name))


def _at(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> argparse.ArgumentParser:
    for name in path:
        parser = _subparsers(parser)[name]
    return parser


def test_the_table_lists_the_commands_of_the_whole_parser(language: str) -> None:
    whole = build_parser()
    assert list(_subparsers(whole)) == list(COMMANDS)
    assert build_parser("").format_help() == whole.format_help()  # `infohus --help`


def test_every_help_is_the_whole_parsers(language: str) -> None:
    whole = build_parser()
    lazy = {name: build_parser(name) for name in COMMANDS}
    differ = [
        " ".join(path)
        for path, parser in _paths(whole)
        if path and _at(lazy[path[0]], path).format_help() != parser.format_help()
    ]
    assert differ == []


def test_the_command_is_the_first_word_that_is_not_an_option() -> None:
    assert command_of(["case", "list", "--help"]) == "case"
    assert command_of(["--version"]) == command_of(["-h", "case"]) == ""
    assert command_of([]) == ""
    assert command_of(["nonsense"]) == "nonsense"  # argparse then says it is no command


def test_a_mistyped_command_is_refused_as_before(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["cas"])
    whole = capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser(command_of(["cas"])).parse_args(["cas"])
    assert capsys.readouterr().err == whole


def test_version_and_one_command_load_only_what_they_need() -> None:
    assert loaded_after("from infohus_desktop.cli import build_parser; build_parser('')") == []
    case = loaded_after("from infohus_desktop.cli import build_parser; build_parser('case')")
    assert not set(case) & {"alembic", "reportlab", "pypdfium2", "faker", "icalendar", "zxcvbn"}


def test_the_case_parser_loads_no_service_and_no_sqlalchemy() -> None:
    """``infohus case …`` parses its arguments before it opens anything: the handlers import
    the services they use, so a parser built for ``case list`` (or for ``case --help``)
    costs no SQLAlchemy, no schema, and none of the other case commands' services."""
    loaded, _ = modules_after("from infohus_desktop.cli import build_parser; build_parser('case')")
    assert "infohus_desktop.cli.case_edit_commands" in loaded  # the probe built the parser
    assert sorted(m for m in loaded if m.split(".")[0] == "sqlalchemy") == []
    assert sorted(
        m for m in loaded if m.startswith(("infohus_desktop.services.", "infohus_desktop.vault."))
    ) == [
        "infohus_desktop.services.core",
        "infohus_desktop.services.core.exports",  # the atomic private file writer
        "infohus_desktop.vault.urls",
    ]


def test_the_vault_and_passphrase_options_stand_under_their_headings(language: str) -> None:
    """``--vault`` and ``--db-url`` under "boks" with ``--json``, the passphrase's two sources
    under "bruger og adgangsfrase" with ``--user``; and they still exclude each other."""
    vault, auth = (
        ("boks:", "bruger og adgangsfrase:") if language == "da" else ("vault:", "authentication:")
    )
    parser = build_parser("case")
    text = _at(parser, ("case", "list")).format_help()
    sections = {block.splitlines()[0]: block for block in text.split("\n\n") if block.strip()}
    assert all(flag in sections[vault] for flag in ("--vault PATH", "--db-url URL", "--json"))
    assert all(
        flag in sections[auth]
        for flag in ("--user LOGIN", "--passphrase-file", "--passphrase-stdin")
    )
    general = next(block for title, block in sections.items() if title in ("tilvalg:", "options:"))
    assert "--vault" not in general and "--passphrase-stdin" not in general
    with pytest.raises(SystemExit):
        parser.parse_args(["case", "list", "--vault", "a.db", "--db-url", "postgresql://x/y"])


def test_init_names_the_coordinator_and_still_takes_user(language: str) -> None:
    """``init`` makes its first member from ``--login``: its help lists no ``--user`` (which
    it never used), but a script that passes one still runs."""
    parser = build_parser("init")
    text = _at(parser, ("init",)).format_help()
    assert "--user" not in text and "--login LOGIN" in text and "--passphrase-stdin" in text
    coordinator = ["--login", "lars", "--name", "L", "--org", "police"]
    args = parser.parse_args(
        ["init", "--infohus", "X", *coordinator, "--user", "lars", "--passphrase-stdin"]
    )
    assert (args.login, args.passphrase_stdin) == ("lars", True)
