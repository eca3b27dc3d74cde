"""The passphrase generator and the strength meter of the first-run wizard."""

from __future__ import annotations

import math

from infohus_desktop.crypto.passphrase_policy import check_new_passphrase
from infohus_desktop.crypto.passphrase_words import (
    danish_words,
    estimate_strength,
    generate_passphrase,
)


def test_word_list_is_large_unique_and_danish() -> None:
    words = danish_words()
    assert len(words) == len(set(words)) >= 450
    assert {"rugbrød", "fjord", "æble", "ø"} <= set(words)
    assert all(w == w.lower() and " " not in w for w in words)


def test_generated_passphrases_pass_the_policy_and_differ() -> None:
    made = [generate_passphrase() for _ in range(200)]
    for phrase in made:
        check_new_passphrase(phrase)  # raises if refused
        assert len(phrase.split()) == 6
        assert set(phrase.split()) <= set(danish_words())
    assert len(set(made)) == len(made)
    assert 6 * math.log2(len(danish_words())) > 50  # bits of a six-word suggestion


def test_meter_orders_passphrases_as_a_user_expects() -> None:
    assert not estimate_strength("kort").acceptable
    assert estimate_strength("password12345678").score == 0  # on the common list
    three, four, six = "hest fjord ravn", "hest fjord ravn pølse", generate_passphrase()
    assert estimate_strength(three).score < estimate_strength(four).score
    assert estimate_strength(four).score < estimate_strength(six).score == 4
    assert estimate_strength(six).acceptable
