"""How the CLI reads passphrases and prints results.

A passphrase comes from a TTY prompt, a file (``--passphrase-file``) or standard input
(``--passphrase-stdin``), never from a command argument or an environment variable, where
other users or the shell history could read it.
"""

from __future__ import annotations

import errno
import getpass
import json
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from infohus_desktop.domain.errors import InvalidInput, os_reason, ui_language

if TYPE_CHECKING:
    from infohus_desktop.domain.errors import ConnectionLost
    from infohus_desktop.domain.organisations import Role


def t(da: str, en: str) -> str:
    return en if ui_language() == "en" else da


def unreadable(
    path: str, exc: Exception, what_da: str = "Filen", what_en: str = "The file"
) -> InvalidInput:
    """Why a file given on the command line could not be read, in the user's words: a file
    that is not UTF-8 text, a missing file, a folder, a file the user may not read. The
    file's content never reaches the message."""
    if isinstance(exc, UnicodeDecodeError):
        return InvalidInput(
            f"{what_da} {path} er ikke UTF-8-tekst (byte {exc.start + 1} kan ikke læses). "
            "Gem den som UTF-8, og prøv igen.",
            f"{what_en} {path} is not UTF-8 text (byte {exc.start + 1} cannot be read). "
            "Save it as UTF-8 and try again.",
        )
    code = getattr(exc, "errno", None)
    if code == errno.ENOENT:
        return InvalidInput(f"{what_da} {path} findes ikke.", f"{what_en} {path} does not exist.")
    if code == errno.EISDIR:
        return InvalidInput(f"{path} er en mappe, ikke en fil.", f"{path} is a folder, not a file.")
    if code in (errno.EACCES, errno.EPERM):
        return InvalidInput(
            f"Du har ikke adgang til at læse {what_da.lower()} {path}.",
            f"You are not allowed to read {what_en.lower()} {path}.",
        )
    da, en = os_reason(exc)
    return InvalidInput(
        f"{what_da} {path} kan ikke læses ({da}).",
        f"{what_en} {path} cannot be read ({en}).",
    )


@lru_cache(maxsize=4096)
def _day_text(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def day_text(value: date | None) -> str:
    """A date as the tables print it, ``05.12.2026``; empty for none. Remembered per day:
    a table of 10,000 cases holds a few hundred distinct days, and ``strftime`` per cell was
    a measurable part of ``infohus case list``."""
    return "" if value is None else _day_text(value)


def connection_lost_text(exc: ConnectionLost) -> str:
    """The line for exit code 8 when the server went away (restart, dropped network): honest
    about a commit whose answer was lost, so a script does not simply run the command again."""
    if exc.saved is None:
        return t(
            "Forbindelsen til serveren blev afbrudt, mens ændringen blev gemt; det er uvist, "
            "om den blev gemt. Kontrollér med infohus case show SAGSNR, infohus case list "
            "eller infohus audit list, før du kører kommandoen igen.",
            "The connection to the server was lost while the change was being saved; it is "
            "unknown whether it was saved. Check with infohus case show NUMBER, infohus case "
            "list or infohus audit list before you run the command again.",
        )
    return t(
        "Forbindelsen til serveren blev afbrudt eller kunne ikke oprettes; intet blev gemt. "
        "Kør kommandoen igen, når serveren svarer.",
        "The connection to the server was lost or could not be made; nothing was saved. "
        "Run the command again when the server answers.",
    )


def saved_to(path: object) -> str:
    """The one line every command prints after writing a file the user asked for."""
    return t(f"Gemt i {path}.", f"Saved to {path}.")


class StdinLines:
    """Standard input read line by line, so one stream can carry two passphrases."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def next_line(self, what_da: str = "adgangsfrasen", what_en: str = "the passphrase") -> str:
        """The next line, which is ``what`` (the passphrase, unless the caller says)."""
        line = (self.stream or sys.stdin).readline()
        if not line:
            raise InvalidInput(
                f"Standardinput sluttede, før {what_da} kom.",
                f"Standard input ended before {what_en}.",
            )
        return strip_line_end(line)

    def rest(self) -> str:
        """Everything after the lines already read (long text that follows a passphrase)."""
        return (self.stream or sys.stdin).read()


def strip_line_end(line: str) -> str:
    """Remove only the line ending: spaces may be part of a passphrase."""
    return line.rstrip("\r\n")


def read_passphrase_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise unreadable(path, exc, "Adgangsfrasefilen", "The passphrase file") from None
    first = strip_line_end(text.splitlines()[0] if text.splitlines() else "")
    if not first:
        raise InvalidInput(
            f"Adgangsfrasefilen {path} er tom.", f"The passphrase file {path} is empty."
        )
    return first


def prompt(label: str, confirm: bool = False) -> str:
    if not sys.stdin.isatty():
        raise InvalidInput(
            "Ingen adgangsfrase: brug --passphrase-file eller --passphrase-stdin, eller kør "
            "kommandoen i en terminal.",
            "No passphrase: use --passphrase-file or --passphrase-stdin, or run the command "
            "in a terminal.",
        )
    first = getpass.getpass(label)
    if confirm and getpass.getpass(t("Gentag: ", "Repeat: ")) != first:
        raise InvalidInput("De to adgangsfraser er ikke ens.", "The two passphrases differ.")
    return first


def emit_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def tampered_json(
    shape: dict[str, Any], keep: tuple[str, ...] = ("id", "short_id")
) -> dict[str, Any]:
    """A list row changed outside the program: the same keys (scripts rely on them), every
    value but its id withheld, and ``tampered`` true."""
    return {k: (v if k in keep else None) for k, v in shape.items()} | {"tampered": True}


def tampered_row(width: int, text_column: int, ids: dict[int, str]) -> list[str]:
    """A table row changed outside the program: its id, the warning, nothing else."""
    from infohus_desktop.domain.cases import TAMPERED_TEXT  # not for `infohus --version`

    row = [ids.get(n, "") for n in range(width)]
    row[text_column] = t(*TAMPERED_TEXT)
    return row


def emit_table(headers: list[str], rows: list[list[str]]) -> None:
    """Columns padded to their widest cell, two spaces apart. The widths are found column by
    column and each line is one format call, written a thousand at a time: cell by cell and
    line by line in Python it was a tenth of ``infohus case list`` at 10,000 cases (issue 17).
    """
    if any(len(row) != len(headers) for row in rows):
        raise ValueError("every row of a table has a cell per header")
    widths = [len(h) for h in headers]
    if rows:
        columns = zip(*rows, strict=True)
        widths = [max(w, max(map(len, cells))) for w, cells in zip(widths, columns, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths).format
    write = sys.stdout.write
    write(line(*headers).rstrip() + "\n" + "  ".join("-" * w for w in widths) + "\n")
    for start in range(0, len(rows), _LINES_AT_ONCE):
        chunk = rows[start : start + _LINES_AT_ONCE]
        write("".join(line(*row).rstrip() + "\n" for row in chunk))


#: Lines :func:`emit_table` writes at once: one write per line cost time, the whole table in
#: one string the memory of a second copy (40 MiB at 100,000 cases).
_LINES_AT_ONCE = 1_000


def role_label(role: Role) -> str:
    from infohus_desktop.domain.labels import ROLE_LABELS  # not for `infohus --version`

    return t(*ROLE_LABELS[role])
