"""The new-passphrase policy: 15 characters after NFKC, no common passwords, no repetition."""

from __future__ import annotations

import unicodedata

import pytest

from infohus_desktop.crypto import passphrase_policy
from infohus_desktop.crypto.passphrase_policy import MIN_LENGTH, check_new_passphrase
from infohus_desktop.domain.errors import PassphraseRejected

ACCEPTED = [
    "hyldebær cykel fjord",
    "rugbrød og leverpostej til frokost",
    "blåbærgrød på æbleskiver",
    "kaffe regnvejr Aarhus sommerfugl",
    "fire glade køer på engen",
]


def _rejection(passphrase: str) -> PassphraseRejected:
    with pytest.raises(PassphraseRejected) as info:
        check_new_passphrase(passphrase)
    return info.value


def _too_short(passphrase: str) -> bool:
    return "at least 15 characters" in _rejection(passphrase).en


def _too_common(passphrase: str) -> bool:
    return "too common" in _rejection(passphrase).en


def test_minimum_is_fifteen() -> None:
    assert MIN_LENGTH == 15


@pytest.mark.parametrize("passphrase", ACCEPTED)
def test_danish_words_accepted(passphrase: str) -> None:
    check_new_passphrase(passphrase)


@pytest.mark.parametrize(
    "passphrase",
    ["", "a", "kort frase", "hyldebær cykel", "abcdefghijklmn", "x" * 14, "æøåÆØÅæøåÆØÅæø"[:14]],
)
def test_shorter_than_fifteen_rejected(passphrase: str) -> None:
    assert len(passphrase) < 15
    assert _too_short(passphrase)


def test_exactly_fifteen_accepted_fourteen_rejected() -> None:
    check_new_passphrase("hyldebær cykelf")
    assert _too_short("hyldebær cykel")


@pytest.mark.parametrize(
    "passphrase",
    [
        "passwordpassword",
        "Password123456789",
        "PASSWORD123456789",
        "pAsSwOrD123456789",
        "PasswordPassword",
        "password password",
        " password123456789 ",
        "ＰＡＳＳＷＯＲＤＰＡＳＳＷＯＲＤ",  # fullwidth: NFKC folds it to ASCII
    ],
)
def test_common_passwords_rejected_after_folding(passphrase: str) -> None:
    assert _too_common(passphrase)


@pytest.mark.parametrize("char", ["a", "æ", "1", " ", "."])
def test_fifteen_identical_characters_rejected(char: str) -> None:
    assert _too_common(char * 15)


@pytest.mark.parametrize("passphrase", ["a" * 40, "abababababababab", "abcdabcdabcdabcd"])
def test_long_repetitions_of_few_characters_rejected(passphrase: str) -> None:
    assert _too_common(passphrase)


def test_length_is_counted_after_nfkc_composition() -> None:
    # "å" typed as a + combining ring: 16 code points typed, 13 after NFKC.
    typed = unicodedata.normalize("NFD", "blåbær på båd")
    assert len(typed) == 16
    assert len(unicodedata.normalize("NFKC", typed)) == 13
    assert _too_short(typed)


def test_length_is_counted_after_nfkc_expansion() -> None:
    # The ligature "ﬁ" (one code point) becomes "fi" (two): 14 typed, 15 after NFKC.
    typed = "ﬁre glade køer"
    assert len(typed) == 14
    assert len(unicodedata.normalize("NFKC", typed)) == 15
    check_new_passphrase(typed)


def test_the_shipped_common_list_is_found_and_loaded() -> None:
    """If the list file is missing the policy silently accepts every common password."""
    from infohus_desktop.resources import resource

    assert resource(*passphrase_policy._COMMON_LIST).is_file(), passphrase_policy._COMMON_LIST
    common = passphrase_policy._common_passwords()
    assert len(common) >= 100
    assert "passwordpassword" in common
    assert "password123456789" in common  # folded from "Password123456789"


def test_rejection_messages_are_bilingual_and_never_echo_the_passphrase() -> None:
    secret = "passwordpassword"
    with pytest.raises(PassphraseRejected) as info:
        check_new_passphrase(secret)
    assert info.value.da and info.value.en
    assert info.value.da != info.value.en
    for text in (info.value.da, info.value.en, str(info.value)):
        assert secret not in text.lower()


def test_a_missing_common_list_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    from infohus_desktop.crypto import passphrase_policy as policy

    monkeypatch.setattr(policy, "_COMMON_LIST", ("passwords", "no-such-list.txt"))
    policy._common_passwords.cache_clear()
    try:
        with pytest.raises(PassphraseRejected, match=r"common passwords is missing|mangler"):
            policy.check_new_passphrase("a perfectly reasonable long passphrase")
    finally:
        monkeypatch.undo()
        policy._common_passwords.cache_clear()
