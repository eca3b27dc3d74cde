"""How the case list compares and searches text: Danish order, folded names, CPR masking.

Pure functions without Qt, so the rules are testable alone and cheap to run over 100,000 rows.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date

from infohus_desktop.domain.cases import fold_name

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

#: The fields a search looks in (:meth:`SearchQuery.fields`).
NAME, NUMBER, CPR = "name", "number", "cpr"


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

    def fields(self) -> tuple[str, ...]:
        """Where this query looks: a row matches when any of these fields matches."""
        if not self.parts:
            return ()
        if self.digits:
            return (NUMBER, CPR)
        if self.number:
            return (NAME, NUMBER)
        return (NAME,)

    def narrows(self, previous: SearchQuery | None) -> bool:
        """True when every row matching this query also matched ``previous`` (the user typed
        on): then only the rows that matched before need checking."""
        if previous is None or previous.empty or not self.text.startswith(previous.text):
            return False
        # Each kind of query looks in other places: the kinds must be the same.
        return bool(self.digits) == bool(previous.digits) and bool(self.number) == bool(
            previous.number
        )

    def narrows_field(self, previous: SearchQuery | None, field: str) -> bool:
        """True when the rows whose ``field`` matches this query are among those whose
        ``field`` matched ``previous``: the text was typed on and ``previous`` looked there
        too ("aar" looked in names only, so "aar-" checks every case number but only the
        names that held "aar")."""
        return (
            previous is not None
            and not previous.empty
            and self.text.startswith(previous.text)
            and field in previous.fields()
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
        """The positions (of ``positions``) whose row matches."""
        candidates = positions if isinstance(positions, Sequence) else list(positions)
        return self.search(candidates, None, {}, numbers, names, cprs)[0]

    def search(
        self,
        positions: Sequence[int],
        previous: SearchQuery | None,
        earlier: dict[str, list[int]],
        numbers: Sequence[str],
        names: Sequence[str],
        cprs: Sequence[str],
        cpr_order: Sequence[int] | None = None,
        allowed: bytearray | None = None,
    ) -> tuple[list[int], dict[str, list[int]]]:
        """The positions (of ``positions``) whose row matches, and per field the positions
        where that field matched (for the next keystroke).

        Each field is checked on its own, over the positions where it matched ``previous``
        when the text was typed on (``earlier``, as this method returned it), else over all
        of ``positions``: one plain loop with one test per field, so a first digit or a
        dash after letters costs one pass over one column. ``cpr_order`` (the
        positions sorted by CPR number) turns a CPR prefix into a range found by bisection
        when ``positions`` are every case or those ``allowed`` marks (by position)."""
        hits: dict[str, list[int]] = {}
        for field in self.fields():
            known = earlier.get(field)
            candidates = (
                known if known is not None and self.narrows_field(previous, field) else positions
            )
            if field == CPR and cpr_order is not None:
                hits[field] = self._cpr_range(cprs, cpr_order, allowed)
            else:
                hits[field] = self._scan(field, candidates, numbers, names, cprs)
        if not hits:
            return [], hits
        big, *rest = sorted(hits.values(), key=len, reverse=True)
        if not rest or len(big) == len(positions) or not rest[0]:
            return big, hits
        # The union in C: a set difference, then a sort that merges two sorted runs (a
        # field's hits are in the order of ``positions``, ascending but for rows a save
        # added to the filter bar's list).
        extra = set(rest[0]).difference(big)
        if not extra:
            return big, hits
        merged = big + sorted(extra)
        merged.sort()
        return merged, hits

    def _scan(
        self,
        field: str,
        positions: Iterable[int],
        numbers: Sequence[str],
        names: Sequence[str],
        cprs: Sequence[str],
    ) -> list[int]:
        """One field's test over ``positions``, in one specialised loop."""
        if field == NUMBER:
            upper = self.number
            return [i for i in positions if upper in numbers[i]]
        if field == CPR:
            digits = self.digits
            return [i for i in positions if cprs[i].startswith(digits)]
        parts = self.parts
        if len(parts) == 1:
            part = parts[0]
            return [i for i in positions if part in names[i]]
        return [i for i in positions if all(part in names[i] for part in parts)]

    def _cpr_range(
        self, cprs: Sequence[str], order: Sequence[int], allowed: bytearray | None
    ) -> list[int]:
        """The positions whose CPR number starts with the digits typed, by bisection over
        ``order`` (every position, sorted by CPR number), of those ``allowed`` marks."""
        digits, size = self.digits, len(self.digits)
        first = bisect_left(order, digits, key=cprs.__getitem__)
        last = bisect_right(order, digits, lo=first, key=lambda p: cprs[p][:size])
        found = sorted(order[first:last])
        if allowed is not None:
            found = [p for p in found if allowed[p]]
        return found


def follow_up_due(follow_up: date | None, is_open: bool, today: date) -> bool:
    """A follow-up is due on its day and after, while the case is open: a closed case has no
    follow-up to do, whatever date it kept."""
    return is_open and follow_up is not None and follow_up <= today
