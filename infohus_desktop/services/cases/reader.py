"""Assembling a whole case from its rows (decrypting each part under the case key)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

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

P = TypeVar("P")


def utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Logins:
    """Member ids to logins, looked up once per read."""

    def __init__(self, session: Session) -> None:
        self._map = dict(session.execute(select(MemberRow.id, MemberRow.login)).all())

    def __call__(self, member_id: uuid.UUID) -> str:
        return self._map.get(member_id, "?")


def read_case(session: Session, handle: CaseHandle, summary: CaseSummary) -> Case:
    case_id = handle.row.id
    login = Logins(session)

    def payload(_table: str, row: Any) -> dict[str, Any]:
        return handle.open_part(row)

    def rows(model: type[P], order: Callable[[P], Any] | None = None) -> list[P]:
        """The case's parts of one kind, opened, oldest first (or by a sealed date)."""
        opened = handle.parts(session, model)
        return sorted(opened, key=order) if order is not None else opened

    details = handle.open_case("details")
    history = []
    for r in rows(StatusChangeRow):
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
    for screening in rows(ScreeningRow):
        p = payload("case_screenings", screening)
        screenings.append(
            Screening(
                screening.id,
                utc(screening.at),
                login(screening.by_member),
                ScreeningOutcome(screening.outcome),
                str(p["reason"]),
                str(p.get("legal_reference", "")),
            )
        )
    information = []
    for request in rows(InformationRow, lambda r: r.asked):
        p = payload("case_information", request)
        information.append(
            InformationRequest(
                request.id,
                str(p["authority"]),
                request.asked,
                str(p["answer"]),
                LegalBasis(request.legal_basis),
                login(request.by_member),
            )
        )
    measures = []
    for measure in rows(MeasureRow):
        p = payload("case_measures", measure)
        measures.append(
            Measure(
                measure.id,
                MeasureType(measure.type),
                str(p["owner"]),
                str(p.get("description", "")),
                measure.start,
                measure.end,
                MeasureStatus(measure.status),
                str(p.get("outcome", "")),
                measure.version,
            )
        )
    journal = []
    for entry in rows(JournalRow):
        journal.append(
            JournalEntry(
                entry.id,
                utc(entry.at),
                login(entry.by_member),
                JournalKind(entry.kind),
                str(payload("case_journal", entry)["text"]),
                entry.corrects,
            )
        )
    disclosures = []
    for disclosure in rows(DisclosureRow, lambda r: r.disclosed_on):
        p = payload("case_disclosures", disclosure)
        disclosures.append(
            Disclosure(
                disclosure.id,
                disclosure.disclosed_on,
                str(p["from"]),
                str(p["to"]),
                str(p["what"]),
                LegalBasis(disclosure.legal_basis),
                login(disclosure.by_member),
            )
        )
    attachments = []
    for attachment in rows(AttachmentRow):
        p = payload("case_attachments", attachment)
        attachments.append(
            AttachmentInfo(
                attachment.id,
                str(p["filename"]),
                str(p["media_type"]),
                attachment.size,
                utc(attachment.at),
                login(attachment.by_member),
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
