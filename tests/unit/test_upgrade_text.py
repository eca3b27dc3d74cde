"""What `vault upgrade` says it did (CLI and window alike): counts in words, the settings
named, 'with your key' only on what a non-root coordinator signed, and English that reads."""

from __future__ import annotations

from infohus_desktop.services.accounts.format_step import FormatStep
from infohus_desktop.services.accounts.upgrade_text import upgrade_summary
from infohus_desktop.services.accounts.vault_upgrade import UpgradeReport


def _said(step: FormatStep | None) -> list[tuple[str, str]]:
    return upgrade_summary(UpgradeReport(False, 0, 0, 0, 0.1, 0, step))


def test_the_root_raises_the_format_and_names_what_was_signed_and_removed() -> None:
    [(da, en)] = _said(FormatStep(2, 1, 4, None, ("case.categories", "referral.form")))
    assert da == (
        "Boksen er nu i format 4: sagskategorierne, indikatorerne og henvisningsformularen "
        "kan ikke ændres uden om programmet. 2 indstillinger fra en tidligere version "
        "(sagskategorierne og henvisningsformularen) er underskrevet; 1 indstilling, som "
        "ingen version kunne læse, er fjernet."
    )
    assert "(the case categories and the referral form) were signed; 1 setting that no " in en
    assert "with your key" not in en


def test_another_coordinator_signs_with_their_key_and_names_the_root() -> None:
    [(da, en)] = _said(FormatStep(1, 1, 3, "lars", ("case.indicators",)))
    assert da.startswith(
        "1 indstilling fra en tidligere version (indikatorerne) er underskrevet med din "
        "nøgle; 1 indstilling, som ingen version kunne læse, er fjernet. Formatet hæves "
        "først, når rodkoordinatoren (lars) opgraderer boksen"
    )
    assert en.startswith("1 setting from an earlier version (the indicators) was signed with")
    [(nothing, _)] = _said(FormatStep(0, 0, 3, "lars"))
    assert nothing.startswith("Der var ingen indstillinger at underskrive.")


def test_a_run_with_nothing_to_do_says_so() -> None:
    assert _said(None) == [
        (
            "Boksen var allerede opgraderet; filen er skrevet om igen.",
            "The vault was already upgraded; the file was rewritten again.",
        )
    ]
