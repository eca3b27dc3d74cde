"""The CPR rule of ``domain/cpr.py`` against python-stdnum's, an independent reading of the same
public rules (CPR-kontoret's century table). The program used python-stdnum itself until its
import made a session's first new case 4 to 7 ms slower (issue 17); the two must agree on
every number a user could type."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

from infohus_desktop.domain.cpr import Sex, birth_date_of, parse_cpr
from infohus_desktop.domain.errors import InvalidInput


def _stdnum_birth_date(digits: str) -> date | None:
    try:
        return stdnum_cpr.get_birth_date(digits)
    except ValidationError:
        return None


def _ours(digits: str) -> date | None:
    try:
        return birth_date_of(digits)
    except ValueError:
        return None


def test_every_serial_digit_and_year_gives_stdnums_century() -> None:
    """All 10 x 100 combinations of the seventh digit and the two-digit year, on a day that
    exists in every year (and on 29 February, which exists in some)."""
    for serial in "0123456789":
        for year in range(100):
            for day_month in ("1503", "2902"):
                digits = f"{day_month}{year:02d}{serial}123"
                assert _ours(digits) == _stdnum_birth_date(digits), digits


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_any_ten_digits_agree_with_stdnum(digits: str) -> None:
    """Impossible days (00, 32, month 13, 31 April) included: both refuse the same."""
    assert _ours(digits) == _stdnum_birth_date(digits)


@pytest.mark.parametrize(
    ("typed", "born", "sex"),
    [
        ("010203-1234", date(1903, 2, 1), Sex.FEMALE),  # 1: the 1900s
        ("0102034235", date(2003, 2, 1), Sex.MALE),  # 4, year 03: the 2000s
        ("010240 4235", date(1940, 2, 1), Sex.MALE),  # 4, year 40: the 1900s
        ("010257-5001", date(2057, 2, 1), Sex.MALE),  # 5, year 57: the 2000s, not yet born
        ("010260-5002", date(1860, 2, 1), Sex.FEMALE),  # 5, year 60: the 1800s
        ("290200-4000", date(2000, 2, 29), Sex.FEMALE),  # 2000 was a leap year
    ],
)
def test_a_typed_number_gives_its_birth_date_and_sex(typed: str, born: date, sex: Sex) -> None:
    if born > date.today():
        with pytest.raises(InvalidInput) as caught:
            parse_cpr(typed)
        assert "fremtiden" in caught.value.da
        return
    info = parse_cpr(typed)
    assert (info.birth_date, info.sex, info.formatted) == (born, sex, typed[:6] + "-" + typed[-4:])


@pytest.mark.parametrize("typed", ["290201-4000", "310403-1234", "000103-1234", "011303-1234"])
def test_a_day_that_does_not_exist_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_cpr(typed)
    assert caught.value.da.startswith("CPR-nummeret er ikke gyldigt")
    assert typed[:6] not in str(caught.value)  # a CPR number is never in a message


def test_a_birth_date_after_the_day_named_is_refused() -> None:
    """A demo case's story is told on an earlier day: a person born after it cannot be in it."""
    born = date.today() - timedelta(days=400)
    typed = born.strftime("%d%m%y") + "4001"  # 4: this century
    assert parse_cpr(typed).birth_date == born
    with pytest.raises(InvalidInput) as caught:
        parse_cpr(typed, today=born - timedelta(days=1))
    assert caught.value.en == "The CPR number's birth date lies in the future."
