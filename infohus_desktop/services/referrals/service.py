"""Referrals to an exit programme: prefill from the case, drafts, edits with conflict
detection, the workflow, lists across cases, the form PDF, and incoming referrals.

A referral belongs to a case and is read under the case's rule: whoever may read the case may
read its referrals; whoever may change the case's status may send, edit or move them on. Its
form content is one payload sealed under the case's data key. Every read is audited and
committed before anything is decrypted; every change is audited in its own transaction.
Audit entries name the case (``object_id``) and the referral (detail), so the citizen's
insight report finds them with the case's other look-ups.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.referral_workflow import (
    ReferralStatus,
    SendMethod,
    check_referral_transition,
)
from infohus_desktop.domain.referrals import (
    FieldValue,
    FormField,
    Programme,
    Referral,
    ReferralAction,
    ReferralForm,
    ReferralSummary,
    check_value,
    check_values,
    missing_required,
    required_error,
)
from infohus_desktop.services.cases.records import CaseRecords
from infohus_desktop.services.cases.service import CaseService
from infohus_desktop.services.core.access import CaseHandle, find_case, require_role
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.referrals import reader
from infohus_desktop.services.referrals.case_status import record_sent_referral
from infohus_desktop.services.referrals.incoming import IncomingMixin
from infohus_desktop.services.referrals.prefill import prefill_values
from infohus_desktop.services.referrals.reader import checked
from infohus_desktop.services.referrals.rules import (
    ReferralConflict,
    as_uuid,
    check_attachments,
    check_minor_consent,
    check_on_date,
    differing_keys,
    parse_method,
    parse_programme,
    parse_status,
    referral_not_found,
)
from infohus_desktop.services.referrals.settings import ReferralFormSettings
from infohus_desktop.vault.codecs.referrals import payload_from_json, payload_to_json
from infohus_desktop.vault.referral_schema import ReferralRow, ReferralStatusRow

_TABLE, _HISTORY = "referrals", "referral_status_changes"


def _now() -> datetime:
    return datetime.now(UTC)


class ReferralService(IncomingMixin):
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- the form ---------------------------------------------------------------------------

    @property
    def settings(self) -> ReferralFormSettings:
        """The form configuration (read by all, changed by a coordinator)."""
        return ReferralFormSettings(self.ms)

    def form(self) -> ReferralForm:
        self.ms.require()
        return self.settings.form()

    def missing_fields(
        self, values: Mapping[str, FieldValue], form: ReferralForm | None = None
    ) -> builtins.list[FormField]:
        """The required fields without an answer, in form order (nothing is read)."""
        return missing_required(form or self.form(), values)

    # -- finding ----------------------------------------------------------------------------

    def _find(
        self, session: Session, ref: uuid.UUID | str, op: CaseOp
    ) -> tuple[ReferralRow, CaseHandle]:
        require_role(self.ms, op)
        row = session.get(ReferralRow, _resolve(session, ref))
        if row is None:
            raise referral_not_found(ref)
        try:
            handle = find_case(self.ms, session, str(row.case_id), op)
        except NotFound:
            raise referral_not_found(ref) from None
        checked(self.ms, session, row)  # its status and dates are sealed: opened here
        return row, handle

    def _values(self, row: ReferralRow, handle: CaseHandle) -> dict[str, FieldValue]:
        return payload_from_json(handle.open(_TABLE, "payload", row.id, row.payload))

    # -- prefill and create -----------------------------------------------------------------

    def prefill(
        self, case_ref: str, programme: Programme | str | None = None
    ) -> dict[str, FieldValue]:
        """A first draft's values from the case (the case reads are audited as such)."""

        chosen = None if programme is None else parse_programme(programme)
        case = CaseService(self.ms).show(case_ref)
        assessments = CaseRecords(self.ms).assessments(str(case.summary.id))
        values = prefill_values(
            case, assessments, self.ms.member, self.ms.vault.infohus_name, chosen
        )
        form, out = self.form(), {}
        for key, value in values.items():
            f = form.get(key)
            if f is None:
                continue
            try:
                out[key] = check_value(f, value)
            except InvalidInput:
                # Case text longer than a form field holds (or a removed choice) is left for
                # the member to fill in: a prefill never stops a referral from being drafted.
                continue
        return out

    def create(
        self,
        case_ref: str,
        programme: Programme | str,
        values: Mapping[str, object] | None = None,
        prefill: bool = True,
    ) -> Referral:
        """A new draft (``kladde``) for the case: prefilled from the case unless
        ``prefill=False``, then ``values`` on top. Required fields may still be empty: they
        are checked when the referral is sent."""
        chosen = parse_programme(programme)
        form = self.form()
        given = check_values(form, values or {})
        base = self.prefill(case_ref, chosen) if prefill else {}
        content = {**base, **given, "programme": chosen.value}
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, case_ref, CaseOp.EDIT)
            check_attachments(session, handle.row.id, content)
            referral_id, at = uuid.uuid4(), _now()
            row = ReferralRow(
                id=referral_id,
                case_id=handle.row.id,
                status=ReferralStatus.DRAFT.value,
                programme=chosen.value,
                referral_date=at.date(),
                payload=handle.seal(_TABLE, "payload", referral_id, payload_to_json(content)),
                created_at=at,
                created_by=self.ms.member.id,
                updated_at=at,
            )
            session.add(row)
            session.flush()
            self._add_event(session, handle, row, None, ReferralStatus.DRAFT, at.date(), "", None)
            self.ms.record(
                session, ReferralAction.CREATE, handle.row.id, Purpose.CASEWORK, str(referral_id)
            )
            case_id = handle.row.id
        return self._show(referral_id, case_id)

    def _add_event(
        self,
        session: Session,
        handle: CaseHandle,
        row: ReferralRow,
        old: ReferralStatus | None,
        new: ReferralStatus,
        on: date,
        reason: str,
        how: SendMethod | None,
    ) -> None:
        event_id = uuid.uuid4()
        session.add(
            ReferralStatusRow(
                id=event_id,
                referral_id=row.id,
                at=_now(),
                by_member=self.ms.member.id,
                old_status=old.value if old else None,
                new_status=new.value,
                on=on,
                how=how.value if how else None,
                payload=handle.seal(_HISTORY, "payload", event_id, {"reason": reason}),
            )
        )

    # -- edit -------------------------------------------------------------------------------

    def edit(
        self,
        referral_id: uuid.UUID | str,
        base_version: int,
        values: Mapping[str, object],
        base: Referral | None = None,
    ) -> Referral:
        """Change the given fields of a draft; keys not given stay as they are.
        ``base_version`` is the version the user saw (``base`` the referral as they saw it,
        if the caller has it): if someone saved since and changed one of these fields,
        nothing is written and :class:`ReferralConflict` names the fields."""
        form = self.form()
        given = check_values(form, values)
        with self.ms.transaction() as session:
            row, handle = self._find(session, referral_id, CaseOp.EDIT)
            if row.status != ReferralStatus.DRAFT.value:
                raise InvalidInput(
                    "Kun en kladde kan rettes; en sendt henvisning er det, der blev sendt.",
                    "Only a draft can be edited; a sent referral is what was sent.",
                )
            current = self._values(row, handle)
            if row.version != base_version:
                clash = (
                    sorted(given)
                    if base is None
                    else sorted(set(given) & differing_keys(base.values, current))
                )
                if clash or base is None:
                    raise ReferralConflict(row.id, base_version, row.version, clash, form)
            content = {**current, **given}
            check_attachments(session, handle.row.id, content)
            if "programme" in given:
                row.programme = parse_programme(str(content.get("programme", ""))).value
            row.payload = handle.seal(_TABLE, "payload", row.id, payload_to_json(content))
            row.updated_at = _now()
            session.flush()
            self.ms.record(
                session,
                ReferralAction.EDIT,
                handle.row.id,
                Purpose.CASEWORK,
                f"{row.id} {','.join(sorted(given))}",
            )
            ids = row.id, handle.row.id
        return self._show(*ids)

    # -- workflow ---------------------------------------------------------------------------

    def change_status(
        self,
        referral_id: uuid.UUID | str,
        new: ReferralStatus | str,
        reason: str = "",
        how: SendMethod | str | None = None,
        on: date | None = None,
        base_version: int | None = None,
    ) -> Referral:
        """Move the referral on. ``on`` is the day it happened (default today); sending
        needs ``how``, declining a reason, closing the outcome, withdrawing a reason.
        Sending also needs every required field and, for a person under 18 on that day, an
        answer (ja/nej) on the guardians' consent. A referral sent moves its case to
        ``henvist`` in the same transaction, or notes itself in the case's journal where the
        case workflow does not allow that (services/referrals/case_status.py)."""
        target = parse_status(new)
        method = parse_method(how)
        day = check_on_date(on or _now().date())
        with self.ms.transaction() as session:
            row, handle = self._find(session, referral_id, CaseOp.STATUS)
            if base_version is not None and row.version != base_version:
                raise ReferralConflict(row.id, base_version, row.version, ["status"])
            current = ReferralStatus(row.status)
            check_referral_transition(current, target, reason, method)
            if target is ReferralStatus.SENT:
                values = self._values(row, handle)
                missing = missing_required(self.settings.form(session), values)
                if missing:
                    raise required_error(missing)
                check_minor_consent(values, handle, day)
                check_attachments(session, handle.row.id, values)
                row.sent_on = row.referral_date = day
                programme = Programme(row.programme)
                record_sent_referral(self.ms, session, handle, programme, day, method)
            if target in (ReferralStatus.CLOSED, ReferralStatus.WITHDRAWN):
                row.closed_on = day
            row.status = target.value
            row.updated_at = _now()
            self._add_event(session, handle, row, current, target, day, reason.strip(), method)
            session.flush()
            self.ms.record(
                session,
                ReferralAction.STATUS,
                handle.row.id,
                Purpose.CASEWORK,
                f"{row.id} {current.value}->{target.value}",
            )
            ids = row.id, handle.row.id
        return self._show(*ids)

    # -- reading ----------------------------------------------------------------------------

    def show(self, referral_id: uuid.UUID | str, purpose: Purpose = Purpose.CASEWORK) -> Referral:
        """The whole referral; the read is audited and committed before anything is decrypted."""
        with self.ms.uow() as session:
            row, handle = self._find(session, referral_id, CaseOp.READ)
            ids = row.id, handle.row.id
        self.ms.audited_read(ReferralAction.READ, ids[1], purpose, str(ids[0]))
        return self._show(*ids)

    def _show(self, referral_id: uuid.UUID, case_id: uuid.UUID) -> Referral:

        with self.ms.uow() as session:
            row, handle = self._find(session, referral_id, CaseOp.READ)
            assert handle.row.id == case_id
            return reader.read_referral(self.ms, session, row, handle, self.settings.form(session))

    def list(
        self,
        statuses: Collection[ReferralStatus | str] = (),
        programmes: Collection[Programme | str] = (),
        purpose: Purpose = Purpose.CASEWORK,
    ) -> builtins.list[ReferralSummary]:
        """Referrals across every case this member can read, newest first, filtered by
        status and programme (clear columns; only the case summaries are decrypted)."""

        require_role(self.ms, CaseOp.LIST)
        wanted = frozenset(parse_status(s) for s in statuses)
        progs = frozenset(parse_programme(p) for p in programmes)
        # The codes, not the enums' repr ("<ReferralStatus.SENT: 'sendt'>", user trial).
        statuses_chosen = sorted(str(s.value) for s in wanted)
        programmes_chosen = sorted(str(p.value) for p in progs)
        criterion = f"statuses={statuses_chosen} programmes={programmes_chosen}"
        self.ms.audited_read(ReferralAction.LIST, None, purpose, criterion)
        with self.ms.uow() as session:
            out = reader.list_referrals(self.ms, session, wanted, progs, None)
        self.ms.report_tampered()
        return out

    def for_case(
        self, case_ref: str, purpose: Purpose = Purpose.CASEWORK
    ) -> builtins.list[ReferralSummary]:
        """The case's referrals, newest first."""

        with self.ms.uow() as session:
            case_id = find_case(self.ms, session, case_ref, CaseOp.READ).row.id
        self.ms.audited_read(ReferralAction.CASE_LIST, case_id, purpose)
        with self.ms.uow() as session:
            out = reader.list_referrals(self.ms, session, frozenset(), frozenset(), case_id)
        self.ms.report_tampered()
        return out

    # -- the PDF ----------------------------------------------------------------------------

    def referral_pdf(
        self,
        referral_id: uuid.UUID | str,
        language: str = "da",
        purpose: Purpose = Purpose.CASEWORK,
    ) -> bytes:
        """The referral as a filing form (PDF bytes). Building it is audited as a read."""

        with self.ms.uow() as session:
            row, handle = self._find(session, referral_id, CaseOp.READ)
            ids = row.id, handle.row.id
        self.ms.audited_read(ReferralAction.PDF, ids[1], purpose, str(ids[0]))
        referral = self._show(*ids)
        # ReportLab is imported when the first PDF is built (on the worker), not when the
        # unlock loads this service (issue 17).
        from infohus_desktop.reports.referral_form import render_referral

        return render_referral(referral, self.ms.member, language, self.ms.vault.infohus_name)

    def record_output(self, referral_id: uuid.UUID | str, action: str) -> None:
        """Audit that the PDF was printed (``"print"``) or saved to a file (``"save"``)."""
        kinds = {"print": ReferralAction.PRINT, "save": ReferralAction.SAVE}
        if action not in kinds:
            raise InvalidInput("Ukendt handling.", "Unknown action.")
        with self.ms.transaction() as session:
            row, handle = self._find(session, referral_id, CaseOp.READ)
            self.ms.record(session, kinds[action], handle.row.id, Purpose.CASEWORK, str(row.id))

    def output_audit(self, referral_id: uuid.UUID | str) -> Callable[[MemberSession, str], None]:
        """The ``audit(session, action)`` function the PDF preview calls before print/save."""
        return lambda ms, action: ReferralService(ms).record_output(referral_id, action)


#: Shortest short id accepted, as for meetings: 8 hex digits, what `referral list` shows.
SHORT_ID_MIN = 8


def _resolve(session: Session, ref: uuid.UUID | str) -> uuid.UUID:
    """A referral id from a UUID, its string, or a unique prefix of >= 8 hex digits. The
    caller still checks that the member may read the referral's case."""
    if isinstance(ref, uuid.UUID):
        return ref
    digits = str(ref).strip().lower().replace("-", "")
    if len(digits) == 32:
        return as_uuid(ref)
    if len(digits) < SHORT_ID_MIN or any(c not in "0123456789abcdef" for c in digits):
        raise referral_not_found(ref)
    hits = [i for i in session.scalars(select(ReferralRow.id)) if i.hex.startswith(digits)]
    if len(hits) > 1:
        raise InvalidInput(
            f"Flere henvisninger begynder med {ref}; skriv flere cifre.",
            f"Several referrals start with {ref}; give more digits.",
        )
    if not hits:
        raise referral_not_found(ref)
    return hits[0]
