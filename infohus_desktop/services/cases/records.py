"""The parts of a case that grow over time: assessments, measures, journal, disclosures."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.assessment import (
    Assessment,
    AssessmentChange,
    AssessmentInput,
    changes_since,
    validate_assessment,
)
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import (
    Disclosure,
    JournalEntry,
    JournalKind,
    LegalBasis,
    Measure,
    MeasureStatus,
    MeasureType,
)
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.services.cases.editing import CaseConflict
from infohus_desktop.services.cases.settings import CaseSettings
from infohus_desktop.services.core import clock
from infohus_desktop.services.core.access import CaseHandle, find_case
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.case_schema import AssessmentRow, DisclosureRow, JournalRow, MeasureRow
from infohus_desktop.vault.codecs.cases import assessment_from_json, assessment_to_json
from infohus_desktop.vault.schema import MemberRow


def _now() -> datetime:
    return clock.now()  # the real time, or the day a demo case's story tells


def _text(value: str, da: str, en: str) -> str:
    if not value.strip():
        raise InvalidInput(da, en)
    return value


@dataclass(frozen=True, slots=True)
class MeasureInput:
    type: MeasureType
    owner: str
    description: str = ""
    start: date | None = None
    end: date | None = None
    status: MeasureStatus = MeasureStatus.PLANNED
    outcome: str = ""


class CaseRecords:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- assessment -------------------------------------------------------------------------

    def assess(self, ref: str, content: AssessmentInput) -> Assessment:
        """Add an assessment; earlier ones stay as history. Nothing is computed from the
        indicators: the level is the assessors' own."""
        with self.ms.transaction() as session:
            validate_assessment(content, CaseSettings(self.ms).indicators(session))
            handle = find_case(self.ms, session, ref, CaseOp.ASSESS)
            row_id, at = uuid.uuid4(), _now()
            session.add(
                AssessmentRow(
                    id=row_id,
                    case_id=handle.row.id,
                    at=at,
                    by_member=self.ms.member.id,
                    level=content.level.value,
                    payload=handle.seal(
                        "case_assessments", "payload", row_id, assessment_to_json(content)
                    ),
                )
            )
            handle.row.updated_at = at
            session.flush()
            self.ms.record(session, "case.assess", handle.row.id, Purpose.CASEWORK)
            return Assessment(row_id, handle.row.id, at, self.ms.member.login, content)

    def assessments(self, ref: str) -> builtins.list[Assessment]:
        """Every assessment of the case, oldest first."""
        with self.ms.uow() as session:
            case_id = find_case(self.ms, session, ref, CaseOp.READ).row.id
        self.ms.audited_read("case.read.assessments", case_id, Purpose.CASEWORK)
        with self.ms.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.READ)
            return read_assessments(self.ms, session, handle)

    def changes_since_previous(self, ref: str) -> builtins.list[AssessmentChange]:
        history = self.assessments(ref)
        if len(history) < 2:
            return []
        return changes_since(history[-2].content, history[-1].content)

    # -- measures ---------------------------------------------------------------------------

    def add_measure(self, ref: str, measure: MeasureInput) -> Measure:
        _text(measure.owner, "Angiv den ansvarlige myndighed.", "Name the owning authority.")
        _check_dates(measure.start, measure.end)
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.MEASURE)
            row_id = uuid.uuid4()
            row = MeasureRow(
                id=row_id,
                case_id=handle.row.id,
                at=_now(),
                by_member=self.ms.member.id,
                type=measure.type.value,
                status=measure.status.value,
                start=measure.start,
                end=measure.end,
                payload=handle.seal("case_measures", "payload", row_id, _measure_payload(measure)),
            )
            session.add(row)
            session.flush()
            self.ms.record(
                session, "case.measure.add", handle.row.id, Purpose.CASEWORK, measure.type.value
            )
            return _to_measure(row, measure)

    def update_measure(
        self, ref: str, measure_id: uuid.UUID, base_version: int, measure: MeasureInput
    ) -> Measure:
        """Replace the measure with ``measure`` (the window's edit: every field is shown)."""
        return self.change_measure(ref, measure_id, base_version, lambda _current: measure)

    def change_measure(
        self,
        ref: str,
        measure_id: uuid.UUID,
        base_version: int,
        change: Callable[[MeasureInput], MeasureInput],
    ) -> Measure:
        """The measure as ``change`` makes it of its saved values, read and written in one
        transaction (the command line's edit, where what is not given stays as it was)."""
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.MEASURE)
            row = session.get(MeasureRow, measure_id)
            if row is None or row.case_id != handle.row.id:
                raise NotFound("Indsatsen findes ikke i sagen.", "No such measure in the case.")
            if row.version != base_version:
                raise CaseConflict(handle.row.number, base_version, row.version, ["measure"])
            handle.open_meta_of(row)  # its values are sealed; a changed copy is refused here
            measure = change(_saved_measure(handle, row))
            _text(measure.owner, "Angiv den ansvarlige myndighed.", "Name the owning authority.")
            _check_dates(measure.start, measure.end)
            row.type, row.status = measure.type.value, measure.status.value
            row.start, row.end = measure.start, measure.end
            row.payload = handle.seal("case_measures", "payload", row.id, _measure_payload(measure))
            session.flush()
            self.ms.record(
                session,
                "case.measure.update",
                handle.row.id,
                Purpose.CASEWORK,
                f"{measure_id} {measure.status.value}",
            )
            return _to_measure(row, measure)

    # -- journal ----------------------------------------------------------------------------

    def add_journal(
        self, ref: str, kind: JournalKind, text: str, corrects: uuid.UUID | None = None
    ) -> JournalEntry:
        """A new journal entry. Entries are never changed: a correction is a new entry that
        points at the one it corrects."""
        _text(text, "Journalnotatet er tomt.", "The journal entry is empty.")
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.JOURNAL)
            if corrects is not None:
                target = session.get(JournalRow, corrects)
                if target is None or target.case_id != handle.row.id:
                    raise NotFound(
                        "Notatet, der rettes, findes ikke i sagen.",
                        "The entry to correct is not in this case.",
                    )
            return self.write_journal(session, handle, kind, text, corrects)

    def write_journal(
        self,
        session: Session,
        handle: CaseHandle,
        kind: JournalKind,
        text: str,
        corrects: uuid.UUID | None = None,
    ) -> JournalEntry:
        """The entry and its audit line inside the caller's transaction (a referral sent
        notes itself in its case's journal); the caller found the case for ``JOURNAL``."""
        row_id, at = uuid.uuid4(), _now()
        session.add(
            JournalRow(
                id=row_id,
                case_id=handle.row.id,
                at=at,
                by_member=self.ms.member.id,
                kind=kind.value,
                corrects=corrects,
                payload=handle.seal("case_journal", "payload", row_id, {"text": text}),
            )
        )
        session.flush()
        self.ms.record(
            session,
            "case.journal",
            handle.row.id,
            Purpose.CASEWORK,
            f"{kind.value} corrects={corrects}" if corrects else kind.value,
        )
        return JournalEntry(row_id, at, self.ms.member.login, kind, text, corrects)

    # -- disclosures ------------------------------------------------------------------------

    def add_disclosure(
        self, ref: str, on: date, from_party: str, to_party: str, what: str, legal_basis: LegalBasis
    ) -> Disclosure:
        """Who gave what to whom, when, under which legal basis (*videregivelse*)."""
        with self.ms.transaction() as session:
            return self.apply_disclosure(session, ref, on, from_party, to_party, what, legal_basis)

    def apply_disclosure(
        self,
        session: Session,
        ref: str,
        on: date,
        from_party: str,
        to_party: str,
        what: str,
        legal_basis: LegalBasis,
    ) -> Disclosure:
        """The disclosure inside the caller's transaction (a handover records it with the
        status change that makes the case read-only, as one fact)."""
        for value in (from_party, to_party, what):
            _text(value, "Udfyld hvem, til hvem og hvad.", "Fill in from, to and what.")
        handle = find_case(self.ms, session, ref, CaseOp.DISCLOSE)
        row_id = uuid.uuid4()
        session.add(
            DisclosureRow(
                id=row_id,
                case_id=handle.row.id,
                at=_now(),
                by_member=self.ms.member.id,
                disclosed_on=on,
                legal_basis=legal_basis.value,
                payload=handle.seal(
                    "case_disclosures",
                    "payload",
                    row_id,
                    {"from": from_party, "to": to_party, "what": what},
                ),
            )
        )
        session.flush()
        self.ms.record(session, "case.disclose", handle.row.id, Purpose.CASEWORK, legal_basis.value)
        return Disclosure(row_id, on, from_party, to_party, what, legal_basis, self.ms.member.login)


def read_assessments(
    ms: MemberSession, session: Session, handle: CaseHandle
) -> builtins.list[Assessment]:
    """The case's assessments, oldest first, opened under its key. The caller has audited
    the read (the insight report reads them under its own entry, with its own purpose)."""
    case_id = handle.row.id
    logins = dict(session.execute(select(MemberRow.id, MemberRow.login)).all())
    indicators = CaseSettings(ms).indicators(session)
    out = []
    for row in session.scalars(
        select(AssessmentRow).where(AssessmentRow.case_id == case_id).order_by(AssessmentRow.at)
    ):
        content = assessment_from_json(handle.open_part(row))
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
        out.append(
            Assessment(row.id, case_id, at, logins.get(row.by_member, "?"), content, indicators)
        )
    return out


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InvalidInput(
            "Slutdatoen ligger før startdatoen.", "The end date is before the start."
        )


def _measure_payload(measure: MeasureInput) -> dict[str, object]:
    return {"owner": measure.owner, "description": measure.description, "outcome": measure.outcome}


def _saved_measure(handle: CaseHandle, row: MeasureRow) -> MeasureInput:
    payload = handle.open("case_measures", "payload", row.id, row.payload)
    return MeasureInput(
        MeasureType(row.type),
        str(payload.get("owner", "")),
        str(payload.get("description", "")),
        row.start,
        row.end,
        MeasureStatus(row.status),
        str(payload.get("outcome", "")),
    )


def _to_measure(row: MeasureRow, measure: MeasureInput) -> Measure:
    return Measure(
        row.id,
        measure.type,
        measure.owner,
        measure.description,
        measure.start,
        measure.end,
        measure.status,
        measure.outcome,
        row.version,
    )
