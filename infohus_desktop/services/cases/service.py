"""Concern cases: intake with the duplicate check, numbering, list and search, reading,
editing with conflict detection, status workflow, screening, information, moving."""

from __future__ import annotations

import builtins
import contextlib
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from infohus_desktop.crypto.blind_index import cpr_index, lookup_key
from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import (
    Case,
    CaseSummary,
    DuplicateCheck,
    InformationRequest,
    Intake,
    LegalBasis,
    Person,
    RetentionClass,
    Screening,
    ScreeningOutcome,
    StatusChange,
    case_number,
)
from infohus_desktop.domain.cpr import parse_cpr
from infohus_desktop.domain.errors import (
    AccessDenied,
    Conflict,
    InvalidInput,
    NotFound,
    TamperedData,
)
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import OrgKind
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason, check_transition
from infohus_desktop.services.accounts.groups import GroupService
from infohus_desktop.services.cases.codes import write_codes
from infohus_desktop.services.cases.reader import read_case
from infohus_desktop.services.cases.settings import CaseSettings
from infohus_desktop.services.core.access import (
    CaseHandle,
    find_case,
    readable_group_ids,
    require_role,
)
from infohus_desktop.services.core.case_meta import check_meta
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.vault.case_schema import (
    CaseCounterRow,
    CaseRow,
    InformationRow,
    ScreeningRow,
    StatusChangeRow,
)
from infohus_desktop.vault.engine import is_sqlite
from infohus_desktop.vault.repositories.case_codec import (
    intake_to_json,
    person_from_json,
    person_to_json,
)
from infohus_desktop.vault.repositories.members import resolve_organisation
from infohus_desktop.vault.schema import (
    DataKeyRow,
    GroupRow,
    LocalInfohusRow,
    MemberRow,
    OrganisationRow,
)


class PossibleDuplicate(InvalidInput):
    """The intake duplicate check found the person; the caller decides, knowing it."""

    def __init__(self, check: DuplicateCheck) -> None:
        self.check = check
        da, en = [], []
        if check.known_in:
            numbers = ", ".join(check.known_in)
            da.append(f"Personen er allerede kendt i {numbers}.")
            en.append(f"The person is already known in {numbers}.")
        if check.possibly_elsewhere:
            da.append("Personen er muligvis kendt i en sag, du ikke kan se; spørg koordinatoren.")
            en.append("The person is possibly known in a case you cannot see; ask the coordinator.")
        super().__init__(" ".join(da), " ".join(en))


@dataclass(frozen=True, slots=True)
class NewCase:
    person: Person
    intake: Intake
    category: str
    municipality: str | None = None  # the Infohus Kommune; default: the member's own
    group: str | None = None  # access group name or id; default: the Infohus Kommune's
    title: str = ""
    follow_up: date | None = None
    retention: RetentionClass = RetentionClass.STANDARD


@dataclass(frozen=True, slots=True)
class CaseFilter:
    statuses: frozenset[CaseStatus] = frozenset()
    categories: frozenset[str] = frozenset()
    municipality: str | None = None
    lead_member_id: uuid.UUID | None = None
    lead_organisation_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    follow_up_due_by: date | None = None


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


#: Cases loaded per query when summaries are (re)built.
_BATCH = 500


def fold_name(name: str) -> str:
    """Names compare without case, accents as typed and extra spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _now() -> datetime:
    return datetime.now(UTC)


class CaseService:
    def __init__(self, ms: MemberSession) -> None:
        self.ms = ms

    # -- categories and the lookup key ------------------------------------------------------

    def categories(self, session: Session | None = None) -> dict[str, tuple[str, str]]:
        """The vault's categories (configurable by a coordinator; see case_settings)."""

        return CaseSettings(self.ms).categories(session)

    def _check_category(self, category: str, session: Session | None = None) -> str:
        known_categories = self.categories(session)
        if category not in known_categories:
            known = ", ".join(known_categories)
            raise InvalidInput(
                f"Ukendt kategori {category!r}; kendte: {known}.",
                f"Unknown category {category!r}; known: {known}.",
            )
        return category

    def _lookup_key(self, session: Session, epoch: int | None = None) -> tuple[int, bytes]:
        network = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
        group = session.get(GroupRow, network)
        assert group is not None
        wanted = group.epoch if epoch is None else epoch
        return wanted, lookup_key(self.ms.keyring.group_key(session, network, wanted))

    # -- reading summaries ------------------------------------------------------------------

    def _summary(
        self, session: Session, handle: CaseHandle, municipalities: dict[uuid.UUID, str]
    ) -> CaseSummary:
        row = handle.row
        cached = self.ms.case_cache.get(row.id)
        if cached is not None and cached.version == row.version:
            return cached
        check_meta(row, handle.key, self.ms.vault.sealed_meta_required)
        person = person_from_json(handle.open_case("person"))
        summary = CaseSummary(
            id=row.id,
            number=row.number,
            status=CaseStatus(row.status),
            category=row.category,
            local_infohus_id=row.local_infohus_id,
            municipality=municipalities.get(row.local_infohus_id, ""),
            group_id=row.group_id,
            lead_organisation_id=row.lead_organisation_id,
            lead_member_id=row.lead_member_id,
            follow_up=row.follow_up,
            received=row.received,
            person_name=person.name,
            person_cpr=person.cpr,
            version=row.version,
        )
        self.ms.case_cache[row.id] = summary
        return summary

    def _municipalities(self, session: Session) -> dict[uuid.UUID, str]:
        return {
            local.id: name
            for local, name in session.execute(
                select(LocalInfohusRow, OrganisationRow.name).join(
                    OrganisationRow, OrganisationRow.id == LocalInfohusRow.municipality_id
                )
            )
        }

    def readable(self, session: Session) -> builtins.list[CaseSummary]:
        """Summaries of every case this member can read. A summary decrypted before is
        reused while its case's version is unchanged, so a second list costs one query of
        ids and versions; only new or changed cases are loaded and decrypted. A row that does
        not verify is returned as a tampered summary (``tampered=True``) among the others."""
        groups = readable_group_ids(self.ms, session)
        cache = self.ms.case_cache
        out: builtins.list[CaseSummary] = []
        stale: builtins.list[uuid.UUID] = []
        for case_id, version in session.execute(
            select(CaseRow.id, CaseRow.version).where(CaseRow.group_id.in_(groups))
        ):
            cached = cache.get(case_id)
            if cached is not None and cached.version == version:
                out.append(cached)
            else:
                stale.append(case_id)
        if not stale:
            return out
        municipalities = self._municipalities(session)
        for start in range(0, len(stale), _BATCH):
            query = (
                select(CaseRow)
                .options(defer(CaseRow.intake), defer(CaseRow.details))
                .where(CaseRow.id.in_(stale[start : start + _BATCH]))
            )
            rows = session.scalars(query).all()
            with contextlib.suppress(TamperedData):  # each row then tries its own key
                self.ms.keyring.preload_data_keys(session, (row.data_key_id for row in rows))
            for row in rows:
                out.append(self._summary_or_tampered(session, row, municipalities))
        out.extend(self._moved_away(session, groups, municipalities))
        return out

    def _summary_or_tampered(
        self, session: Session, row: CaseRow, municipalities: dict[uuid.UUID, str]
    ) -> CaseSummary:
        """One bad row must not take the list down for everyone: it is listed as tampered."""
        try:
            key = self.ms.keyring.field_key_by_id(session, row.data_key_id)
            return self._summary(session, CaseHandle(row, key), municipalities)
        except (TamperedData, AccessDenied):
            self.ms.note_tampered(row.id, row.number)
            return tampered_summary(row, municipalities)

    def _moved_away(
        self, session: Session, groups: set[uuid.UUID], municipalities: dict[uuid.UUID, str]
    ) -> builtins.list[CaseSummary]:
        """Cases whose data key is wrapped for one of this member's groups, but whose row
        names another group: moved by SQL, which would otherwise hide them from their group."""
        rows = session.scalars(
            select(CaseRow)
            .options(defer(CaseRow.intake), defer(CaseRow.details), defer(CaseRow.person))
            .join(DataKeyRow, DataKeyRow.id == CaseRow.data_key_id)
            .where(DataKeyRow.group_id.in_(groups), CaseRow.group_id.not_in(groups))
        ).all()
        for row in rows:
            self.ms.note_tampered(row.id, row.number)
        return [tampered_summary(row, municipalities) for row in rows]

    def list(
        self,
        filters: CaseFilter | None = None,
        search: str | None = None,
        purpose: Purpose = Purpose.CASEWORK,
    ) -> builtins.list[CaseSummary]:
        """The cases this member can read, filtered, and searched by number, name or CPR.
        The search criterion is audited (sealed) before anything is decrypted."""
        require_role(self.ms, CaseOp.LIST)
        filters = filters or CaseFilter()
        criterion = f"filters={filters!r} search={search!r}"
        self.ms.audited_read("case.search" if search else "case.list", None, purpose, criterion)
        with self.ms.vault.uow() as session:
            cases = self.readable(session)
        self.ms.report_tampered()
        return sorted(
            (c for c in cases if c.tampered or (_matches(c, filters) and _search_hit(c, search))),
            key=lambda c: (c.received, c.number),
            reverse=True,
        )

    # -- duplicate check --------------------------------------------------------------------

    def check_duplicates(
        self, name: str, cpr: str | None, exclude: uuid.UUID | None = None
    ) -> DuplicateCheck:
        """Is this person already known? Names are compared over the cases this member can
        read; CPR numbers also through the blind index, which says only "possibly" about
        cases in groups the member is not in. Audited, with the criterion sealed."""
        require_role(self.ms, CaseOp.CREATE)
        digits = parse_cpr(cpr).number if cpr else None
        self.ms.audited_read(
            "case.duplicate_check", None, Purpose.CASEWORK, f"name={name!r} cpr={digits!r}"
        )
        with self.ms.vault.uow() as session:
            readable = {
                c.id: c for c in self.readable(session) if c.id != exclude and not c.tampered
            }
            known = {
                c.number
                for c in readable.values()
                if fold_name(c.person_name) == fold_name(name)
                or (digits and c.person_cpr == digits)
            }
            elsewhere = False
            if digits:
                for epoch in session.scalars(select(CaseRow.cpr_epoch).distinct()):
                    if epoch is None:
                        continue
                    _epoch, key = self._lookup_key(session, epoch)
                    hits = session.scalars(
                        select(CaseRow.id).where(
                            CaseRow.cpr_epoch == epoch, CaseRow.cpr_index == cpr_index(key, digits)
                        )
                    )
                    elsewhere |= any(h not in readable and h != exclude for h in hits)
        return DuplicateCheck(tuple(sorted(known)), elsewhere)

    # -- intake -----------------------------------------------------------------------------

    def open_case(self, new: NewCase, accept_duplicate: bool = False) -> CaseSummary:
        require_role(self.ms, CaseOp.CREATE)
        person = _checked_person(new.person)
        category = self._check_category(new.category)
        if not accept_duplicate:
            # With accept_duplicate the caller has run (and shown) the check already.
            check = self.check_duplicates(person.name, person.cpr)
            if check.found:
                raise PossibleDuplicate(check)
        with self.ms.transaction() as session:
            local = self._local_infohus(session, new.municipality)
            group_id = self._target_group(session, local, new.group)
            if group_id not in readable_group_ids(self.ms, session):
                raise InvalidInput(
                    "Du kan kun oprette sager i en adgangskreds, du selv er med i.",
                    "You can only open cases in an access group you are in.",
                )
            case_id = uuid.uuid4()
            key = self.ms.keyring.new_data_key(session, group_id)
            year = new.intake.received.year
            serial = self._next_serial(session, local.id, year)
            row = CaseRow(
                id=case_id,
                number=case_number(local.case_prefix, year, serial),
                local_infohus_id=local.id,
                year=year,
                serial=serial,
                group_id=group_id,
                data_key_id=key.key_id,
                status=CaseStatus.RECEIVED.value,
                category=category,
                source=new.intake.source.value,
                received=new.intake.received,
                follow_up=new.follow_up,
                lead_organisation_id=self.ms.member.organisation_id,
                lead_member_id=self.ms.member.id,
                retention=new.retention.value,
                closing_reason=None,
                created_at=_now(),
                created_by=self.ms.member.id,
                updated_at=_now(),
            )
            handle = CaseHandle(row, key)
            row.person = handle.seal_case("person", person_to_json(person))
            row.intake = handle.seal_case("intake", intake_to_json(_checked_intake(new.intake)))
            row.details = handle.seal_case("details", {"title": new.title, "participants": []})
            self._index_cpr(session, row, person)
            session.add(row)
            session.flush()
            write_codes(self.ms, session, case_id, person, new.intake.received)
            self._status_row(session, handle, None, CaseStatus.RECEIVED, "Bekymring modtaget", None)
            self.ms.record(
                session, "case.create", case_id, Purpose.CASEWORK, f"number={row.number}"
            )
            return self._summary(session, handle, self._municipalities(session))

    def _index_cpr(self, session: Session, row: CaseRow, person: Person) -> None:
        if person.cpr:
            epoch, key = self._lookup_key(session)
            row.cpr_index, row.cpr_epoch = cpr_index(key, person.cpr), epoch
        else:
            row.cpr_index = row.cpr_epoch = None

    def _local_infohus(self, session: Session, municipality: str | None) -> LocalInfohusRow:
        rows = session.execute(
            select(LocalInfohusRow, OrganisationRow).join(
                OrganisationRow, OrganisationRow.id == LocalInfohusRow.municipality_id
            )
        ).all()
        if municipality:
            wanted = municipality.strip().casefold()
            for local, org in rows:
                if wanted in (org.name.casefold(), local.case_prefix.casefold(), str(local.id)):
                    return local
            raise NotFound(
                f"Intet Infohus Kommune for {municipality!r}.",
                f"No Infohus Kommune for {municipality!r}.",
            )
        own = [local for local, org in rows if org.id == self.ms.member.organisation_id]
        if own:
            return own[0]
        raise InvalidInput(
            "Angiv hvilket Infohus Kommune sagen hører til.",
            "Say which Infohus Kommune the case belongs to.",
        )

    def _target_group(
        self, session: Session, local: LocalInfohusRow, group: str | None
    ) -> uuid.UUID:
        if not group:
            return local.group_id

        row = GroupService(self.ms).find(session, group)
        if row.kind not in (GroupKind.LOCAL, GroupKind.CUSTOM):
            raise InvalidInput(
                "Sager hører til et Infohus Kommunes eller en særlig adgangskreds.",
                "Cases belong to an Infohus Kommune's group or a custom access group.",
            )
        return row.id

    def _next_serial(self, session: Session, local_id: uuid.UUID, year: int) -> int:
        """The next serial, unique under concurrency: SQLite holds the write lock for the
        whole transaction; PostgreSQL locks the counter row (made first if missing)."""
        if not is_sqlite(self.ms.vault.uow.engine):
            from sqlalchemy.dialects.postgresql import insert

            session.execute(
                insert(CaseCounterRow)
                .values(local_infohus_id=local_id, year=year, last_serial=0)
                .on_conflict_do_nothing()
            )
        counter = session.scalar(
            select(CaseCounterRow)
            .where(CaseCounterRow.local_infohus_id == local_id, CaseCounterRow.year == year)
            .with_for_update()
        )
        if counter is None:
            counter = CaseCounterRow(local_infohus_id=local_id, year=year, last_serial=0)
            session.add(counter)
        counter.last_serial += 1
        session.flush()
        return counter.last_serial

    # -- reading a whole case ---------------------------------------------------------------

    def show(self, ref: str, purpose: Purpose = Purpose.CASEWORK) -> Case:
        """The whole case. Its read is audited and committed before anything is decrypted."""
        with self.ms.vault.uow() as session:
            case_id = find_case(self.ms, session, ref, CaseOp.READ).row.id
        self.ms.audited_read("case.read", case_id, purpose)

        with self.ms.vault.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.READ)
            summary = self._summary(session, handle, self._municipalities(session))
            return read_case(session, handle, summary)

    # -- editing ----------------------------------------------------------------------------

    def edit(
        self, ref: str, base_version: int, edit: CaseEdit, base: Case | None = None
    ) -> CaseSummary:
        """Change fields of the intake, person or case. ``base_version`` is the version the
        user saw (and ``base`` the case as they saw it, if the caller has it); if someone saved
        since, nothing is written and :class:`CaseConflict` names the fields that differ."""
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.EDIT)
            row = handle.row
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
                person = _checked_person(edit.person)
                self._index_cpr(session, row, person)  # queries the lookup key: first
                row.person = handle.seal_case("person", person_to_json(person))
            if edit.intake is not None:
                row.intake = handle.seal_case(
                    "intake", intake_to_json(_checked_intake(edit.intake))
                )
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
            if edit.retention is not None:
                row.retention = edit.retention.value
            row.updated_at = _now()
            session.flush()
            if edit.person is not None or edit.intake is not None:
                # After the flush: its queries must not flush the case a second time.
                person = person_from_json(handle.open_case("person"))
                write_codes(self.ms, session, row.id, person, row.received)
            self.ms.record(
                session,
                "case.edit",
                row.id,
                Purpose.CASEWORK,
                f"fields={sorted(_edited_fields(edit))}",
            )
            return self._summary(session, handle, self._municipalities(session))

    def _check_lead(self, session: Session, member_id: uuid.UUID) -> MemberRow:
        member = session.get(MemberRow, member_id)
        if member is None or not member.active:
            raise NotFound("Sagsansvarlig findes ikke.", "The lead member does not exist.")
        return member

    def organisation_id(self, name: str) -> uuid.UUID:
        """An organisation by name or kind word, for lead and participants."""

        self.ms.require()
        with self.ms.vault.uow() as session:
            return resolve_organisation(session, name).id

    def group_id(self, name: str) -> uuid.UUID:
        """An access group by name or id, for the list filter."""

        self.ms.require()
        with self.ms.vault.uow() as session:
            return GroupService(self.ms).find(session, name).id

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
            summary = self._summary(session, handle, self._municipalities(session))
            fields = differing_fields(base, read_case(session, handle, summary))
        return CaseConflict(handle.row.number, base_version, handle.row.version, fields)

    # -- workflow ---------------------------------------------------------------------------

    def change_status(
        self,
        ref: str,
        new: CaseStatus,
        reason: str,
        closing_reason: ClosingReason | None = None,
        base_version: int | None = None,
    ) -> CaseSummary:
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.STATUS)
            row = handle.row
            if base_version is not None and row.version != base_version:
                raise CaseConflict(row.number, base_version, row.version, ["status"])
            self.apply_status(session, handle, new, reason, closing_reason)
            return self._summary(session, handle, self._municipalities(session))

    def apply_status(
        self,
        session: Session,
        handle: CaseHandle,
        new: CaseStatus,
        reason: str,
        closing_reason: ClosingReason | None = None,
    ) -> None:
        """Move the case inside the caller's transaction (a referral sent moves its case to
        ``henvist`` with the referral): the workflow's check, the history row and the audit
        entry are those of any status change. The caller found the case for ``STATUS``."""
        row = handle.row
        current = CaseStatus(row.status)
        check_transition(current, new, reason, closing_reason)
        row.status = new.value
        row.closing_reason = closing_reason.value if closing_reason else None
        row.updated_at = _now()
        self._status_row(session, handle, current, new, reason, closing_reason)
        session.flush()
        self.ms.record(
            session, "case.status", row.id, Purpose.CASEWORK, f"{current.value}->{new.value}"
        )

    def _status_row(
        self,
        session: Session,
        handle: CaseHandle,
        old: CaseStatus | None,
        new: CaseStatus,
        reason: str,
        closing: ClosingReason | None,
    ) -> None:
        row_id = uuid.uuid4()
        session.add(
            StatusChangeRow(
                id=row_id,
                case_id=handle.row.id,
                at=_now(),
                by_member=self.ms.member.id,
                old_status=old.value if old else None,
                new_status=new.value,
                closing_reason=closing.value if closing else None,
                payload=handle.seal("case_status_changes", "payload", row_id, {"reason": reason}),
            )
        )

    def screen(
        self, ref: str, outcome: ScreeningOutcome, reason: str, legal_reference: str = ""
    ) -> Screening:
        if not reason.strip():
            raise InvalidInput(
                "Skriv begrundelsen for screeningen.", "Give the reason for the screening outcome."
            )
        if outcome == ScreeningOutcome.OTHER_AUTHORITY and not legal_reference.strip():
            raise InvalidInput(
                "Angiv hjemlen, når sagen går til en anden myndighed.",
                "Give the legal reference when another authority takes over.",
            )
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.SCREEN)
            row_id, at = uuid.uuid4(), _now()
            session.add(
                ScreeningRow(
                    id=row_id,
                    case_id=handle.row.id,
                    at=at,
                    by_member=self.ms.member.id,
                    outcome=outcome.value,
                    payload=handle.seal(
                        "case_screenings",
                        "payload",
                        row_id,
                        {"reason": reason, "legal_reference": legal_reference},
                    ),
                )
            )
            handle.row.updated_at = at
            session.flush()
            self.ms.record(session, "case.screen", handle.row.id, Purpose.CASEWORK, outcome.value)
            return Screening(row_id, at, self.ms.member.login, outcome, reason, legal_reference)

    def add_information(
        self, ref: str, authority: str, asked: date, answer: str, legal_basis: LegalBasis
    ) -> InformationRequest:
        if not authority.strip():
            raise InvalidInput("Angiv myndigheden.", "Name the authority.")
        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.SCREEN)
            row_id = uuid.uuid4()
            session.add(
                InformationRow(
                    id=row_id,
                    case_id=handle.row.id,
                    at=_now(),
                    by_member=self.ms.member.id,
                    asked=asked,
                    legal_basis=legal_basis.value,
                    payload=handle.seal(
                        "case_information",
                        "payload",
                        row_id,
                        {"authority": authority, "answer": answer},
                    ),
                )
            )
            session.flush()
            self.ms.record(session, "case.information", handle.row.id, Purpose.CASEWORK)
            return InformationRequest(
                row_id, authority, asked, answer, legal_basis, self.ms.member.login
            )

    # -- moving -----------------------------------------------------------------------------

    def move(self, ref: str, group: str) -> CaseSummary:
        """Move a case to another access group: only its data key is re-wrapped."""

        with self.ms.transaction() as session:
            handle = find_case(self.ms, session, ref, CaseOp.MOVE)
            target = GroupService(self.ms).find(session, group)
            if target.kind not in (GroupKind.LOCAL, GroupKind.CUSTOM):
                raise InvalidInput(
                    "Sager kan kun flyttes til en kommunes eller en særlig adgangskreds.",
                    "Cases can only move to a municipality's or a custom group.",
                )
            if target.id not in readable_group_ids(self.ms, session):
                raise InvalidInput(
                    "Du kan kun flytte en sag til en adgangskreds, du er med i.",
                    "You can only move a case to an access group you are in.",
                )
            self.ms.keyring.move_data_key(session, handle.row.data_key_id, target.id)
            old_group = handle.row.group_id
            handle.row.group_id = target.id
            handle.row.updated_at = _now()
            session.flush()
            self.ms.record(
                session, "case.move", handle.row.id, Purpose.CASEWORK, f"{old_group}->{target.id}"
            )
            self.ms.case_cache.pop(handle.row.id, None)
            return self._summary(session, handle, self._municipalities(session))


class CaseConflict(Conflict):
    """A save against a stale version. ``fields`` are the fields this save wanted to change."""

    def __init__(self, number: str, base: int, current: int, fields: builtins.list[str]) -> None:
        self.number, self.base_version, self.current_version = number, base, current
        self.fields = fields
        names = ", ".join(fields) or "-"
        super().__init__(
            f"{number} er ændret af en anden (version {base} → {current}), mens du arbejdede. "
            f"Intet er gemt. Felter: {names}. Hent sagen igen og vælg for hvert felt.",
            f"{number} was changed by someone else (version {base} → {current}) while you "
            f"worked. Nothing was saved. Fields: {names}. Reload the case and choose per field.",
        )


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


def _checked_person(person: Person) -> Person:
    name = " ".join(person.name.split())
    if not name:
        raise InvalidInput("Personens navn skal udfyldes.", "The person's name is required.")
    if person.cpr:
        info = parse_cpr(person.cpr, date.today())
        return replace(person, name=name, cpr=info.number, birth_date=info.birth_date, sex=info.sex)
    return replace(person, name=name, cpr=None)


def _checked_intake(intake: Intake) -> Intake:
    """An anonymous reporter stays anonymous: no contact is stored for them, whatever a
    caller passed along."""
    return replace(intake, reporter_contact="") if intake.anonymous else intake


def _matches(case: CaseSummary, f: CaseFilter) -> bool:
    return (
        (not f.statuses or case.status in f.statuses)
        and (not f.categories or case.category in f.categories)
        and (not f.municipality or f.municipality.casefold() in case.municipality.casefold())
        and (f.lead_member_id is None or case.lead_member_id == f.lead_member_id)
        and (f.lead_organisation_id is None or case.lead_organisation_id == f.lead_organisation_id)
        and (f.group_id is None or case.group_id == f.group_id)
        and (
            f.follow_up_due_by is None
            or (case.follow_up is not None and case.follow_up <= f.follow_up_due_by)
        )
    )


def _search_hit(case: CaseSummary, search: str | None) -> bool:
    if not search or not search.strip():
        return True
    text = search.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if case.person_cpr and len(digits) >= 6 and digits in case.person_cpr:
        return True
    if text.upper() in case.number:
        return True
    return all(part in fold_name(case.person_name) for part in fold_name(text).split())


__all__ = [
    "CaseEdit",
    "CaseFilter",
    "CaseService",
    "NewCase",
    "OrgKind",
    "PossibleDuplicate",
    "StatusChange",
]


def tampered_summary(row: CaseRow, municipalities: dict[uuid.UUID, str]) -> CaseSummary:
    """What a list may say of a row that does not verify: its id and the number it carries."""
    try:
        status = CaseStatus(row.status)
    except ValueError:
        status = CaseStatus.RECEIVED
    return CaseSummary(
        id=row.id,
        number=row.number,
        status=status,
        category="",
        local_infohus_id=row.local_infohus_id,
        municipality=municipalities.get(row.local_infohus_id, ""),
        group_id=row.group_id,
        lead_organisation_id=None,
        lead_member_id=None,
        follow_up=None,
        received=row.received,
        person_name="",
        person_cpr=None,
        version=row.version,
        tampered=True,
    )
