"""``infohus vault info`` as a person reads it: labelled lines in the user's language, each
state said in words with what to do about it. ``--json`` keeps the keys and values scripts
read (commands.vault_info); this is only the text beside it."""

from __future__ import annotations

from dataclasses import dataclass

from infohus_desktop.cli.io import t
from infohus_desktop.services.accounts.unlock_guard import MENDED_BY, GuardState, GuardStatus
from infohus_desktop.services.core.signed_settings import SIGNED_SETTINGS_FORMAT


@dataclass(frozen=True, slots=True)
class VaultFacts:
    """What ``vault info`` found, before it is put into words."""

    vault_id: str
    infohus: str
    location: str
    root_fingerprint: str
    #: The root fingerprint this workstation trusts for the vault ("" if none yet).
    pinned_fingerprint: str
    guard: GuardStatus
    upgrade_due: bool
    format: int
    format_due: bool


def vault_info_lines(facts: VaultFacts) -> list[str]:
    """The lines, labels aligned: ``Rodnøgle:        AA84 …`` and its trust under it."""
    rows = [
        ("Infohus", "Infohus", facts.infohus),
        ("Boksens id", "Vault id", facts.vault_id),
        ("Placering", "Location", facts.location),
        ("Rodnøgle", "Root key", facts.root_fingerprint),
        ("", "", _trust(facts)),
        ("Beskyttelse mod gætteforsøg", "Protection against guessing", _guard(facts.guard)),
        ("Skema", "Schema", _schema(facts.upgrade_due)),
        ("Format", "Format", _format(facts.format, facts.format_due)),
    ]
    labelled = [(f"{t(da, en)}:" if da else "", value) for da, en, value in rows]
    width = max(len(label) for label, _value in labelled)
    return [f"{label:<{width}}  {value}" for label, value in labelled]


def _trust(facts: VaultFacts) -> str:
    if facts.pinned_fingerprint == facts.root_fingerprint:
        return t("betroet på denne arbejdsstation", "trusted on this workstation")
    if facts.pinned_fingerprint:
        return t(
            f"ADVARSEL: denne arbejdsstation betror en anden rodnøgle ({facts.pinned_fingerprint})."
            " Lås ikke op, før koordinatoren har forklaret det.",
            f"WARNING: this workstation trusts another root key ({facts.pinned_fingerprint})."
            " Do not unlock until the coordinator has explained it.",
        )
    return t(
        "ikke betroet her endnu: sammenlign fingeraftrykket med koordinatorens og kør "
        "'infohus vault trust --fingerprint \"...\"'",
        "not trusted here yet: compare the fingerprint with the coordinator's and run "
        "'infohus vault trust --fingerprint \"...\"'",
    )


def _guard(guard: GuardStatus) -> str:
    if guard.state is GuardState.NOT_APPLICABLE:
        return t(
            "ikke relevant for en fil (programmet venter selv efter forkerte adgangsfraser)",
            "not applicable to a file (the program itself waits after wrong passphrases)",
        )
    if guard.state is GuardState.ACTIVE:
        return t(
            "aktiv: serveren tæller forkerte adgangsfraser",
            "active: the server counts wrong passphrases",
        )
    if guard.state is GuardState.ABSENT:
        return t(
            f"mangler: serveradministratoren installerer den med '{MENDED_BY}'",
            f"missing: the server administrator installs it with '{MENDED_BY}'",
        )
    return t(
        f"installeret, men den kan omgås ({guard.reason_da}): serveradministratoren må rette det",
        f"installed, but it can be bypassed ({guard.reason}): the server administrator must "
        "put it right",
    )


def _schema(upgrade_due: bool) -> str:
    if upgrade_due:
        return t(
            "skal opgraderes: en koordinator kører 'infohus vault upgrade'",
            "needs an upgrade: a coordinator runs 'infohus vault upgrade'",
        )
    return t("opdateret", "up to date")


def _format(number: int, due: bool) -> str:
    if due:
        return t(
            f"{number}: rodkoordinatorens 'infohus vault upgrade' underskriver indstillingerne "
            f"og hæver det til {SIGNED_SETTINGS_FORMAT}",
            f"{number}: the root coordinator's 'infohus vault upgrade' signs the settings and "
            f"raises it to {SIGNED_SETTINGS_FORMAT}",
        )
    return str(number)
