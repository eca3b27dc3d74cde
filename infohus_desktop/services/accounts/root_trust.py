"""Comparing the root fingerprint a person typed (from the welcome letter, or read out on the
phone) with the vault's, before it is pinned (``vault trust``, the window's trust dialog).

A typing error and a vault that is not theirs are told apart: one that is not a fingerprint
at all is bad input (exit 2), a well-formed one that differs is a warning sign (exit 7),
with what to do next either way."""

from __future__ import annotations

from infohus_desktop.crypto.keys import normalize_fingerprint
from infohus_desktop.domain.errors import InvalidInput, UntrustedKey


def compare_fingerprint(typed: str, actual: str) -> None:
    """Raise unless ``typed`` names ``actual`` (spaces, case and separators aside)."""
    given = normalize_fingerprint(typed)
    if len(given) != len(actual):
        raise InvalidInput(
            "Et fingeraftryk er otte grupper af fire tegn, 0-9 og A-F, som i velkomstbrevet. "
            "Intet er gemt.",
            "A fingerprint is eight groups of four characters, 0-9 and A-F, as in the welcome "
            "letter. Nothing was saved.",
        )
    if given != actual:
        raise UntrustedKey(
            "Fingeraftrykket passer ikke med boksens rodnøgle. Intet er gemt. Tjek, at det er "
            "skrevet rigtigt af; passer det stadig ikke, så brug ikke boksen, og ring til "
            "koordinatoren: det kan være en anden boks end jeres.",
            "The fingerprint does not match the vault's root key. Nothing was saved. Check "
            "that it was copied correctly; if it still does not match, do not use the vault, "
            "and call the coordinator: it may be another vault than yours.",
        )
