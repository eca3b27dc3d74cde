"""Blind index of CPR numbers: keyed, deterministic, normalised, 16 bits wide."""

from __future__ import annotations

import hashlib
import hmac
import os
import random

import pytest

from infohus_desktop.crypto.blind_index import cpr_index, lookup_key
from infohus_desktop.domain.cpr import normalize_cpr
from infohus_desktop.domain.errors import InvalidInput

CPR = "010203-1234"


def _random_cprs(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}{rng.randrange(100):02d}-"
        f"{rng.randrange(10_000):04d}"
        for _ in range(n)
    ]


@pytest.fixture(scope="module")
def key() -> bytes:
    return lookup_key(os.urandom(32))


def test_known_construction(key: bytes) -> None:
    """HMAC-SHA256 over the ten digits, first 16 bits (SECURITY.md), computed independently."""
    digest = hmac.new(key, b"0102031234", hashlib.sha256).digest()
    assert cpr_index(key, CPR) == int.from_bytes(digest[:2], "big")


def test_deterministic_per_key(key: bytes) -> None:
    cprs = _random_cprs(200)
    assert [cpr_index(key, c) for c in cprs] == [cpr_index(key, c) for c in cprs]


def test_lookup_key_is_deterministic_and_depends_on_the_network_key() -> None:
    network = os.urandom(32)
    assert lookup_key(network) == lookup_key(network)
    assert len(lookup_key(network)) == 32
    assert lookup_key(network) != network
    assert lookup_key(network) != lookup_key(os.urandom(32))


def test_different_keys_give_different_indexes_for_most_inputs() -> None:
    key_a = lookup_key(os.urandom(32))
    key_b = lookup_key(os.urandom(32))
    cprs = _random_cprs(1000)
    same = sum(cpr_index(key_a, c) == cpr_index(key_b, c) for c in cprs)
    # Expected 1000 / 65536 ~ 0.015 agreements by chance; 5 or more is ~1e-12.
    assert same < 5


def test_different_cprs_spread_over_the_range(key: bytes) -> None:
    indexes = {cpr_index(key, c) for c in _random_cprs(1000)}
    assert len(indexes) > 980  # ~7.6 collisions expected among 1000 values in 65536


@pytest.mark.parametrize("typed", ["010203-1234", "0102031234", "010203 1234", " 010203-1234 "])
def test_accepted_spellings_are_the_same(key: bytes, typed: str) -> None:
    assert normalize_cpr(typed) == "0102031234"
    assert cpr_index(key, typed) == cpr_index(key, "0102031234")


@pytest.mark.parametrize(
    "typed",
    [
        "010203-123",
        "01020-3123",
        "010203123",
        "010203-12345",
        "01020312345",
        "",
        "abcdefghij",
        "010203-12a4",
    ],
)
def test_nine_or_eleven_digits_rejected(key: bytes, typed: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_cpr(typed)
    with pytest.raises(InvalidInput):
        cpr_index(key, typed)


def test_value_in_range(key: bytes) -> None:
    values = [cpr_index(key, c) for c in _random_cprs(2000)]
    assert all(isinstance(v, int) and 0 <= v < 2**16 for v in values)
    assert max(values) >= 2**15  # the top bit is used: the width really is 16 bits


@pytest.mark.parametrize("bits", [1, 8, 16, 24, 32])
def test_other_widths(key: bytes, bits: int) -> None:
    digest = hmac.new(key, b"0102031234", hashlib.sha256).digest()
    assert cpr_index(key, CPR, bits) == int.from_bytes(digest[:4], "big") >> (32 - bits)
    assert all(0 <= cpr_index(key, c, bits) < 2**bits for c in _random_cprs(50))


@pytest.mark.parametrize("bits", [0, -1, 33, 64])
def test_bad_widths_rejected(key: bytes, bits: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.32"):
        cpr_index(key, CPR, bits)


def test_fullwidth_digits_give_the_same_index_or_are_rejected(key: bytes) -> None:
    fullwidth = "０１０２０３-１２３４"
    try:
        index = cpr_index(key, fullwidth)
    except InvalidInput:
        return
    assert index == cpr_index(key, CPR)


@pytest.mark.parametrize(
    ("typed", "ascii_digits"),
    [
        ("１１０２０３-１２３４", "1102031234"),  # full-width
        ("¹¹0203-1234", "1102031234"),  # superscript
        ("010203-①②③④", "0102031234"),  # circled
        ("٠١٠٢٠٣-١٢٣٤", "0102031234"),  # Arabic-Indic
    ],
)
def test_non_ascii_digits_are_rejected_or_mapped_to_ascii(typed: str, ascii_digits: str) -> None:
    try:
        normalized = normalize_cpr(typed)
    except InvalidInput:
        return
    assert normalized == ascii_digits
