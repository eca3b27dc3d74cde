"""What many commands read from their arguments: dates, ids, free text from a file or standard
input, and files written atomically and privately."""

from __future__ import annotations

import argparse
import contextlib
import sys
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from infohus_desktop.cli.io import t, unreadable
from infohus_desktop.domain.errors import InvalidInput, ui_language
from infohus_desktop.services.core.exports import write_export_stream

DATE_HELP = "YYYY-MM-DD"


def case_help() -> str:
    """The help of a case argument, in the language of the process."""
    return t(
        "sagsnummer, fx AAR-2026-0001, eller sagens id",
        "case number, e.g. AAR-2026-0001, or the case's id",
    )


def parse_date(text: str) -> date:
    """A date as ISO (2026-11-23) or as every output writes it (23.11.2026)."""
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text)
    with contextlib.suppress(ValueError):
        day, month, year = (int(part) for part in text.strip().split("."))
        if year >= 1000:
            return date(year, month, day)
    raise argparse.ArgumentTypeError(
        t(
            f"ikke en dato ({DATE_HELP} eller DD.MM.ÅÅÅÅ): {text}",
            f"not a date ({DATE_HELP} or DD.MM.YYYY): {text}",
        )
    )


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``minimum`` (a count, a number of
    days), so that ``--limit -1`` is the user's mistake, named, not a program error."""

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                t(
                    f"skal være et helt tal fra {minimum} og op: {text}",
                    f"must be a whole number of at least {minimum}: {text}",
                )
            )
        return value

    return whole_number


def between(lowest: int, highest: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``lowest`` to ``highest``. Unlike ``choices``,
    a number outside is refused in one line, not with every allowed value listed (the user
    trial got the ninety numbers of ``--days`` printed)."""

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = lowest - 1
        if not lowest <= value <= highest:
            raise argparse.ArgumentTypeError(
                t(
                    f"skal være et helt tal fra {lowest} til {highest}: {text}",
                    f"must be a whole number from {lowest} to {highest}: {text}",
                )
            )
        return value

    return whole_number


def read_text(
    args: argparse.Namespace, file_attr: str, text_attr: str | None = None, required: bool = True
) -> str:
    """Free text from ``--…-file FILE`` ('-' is standard input), or a short ``--…`` text.
    A required text that comes empty (an empty file, nothing on standard input) is refused,
    as the window refuses an empty field."""
    path = getattr(args, file_attr, None)
    if path:
        text = _checked_text(_read_from(args, path), path)
        if required and not text:
            where_da = "Standardinput" if path == "-" else f"Filen {path}"
            where_en = "Standard input" if path == "-" else f"The file {path}"
            raise InvalidInput(
                f"{where_da} er tom: teksten skal udfyldes.",
                f"{where_en} is empty: the text is required.",
            )
        return text
    value = getattr(args, text_attr, None) if text_attr else None
    if value:
        return str(value)
    if required:
        file_flag = f"--{file_attr.replace('_', '-')}"
        if text_attr:
            text_flag = f"--{text_attr.replace('_', '-')}"
            raise InvalidInput(
                f"Teksten skal udfyldes: angiv den med {text_flag} TEKST eller {file_flag} FIL.",
                f"The text is required: give it with {text_flag} TEXT or {file_flag} FILE.",
            )
        raise InvalidInput(
            f"Teksten skal udfyldes: angiv den med {file_flag} FIL.",
            f"The text is required: give it with {file_flag} FILE.",
        )
    return ""


#: The longest free text a file gives: what a handover to another Infohus carries
#: (services/cases/transfer_payload.MAX_TEXT), far beyond any note a person writes.
MAX_TEXT = 100_000
_MAX_BYTES = 4 * MAX_TEXT + 4


def _checked_text(text: str, path: str) -> str:
    """A text file's content as a text: not a 50 MB file nor one with NUL bytes (a binary
    file named by mistake), which were stored as they came (robustness trial)."""
    where_da = "Standardinput" if path == "-" else f"Filen {path}"
    where_en = "Standard input" if path == "-" else f"The file {path}"
    if "\x00" in text:
        raise InvalidInput(
            f"{where_da} er ikke en tekst (den indeholder NUL-tegn).",
            f"{where_en} is not a text (it holds NUL characters).",
        )
    if len(text) > MAX_TEXT:
        limit_da = f"{MAX_TEXT:,}".replace(",", ".")
        raise InvalidInput(
            f"{where_da} er for lang: en tekst må højst have {limit_da} tegn.",
            f"{where_en} is too long: a text holds at most {MAX_TEXT:,} characters.",
        )
    return text


def _read_from(args: argparse.Namespace, path: str) -> str:
    if path == "-":
        if getattr(args, "passphrase_stdin", False):
            # Both on standard input: the passphrase is the first line, the text the rest.
            if getattr(args, "early_passphrase", None) is None:
                args.early_passphrase = args.stdin.next_line()
            return str(args.stdin.rest()).strip()
        return sys.stdin.read(MAX_TEXT + 1).strip()
    try:
        # No more than a text can hold (UTF-8: at most 4 bytes a character) and one byte:
        # /dev/zero, or a disk image named by mistake, is not read whole into memory.
        with Path(path).open("rb") as source:
            data = source.read(_MAX_BYTES)
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, UnicodeDecodeError) and len(data) == _MAX_BYTES:
            text = "x" * (MAX_TEXT + 1)  # cut inside a character: too long anyway
        else:
            raise unreadable(path, exc) from None
    return text.strip()


def parse_id(text: str, what_da: str, what_en: str) -> uuid.UUID:
    """An id given on the command line; a typo is invalid input, not a crash."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{what_da} {text!r} er ikke et gyldigt id.", f"{what_en} {text!r} is not a valid id."
        ) from None


def write_atomic(target_name: str, fill: Callable[[BinaryIO], Any], mode: int = 0o600) -> Path:
    """Write through ``fill(sink)`` to a temporary file, then rename it onto the target."""
    target = Path(target_name).expanduser().resolve()
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke.", f"The folder {target.parent} does not exist."
        )
    write_export_stream(target, fill, mode)
    return target


def read_file(name: str) -> bytes:
    try:
        return Path(name).expanduser().read_bytes()
    except OSError as exc:
        raise unreadable(name, exc) from None


def add_validity_option(parser: argparse.ArgumentParser) -> None:
    """``--days N``: how long a bundle written by this command may be imported (here, not in
    the bundle commands, so that ``infohus case …`` builds its transfer parser without
    loading the bundle crypto)."""
    parser.add_argument(
        "--days",
        type=between(1, 90),
        default=30,
        metavar="1-90",
        help=t(
            "hvor mange dage pakken kan importeres (standard 30)",
            "how long the bundle may be imported (default 30)",
        ),
    )


def add_file_language(parser: argparse.ArgumentParser, what_da: str, what_en: str) -> None:
    """``--lang`` or ``--language``: the language of the file a command writes (a PDF, a CSV).
    Both spellings on every such command: the PDF commands began with the one and ``stats``
    with the other, and scripts use both. Without it, the user's language (``INFOHUS_LANG``,
    Danish by default), as the window prints in its own.

    Only the file's: the reader may be a citizen who reads English while the coordinator
    works in Danish, so the command's own messages keep the program's language. The help
    says so, as ``infohus insight --lang en`` answering in Danish looked like a fault."""
    parser.add_argument(
        "--lang",
        "--language",
        dest="lang",
        choices=("da", "en"),
        help=t(
            f"{what_da} sprog; standard er programmets sprog (INFOHUS_LANG, ellers dansk), "
            "som kommandoens egne beskeder altid følger",
            f"the language of {what_en}; by default the program's language (INFOHUS_LANG, "
            "else Danish), which the command's own messages always follow",
        ),
    )


def file_language(args: argparse.Namespace) -> str:
    """The language ``add_file_language`` asked for, or the user's."""
    return str(args.lang) if args.lang else ui_language()
