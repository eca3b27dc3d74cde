"""``infohus vault upgrade``: a coordinator seals what earlier versions left unsealed."""

from __future__ import annotations

import argparse

from infohus_desktop.cli.io import emit_json, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.services.accounts.format_step import FormatStep
from infohus_desktop.services.accounts.vault_upgrade import upgrade_due, upgrade_vault


def vault_upgrade(args: argparse.Namespace) -> int:
    """A coordinator upgrades the vault: the describing clear columns sealed away (issue 20),
    and the cases' copies from before the listing sealed anew with it (issue 17)."""
    with unlocked(args) as session:
        if not upgrade_due(session):
            # The list (audited) finds the copies without their listing; after a schema
            # upgrade the window's next list finds them, and the next upgrade seals them.
            session.cases.list(purpose=Purpose.ADMINISTRATION)
        report = upgrade_vault(session)
    step = report.step
    if args.json:
        emit_json(
            {
                "upgraded": report.upgraded,
                "cases": report.cases,
                "sealed": report.sealed,
                "statistics_records": report.records,
                "listings": report.listings,
                "format": step.format if step else None,
                "settings_signed": step.signed if step else 0,
                "format_waits_for": step.root_login if step else None,
                "seconds": round(report.seconds, 3),
            }
        )
        return 0
    if n := report.listings:
        print(
            t(
                f"{n} {'sag har' if n == 1 else 'sager har'} fået en ny forseglet kopi med "
                "personens navn og CPR-nummer. Skrevet i revisionsloggen.",
                f"{n} {'case' if n == 1 else 'cases'} got a new sealed copy with the person's "
                "name and CPR number. Recorded in the audit log.",
            )
        )
    if report.upgraded:
        print(
            t(
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
    if step is not None:
        _say_format_step(step)
    if not (report.upgraded or report.listings or step):
        print(
            t(
                "Boksen var allerede opgraderet; filen er skrevet om igen.",
                "The vault was already upgraded; the file was rewritten again.",
            )
        )
    return 0


def _say_format_step(step: FormatStep) -> None:
    if step.root_login is None:
        print(
            t(
                f"Boksen er nu i format {step.format}: sagskategorierne, indikatorerne og "
                "henvisningsformularen kan ikke ændres uden om programmet"
                + (f" ({step.signed} underskrevet nu)." if step.signed else "."),
                f"The vault is now in format {step.format}: the case categories, indicators "
                "and referral form cannot be changed outside the program"
                + (f" ({step.signed} signed now)." if step.signed else "."),
            )
        )
        return
    print(
        t(
            f"{step.signed} af boksens indstillinger er underskrevet. Formatet hæves først, "
            f"når rodkoordinatoren ({step.root_login}) kører 'infohus vault upgrade'; indtil "
            "da kan en indstilling uden underskrift stadig skrives i databasen uden om "
            "programmet.",
            f"{step.signed} of the vault's settings were signed. The format is raised only "
            f"when the root coordinator ({step.root_login}) runs 'infohus vault upgrade'; "
            "until then a setting without a signature can still be written into the "
            "database outside the program.",
        )
    )
