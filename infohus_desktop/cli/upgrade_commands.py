"""``infohus vault upgrade``: a coordinator seals what earlier versions left unsealed and
signs the settings they left unsigned (format 4)."""

from __future__ import annotations

import argparse

from infohus_desktop.cli.io import emit_json, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.services.accounts.upgrade_text import upgrade_summary
from infohus_desktop.services.accounts.vault_upgrade import upgrade_due, upgrade_vault


def vault_upgrade(args: argparse.Namespace) -> int:
    """A coordinator upgrades the vault: the describing clear columns sealed away (issue 20),
    the cases' copies from before the listing sealed anew with it (issue 17), and the
    vocabulary signed, the format raised to 4 when the root runs it (format_step.py)."""
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
