"""The log lines of an insight report: every audit entry whose object is one of the person's
cases, as the audit group reads them (``services/audit/reading.py``).

The object of an entry is sealed in its body, so the log is searched through the session's
audit index (``services/audit/index.py``): the first report after an unlock opens every
entry once, later reports and the DPO's filters reuse it. An entry that cannot be opened
names no case and is left to ``audit verify``, which reports it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import AuditFilter
from infohus_desktop.domain.insight import InsightLogLine
from infohus_desktop.services.audit.reading import LogReading
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.members import as_utc, list_member_rows, to_member
from infohus_desktop.vault.schema import OrganisationRow


def log_lines(
    ms: MemberSession, numbers: dict[uuid.UUID, str], with_staff_names: bool
) -> list[InsightLogLine]:
    """The entries about the cases ``numbers`` names (id to case number), oldest first.
    Staff names are decrypted only when asked for: without them, the report holds none.
    Called outside any unit of work (the search opens its own, a batch at a time)."""
    wanted = {str(case_id): number for case_id, number in numbers.items()}
    with ms.uow() as session:
        organisations = dict(
            session.execute(select(OrganisationRow.id, OrganisationRow.name)).all()
        )
        staff = _staff_names(ms, session) if with_staff_names else {}
    found = [
        InsightLogLine(
            at=as_utc(entry.at),
            case_number=wanted[entry.object_id],
            action=entry.action,
            purpose=entry.purpose,
            organisation=organisations.get(entry.organisation_id, "?")
            if entry.organisation_id
            else "?",
            staff=(staff.get(entry.actor_id, "?") if entry.actor_id else "?")
            if with_staff_names
            else None,
        )
        for entry in LogReading(ms, signatures=False).matching(
            AuditFilter(object_ids=frozenset(wanted))
        )
        if entry.object_id in wanted
    ]
    found.reverse()  # the search goes newest first; the report reads oldest first
    return found


def _staff_names(ms: MemberSession, session: Session) -> dict[uuid.UUID, str]:
    """Every member, removed ones too (they are in the log), as "Name (login)"."""
    out: dict[uuid.UUID, str] = {}
    for row in list_member_rows(session, include_removed=True):
        member = to_member(session, ms.keyring, row)
        out[member.id] = f"{member.name} ({member.login})"
    return out
