"""``infohus vault upgrade``: a coordinator seals what earlier versions left unsealed and
signs the settings they left unsigned (format 4)."""

from __future__ import annotations

import argparse
import re
from typing import Any

from infohus_desktop.cli.io import emit_json, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import AccessDenied, InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.format_step import REMOVED, PendingStep, pending_step
from infohus_desktop.services.accounts.upgrade_text import shown_values, upgrade_summary
from infohus_desktop.services.accounts.vault_upgrade import upgrade_due, upgrade_vault
from infohus_desktop.services.core.signed_settings import SIGNED_SETTINGS_FORMAT


def vault_upgrade(args: argparse.Namespace) -> int:
    """A coordinator upgrades the vault: the describing clear columns sealed away (issue 20),
    the cases' copies from before the listing sealed anew with it (issue 17), and the
    vocabulary signed, the format raised to 4 when the root runs it (format_step.py).

    ``--show`` prints the unsigned values the step would sign and changes nothing;
    ``--expect-setting KEY=DIGEST`` (each one shown) signs them only if they are still
    those values, as the window's question does."""
    if args.show:
        return _show(args)
    if args.expect_setting and args.expect_no_settings:
        raise InvalidInput(
            "Angiv --expect-setting eller --expect-no-settings, ikke begge.",
            "Give --expect-setting or --expect-no-settings, not both.",
        )
    shown = (
        _expected(args.expect_setting)
        if args.expect_setting
        else ({} if args.expect_no_settings else None)
    )
    with unlocked(args) as session:
        if not upgrade_due(session):
            # The list (audited) finds the copies without their listing; after a schema
            # upgrade the window's next list finds them, and the next upgrade seals them.
            session.cases.list(purpose=Purpose.ADMINISTRATION)
        report = upgrade_vault(session, shown=shown)
    step = report.step
    if args.json:
        emit_json(
            {
                "upgraded": report.upgraded,
                "cases": report.cases,
                "sealed": report.sealed,
                "statistics_records": report.records,
                "listings": report.listings,
                "format": step.format if step else session.vault.format_version,
                "settings_signed": step.signed if step else 0,
                "settings_removed": step.removed if step else 0,
                "format_waits_for": step.root_login if step else None,
                "seconds": round(report.seconds, 3),
            }
        )
        return 0
    for da, en in upgrade_summary(report):
        print(t(da, en))
    return 0


def _show(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        if session.member.role is not Role.COORDINATOR:
            raise AccessDenied(
                "Kun en koordinator kan opgradere boksen.",
                "Only a coordinator can upgrade the vault.",
            )
        step = pending_step(session)
        format_now = session.vault.format_version
    values = step.values if step is not None else ()
    if args.json:
        emit_json(
            {
                "format": format_now,
                "format_waits_for": step.root_login if step is not None else None,
                "settings": [
                    {
                        "key": v.key,
                        "digest": v.digest if v.digest == REMOVED else f"sha256:{v.digest}",
                        "value": v.value,
                    }
                    for v in values
                ],
            }
        )
        return 0
    if format_now >= SIGNED_SETTINGS_FORMAT:
        print(
            t(
                f"Boksen er i format {format_now}: dens indstillinger er underskrevet, og der "
                "er intet at underskrive.",
                f"The vault is in format {format_now}: its settings are signed, and there is "
                "nothing to sign.",
            )
        )
        return 0
    if step is None or not values:
        print(
            t(
                "Der er ingen indstillinger fra en tidligere version at underskrive. Opgradér "
                "uden at underskrive noget, der ikke er vist (intet, hvis en dukker op imens):"
                "\n  infohus vault upgrade --expect-no-settings",
                "There are no settings from an earlier version to sign. Upgrade without "
                "signing anything not shown (nothing, if one turns up meanwhile):"
                "\n  infohus vault upgrade --expect-no-settings",
            )
        )
        return 0
    print(
        t(
            "Opgraderingen underskriver disse indstillinger fra en tidligere version med din "
            "nøgle, som de står her:",
            "The upgrade signs these settings from an earlier version with your key, as they "
            "stand here:",
        )
    )
    print()
    print(t(*shown_values(step)))
    print()
    expect = " ".join(f"--expect-setting {key}={digest}" for key, digest in _flags(step))
    print(
        t(
            f"Underskriv præcis dette (intet, hvis en af dem er ændret imens):\n"
            f"  infohus vault upgrade {expect}",
            f"Sign exactly this (nothing, if one of them changes meanwhile):\n"
            f"  infohus vault upgrade {expect}",
        )
    )
    return 0


def _flags(step: PendingStep) -> list[tuple[str, str]]:
    return [(v.key, v.digest if v.digest == REMOVED else f"sha256:{v.digest}") for v in step.values]


#: What ``--show`` prints after the key: all of SHA-256, or ``removed``.
_DIGEST = re.compile(r"sha256:([0-9a-f]{64})|(removed)")


def _expected(pairs: list[str]) -> dict[str, str]:
    """``KEY=sha256:DIGEST`` (or ``KEY=removed``) as ``--show`` prints them, each key once."""
    expected: dict[str, str] = {}
    for pair in pairs:
        key, _sep, digest = (part.strip() for part in pair.partition("="))
        found = _DIGEST.fullmatch(digest.lower())
        if not key or found is None:
            raise InvalidInput(
                "--expect-setting skal have formen NØGLE=sha256:<64 hex-cifre> eller "
                f"NØGLE=removed, som 'vault upgrade --show' skriver den, ikke '{pair}'.",
                "--expect-setting takes KEY=sha256:<64 hex digits> or KEY=removed, as "
                f"'vault upgrade --show' prints it, not '{pair}'.",
            )
        if key in expected:
            raise InvalidInput(
                f"--expect-setting nævner {key} mere end én gang.",
                f"--expect-setting names {key} more than once.",
            )
        expected[key] = found.group(1) or REMOVED
    return expected


def add_upgrade_parser(vault: Any, both: list[argparse.ArgumentParser]) -> None:
    """``vault upgrade`` and its options (under ``vault``'s subcommands)."""
    upgrade = vault.add_parser(
        "upgrade",
        parents=both,
        help=t(
            "forsegl det, som ældre versioner gemte i klartekst eller uden navn og CPR-nummer, "
            "underskriv de indstillinger, de gemte uden underskrift (rodkoordinatoren hæver "
            "så formatet til 4), og skriv filen om (koordinator)",
            "seal what earlier versions kept in clear columns or without name and CPR number, "
            "sign the settings they kept unsigned (the root coordinator then raises the format "
            "to 4), and rewrite the file (coordinator)",
        ),
    )
    upgrade.add_argument(
        "--show",
        action="store_true",
        help=t(
            "vis de indstillinger, opgraderingen ville underskrive, og ændr intet",
            "show the settings the upgrade would sign, and change nothing",
        ),
    )
    upgrade.add_argument(
        "--expect-setting",
        action="append",
        metavar="KEY=DIGEST",
        help=t(
            "underskriv kun, hvis indstillingen stadig er den, --show viste (gentag for hver)",
            "sign only if the setting is still the one --show showed (repeat for each)",
        ),
    )
    upgrade.add_argument(
        "--expect-no-settings",
        action="store_true",
        help=t(
            "underskriv ingen indstillinger: afvis, hvis der er nogen uden underskrift",
            "sign no settings: refuse if there are any without a signature",
        ),
    )
    upgrade.set_defaults(handler=vault_upgrade)
