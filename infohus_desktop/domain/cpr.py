"""CPR numbers: validation with python-stdnum, birth date and sex derived.

No modulus-11 check: numbers issued since 2007 need not satisfy it. A CPR number is personal
data; nothing here logs or puts it in a message.
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


def parse_cpr(text: str, today: date | None = None) -> CprInfo:
    """Validate a typed CPR number (with or without dash or spaces)."""
    # Imported here: python-stdnum loads ssl and pydoc for its online checks, 9 MiB that a
    # command should not carry into its key derivation (services/accounts/key_ahead.py).
    from stdnum.dk import cpr as stdnum_cpr
    from stdnum.exceptions import ValidationError

    digits = normalize_cpr(text)
    try:
        stdnum_cpr.validate(digits)
        born = stdnum_cpr.get_birth_date(digits)
    except ValidationError as exc:
        raise InvalidInput(
            "CPR-nummeret er ikke gyldigt: datoen findes ikke eller ligger i fremtiden.",
            "The CPR number is not valid: its date does not exist or lies in the future.",
        ) from exc
    if today is not None and born > today:
        raise InvalidInput(
            "CPR-nummerets fødselsdato ligger i fremtiden.",
            "The CPR number's birth date lies in the future.",
        )
    return CprInfo(digits, born, Sex.MALE if int(digits[9]) % 2 else Sex.FEMALE)


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    return years - ((day.month, day.day) < (birth_date.month, birth_date.day))
