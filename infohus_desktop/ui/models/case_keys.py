"""How the case list compares and searches text: Danish order, folded names, CPR masking.

Pure functions without Qt, so the rules are testable alone and cheap to run over 100,000 rows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date

from infohus_desktop.services.cases.summary_index import fold_name

#: Danish alphabet order puts æ, ø, å after z (in that order); ä/ö sort as æ/ø and ü as y, as
#: in Danish dictionaries. The replacements are ASCII characters that follow "z".
_DANISH_LETTERS = str.maketrans({"æ": "{", "ø": "|", "å": "}", "ä": "{", "ö": "|", "ü": "y"})


def danish_key(text: str) -> str:
    """A sort key for Danish text: case-insensitive, æøå after z, "aa" as å (Aagaard with
    Ågård, after Zahle), other accents ignored (é as e)."""
    folded = " ".join(text.casefold().split()).replace("aa", "å").translate(_DANISH_LETTERS)
    if folded.isascii():
        return folded
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )


def number_key(number: str) -> tuple[str, int, int, str]:
    """Case numbers like ``AAR-2026-0042`` by prefix, year and serial as numbers (serial 10000
    after 9999), the text itself as the last resort for numbers of another shape."""
    prefix, _, rest = number.partition("-")
    year, _, serial = rest.partition("-")
    if year.isdigit() and serial.isdigit():
        return (prefix.casefold(), int(year), int(serial), number)
    return (number.casefold(), 0, 0, number)


#: Letters the search keeps as they are while other accents fall away: in Danish å is a
#: letter of its own, not an a with a ring.
_KEPT = str.maketrans({"å": "\x01"})
_BACK = str.maketrans({"\x01": "å"})


def search_fold(text: str) -> str:
    """The search's form of a name: folded as the duplicate check folds names (case, spaces),
    and accents dropped (é as e, ü as u), so "jose" finds José; æ, ø and å stay."""
    folded = fold_name(text)
    if folded.isascii():
        return folded
    kept = folded.translate(_KEPT)
    if unicodedata.is_normalized("NFKD", kept):  # "søren": nothing to take off
        return folded
    decomposed = unicodedata.normalize("NFKD", kept)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", plain.translate(_BACK))


def mask_cpr(cpr: str | None) -> str:
    """``DDMMYY-XXXX``: the list shows the birth date part only; the whole number is shown in
    the case itself (and audited there)."""
    if not cpr:
        return ""
    return f"{cpr[:6]}-XXXX"


def format_cpr(cpr: str | None) -> str:
    return f"{cpr[:6]}-{cpr[6:]}" if cpr else ""


class SearchQuery:
    """What the user typed, parsed once per keystroke.

    A row matches when every word of the text is part of the person's name (any order, any
    case: "hans jen" finds "Jens Hansen"), or, when the text holds a digit or a dash, when it
    is part of the case number ("0042", "aar-2026"; plain letters like "ran" are a name, not
    the prefix of every Randers case). Text of only digits (a dash and spaces allowed) is
    looked up in case numbers and as the beginning of the CPR number, not in names.
    """

    __slots__ = ("digits", "number", "parts", "text")

    def __init__(self, text: str) -> None:
        self.text = text.strip()
        numberish = any(ch.isdigit() or ch == "-" for ch in self.text)
        self.number = self.text.upper() if numberish else ""
        self.parts = tuple(search_fold(self.text).split())
        only_cpr_chars = all(ch.isdigit() or ch in "- " for ch in self.text)
        digits = "".join(ch for ch in self.text if ch.isdigit())
        self.digits = digits if only_cpr_chars else ""

    @property
    def empty(self) -> bool:
        return not self.text

    def narrows(self, previous: SearchQuery | None) -> bool:
        """True when every row matching this query also matched ``previous`` (the user typed
        on): then only the rows that matched before need checking."""
        if previous is None or previous.empty or not self.text.startswith(previous.text):
            return False
        # Each kind of query looks in other places: the kinds must be the same.
        return bool(self.digits) == bool(previous.digits) and bool(self.number) == bool(
            previous.number
        )

    def matches(self, number: str, name_folded: str, cpr: str) -> bool:
        return bool(self.select(range(1), [number], [name_folded], [cpr]))

    def select(
        self,
        positions: Iterable[int],
        numbers: Sequence[str],
        names: Sequence[str],
        cprs: Sequence[str],
    ) -> list[int]:
        """The positions (of ``positions``) whose row matches. One specialised loop per kind
        of query: this runs over every row on the first keystroke."""
        upper, digits, parts = self.number, self.digits, self.parts
        if not parts:
            return []
        if digits:
            return [i for i in positions if upper in numbers[i] or cprs[i].startswith(digits)]
        if len(parts) == 1:
            part = parts[0]
            if upper:
                return [i for i in positions if part in names[i] or upper in numbers[i]]
            return [i for i in positions if part in names[i]]
        if upper:
            return [
                i
                for i in positions
                if upper in numbers[i] or all(part in names[i] for part in parts)
            ]
        return [i for i in positions if all(part in names[i] for part in parts)]


def follow_up_due(follow_up: date | None, is_open: bool, today: date) -> bool:
    """A follow-up is due on its day and after, while the case is open: a closed case has no
    follow-up to do, whatever date it kept."""
    return is_open and follow_up is not None and follow_up <= today
