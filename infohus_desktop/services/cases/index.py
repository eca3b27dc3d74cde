"""The member's view of the cases: summaries, list and search, show.

:class:`CaseIndex` is the base of every part of ``session.cases`` (intake, editing,
workflow; composed in :mod:`~infohus_desktop.services.cases.service`): it holds the member
session, the vault's categories, the network's lookup key for the CPR blind index, and the
decrypted :class:`CaseSummary` of each case with its cache, which every write returns.
Listing and searching happen over these summaries, after the criterion is audited; the
duplicate check over them is in :mod:`~infohus_desktop.services.cases.duplicates`.

The person and intake checks (:func:`checked_person`, :func:`checked_intake`) live here too:
intake and editing both store a person and an intake, and must store them the same way.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from operator import attrgetter

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from infohus_desktop.crypto.blind_index import cpr_index, lookup_key
from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import Case, CaseSummary, DuplicateCheck, Intake, Person
from infohus_desktop.domain.cpr import parse_cpr
from infohus_desktop.domain.criteria import criterion
from infohus_desktop.domain.errors import AccessDenied, InvalidInput, TamperedData
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.accounts.groups import GroupService
from infohus_desktop.services.cases import summary_index
from infohus_desktop.services.cases.list_filter import CaseFilter as CaseFilter
from infohus_desktop.services.cases.list_filter import matches, search_hit
from infohus_desktop.services.cases.reader import read_case
from infohus_desktop.services.cases.settings import CaseSettings
from infohus_desktop.services.cases.tampered_rows import (
    AS_STORED,
    back_from_deletion,
    created_day,
    listed_as_tampered,
    tampered_listing,
    tampered_summary,
)
from infohus_desktop.services.core.access import (
    CaseHandle,
    find_case,
    flushed_connection,
    readable_group_ids,
    require_role,
)
from infohus_desktop.services.core.case_meta import open_meta
from infohus_desktop.services.core.session import MemberSession, audit_span
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import person_from_json
from infohus_desktop.vault.schema import DataKeyRow, GroupRow, LocalInfohusRow, OrganisationRow
from infohus_desktop.vault.types import stored_id

#: The case table's columns, for the duplicate check's reads on Core.
CASES = CaseRow.__table__.c
#: A case's id, version and group as stored (ids as text: a check whose person has many
#: namesakes reads a row per namesake, and made two ``uuid.UUID`` for each).
Version = tuple[str, int, str]
_ID_TEXT = type_coerce(CASES.id, String())
_GROUP_TEXT = type_coerce(CASES.group_id, String())


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


#: The longest name a person is given (the CPR register's own fields are far shorter).
MAX_NAME = 200


def checked_person(person: Person) -> Person:
    """The person as stored: the name with single spaces (required); a CPR number parsed and
    checked, with the birth date and sex it gives; no CPR number as ``None``."""
    name = " ".join(person.name.split())
    if not name:
        raise InvalidInput("Personens navn skal udfyldes.", "The person's name is required.")
    if len(name) > MAX_NAME or not name.isprintable():
        # A name of a million characters padded every line of 'case list' to a megabyte,
        # and a NUL in it was stored as typed (robustness trial).
        raise InvalidInput(
            f"Personens navn kan ikke bruges: højst {MAX_NAME} tegn, og ingen styretegn.",
            f"The person's name cannot be used: at most {MAX_NAME} characters, and no "
            "control characters.",
        )
    if person.cpr:
        info = parse_cpr(person.cpr, date.today())
        return replace(person, name=name, cpr=info.number, birth_date=info.birth_date, sex=info.sex)
    return replace(person, name=name, cpr=None)


def checked_intake(intake: Intake) -> Intake:
    """An anonymous reporter stays anonymous: no contact is stored for them, whatever a
    caller passed along."""
    return replace(intake, reporter_contact="") if intake.anonymous else intake


class CaseIndex:
    """The base of ``session.cases``: categories, the lookup key and the case summaries."""

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

    def cpr_lookup_key(self, session: Session, epoch: int | None = None) -> tuple[int, bytes]:
        network = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
        group = session.get(GroupRow, network)
        assert group is not None
        wanted = group.epoch if epoch is None else epoch
        return wanted, lookup_key(self.ms.keyring.group_key(session, network, wanted))

    def _index_cpr(self, session: Session, row: CaseRow, person: Person) -> None:
        if person.cpr:
            epoch, key = self.cpr_lookup_key(session)
            row.cpr_index, row.cpr_epoch = cpr_index(key, person.cpr), epoch
        else:
            row.cpr_index = row.cpr_epoch = None

    def group_id(self, name: str) -> uuid.UUID:
        """An access group by name or id, for the list filter."""

        self.ms.require()
        with self.ms.uow() as session:
            return GroupService(self.ms).find(session, name).id

    # -- reading summaries ------------------------------------------------------------------

    def summary(
        self, session: Session, handle: CaseHandle, municipalities: dict[uuid.UUID, str]
    ) -> CaseSummary:
        row = handle.row
        cached = self.ms.case_cache.get(row.id.int)
        if cached is not None and cached.version == row.version:
            return cached
        open_meta(row, handle.key, self.ms.vault.sealed_meta_required)
        person = person_from_json(handle.open_case("person"))
        summary = CaseSummary.of(
            key=row.id.int,
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
        self.ms.case_cache[row.id.int] = summary
        summary_index.index_of(self.ms).remember(summary)
        return summary

    def saved_summary(
        self, session: Session, handle: CaseHandle, municipality: str | None = None
    ) -> CaseSummary:
        """The summary of a case this transaction wrote, which the save returns (and the
        list shows in its row). Its Infohus Kommune's name comes from ``municipality``, or
        from the case's summary before the save when the Kommune is the same, so a save
        costs no query of every Kommune."""
        local_id = handle.row.local_infohus_id
        if municipality is None:
            before = self.ms.case_cache.get(handle.row.id.int)
            if before is not None and before.local_infohus_id == local_id:
                municipality = before.municipality
        if municipality is None:
            return self.summary(session, handle, self.municipalities(session))
        return self.summary(session, handle, {local_id: municipality})

    def municipalities(self, session: Session) -> dict[uuid.UUID, str]:
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
        ids and versions; only new or changed cases are loaded and decrypted, on SQLAlchemy
        Core (services/cases/summary_index.py). A row that does not verify is returned as a
        tampered summary (``tampered=True``) among the others. The first list of a session,
        with nothing summarised yet, reads every row at once without asking for ids and
        versions first (``stale`` None)."""
        groups = readable_group_ids(self.ms, session)
        cache = self.ms.case_cache
        index = summary_index.index_of(self.ms)
        out: builtins.list[CaseSummary] = []
        stale: builtins.list[str] | None = None
        if cache:
            stale = self._reuse_cached(session, groups, out)
        if stale is None or stale:
            municipalities = {str(k): v for k, v in self.municipalities(session).items()}

            def tampered(
                case_id: uuid.UUID, number: str, local: str, group: str, version: int
            ) -> CaseSummary:
                self.ms.note_tampered(case_id, number)
                # Read for such a row alone: the column's conversion cost every row of a
                # cold list 0.5 µs (0.05 s at 100,000 cases) for the rare row that needs it.
                created = session.scalar(
                    select(AS_STORED["created"]).where(AS_STORED["id"] == str(case_id))
                )
                return tampered_listing(
                    case_id,
                    number,
                    stored_id(local),
                    municipalities.get(local, ""),
                    stored_id(group),
                    created_day(created),
                    version,
                )

            def legacy(case_id: uuid.UUID) -> CaseSummary:
                row = session.get(CaseRow, case_id)
                assert row is not None
                by_id = {uuid.UUID(k): v for k, v in municipalities.items()}
                return self._summary_or_tampered(session, row, by_id)

            loaded = summary_index.load(
                self.ms, session, stale, municipalities, tampered, legacy, groups
            )
            out.extend(loaded)
        out.extend(self._moved_away(session, groups))
        index.listed = True
        return out

    def _reuse_cached(
        self, session: Session, groups: set[uuid.UUID], out: builtins.list[CaseSummary]
    ) -> builtins.list[str]:
        """Add to ``out`` the cached summaries whose case's version is unchanged; return the
        ids (as stored) of the cases to summarise again.

        The collector waits meanwhile, as for a cold list (summary_index.collector_paused):
        the rows read are plain tuples, gone before it runs again. Each collection they set
        off walked the summaries on the heap: at 100,000 cases 0.3 s of a 0.7 s list where
        nothing froze them (a caller of the services, as the benchmarks are), and 20 to
        50 ms in the window, which freezes them after a load (ui/heap.py)."""
        stale: builtins.list[str] = []
        cache = self.ms.case_cache
        id_number = summary_index.id_number
        with summary_index.collector_paused(len(cache)):
            versions = summary_index.ids_and_versions(session, groups)
            for case_text, version in versions:
                cached = cache.get(id_number(case_text))
                if cached is not None and cached.version == version:
                    out.append(cached)
                else:
                    stale.append(case_text)
            del versions  # freed before the collector runs again: nothing for it to walk
        return stale

    def _summary_or_tampered(
        self, session: Session, row: CaseRow, municipalities: dict[uuid.UUID, str]
    ) -> CaseSummary:
        """One bad row must not take the list down for everyone: it is listed as tampered."""
        try:
            key = self.ms.keyring.field_key_by_id(session, row.data_key_id)
            return self.summary(session, CaseHandle(row, key), municipalities)
        except (TamperedData, AccessDenied):
            self.ms.note_tampered(row.id, row.number)
            return tampered_summary(row, municipalities)

    def _moved_away(self, session: Session, groups: set[uuid.UUID]) -> builtins.list[CaseSummary]:
        """Cases whose data key is wrapped for one of this member's groups, but whose row
        names another group: moved by SQL, which would otherwise hide them from their group.
        Asked on Core first: there are none but after an attack."""
        if not summary_index.any_moved_away(session, groups):
            return []
        # Read as stored, not through the ORM: a row changed by SQL may hold in any id
        # column something that is no UUID, and it is to be listed, not to fail the list.
        rows = session.execute(
            select(*(AS_STORED[name] for name in ("id", "number", "local", "group", "created")))
            .add_columns(CaseRow.version)
            .join(DataKeyRow, DataKeyRow.id == CaseRow.data_key_id)
            .where(DataKeyRow.group_id.in_(groups), CaseRow.group_id.not_in(groups))
        ).all()
        municipalities = self.municipalities(session)
        out = []
        for case_text, number, local, group, created, version in rows:
            case_id, local_id = stored_id(case_text), stored_id(local)
            self.ms.note_tampered(case_id, number)
            out.append(
                tampered_listing(
                    case_id,
                    number,
                    local_id,
                    municipalities.get(local_id, ""),
                    stored_id(group),
                    created_day(created),
                    version,
                )
            )
        return out

    def list(
        self,
        filters: CaseFilter | None = None,
        search: str | None = None,
        purpose: Purpose = Purpose.CASEWORK,
    ) -> builtins.list[CaseSummary]:
        """The cases this member can read, filtered, and searched by number, name or CPR.
        The search criterion is audited (sealed) before anything is decrypted."""
        filters = filters or CaseFilter()
        cases = self._read(filters, search, purpose)
        if filters != CaseFilter() or (search and search.strip()):
            cases = [
                c for c in cases if c.tampered or (matches(c, filters) and search_hit(c, search))
            ]
        # Newest first, by number within a day: two stable sorts on one attribute each, not
        # one on (received, number). A key tuple per case is an allocation per case, and
        # those set off the collector over the summaries just made (at 10,000 cases a sort
        # took 6-90 ms, depending on which generation it set off; these two take 5).
        cases.sort(key=attrgetter("number"), reverse=True)
        cases.sort(key=attrgetter("received"), reverse=True)
        return cases

    def unsorted(self, purpose: Purpose = Purpose.CASEWORK) -> builtins.list[CaseSummary]:
        """Every case :meth:`list` without filters lists, read and audited as it reads them,
        in no order: for a caller that keeps a few (the start page's follow-ups), which
        would otherwise sort them all first (60 ms at 100,000 cases)."""
        return self._read(CaseFilter(), None, purpose)

    def _read(
        self, filters: CaseFilter, search: str | None, purpose: Purpose
    ) -> builtins.list[CaseSummary]:
        require_role(self.ms, CaseOp.LIST)
        action = "case.search" if search else "case.list"
        with self.ms.audited_reading(action, None, purpose, criterion(filters, search)) as (
            session,
            _seq,
        ):
            span = audit_span(session)
        with self.ms.uow() as session:
            cases = self.readable(session)
            back = back_from_deletion(session)
        if back:
            cases = [self._deleted_yet_back(c) if str(c.id) in back else c for c in cases]
        if span is not None:
            # Every readable case is summarised as it was when this list's entry was the
            # head: an intake opened before anything else is written compares nothing.
            summary_index.index_of(self.ms).mark = span[1]
        self.ms.report_tampered()
        return cases

    def _deleted_yet_back(self, summary: CaseSummary) -> CaseSummary:
        self.ms.note_tampered(summary.id, summary.number)
        return listed_as_tampered(summary)

    def summaries_of(
        self, refs: Iterable[str], purpose: Purpose = Purpose.CASEWORK
    ) -> tuple[builtins.list[CaseSummary], builtins.list[str]]:
        """The summaries of the cases a change named (ids or numbers), for a list that updates
        those rows alone, and the refs that name no case this member can read now (deleted,
        moved out of their groups, or no case at all). Audited as a list, before anything
        is decrypted; a handful of statements whatever the size of the vault."""
        require_role(self.ms, CaseOp.LIST)
        wanted = sorted(set(refs))
        self.ms.audited_read("case.list", None, purpose, f"changed={wanted!r}")
        ids: set[uuid.UUID] = set()
        numbers: set[str] = set()
        for ref in wanted:
            try:
                ids.add(uuid.UUID(ref))
            except ValueError:
                numbers.add(ref.strip().upper())
        with self.ms.uow() as session:
            if numbers:
                ids.update(session.scalars(select(CaseRow.id).where(CaseRow.number.in_(numbers))))
            found = self._current(session, ids, readable_group_ids(self.ms, session))
        self.ms.report_tampered()
        seen = {str(s.id) for s in found} | {s.number for s in found}
        return found, [ref for ref in wanted if ref not in seen and ref.upper() not in seen]

    def _current(
        self, session: Session, case_ids: Iterable[uuid.UUID], groups: set[uuid.UUID]
    ) -> builtins.list[CaseSummary]:
        """The summaries of a few cases as they are now (one statement for the ids): the
        cached one while its version and group hold, else read again; a case gone or out of
        the member's groups is left out."""
        summaries, changed = self._cached_current(self._versions(session, case_ids), groups)
        municipalities: dict[uuid.UUID, str] | None = None
        for case_id in changed:
            row = session.get(CaseRow, case_id)
            if row is None:
                continue
            if municipalities is None:
                municipalities = self.municipalities(session)
            summaries.append(self._summary_or_tampered(session, row, municipalities))
        return summaries

    @staticmethod
    def _versions(session: Session, case_ids: Iterable[uuid.UUID]) -> builtins.list[Version]:
        """Id, version and group of each of a few cases (one statement; none for none)."""
        wanted = [str(case_id) for case_id in case_ids]
        if not wanted:
            return []
        query = select(_ID_TEXT, CASES.version, _GROUP_TEXT).where(_ID_TEXT.in_(wanted))
        return [tuple(row) for row in flushed_connection(session).execute(query).all()]

    def _cached_current(
        self, rows: Iterable[Version], groups: set[uuid.UUID]
    ) -> tuple[builtins.list[CaseSummary], builtins.list[uuid.UUID]]:
        """The cached summaries that are still current for these rows, and the ids of the
        rows in the member's groups that changed since they were summarised (or never were)."""
        cache = self.ms.case_cache
        group_of = {str(group_id): group_id for group_id in groups}
        current: builtins.list[CaseSummary] = []
        changed: builtins.list[uuid.UUID] = []
        for case_text, version, group_text in rows:
            group_id = group_of.get(group_text)
            if group_id is None:
                continue
            cached = cache.get(summary_index.id_number(case_text))
            if cached is not None and cached.version == version and cached.group_id == group_id:
                current.append(cached)
            else:
                changed.append(uuid.UUID(case_text))
        return current, changed

    # -- reading a whole case ---------------------------------------------------------------

    def show(self, ref: str, purpose: Purpose = Purpose.CASEWORK) -> Case:
        """The whole case. Its read is audited and committed before anything is decrypted."""
        with self.ms.uow() as session:
            case_id = find_case(self.ms, session, ref, CaseOp.READ).row.id
        self.ms.audited_read("case.read", case_id, purpose)

        with self.ms.uow() as session:
            handle = find_case(self.ms, session, str(case_id), CaseOp.READ)
            summary = self.summary(session, handle, self.municipalities(session))
            return read_case(session, handle, summary)
