"""Assembling a whole case from its rows (decrypting each part under the case key)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.cases import (
    AttachmentInfo,
    Case,
    CaseSummary,
    Disclosure,
    InformationRequest,
    JournalEntry,
    JournalKind,
    LegalBasis,
    Measure,
    MeasureStatus,
    MeasureType,
    RetentionClass,
    Screening,
    ScreeningOutcome,
    StatusChange,
)
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.core.access import CaseHandle
from infohus_desktop.vault.case_schema import (
    AssessmentRow,
    AttachmentRow,
    DisclosureRow,
    InformationRow,
    JournalRow,
    MeasureRow,
    ScreeningRow,
    StatusChangeRow,
)
from infohus_desktop.vault.codecs.cases import intake_from_json, person_from_json
from infohus_desktop.vault.schema import MemberRow


def utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Logins:
    """Member ids to logins, looked up once per read."""

    def __init__(self, session: Session) -> None:
        self._map = dict(session.execute(select(MemberRow.id, MemberRow.login)).all())

    def __call__(self, member_id: uuid.UUID) -> str:
        return self._map.get(member_id, "?")


def _rows(session: Session, model: Any, case_id: uuid.UUID, order: Any) -> list[Any]:
    return list(session.scalars(select(model).where(model.case_id == case_id).order_by(order)))


def read_case(session: Session, handle: CaseHandle, summary: CaseSummary) -> Case:
    case_id = handle.row.id
    login = Logins(session)

    def payload(_table: str, row: Any) -> dict[str, Any]:
        return handle.open_part(row)

    details = handle.open_case("details")
    history = []
    for r in _rows(session, StatusChangeRow, case_id, StatusChangeRow.at):
        history.append(
            StatusChange(
                utc(r.at),
                login(r.by_member),
                CaseStatus(r.old_status) if r.old_status else None,
                CaseStatus(r.new_status),
                str(payload("case_status_changes", r)["reason"]),
                ClosingReason(r.closing_reason) if r.closing_reason else None,
            )
        )
    screenings = []
    for r in _rows(session, ScreeningRow, case_id, ScreeningRow.at):
        p = payload("case_screenings", r)
        screenings.append(
            Screening(
                r.id,
                utc(r.at),
                login(r.by_member),
                ScreeningOutcome(r.outcome),
                str(p["reason"]),
                str(p.get("legal_reference", "")),
            )
        )
    information = []
    for r in _rows(session, InformationRow, case_id, InformationRow.asked):
        p = payload("case_information", r)
        information.append(
            InformationRequest(
                r.id,
                str(p["authority"]),
                r.asked,
                str(p["answer"]),
                LegalBasis(r.legal_basis),
                login(r.by_member),
            )
        )
    measures = []
    for r in _rows(session, MeasureRow, case_id, MeasureRow.at):
        p = payload("case_measures", r)
        measures.append(
            Measure(
                r.id,
                MeasureType(r.type),
                str(p["owner"]),
                str(p.get("description", "")),
                r.start,
                r.end,
                MeasureStatus(r.status),
                str(p.get("outcome", "")),
                r.version,
            )
        )
    journal = []
    for r in _rows(session, JournalRow, case_id, JournalRow.at):
        journal.append(
            JournalEntry(
                r.id,
                utc(r.at),
                login(r.by_member),
                JournalKind(r.kind),
                str(payload("case_journal", r)["text"]),
                r.corrects,
            )
        )
    disclosures = []
    for r in _rows(session, DisclosureRow, case_id, DisclosureRow.disclosed_on):
        p = payload("case_disclosures", r)
        disclosures.append(
            Disclosure(
                r.id,
                r.disclosed_on,
                str(p["from"]),
                str(p["to"]),
                str(p["what"]),
                LegalBasis(r.legal_basis),
                login(r.by_member),
            )
        )
    attachments = []
    for r in _rows(session, AttachmentRow, case_id, AttachmentRow.at):
        p = payload("case_attachments", r)
        attachments.append(
            AttachmentInfo(
                r.id,
                str(p["filename"]),
                str(p["media_type"]),
                r.size,
                utc(r.at),
                login(r.by_member),
            )
        )
    assessments = tuple(
        session.scalars(
            select(AssessmentRow.id)
            .where(AssessmentRow.case_id == case_id)
            .order_by(AssessmentRow.at)
        )
    )
    return Case(
        summary=summary,
        person=person_from_json(handle.open_case("person")),
        intake=intake_from_json(handle.open_case("intake")),
        title=str(details.get("title", "")),
        participating_organisations=tuple(str(p) for p in details.get("participants", [])),
        retention=RetentionClass(handle.row.retention),
        closing_reason=(
            ClosingReason(handle.row.closing_reason) if handle.row.closing_reason else None
        ),
        history=tuple(history),
        screenings=tuple(screenings),
        information=tuple(information),
        measures=tuple(measures),
        journal=tuple(journal),
        disclosures=tuple(disclosures),
        attachments=tuple(attachments),
        assessment_ids=assessments,
    )
