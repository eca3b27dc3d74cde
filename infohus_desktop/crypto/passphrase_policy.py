"""What a new passphrase must be (SECURITY.md, after NIST SP 800-63B-4).

At least 15 characters after NFKC normalisation, no composition rules, and not on the shipped
list of common passwords. The list is the package's
``resources/passwords/common.txt``.
"""

from __future__ import annotations

import functools
import unicodedata

from infohus_desktop.domain.errors import PassphraseRejected
from infohus_desktop.resources import read_text

MIN_LENGTH = 15
_COMMON_LIST = ("passwords", "common.txt")


@functools.cache
def _common_passwords() -> frozenset[str]:
    try:
        text = read_text(*_COMMON_LIST)
    except OSError as exc:
        # Fail closed: without the list, common passwords would slip through unnoticed.
        raise PassphraseRejected(
            "Listen over almindelige adgangskoder mangler i installationen; ingen ny "
            "adgangsfrase kan godkendes. Geninstaller Infohus Desktop.",
            "The list of common passwords is missing from the installation; no new "
            "passphrase can be accepted. Reinstall Infohus Desktop.",
        ) from exc
    return frozenset(
        _fold(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace())


def check_new_passphrase(passphrase: str) -> None:
    """Raise :class:`PassphraseRejected` with a message that says what to do instead."""
    normalized = unicodedata.normalize("NFKC", passphrase)
    if len(normalized) < MIN_LENGTH:
        raise PassphraseRejected(
            f"Adgangsfrasen skal være mindst {MIN_LENGTH} tegn. Brug gerne flere almindelige ord.",
            f"The passphrase must be at least {MIN_LENGTH} characters. Several ordinary words "
            "work well.",
        )
    folded = _fold(normalized)
    if len(set(folded)) < 5 or folded in _common_passwords():
        raise PassphraseRejected(
            "Adgangsfrasen er for almindelig og let at gætte. Vælg en anden.",
            "The passphrase is too common and easy to guess. Choose another.",
        )
