"""argparse in the user's language (issue 14).

argparse writes its own words ("usage:", "options", "the following arguments are required",
"invalid choice", …) through the module's ``_`` and ``ngettext`` (gettext). :class:`Parser`
replaces the two with a Danish table while it is built, formats help and parses, and puts
the originals back afterwards, so nothing else in the process is affected. With
``INFOHUS_LANG=en`` nothing is replaced: the English output is argparse's own. A message
missing from the table (from a newer Python) stays English rather than break.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from infohus_desktop.domain.errors import ui_language

#: argparse's messages (Python 3.11-3.13) that a user can meet, in Danish.
DANISH: dict[str, str] = {
    "usage: ": "brug: ",
    "positional arguments": "positionelle argumenter",
    "options": "tilvalg",
    "subcommands": "underkommandoer",
    "show this help message and exit": "vis denne hjælp og afslut",
    "show program's version number and exit": "vis programmets versionsnummer og afslut",
    " (default: %(default)s)": " (standard: %(default)s)",
    "%(heading)s:": "%(heading)s:",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: advarsel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "følgende argumenter skal angives: %s",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ugyldigt valg: %(value)r (vælg mellem %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ugyldig værdi (%(type)s): %(value)r",
    "expected one argument": "forventede ét argument",
    "expected at most one argument": "forventede højst ét argument",
    "expected at least one argument": "forventede mindst ét argument",
    "not allowed with argument %s": "kan ikke bruges sammen med argumentet %s",
    "ignored explicit argument %r": "argumentet tager ingen værdi: %r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydigt tilvalg: %(option)s kan være %(matches)s"
    ),
    "unexpected option string: %s": "uventet tilvalg: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "ukendt kommando %(parser_name)r (mulige: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
    "option '%(option)s' is deprecated": "tilvalget '%(option)s' er forældet",
    "command '%(parser_name)s' is deprecated": "kommandoen '%(parser_name)s' er forældet",
    "argument '%(argument_name)s' is deprecated": "argumentet '%(argument_name)s' er forældet",
}

#: ``ngettext`` messages: (singular, plural) → (Danish singular, Danish plural).
DANISH_PLURAL: dict[tuple[str, str], tuple[str, str]] = {
    ("expected %s argument", "expected %s arguments"): (
        "forventede %s argument",
        "forventede %s argumenter",
    ),
}


def _danish(message: str) -> str:
    # argparse also passes None (a subparsers group without description).
    return DANISH.get(message, message) if isinstance(message, str) else message


def _danish_plural(singular: str, plural: str, n: int) -> str:
    one, many = DANISH_PLURAL.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextmanager
def argparse_language() -> Iterator[None]:
    """argparse's own words in the user's language for the duration of the block."""
    if ui_language() == "en":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _danish  # type: ignore[attr-defined]
    argparse.ngettext = _danish_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks the user's language; its subparsers are Parsers too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with argparse_language():  # "positional arguments", "options", -h's help
            super().__init__(*args, **kwargs)

    def _add_container_actions(self, container: Any) -> None:
        """Take a parent's options (``parents=``) under the parent's headings. Python 3.11
        files the options of a mutually exclusive group under the general heading even when
        the parent put that group under a heading of its own, so ``--vault`` stood apart
        from ``--json`` under "boks". The options, their groups and their exclusion are
        argparse's; only where the help lists them is set here."""
        super()._add_container_actions(container)
        general = {container._optionals.title, container._positionals.title}
        for theirs in container._action_groups:
            if theirs.title in general:
                continue
            mine = next(g for g in self._action_groups if g.title == theirs.title)
            listed = list(theirs._group_actions)
            mine._group_actions[:] = listed + [a for a in mine._group_actions if a not in listed]
            self._optionals._group_actions[:] = [
                a for a in self._optionals._group_actions if a not in listed
            ]

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with argparse_language():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with argparse_language():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with argparse_language():
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_language():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with argparse_language():
            super().error(message)
