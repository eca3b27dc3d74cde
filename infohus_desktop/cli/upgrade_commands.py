"""``infohus vault upgrade``: a coordinator seals what earlier versions left unsealed."""

from __future__ import annotations

import argparse

from infohus_desktop.cli.io import emit_json, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.audit import Purpose
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
    if args.json:
        emit_json(
            {
                "upgraded": report.upgraded,
                "cases": report.cases,
                "sealed": report.sealed,
                "statistics_records": report.records,
                "listings": report.listings,
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
    elif not report.listings:
        print(
            t(
                "Boksen var allerede opgraderet; filen er skrevet om igen.",
                "The vault was already upgraded; the file was rewritten again.",
            )
        )
    return 0
