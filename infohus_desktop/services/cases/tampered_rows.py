"""What a case list says of a row that does not verify: its clear values as stored, nothing
sealed (a copy that does not open says nothing). Read without the ORM's conversions, which
fail on a row written by SQL around the program (an id that is no UUID, a time that is no
time) and would take the whole list down with the one row."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.retention_schema import TombstoneRow

_TABLE = CaseRow.__table__.c
#: Columns of a case row as stored: what the ORM would make of them may fail on a row
#: changed by SQL (an id that is no UUID, a time that is no time).
AS_STORED = {
    "id": type_coerce(_TABLE.id, String()),
    "number": _TABLE.number,
    "local": type_coerce(_TABLE.local_infohus_id, String()),
    "group": type_coerce(_TABLE.group_id, String()),
    "created": type_coerce(_TABLE.created_at, String()),
}


def created_day(value: object) -> date:
    """The day a case row says it was made, as stored (text on SQLite, a timestamp on
    PostgreSQL); the earliest day for a value that is no time (a row changed by SQL)."""
    if isinstance(value, datetime):
        return value.date()
    try:
        return datetime.fromisoformat(str(value)).date()
    except ValueError:
        return date.min


def tampered_listing(
    case_id: uuid.UUID,
    number: str,
    local_id: uuid.UUID,
    municipality: str,
    group_id: uuid.UUID,
    received: date,
    version: int,
) -> CaseSummary:
    """What a list says of a row that does not verify, from its clear values as stored."""
    return CaseSummary.of(
        key=case_id.int,
        number=number,
        status=CaseStatus.RECEIVED,
        category="",
        local_infohus_id=local_id,
        municipality=municipality,
        group_id=group_id,
        lead_organisation_id=None,
        lead_member_id=None,
        follow_up=None,
        received=received,
        person_name="",
        person_cpr=None,
        version=version,
        tampered=True,
    )


def tampered_summary(row: CaseRow, municipalities: dict[uuid.UUID, str]) -> CaseSummary:
    """The same, from a row the ORM could read."""
    return tampered_listing(
        row.id,
        row.number,
        row.local_infohus_id,
        municipalities.get(row.local_infohus_id, ""),
        row.group_id,
        row.created_at.date(),
        row.version,
    )


_BACK_FROM_DELETION = select(type_coerce(_TABLE.id, String())).join(
    TombstoneRow.__table__, TombstoneRow.__table__.c.id == _TABLE.id
)


def back_from_deletion(session: Session) -> set[str]:
    """The ids (as stored) of case rows whose case was deleted: its signed tombstone is
    there, yet the row is back, put in from a copy taken before the deletion. Its sealed
    copies still verify, since they were valid once, so only the stone gives it away. One
    statement, which finds nothing in a vault nobody changed."""
    return {str(case_id) for case_id in session.connection().execute(_BACK_FROM_DELETION).scalars()}


def listed_as_tampered(summary: CaseSummary) -> CaseSummary:
    """A listed case shown as a row that does not verify, from what the list already holds."""
    return tampered_listing(
        summary.id,
        summary.number,
        summary.local_infohus_id,
        summary.municipality,
        summary.group_id,
        summary.received,
        summary.version,
    )
