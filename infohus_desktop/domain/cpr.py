"""CPR numbers: validation, birth date and sex derived.

The birth date is the number's first six digits (ddmmyy) with the century that the first
digit of the serial number gives (CPR-kontoret's table, :data:`_CENTURY_BY_SERIAL`). No
modulus-11 check: numbers issued since 2007 need not satisfy it. A CPR number is personal
data; nothing here logs or puts it in a message.

The rule lives here rather than in python-stdnum, which the program used until issue 17:
importing it (with ``pydoc``, for its online checks) cost a session's first new case 4 to
7 ms and 1 MiB, for a table of ten lines. The tests check this one against python-stdnum's
over every serial digit and year.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import date

from infohus_desktop.domain.errors import InvalidInput

_SEPARATORS = frozenset(" -./\u00a0")


def normalize_cpr(cpr: str) -> str:
    """The ten ASCII digits of a CPR number as typed: any decimal digit (full-width, Arabic-
    Indic, ...) maps to its ASCII digit, spaces, dashes and dots are dropped, and anything else
    is refused, so one CPR number always gives one index."""
    digits = []
    for ch in unicodedata.normalize("NFKC", cpr.strip()):
        if ch in _SEPARATORS:
            continue
        value = unicodedata.decimal(ch, None)
        if value is None:
            raise _bad_cpr()
        digits.append(str(value))
    if len(digits) != 10:
        raise _bad_cpr()
    return "".join(digits)


def _bad_cpr() -> InvalidInput:
    return InvalidInput(
        "Et CPR-nummer har 10 cifre, fx 010203-1234.",
        "A CPR number has 10 digits, e.g. 010203-1234.",
    )


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CprInfo:
    number: str  # ten digits
    birth_date: date
    sex: Sex

    @property
    def formatted(self) -> str:
        return f"{self.number[:6]}-{self.number[6:]}"


#: The first digit of the serial number (the seventh digit) and the two-digit year give the
#: century: a year below the digit's split is of the 2000s, one from the split on is of the
#: century given. So 0-3: always the 1900s; 4 and 9: 2000-2036 or 1937-1999; 5-8:
#: 2000-2057 or 1858-1899.
_CENTURY_BY_SERIAL: dict[str, tuple[int, int]] = {
    **dict.fromkeys("0123", (0, 1900)),
    **dict.fromkeys("49", (37, 1900)),
    **dict.fromkeys("5678", (58, 1800)),
}


def birth_date_of(digits: str) -> date:
    """The birth date in ten normalised digits (:func:`normalize_cpr`); ValueError when the
    day does not exist (31 April, 29 February of a common year, day or month 00)."""
    split, century = _CENTURY_BY_SERIAL[digits[6]]
    two_digit_year = int(digits[4:6])
    year = (2000 if two_digit_year < split else century) + two_digit_year
    return date(year, int(digits[2:4]), int(digits[0:2]))


def parse_cpr(text: str, today: date | None = None) -> CprInfo:
    """Validate a typed CPR number (with or without dash or spaces): ten digits whose date
    exists and has come (by this machine's calendar; ``today`` may name an earlier day,
    as when a demo case's story is told)."""
    digits = normalize_cpr(text)
    try:
        born = birth_date_of(digits)
    except ValueError:
        born = None
    if born is None or born > date.today():
        raise InvalidInput(
            "CPR-nummeret er ikke gyldigt: datoen findes ikke eller ligger i fremtiden.",
            "The CPR number is not valid: its date does not exist or lies in the future.",
        )
    if today is not None and born > today:
        raise InvalidInput(
            "CPR-nummerets fødselsdato ligger i fremtiden.",
            "The CPR number's birth date lies in the future.",
        )
    return CprInfo(digits, born, Sex.MALE if int(digits[9]) % 2 else Sex.FEMALE)


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    return years - ((day.month, day.day) < (birth_date.month, birth_date.day))
