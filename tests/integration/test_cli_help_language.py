"""Every ``infohus … --help`` and the usual usage errors speak one language (issue 14):
Danish by default, English with ``INFOHUS_LANG=en``, argparse's own words included.

The test walks the CLI's whole argparse tree and runs ``main([*path, "--help"])`` in-process
in both languages. A line fails if Danish output has a common English word or English output
a Danish letter or word. What is the same in both languages is left out of the check: option
names, metavars (FILE, LOGIN, YYYY-MM-DD), choices ({…}), command names, quoted values
('Østjylland', 'infohus meeting list'), JSON keys and proper nouns (Infohus Kommune). Nothing
opens a vault: ``--help`` and usage errors stop in argparse.
"""

from __future__ import annotations

import argparse
import gettext
import re
from collections.abc import Iterator

import pytest

from infohus_desktop import cli
from infohus_desktop.cli import build_parser, main

#: Common English words that have no place in a Danish line (none is also a Danish word).
_ENGLISH = """
    a an the and or of in on with from by your you this that these is are was not only no
    show help message exit usage optional positional arguments options required
    error invalid choice expected unrecognized allowed ambiguous file member members case
    cases vault group groups meeting meetings name new add remove list write read default
    each who what which when where date number report key keys item items minutes
    referral referrals bundle audit passphrase fingerprint coordinator guest municipality
    district police stdin change save delete open create include replace
"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())

#: Danish words (with æ, ø, å also caught as letters) that have no place in an English line.
_DANISH = """
    og til eller ikke som med af en et den det der er fra hvis kun vis opret skriv ret
    sag sager sagen boks boksen møde mødet medlem medlemmer fil filen dagsorden referat
    adgangsfrase adgangskreds henvisning henvisninger tendensnotat pakke pakken brug fejl
    tilvalg argumenter standardinput forventede ugyldigt ukendte følgende angives
"""
DANISH_WORDS = frozenset(_DANISH.split())

#: Names that are the same in both languages.
PROPER_NOUNS = re.compile(
    r"Infohus Kommune|Infohus Desktop|Infohuse|Infohus|Østjylland|Aarhus|Randers|Silkeborg|"
    r"TikTok|infohus-desktop|UTF-8"
)

_NOT_PROSE = [
    re.compile(r"(?<!\w)'[^']*'(?!\w)|\"[^\"]*\""),  # quoted values and commands
    re.compile(r"\{[^}]*\}"),  # choices
    re.compile(r"\S+://\S+"),  # a URL
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*"),  # option names
    re.compile(r"\((?:[a-z_]+, )+[a-z_]+\)"),  # a list of JSON keys: (name, cpr, …)
    re.compile(r"\b\w*_\w*\b"),  # identifiers: school_or_work, INFOHUS_LANG
    re.compile(r"(?<![\w-])[A-Z0-9][A-Z0-9;|=.:+-]*[A-Z](?![\w-])"),  # FILE, YYYY-MM-DD, PDF
]


def _prose(text: str) -> str:
    text = PROPER_NOUNS.sub(" ", text)
    for pattern in _NOT_PROSE:
        text = pattern.sub(" ", text)
    return text


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]+", _prose(text))}


def mixed(text: str, language: str) -> list[str]:
    """The words of ``text`` that belong to the other language."""
    words = _words(text)
    if language == "da":
        return sorted(words & ENGLISH_WORDS)
    wrong = words & DANISH_WORDS
    wrong |= {w for w in words if re.search("[æøå]", w)}
    return sorted(wrong)


def _help_texts(output: str) -> Iterator[tuple[str, str]]:
    """(line, what to check) for each line of a ``--help``: a usage line's first word, the
    help part of an argument line, and description and heading lines whole."""
    in_usage = False
    for line in output.splitlines():
        if not line.strip():
            in_usage = False
            continue
        if line.startswith(("usage:", "brug:")):
            in_usage = True
            yield line, line.split(":", 1)[0]
            continue
        if in_usage:  # a wrapped usage: only options, metavars and choices
            continue
        indent = len(line) - len(line.lstrip())
        if indent in (2, 4):  # `  --option METAVAR   help` or `    command   help`
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            if len(parts) == 2:
                yield line, parts[1]
            continue
        yield line, line


def _paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """Every command path of the tree: the top, each group and each leaf command."""
    yield list(prefix)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _paths(sub, (*prefix, name))


PATHS = list(_paths(build_parser()))


@pytest.fixture(params=["da", "en"])
def language(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "en":
        monkeypatch.setenv("INFOHUS_LANG", "en")
    else:
        monkeypatch.delenv("INFOHUS_LANG", raising=False)
    # One line per help text: wrapping would split the argument lines checked below.
    monkeypatch.setenv("COLUMNS", "10000")
    return str(request.param)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_the_walk_covers_the_tree() -> None:
    assert len(PATHS) > 100
    for path in (["case", "attach", "add"], ["meeting", "item", "add"], ["gui"], []):
        assert path in PATHS


def test_every_help_is_in_one_language(
    language: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parser is built once, in this language, and handed to every main() below: building
    # it takes longer than showing a help.
    parser = build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda _command=None: parser)
    usage = "brug" if language == "da" else "usage"
    wrong: list[str] = []
    for path in PATHS:
        code, out, err = _run([*path, "--help"], capsys)
        command = " ".join(["infohus", *path])
        assert code == 0 and not err, f"{command} --help: exit {code}, {err!r}"
        assert out.startswith(f"{usage}: "), f"{command} --help: {out[:40]!r}"
        for line, text in _help_texts(out):
            words = mixed(text, language)
            if words:
                wrong.append(f"{command} --help: {words}: {line.strip()}")
    assert not wrong, f"{len(wrong)} mixed lines ({language}):\n" + "\n".join(wrong)


#: argv → (a phrase of the Danish error, of the English error).
ERRORS: dict[tuple[str, ...], tuple[str, str]] = {
    ("case", "add"): ("følgende argumenter skal angives", "the following arguments are required"),
    ("member",): ("følgende argumenter skal angives", "the following arguments are required"),
    ("case", "list", "--status", "nope"): ("ugyldigt valg", "invalid choice"),
    ("nonsense",): ("ugyldigt valg", "invalid choice"),
    ("case", "list", "--bogus"): ("ukendte argumenter", "unrecognized arguments"),
    ("case", "add", "--category", "x", "--concern-file", "f", "--received", "31.02.2026"): (
        "ikke en dato",
        "not a date",
    ),
    ("meeting", "add", "--kind", "infohusmoede", "--title", "x", "--start", "soon"): (
        "ikke et tidspunkt",
        "not a time",
    ),
    ("audit", "list", "--limit"): ("forventede ét argument", "expected one argument"),
    ("audit", "list", "--limit", "many"): ("skal være et helt tal", "must be a whole number"),
    ("backup", "status", "--reminder-days", "many"): ("ugyldig værdi", "invalid int value"),
    ("insight", "--pdf", "x.pdf"): ("et af argumenterne", "one of the arguments"),
}


@pytest.mark.parametrize("argv", list(ERRORS), ids=lambda argv: " ".join(argv))
def test_usage_errors_are_in_one_language(
    argv: tuple[str, ...], language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(list(argv), capsys)
    assert code == 2 and not out
    lines = err.splitlines()
    usage, message = lines[0], lines[-1]
    danish, english = ERRORS[argv]
    if language == "da":
        assert usage.startswith("brug: ") and ": fejl: " in message and danish in message, err
    else:
        assert usage.startswith("usage: ") and ": error: " in message and english in message
    # Leave out the program and command names before the message.
    text = re.split(r": (?:fejl|error): ", message, maxsplit=1)[1]
    assert not mixed(text, language), message


def test_argparse_speaks_english_again_after_a_danish_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("INFOHUS_LANG", raising=False)
    _run(["case", "add"], capsys)
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]
    plain = argparse.ArgumentParser(prog="x")
    assert "usage: x" in plain.format_help() and "show this help" in plain.format_help()


def test_the_check_finds_a_mixed_line() -> None:
    assert mixed("vis the hjælp og afslut", "da") == ["the"]
    assert mixed("show this help and exit", "en") == []
    assert mixed("show this hjælp og exit", "en") == ["hjælp", "og"]
    # Options, metavars, choices, quoted values and proper nouns are not prose.
    assert (
        mixed("læs din adgangsfrase fra FILE ('-' er standardinput) --passphrase-file", "da") == []
    )
    assert mixed("the district's Infohus, e.g. 'Østjylland'", "en") == []
    assert mixed("'police' eller kommunens navn {police,municipality}", "da") == []


def test_the_top_help_says_how_to_switch_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["--help"], capsys)
    assert code == 0 and "INFOHUS_LANG=en" in out
