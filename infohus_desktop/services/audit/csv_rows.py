"""The audit log as CSV rows: the columns a DPO filters and counts on in a spreadsheet, with
times in Danish local time. Action and purpose stay codes (``case.read``, ``sagsbehandling``),
which are what a spreadsheet filter wants; the detail is left out (it may hold a search
criterion a member typed)."""

from __future__ import annotations

import uuid

from infohus_desktop.domain.audit import AuditEntry
from infohus_desktop.domain.danish_time import COPENHAGEN

LOCAL = COPENHAGEN
CSV_HEADERS = (
    "nr",
    "tidspunkt",
    "bruger",
    "organisation",
    "arbejdsstation",
    "handling",
    "objekt",
    "formål",
    "underskrift",
)


def csv_row(entry: AuditEntry, organisations: dict[uuid.UUID, str]) -> list[str]:
    signature = {True: "ok", False: "FEJL", None: "før underskrifter"}[entry.signature_ok]
    return [
        str(entry.seq),
        entry.at.astimezone(LOCAL).strftime("%d.%m.%Y %H:%M:%S"),
        entry.actor_login,
        organisations.get(entry.organisation_id, "") if entry.organisation_id else "",
        entry.workstation,
        entry.action,
        entry.object_id or "",
        entry.purpose,
        signature,
    ]
