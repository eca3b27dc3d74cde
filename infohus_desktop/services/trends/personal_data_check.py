"""The personal-data check of a trend note: does a text look like it names a person?

A trend note describes a trend, never a person (DOMAIN.md). :func:`find_personal_data` looks
for two things and is pure, fast and free of I/O, so the editor can run it on every pause in
typing:

- **CPR-like numbers**: six digits that form a valid date (``ddmmyy``) and four more digits, in
  the usual spellings (``010190-1234``, ``0101901234``, ``010190 1234``, ``01.01.90-1234``,
  ``01 01 90 1234``). Ordinary dates (``23.11.2026``, ``2026-11-23``), years, phone numbers
  (eight digits, ``+45 12 34 56 78``), case numbers (``AAR-2026-0007``) and postcodes have
  the wrong shape and are not flagged.
- **Names from the case register**: the full name, first and last name, or "Last, First" of a
  person in a case the member can read, compared whole-word, case-insensitively and after
  Unicode normalisation (NFKC), so ``SØREN``, ``søren`` and a decomposed ``å`` all match.

A finding carries where (field, offset, line and column) and why (Danish and English); never
the matched text, so a finding can go into an exception message without repeating the data.
The names themselves come from memory (:class:`NameRegister` is built from decrypted case
summaries) and are never stored.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date


class FindingKind(enum.StrEnum):
    CPR = "cpr"
    NAME = "name"


_REASONS: dict[FindingKind, tuple[str, str]] = {
    FindingKind.CPR: (
        "ligner et CPR-nummer (en gyldig dato og fire cifre)",
        "looks like a CPR number (a valid date and four digits)",
    ),
    FindingKind.NAME: (
        "er navnet på en person i en sag, du kan læse",
        "is the name of a person in a case you can read",
    ),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Titel", "Title"),
    "area": ("Område", "Area"),
    "description": ("Beskrivelse", "Description"),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in ``field`` between ``start`` and ``end`` (offsets into the original text)
    that looks like personal data. ``line`` and ``column`` count from 1."""

    field: str
    start: int
    end: int
    kind: FindingKind
    line: int
    column: int

    @property
    def reason_da(self) -> str:
        return _REASONS[self.kind][0]

    @property
    def reason_en(self) -> str:
        return _REASONS[self.kind][1]

    def where(self, lang: str = "da") -> str:
        """``Beskrivelse, linje 3, tegn 14`` / ``Description, line 3, character 14``."""
        da, en = FIELD_LABELS.get(self.field, (self.field, self.field))
        if lang == "en":
            return f"{en}, line {self.line}, character {self.column}"
        return f"{da}, linje {self.line}, tegn {self.column}"

    def explain(self, lang: str = "da") -> str:
        """Where and why, without the text itself."""
        reason = self.reason_en if lang == "en" else self.reason_da
        return f"{self.where(lang)}: {reason}"


# -- CPR-like numbers ---------------------------------------------------------------------

# Two digits, an optional dot or space, two digits, an optional dot or space, two digits, a
# separator, four digits; not inside a longer run of digits, not after "+" (a phone number
# with a country code), not glued to letters (product or case codes).
_CPR = re.compile(
    r"(?<![\w+])(?<!\+\d\d )"
    r"(?P<dd>\d{2})(?P<s1>[. ]?)(?P<mm>\d{2})(?P<s2>[. ]?)(?P<yy>\d{2})"
    r"(?P<sep> ?[-\u2010\u2011\u2013] ?| ?)"
    r"(?P<serial>\d{4})(?![\w])(?![.,]\d)"
)


def _century(yy: int, seventh: int) -> int:
    """The CPR rule for the century of the birth year, from the seventh digit."""
    if seventh in (4, 9):
        return 1900 if yy >= 37 else 2000
    if seventh in (5, 6, 7, 8):
        return 1800 if yy >= 58 else 2000
    return 1900


def _valid_date(dd: str, mm: str, yy: str, serial: str) -> bool:
    try:
        date(_century(int(yy), int(serial[0])) + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return True


def _cpr_spans(text: str) -> Iterable[tuple[int, int]]:
    for m in _CPR.finditer(text):
        s1, s2, sep = m["s1"], m["s2"], m["sep"]
        if s1 != s2:  # "01.0190-1234": the date part is written one way throughout
            continue
        if s1 == "." and sep.strip() == "":
            # "23.11.26 1200" is a date followed by a number; a dotted CPR takes a dash.
            continue
        if s1 == " " and sep == "":
            continue  # "01 01 901234" is no spelling anyone uses
        if _valid_date(m["dd"], m["mm"], m["yy"], m["serial"]):
            yield m.start(), m.end()


# -- names --------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[-'\u2019]\w+)*|,")


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` normalised (NFKC) and case-folded, with the offset in ``text`` of every
    character of the result, so a match in the folded text points back into the original.
    A base character and its combining marks are folded together ("a" + ring → "å")."""
    folded = text.casefold()
    if len(folded) == len(text) and unicodedata.is_normalized("NFKC", text):
        # The common case, and fast: case folding never shortens a character, so the same
        # length means one character for one, and the offsets are the identity.
        return folded, list(range(len(text) + 1))
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        folded = unicodedata.normalize("NFKC", text[i:j]).casefold()
        out.append(folded)
        offsets.extend([i] * len(folded))
        i = j
    offsets.append(n)
    return "".join(out), offsets


def fold(text: str) -> str:
    """Names compare after NFKC normalisation and case folding."""
    return _folded(text)[0]


class NameRegister:
    """The names to look for, as token sequences: each full name, first + last name, and
    "Last, First (Middle)". A name of one word is left out: a single first name is far too
    common to flag.

    Each sequence is kept as one string (tokens joined by a separator that no word holds), so
    a look-up is one hash per possible length however many names share a first name."""

    _SEP = "\x1f"

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._patterns: set[str] = set()
        self._starts: set[str] = set()
        self._lengths: set[int] = set()
        self.size = 0
        for name in names:
            self.add(name)

    def add(self, name: str) -> None:
        tokens = [t for t in _WORD.findall(fold(name)) if t != ","]
        if len(tokens) < 2:
            return
        self.size += 1
        first, last, sep = tokens[0], tokens[-1], self._SEP
        self._starts.add(first)
        self._starts.add(last)
        n = len(tokens)
        self._lengths.update((2, 3, n, n + 1))
        self._patterns.update(
            (
                sep.join(tokens),
                first + sep + last,
                sep.join((last, ",", *tokens[:-1])),
                sep.join((last, ",", first)),
            )
        )

    def __len__(self) -> int:
        return self.size

    def spans(self, text: str) -> Iterable[tuple[int, int]]:
        folded, offsets = _folded(text)
        words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]
        lengths = sorted(self._lengths, reverse=True)
        sep = self._SEP
        i = 0
        while i < len(words):
            best = 0
            if words[i][0] in self._starts:
                for length in lengths:
                    if i + length > len(words):
                        continue
                    key = sep.join(w[0] for w in words[i : i + length])
                    if key in self._patterns and _spaced(folded, words, i, length):
                        best = length
                        break
            if best:
                yield offsets[words[i][1]], offsets[words[i + best - 1][2]]
                i += best
            else:
                i += 1


def _spaced(folded: str, words: list[tuple[str, int, int]], i: int, length: int) -> bool:
    """The words ``i`` … ``i + length - 1`` are separated only by white space."""
    return all(not folded[words[k - 1][2] : words[k][1]].strip() for k in range(i + 1, i + length))


# -- the check ----------------------------------------------------------------------------


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def find_in_text(text: str, names: NameRegister | None = None, field: str = "") -> list[Finding]:
    """Findings in one text, ordered by position. Overlaps keep the first (a CPR number
    wins over nothing; names never contain digits)."""
    spans = [(s, e, FindingKind.CPR) for s, e in _cpr_spans(text)]
    if names is not None and len(names):
        spans += [(s, e, FindingKind.NAME) for s, e in names.spans(text)]
    spans.sort()
    out: list[Finding] = []
    last_end = -1
    for start, end, kind in spans:
        if start < last_end:
            continue
        line, column = _position(text, start)
        out.append(Finding(field, start, end, kind, line, column))
        last_end = end
    return out


def find_personal_data(
    texts: Mapping[str, str], names: NameRegister | None = None
) -> list[Finding]:
    """Findings in every field of ``texts`` (field name → text), field by field."""
    return [f for field, text in texts.items() for f in find_in_text(text, names, field)]


def summarize(findings: Iterable[Finding], lang: str = "da", limit: int = 5) -> str:
    """``Beskrivelse, linje 2, tegn 5: ligner et CPR-nummer …; …`` for a message."""
    items = list(findings)
    lines = [f.explain(lang) for f in items[:limit]]
    if len(items) > limit:
        more = len(items) - limit
        lines.append(f"og {more} mere" if lang == "da" else f"and {more} more")
    return "; ".join(lines)
