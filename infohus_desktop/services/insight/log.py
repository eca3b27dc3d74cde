"""The log lines of an insight report: every audit entry whose object is one of the person's
cases, opened as the audit group opens them (``services/audit/log.py``).

The object of an entry is sealed in its body, so the whole log is walked, a batch at a time,
and each body opened with its writer's key (one public-key operation per writer, then one
AES-GCM open per entry). An entry that cannot be opened names no case that can be shown and
is left to ``audit verify``, which reports it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.insight import InsightLogLine
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.services.audit.reading import BATCH
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_sealing import AuditReader
from infohus_desktop.vault.members import as_utc, list_member_rows, to_member
from infohus_desktop.vault.schema import AuditEntryRow, OrganisationRow


def log_lines(
    ms: MemberSession,
    session: Session,
    numbers: dict[uuid.UUID, str],
    with_staff_names: bool,
) -> list[InsightLogLine]:
    """The entries about the cases ``numbers`` names (id to case number), oldest first.
    Staff names are decrypted only when asked for: without them, the report holds none."""
    wanted = {str(case_id): number for case_id, number in numbers.items()}
    organisations = dict(session.execute(select(OrganisationRow.id, OrganisationRow.name)).all())
    staff = _staff_names(ms, session) if with_staff_names else {}
    group_id = ms.vault.system_group_id(session, GroupKind.AUDIT)
    reader = AuditReader(
        ms.vault.vault_id,
        lambda s, epoch: ms.keyring.audit_private_key(s, group_id, epoch),
    )
    found: list[InsightLogLine] = []
    for row in audit_chain.entries_in_order(session, BATCH):
        found += _line(session, reader, row, wanted, organisations, staff, with_staff_names)
    return found


def _line(
    session: Session,
    reader: AuditReader,
    row: AuditEntryRow,
    wanted: dict[str, str],
    organisations: dict[uuid.UUID, str],
    staff: dict[uuid.UUID, str],
    with_staff_names: bool,
) -> list[InsightLogLine]:
    if row.session_id is None:  # format 1: the values are the legacy clear columns
        object_id, action, purpose = row.object_id, row.action or "?", row.purpose or "?"
        actor, org = row.actor_id, row.organisation_id
    else:
        try:
            body = reader.open(session, row.session_id, row.id, bytes(row.body or b""))
        except TamperedData:
            return []
        object_id, action, purpose = body.object_id, body.action, body.purpose
        actor, org = body.actor_id, body.organisation_id
    if object_id is None or object_id not in wanted:
        return []
    at = as_utc(datetime.fromisoformat(row.at.replace("Z", "+00:00")))
    return [
        InsightLogLine(
            at=at,
            case_number=wanted[object_id],
            action=action,
            purpose=purpose,
            organisation=organisations.get(org, "?") if org else "?",
            staff=(staff.get(actor, "?") if actor else "?") if with_staff_names else None,
        )
    ]


def _staff_names(ms: MemberSession, session: Session) -> dict[uuid.UUID, str]:
    """Every member, removed ones too (they are in the log), as "Name (login)"."""
    out: dict[uuid.UUID, str] = {}
    for row in list_member_rows(session, include_removed=True):
        member = to_member(session, ms.keyring, row)
        out[member.id] = f"{member.name} ({member.login})"
    return out
