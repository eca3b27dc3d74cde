"""Editing a case with conflict detection.

:class:`CaseEditing` adds :meth:`~CaseEditing.edit` to ``session.cases``. Every save names the
version the user saw; if someone saved since, nothing is written and :class:`CaseConflict`
names the fields that differ (only names: values never go into an exception), so the UI can
let the user choose per field. :func:`editable_values`, :func:`differing_fields` and
:data:`EDIT_FIELDS` are the shared vocabulary of that comparison (the merge and conflict
dialogs use them too). :class:`CaseConflict` is also what a stale status change or record
save raises.
"""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import Case, CaseSummary, Intake, Person, RetentionClass
from infohus_desktop.domain.errors import Conflict, InvalidInput, NotFound
from infohus_desktop.domain.labels import CASE_FIELD_LABELS
from infohus_desktop.domain.retention import class_shortens
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.cases import summary_index
from infohus_desktop.services.cases.index import CaseIndex, checked_intake, checked_person
from infohus_desktop.services.cases.reader import read_case
from infohus_desktop.services.core import clock
from infohus_desktop.services.core.access import CaseHandle, find_case
from infohus_desktop.services.core.session import audit_span
from infohus_desktop.services.retention.approval import (
    Approval,
    ClassApprovalNeeded,
    prove_approver,
)
from infohus_desktop.services.retention.rules import RetentionRulesService
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import (
    intake_to_json,
    person_to_json,
)
from infohus_desktop.vault.members import resolve_organisation
from infohus_desktop.vault.schema import MemberRow


@dataclass(frozen=True, slots=True)
class CaseEdit:
    """Fields to change; ``None`` leaves a field as it is."""

    person: Person | None = None
    intake: Intake | None = None
    title: str | None = None
    category: str | None = None
    follow_up: date | None = None
    clear_follow_up: bool = False
    lead_organisation_id: uuid.UUID | None = None
    lead_member_id: uuid.UUID | None = None
    participating_organisations: tuple[str, ...] | None = None
    retention: RetentionClass | None = None
    changed_fields: frozenset[str] = field(default=frozenset())


class CaseConflict(Conflict):
    """A save against a stale version. ``fields`` are the fields this save wanted to change."""

    def __init__(self, number: str, base: int, current: int, fields: builtins.list[str]) -> None:
        self.number, self.base_version, self.current_version = number, base, current
        self.fields = fields
        named = [CASE_FIELD_LABELS.get(name, (name, name)) for name in fields]
        names_da = ", ".join(_in_sentence(da) for da, _en in named) or "-"
        names_en = ", ".join(_in_sentence(en) for _da, en in named) or "-"
        # The window shows both versions side by side (dialogs/cases/conflict.py); this is
        # what the command line, and the window's error box otherwise, say.
        super().__init__(
            f"{number} er ændret af en anden (version {base} → {current}), mens du arbejdede. "
            f"Intet er gemt. Det gælder: {names_da}. Hent sagen igen, og ret det, der stadig "
            "skal rettes.",
            f"{number} was changed by someone else (version {base} → {current}) while you "
            f"worked. Nothing was saved. It concerns: {names_en}. Fetch the case again, and "
            "change what still needs changing.",
        )


def _in_sentence(label: str) -> str:
    """A label inside a sentence: 'Opfølgningsdato' → 'opfølgningsdato', but 'CPR-nummer'
    and 'CPR number' keep their capitals (an abbreviation is written so anywhere)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def editable_values(case: Case) -> dict[str, object]:
    """The fields of a case a user edits, by the names :class:`CaseEdit` uses."""
    return {
        "person": case.person,
        "intake": case.intake,
        "title": case.title,
        "category": case.summary.category,
        "follow_up": case.summary.follow_up,
        "lead_organisation_id": case.summary.lead_organisation_id,
        "lead_member_id": case.summary.lead_member_id,
        "participating_organisations": case.participating_organisations,
        "retention": case.retention,
        "status": case.summary.status,
    }


def differing_fields(a: Case, b: Case) -> builtins.list[str]:
    """The names of the editable fields (:func:`editable_values`) in which two versions of a
    case differ."""
    left, right = editable_values(a), editable_values(b)
    return sorted(name for name in left if left[name] != right[name])


#: The fields of :class:`CaseEdit` a user changes (the status has its own operation).
EDIT_FIELDS = (
    "person",
    "intake",
    "title",
    "category",
    "follow_up",
    "lead_organisation_id",
    "lead_member_id",
    "participating_organisations",
    "retention",
)


def _edited_fields(edit: CaseEdit) -> set[str]:
    names = {name for name in EDIT_FIELDS if getattr(edit, name) is not None}
    if edit.clear_follow_up:
        names.add("follow_up")
    return names | set(edit.changed_fields)


def _now() -> datetime:
    return clock.now()  # the real time, or the day a demo case's story tells


class CaseEditing(CaseIndex):
    """``session.cases.edit`` and the look-ups an edit form needs."""

    def edit(
        self,
        ref: str,
        base_version: int,
        edit: CaseEdit,
        base: Case | None = None,
        approval: Approval | None = None,
    ) -> CaseSummary:
        """Change fields of the intake, person or case. ``base_version`` is the version the
        user saw (and ``base`` the case as they saw it, if the caller has it); if someone saved
        since, nothing is written and :class:`CaseConflict` names the fields that differ.
        A retention class that deletes the case sooner needs ``approval`` (four eyes):
        :class:`ClassApprovalNeeded` otherwise."""
        approver = None
        if approval is not None:  # the key derivation, before the transaction
            _id, approver = prove_approver(
                self.ms, approval, "en kortere opbevaring", "a shorter retention"
            )
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.EDIT)
            row = handle.row
            if base_version > row.version:  # nobody saved a version not made yet
                raise InvalidInput(
                    f"{row.number} har ingen version {base_version}; sagen er i version "
                    f"{row.version}.",
                    f"{row.number} has no version {base_version}; the case is at version "
                    f"{row.version}.",
                )
            if row.version != base_version:
                conflict = self._conflict(session, handle, base_version, edit, base)
                # A newer version in which no field a user edits differs (someone added a
                # screening or an assessment) is no conflict: save on top of it.
                if conflict.fields or base is None:
                    raise conflict
            # Look everything up before the first change: a query autoflushes, and each flush
            # of a changed row would count one more version for a single save.
            lead = (
                None
                if edit.lead_member_id is None
                else self._check_lead(session, edit.lead_member_id)
            )
            category = (
                None if edit.category is None else self._check_category(edit.category, session)
            )
            if edit.person is not None:
                person = checked_person(edit.person)
                self._index_cpr(session, row, person)  # queries the lookup key: first
                row.person = handle.seal_case("person", person_to_json(person))
            if edit.intake is not None:
                row.intake = handle.seal_case("intake", intake_to_json(checked_intake(edit.intake)))
                row.source, row.received = edit.intake.source.value, edit.intake.received
            if edit.title is not None or edit.participating_organisations is not None:
                details = handle.open_case("details")
                if edit.title is not None:
                    details["title"] = edit.title
                if edit.participating_organisations is not None:
                    details["participants"] = list(edit.participating_organisations)
                row.details = handle.seal_case("details", details)
            if category is not None:
                row.category = category
            if edit.follow_up is not None or edit.clear_follow_up:
                row.follow_up = edit.follow_up
            if edit.lead_organisation_id is not None:
                row.lead_organisation_id = edit.lead_organisation_id
            if lead is not None:
                row.lead_member_id = lead.id
                if edit.lead_organisation_id is None:
                    row.lead_organisation_id = lead.organisation_id
            approved = False
            if edit.retention is not None and edit.retention.value != row.retention:
                shorter, tampered = self._shorter_class(session, row, edit.retention)
                if shorter or tampered:
                    if approver is None:
                        raise ClassApprovalNeeded(row.number, edit.retention, tampered)
                    approved = True
                row.retention = edit.retention.value
            row.updated_at = _now()
            session.flush()
            detail = f"fields={sorted(_edited_fields(edit))}"
            if edit.retention is not None:  # the class that sets the deletion date, named
                detail += f" retention={edit.retention.value}"
            self.ms.record(
                session,
                "case.edit",
                row.id,
                Purpose.CASEWORK,
                f"{detail} approved_by={approver}" if approved else detail,
            )
            summary = self.saved_summary(session, handle)
            span = audit_span(session)
        if span is not None:  # the summaries hold the edit: still every case (intake.py)
            summary_index.index_of(self.ms).complete_at(*span)
        return summary

    def _shorter_class(
        self, session: Session, row: CaseRow, new: RetentionClass
    ) -> tuple[bool, bool]:
        """Whether ``new`` deletes the (checked) case sooner than its class does, under the
        rules in force read in this transaction, and whether those rules were changed outside
        the program: then there is nothing to compare with, and any change of class needs
        the approval. A handed-over case's period does not follow its class.

        Compared under every closing reason, also for a closed case: a case closed as
        *ubegrundet* (6 months whatever the class) could be set to *minimal* unapproved,
        reopened and closed again as *indsats afsluttet*, and be due in 6 months instead of
        24 (user trial)."""
        if row.status == CaseStatus.TRANSFERRED.value:
            return False, False
        rules, tampered = RetentionRulesService(self.ms).for_editing(session)
        if tampered:
            return False, True
        return class_shortens(rules, RetentionClass(row.retention), new), False

    def _check_lead(self, session: Session, member_id: uuid.UUID) -> MemberRow:
        member = session.get(MemberRow, member_id)
        if member is None or not member.active:
            raise NotFound("Sagsansvarlig findes ikke.", "The lead member does not exist.")
        return member

    def organisation_id(self, name: str) -> uuid.UUID:
        """An organisation by name or kind word, for lead and participants."""

        self.ms.require()
        with self.ms.uow() as session:
            return resolve_organisation(session, name).id

    def _conflict(
        self,
        session: Session,
        handle: CaseHandle,
        base_version: int,
        edit: CaseEdit,
        base: Case | None,
    ) -> CaseConflict:
        """Name the fields someone else changed since ``base`` (or, without a base, the
        fields this edit touches). Only names: values never go into an exception."""
        if base is None:
            fields = sorted(_edited_fields(edit))
        else:
            summary = self.summary(session, handle, self.municipalities(session))
            fields = differing_fields(base, read_case(session, handle, summary))
        return CaseConflict(handle.row.number, base_version, handle.row.version, fields)
