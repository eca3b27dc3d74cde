"""Passphrases of Danish words, and how strong a typed passphrase looks.

The generator draws words from the package's ``resources/wordlists/danske_ord.txt`` with
:mod:`secrets`: six words from 470 give about 53 bits, which, behind Argon2id at ≥ 0.5 s a
guess, is far out of reach of guessing, and they are easy to type and to remember. The
strength estimate uses zxcvbn (Dropbox's estimator: dictionaries, keyboard patterns, dates,
repeats) and is shown as a meter; the rule a passphrase must pass is
:func:`passphrase_policy.check_new_passphrase`.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from infohus_desktop.crypto.passphrase_policy import check_new_passphrase
from infohus_desktop.domain.errors import PassphraseRejected
from infohus_desktop.resources import read_text

WORD_LIST = ("wordlists", "danske_ord.txt")
DEFAULT_WORDS = 6
#: Estimated guesses at which the meter moves from weak to fair, good and strong: four random
#: words from the list (~5e10) are fair, five good, six strong.
GUESS_LIMITS = (1e10, 1e13, 1e15)


@functools.cache
def danish_words() -> tuple[str, ...]:
    words = tuple(
        line.strip()
        for line in read_text(*WORD_LIST).splitlines()
        if line.strip() and not line.startswith("#")
    )
    if len(set(words)) < 400:
        raise RuntimeError("the Danish word list is missing or too short")
    return words


def generate_passphrase(words: int = DEFAULT_WORDS) -> str:
    pool = danish_words()
    while True:
        candidate = " ".join(secrets.choice(pool) for _ in range(words))
        try:
            check_new_passphrase(candidate)
        except PassphraseRejected:
            continue  # e.g. shorter than 15 characters: draw again
        return candidate


@dataclass(frozen=True, slots=True)
class Strength:
    score: int  # 0 (unacceptable) … 4 (strong)
    label_da: str
    label_en: str
    acceptable: bool


_LABELS = {
    0: ("Kan ikke bruges", "Not acceptable"),
    1: ("Svag", "Weak"),
    2: ("Rimelig", "Fair"),
    3: ("God", "Good"),
    4: ("Stærk", "Strong"),
}


def estimate_strength(passphrase: str) -> Strength:
    """The meter's reading. Anything the policy refuses scores 0 whatever zxcvbn says."""
    try:
        check_new_passphrase(passphrase)
    except PassphraseRejected:
        da, en = _LABELS[0]
        return Strength(0, da, en, False)
    # The Danish word list joins zxcvbn's (English) dictionaries, so common Danish words are
    # not mistaken for random characters; spaces are dropped because zxcvbn counts a word with
    # a space as brute force. The thresholds are stricter than zxcvbn's own scores (made for
    # online guessing): they assume an attacker holding the vault file.
    compact = "".join(passphrase.split())[:100]
    # Imported at the first reading, not with the module: the member services load this
    # module behind the unlock screen for the generator alone (issue 17). See NewPassphrase.
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]

    guesses = float(zxcvbn(compact, user_inputs=list(danish_words()))["guesses"])
    score = 1 + sum(guesses >= limit for limit in GUESS_LIMITS)
    da, en = _LABELS[score]
    return Strength(score, da, en, True)
