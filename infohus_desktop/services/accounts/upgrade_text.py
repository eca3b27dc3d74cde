"""What ``vault upgrade`` did, in Danish and English: the same sentences on the command line
and in the window's confirmation, so that a coordinator reads one account of it."""

from __future__ import annotations

from infohus_desktop.services.accounts.format_step import REMOVED, FormatStep, PendingStep
from infohus_desktop.services.accounts.vault_upgrade import UpgradeReport

Text = tuple[str, str]

#: The vocabulary settings by key, as a sentence names them.
SETTING_WORDS = {
    "case.categories": ("sagskategorierne", "the case categories"),
    "case.indicators": ("indikatorerne", "the indicators"),
    "referral.form": ("henvisningsformularen", "the referral form"),
}


def joined(words: list[str], and_word: str) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {and_word} {words[-1]}"


def _settings(n: int) -> Text:
    """A count of settings, which also starts its sentence (a digit needs no capital)."""
    return (
        f"{n} {'indstilling' if n == 1 else 'indstillinger'}",
        f"{n} {'setting' if n == 1 else 'settings'}",
    )


def _step_text(step: FormatStep) -> Text:
    signed_da, signed_en = _settings(step.signed)
    removed_da, removed_en = _settings(step.removed)
    done_da, done_en = [], []
    if step.signed:
        named = [SETTING_WORDS.get(key, (key, key)) for key in step.keys]
        which_da = joined([da for da, _en in named], "og")
        which_en = joined([en for _da, en in named], "and")
        # Another coordinator's run signs with their own key; the root's raises the format.
        mine_da, mine_en = (" med din nøgle", " with your key") if step.root_login else ("", "")
        done_da.append(
            f"{signed_da} fra en tidligere version ({which_da}) er underskrevet{mine_da}"
        )
        were = "was" if step.signed == 1 else "were"
        done_en.append(f"{signed_en} from an earlier version ({which_en}) {were} signed{mine_en}")
    if step.removed:
        done_da.append(f"{removed_da}, som ingen version kunne læse, er fjernet")
        were = "was" if step.removed == 1 else "were"
        done_en.append(f"{removed_en} that no version could read {were} removed")
    if step.root_login is None:
        da = (
            f"Boksen er nu i format {step.format}: sagskategorierne, indikatorerne og "
            "henvisningsformularen kan ikke ændres uden om programmet."
        )
        en = (
            f"The vault is now in format {step.format}: the case categories, indicators and "
            "referral form cannot be changed outside the program."
        )
        if done_da:
            da += f" {'; '.join(done_da)}."
            en += f" {'; '.join(done_en)}."
        return da, en
    da = f"{'; '.join(done_da)}." if done_da else "Der var ingen indstillinger at underskrive."
    en = f"{'; '.join(done_en)}." if done_en else "There were no settings to sign."
    return (
        f"{da} Formatet hæves først, når rodkoordinatoren ({step.root_login}) opgraderer "
        "boksen; indtil da kan en indstilling uden underskrift stadig skrives i databasen uden "
        "om programmet.",
        f"{en} The format is raised only when the root coordinator ({step.root_login}) "
        "upgrades the vault; until then a setting without a signature can still be written "
        "into the database outside the program.",
    )


def upgrade_summary(report: UpgradeReport) -> list[Text]:
    """One (Danish, English) sentence per thing the upgrade did, in the order it did them."""
    lines: list[Text] = []
    if report.upgraded:
        lines.append(
            (
                f"Boksen er opgraderet: {report.cases} sager har nu deres status, kategori, "
                f"kilde, datoer og ansvarlige kun i den forseglede kopi ({report.sealed} fik "
                f"en kopi, {report.records} statistikkoder skrevet). Filen er skrevet om, så "
                "de gamle værdier ikke findes i den. Skrevet i revisionsloggen.",
                f"The vault is upgraded: {report.cases} cases keep their status, category, "
                f"source, dates and lead only in the sealed copy ({report.sealed} got a copy, "
                f"{report.records} statistics records written). The file was rewritten so the "
                "old values are not in it. Recorded in the audit log.",
            )
        )
    if n := report.listings:
        lines.append(
            (
                f"{n} {'sag har' if n == 1 else 'sager har'} fået en ny forseglet kopi med "
                "personens navn og CPR-nummer. Skrevet i revisionsloggen.",
                f"{n} {'case' if n == 1 else 'cases'} got a new sealed copy with the person's "
                "name and CPR number. Recorded in the audit log.",
            )
        )
    if report.step is not None:
        lines.append(_step_text(report.step))
    if not lines:
        lines.append(
            (
                "Boksen var allerede opgraderet; filen er skrevet om igen.",
                "The vault was already upgraded; the file was rewritten again.",
            )
        )
    return lines


__all__ = ["upgrade_summary"]


def shown_values(step: PendingStep) -> Text:
    """The unsigned values as they would be signed, each under its name with its digest
    (the window's question shows this under its details, ``vault upgrade --show`` prints
    it): vocabulary only; a value no version could read is named as removed."""
    parts_da, parts_en = [], []
    for value in step.values:
        da, en = SETTING_WORDS.get(value.key, (value.key, value.key))
        if value.digest == REMOVED:
            parts_da.append(f"{da.capitalize()}: kan ikke læses af nogen version og fjernes.")
            parts_en.append(f"{en.capitalize()}: no version can read it, and it is removed.")
        else:
            parts_da.append(f"{da.capitalize()} (sha256:{value.digest}):\n{value.text}")
            parts_en.append(f"{en.capitalize()} (sha256:{value.digest}):\n{value.text}")
    return "\n\n".join(parts_da), "\n\n".join(parts_en)
