"""Opening a case: the intake, after the duplicate check, with its case number.

:class:`CaseIntake` adds :meth:`~CaseIntake.open_case` to ``session.cases``. A new case gets
its Infohus Kommune (the member's own unless named), an access group the member is in, its
own data key, the next number of its Kommune and year (taken in the vault,
:func:`~infohus_desktop.vault.case_numbers.next_serial`), the sealed person, intake and
details, the search codes and its first status row, all in one transaction.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, cast

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.cases import CaseSummary, Intake, Person, RetentionClass, case_number
from infohus_desktop.domain.errors import (
    ConnectionLost,
    InfohusError,
    InvalidInput,
    NotFound,
    TamperedData,
)
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.accounts.groups import GroupService
from infohus_desktop.services.cases import summary_index
from infohus_desktop.services.cases.duplicates import CaseDuplicates, criterion
from infohus_desktop.services.cases.index import (
    PossibleDuplicate,
    checked_intake,
    checked_person,
)
from infohus_desktop.services.cases.workflow import status_row
from infohus_desktop.services.core import clock
from infohus_desktop.services.core.access import (
    CaseHandle,
    flushed_connection,
    readable_group_ids,
    require_role,
)
from infohus_desktop.services.core.case_codes import casework_key, note_opened
from infohus_desktop.services.core.case_meta import insert_opened
from infohus_desktop.services.core.session import MemberSession, audit_span
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_chain import ChainPoint
from infohus_desktop.vault.case_numbers import next_serial
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import intake_to_json, person_to_json
from infohus_desktop.vault.schema import GroupRow, LocalInfohusRow, OrganisationRow
from infohus_desktop.vault.server_link import ASK_ONCE, nothing_saved

#: ``Session.info``: the group rows a new case's transaction read at once (_load_groups).
_GROUPS_READ = "infohus.intake_groups"
#: ``MemberSession.memory``: the (category, Kommune, group) of the cases opened this session,
#: each with the audit chain's head after the last case opened with it.
_INPUTS_CHECKED = "cases.intake_inputs_checked"


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


#: The groups a new case's transaction needs (see CaseIntake._load_groups), built once; read
#: under the chain lock, and ``populate_existing`` makes a row the session held from before
#: the lock take the current values (its epoch above all).
_INTAKE_GROUPS = (
    select(GroupRow)
    .where(
        or_(
            GroupRow.id.in_(bindparam("wanted", expanding=True)),
            GroupRow.kind == GroupKind.CASEWORK.value,
        )
    )
    .execution_options(populate_existing=True)
)


class _Kommune(NamedTuple):
    """What a new case needs of its Infohus Kommune's row."""

    id: uuid.UUID
    case_prefix: str
    group_id: uuid.UUID


#: An Infohus Kommune as the intake reads it (see _KOMMUNER).
_KommuneRow = tuple[uuid.UUID, str, uuid.UUID, uuid.UUID, str]
_LOCALS = LocalInfohusRow.__table__.c
_ORGANISATIONS = OrganisationRow.__table__.c
_KOMMUNER = select(
    _LOCALS.id, _LOCALS.case_prefix, _LOCALS.group_id, _ORGANISATIONS.id, _ORGANISATIONS.name
).join_from(
    LocalInfohusRow.__table__,
    OrganisationRow.__table__,
    _ORGANISATIONS.id == _LOCALS.municipality_id,
)


def _input_of(new: NewCase) -> tuple[str, str | None, str | None]:
    return new.category, new.municipality, new.group


def _inputs_checked(ms: MemberSession) -> dict[tuple[str, str | None, str | None], ChainPoint]:
    """The intake inputs this session opened a case with (dropped with ``ms.memory``)."""
    checked = ms.memory.get(_INPUTS_CHECKED)
    if not isinstance(checked, dict):
        checked = ms.memory[_INPUTS_CHECKED] = {}
    return checked


def _now() -> datetime:
    return clock.now()  # the real time, or the day a demo case's story tells


class CaseIntake(CaseDuplicates):
    """``session.cases.open_case``: a new case from an intake."""

    def open_case(self, new: NewCase, accept_duplicate: bool = False) -> CaseSummary:
        """Open a case from an intake. Unless ``accept_duplicate`` (the caller has run and shown
        :meth:`check_duplicates`), a person already known raises :class:`PossibleDuplicate`.

        The check and the case share one transaction when the check can answer from the
        summaries this session holds and finds nobody: the check's entry and the case (with
        its own entry) commit together, one commit instead of two. Nothing is decrypted
        before that commit but the new case itself; if the case cannot be saved, the check's
        entry is written on its own (see :meth:`_check_then_open`). Otherwise the check's
        entry commits alone first (its answer is shown, or a case changed since it was
        summarised is decrypted again) and the case follows in a transaction of its own."""
        require_role(self.ms, CaseOp.CREATE)
        person = checked_person(new.person)
        if not accept_duplicate:  # else the caller has run (and shown) the check already
            opened = self._check_then_open(new, person)
            if opened is not None:
                return opened
        with self.ms.transaction() as session:
            summary = self._opened(session, new, person)
            span = audit_span(session)
        return self._after_opening(new, span, summary)

    def _check_then_open(self, new: NewCase, person: Person) -> CaseSummary | None:
        """The duplicate check, and the case in its transaction when it can be (see
        :meth:`open_case`); None when the case is to be opened in a transaction of its own.
        A person known raises :class:`PossibleDuplicate` once the check's entry committed.
        The input is checked first in the check's transaction: an intake refused for its
        category, Infohus Kommune or group rolls back the check's entry with it.

        Two failures must not tell more than they say:
        - A case that cannot be saved in the check's transaction rolls the check's entry
          back with it, yet its error tells the user that nobody was found (a person known
          raises PossibleDuplicate instead): the check's entry is then written on its own
          before the error goes on.
        - A connection lost while the check's entry commits alone, with the outcome
          unknown, must not read as "saved" later: the case was never in that transaction,
          so it is "nothing saved", to be done again (at worst the log holds one read
          entry more)."""
        opened: CaseSummary | None = None
        answered = False
        try:
            with self._checking(
                person.name,
                person.cpr,
                None,
                refuse=lambda session, head: self._check_input(session, new, head),
            ) as (session, steady):
                answer = steady.answer(person.name, person.cpr) if steady is not None else None
                if steady is not None and answer is not None and not answer.found:
                    session.info.pop(ASK_ONCE, None)  # a save now: a lost commit is asked after
                    answered = True
                    # The groups the check read after its entry, under the chain lock: still
                    # the member's, since a membership changes only under that lock.
                    opened = self._opened(session, new, person, steady.groups)
                span = audit_span(session)
        except ConnectionLost as exc:
            # With the case in the transaction, the outcome is the case's (asked after by
            # its own entry); a lost connection says nothing of the check's answer.
            if not answered and exc.saved is None:
                raise nothing_saved() from exc
            raise
        except Exception:
            if answered:  # the save failed, in _open or at the commit
                self._record_check_alone(person)
            raise
        if opened is not None:
            return self._after_opening(new, span, opened)
        check = self._checked(person.name, person.cpr, None, steady, span)
        if check.found:
            raise PossibleDuplicate(check)
        return None

    def _record_check_alone(self, person: Person) -> None:
        """The entry of a check whose answer a failed save gave away (see
        _check_then_open), in a transaction of its own. If even that cannot be written
        (the vault locked meanwhile, the server gone), the save's own error goes on."""
        with contextlib.suppress(InfohusError):
            self.ms.audited_read(
                "case.duplicate_check", None, Purpose.CASEWORK, criterion(person.name, person.cpr)
            )

    def _opened(
        self,
        session: Session,
        new: NewCase,
        person: Person,
        groups: set[uuid.UUID] | None = None,
    ) -> CaseSummary:
        """The new case written in ``session``, and its summary (``groups``: see _open)."""
        handle, municipality = self._open(session, new, person, groups)
        return self.saved_summary(session, handle, municipality)

    def _after_opening(
        self,
        new: NewCase,
        span: tuple[ChainPoint, ChainPoint] | None,
        summary: CaseSummary,
    ) -> CaseSummary:
        """Once the case's transaction committed (``span``: what it appended to the audit
        chain): the summaries are still every readable case if they were before it."""
        if span is not None:
            _inputs_checked(self.ms)[_input_of(new)] = span[1]
        index = summary_index.index_of(self.ms)
        if span is not None:  # the new case is among the summaries: still every case
            index.complete_at(*span)
        return summary

    def prepare_intake(self) -> None:
        """Make the next duplicate check cost what every later one does, while the user
        types the person in (the intake dialog calls this on the worker when it opens):
        fold the names of the summaries this session keeps, and note up to where in the
        audit log they are every readable case at its version (one statement of ids and
        versions, unless nothing was written since they last were). Decrypts nothing, so it
        needs no audit entry of its own; before the first list of the session it only
        folds, and the first check reads the cases after its own entry."""
        require_role(self.ms, CaseOp.CREATE)
        index = summary_index.index_of(self.ms)
        cache = self.ms.case_cache
        index.fold(cache)
        if not index.listed:
            return
        with self.ms.uow() as session:
            self._open_intake_keys(session)
            head = audit_chain.head(session)  # before the versions: a later change shows
            groups = readable_group_ids(self.ms, session)
            # Known complete at this very head (nothing written since): nothing to compare;
            # else every readable case's version (0.35 s at 100,000 cases, on the worker).
            complete = index.mark == head or summary_index.cache_is_current(session, groups, cache)
            self._read_ahead(session, groups)
        index.mark = head if complete else None

    def _read_ahead(self, session: Session, groups: set[uuid.UUID]) -> None:
        """Read once the categories, the Infohus Kommuner and the groups that the check and
        the save read in their own transactions: SQLAlchemy prepares each statement the
        first time a process runs it, which made the session's first intake cost about
        twice the next (the statements differ from the list's). What is read here decides
        nothing and is not kept; the check and the save read it again, as they must."""
        self.categories(session)
        self._local_infohus_rows(session)
        self._hold_groups(session)
        for group_id in sorted(groups)[:1]:
            self._load_groups(session, group_id)

    def _open_intake_keys(self, session: Session) -> None:
        """Open the group keys an intake needs and the list did not: the network's, of every
        epoch (the CPR blind index), and the casework group's (the statistics codes). Each
        is a KEM decapsulation done once per unlock, which the keyring keeps until lock."""
        network = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
        group = session.get(GroupRow, network)
        for epoch in range(1, (group.epoch if group is not None else 0) + 1):
            try:
                self.ms.keyring.group_key(session, network, epoch)
            except TamperedData:
                continue  # the check skips such an epoch too
        casework_key(self.ms.keyring, session)

    def open_in(self, session: Session, new: NewCase) -> CaseHandle:
        """A new case inside the caller's transaction (a transfer's import), after the same
        checks of person and category; the caller ran and reported the duplicate check."""
        require_role(self.ms, CaseOp.CREATE)
        person = checked_person(new.person)
        return self._open(session, new, person)[0]

    def _check_input(self, session: Session, new: NewCase, head: ChainPoint) -> None:
        """Refuse, in the duplicate check's transaction, an intake whose category, Infohus
        Kommune or access group the case's own transaction would refuse. Not read again
        when this session's last case was opened with the same input and nothing was
        written since, here or elsewhere (the check's entry follows ``head``, that case's
        own last entry, by seq and hash): the next intake of the same kind costs no
        statement. The case's own transaction checks the input anyway."""
        if _inputs_checked(self.ms).get(_input_of(new)) != head:
            self._destination(session, new)

    def _destination(
        self, session: Session, new: NewCase, groups: set[uuid.UUID] | None = None
    ) -> tuple[_Kommune, str, uuid.UUID, str]:
        """Where the new case goes, checked: its Infohus Kommune (and that Kommune's name),
        its access group (one the member is in: of ``groups`` when the transaction read
        them under the chain lock already) and its category."""
        category = self._check_category(new.category, session)
        local, municipality = self._local_infohus(session, new.municipality)
        group_id = self._target_group(session, local, new.group)
        if groups is None:
            groups = readable_group_ids(self.ms, session)
        if group_id not in groups:
            raise InvalidInput(
                "Du kan kun oprette sager i en adgangskreds, du selv er med i.",
                "You can only open cases in an access group you are in.",
            )
        return local, municipality, group_id, category

    def _open(
        self,
        session: Session,
        new: NewCase,
        person: Person,
        groups: set[uuid.UUID] | None = None,
    ) -> tuple[CaseHandle, str]:
        """The new case's handle, and its Kommune's name (for its summary, without a query).
        ``groups``: the member's groups, when this transaction read them under the chain lock."""
        local, municipality, group_id, category = self._destination(session, new, groups)
        self._load_groups(session, group_id)
        case_id = uuid.uuid4()
        key = self.ms.keyring.new_data_key(session, group_id)
        year = new.intake.received.year
        serial = next_serial(session, local.id, year)
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
        row.intake = handle.seal_case("intake", intake_to_json(checked_intake(new.intake)))
        row.details = handle.seal_case("details", {"title": new.title, "participants": []})
        self._index_cpr(session, row, person)
        first_status = status_row(
            self.ms, handle, None, CaseStatus.RECEIVED, "Bekymring modtaget", None
        )
        # Sealed and inserted explicitly (case_meta.insert_opened), not through the flush.
        insert_opened(session, row, key, [first_status])
        note_opened(session, row)
        self.ms.record(session, "case.create", case_id, Purpose.CASEWORK, f"number={row.number}")
        return handle, municipality

    def _load_groups(self, session: Session, case_group: uuid.UUID) -> None:
        """Read the groups whose current epoch the new case's transaction needs in one
        statement: the case's (its data key), the network's (the CPR blind index), the
        audit group's (the entry) and the casework group's (the statistics codes). Each
        later ``session.get`` finds its row in the session instead of asking again; the
        rows are kept in ``session.info`` for the transaction, since the session holds
        unchanged rows only weakly. Read under the audit chain lock (taken here, and again
        by the entry): the audit group's epoch picks the entry's writer key, and on
        PostgreSQL an epoch change committed before the lock must be seen."""
        vault = self.ms.vault
        vault.uow.lock_audit_chain(session)
        wanted = [
            case_group,
            vault.system_group_id(session, GroupKind.NETWORK),
            vault.system_group_id(session, GroupKind.AUDIT),
        ]
        session.info[_GROUPS_READ] = session.scalars(_INTAKE_GROUPS, {"wanted": wanted}).all()

    def _local_infohus(self, session: Session, municipality: str | None) -> tuple[_Kommune, str]:
        """The Infohus Kommune named (by its Kommune's name, its prefix or its id), or the
        member's own; and its Kommune's name. Read on Core: the columns, not ORM rows."""
        rows = self._local_infohus_rows(session)
        if municipality:
            wanted = municipality.strip().casefold()
            for local_id, prefix, group_id, _org, name in rows:
                if wanted in (name.casefold(), prefix.casefold(), str(local_id)):
                    return _Kommune(local_id, prefix, group_id), name
            raise NotFound(
                f"Intet Infohus Kommune for {municipality!r}.",
                f"No Infohus Kommune for {municipality!r}.",
            )
        own = [
            (_Kommune(local_id, prefix, group_id), name)
            for local_id, prefix, group_id, org, name in rows
            if org == self.ms.member.organisation_id
        ]
        if own:
            return own[0]
        raise InvalidInput(
            "Angiv hvilket Infohus Kommune sagen hører til.",
            "Say which Infohus Kommune the case belongs to.",
        )

    @staticmethod
    def _local_infohus_rows(session: Session) -> list[_KommuneRow]:
        """Each Infohus Kommune: its id, prefix and group, its Kommune's id and name."""
        rows = flushed_connection(session).execute(_KOMMUNER).all()
        return cast(list[_KommuneRow], rows)

    def _target_group(self, session: Session, local: _Kommune, group: str | None) -> uuid.UUID:
        if not group:
            return local.group_id

        row = GroupService(self.ms).find(session, group)
        if row.kind not in (GroupKind.LOCAL, GroupKind.CUSTOM):
            raise InvalidInput(
                "Sager hører til et Infohus Kommunes eller en særlig adgangskreds.",
                "Cases belong to an Infohus Kommune's group or a custom access group.",
            )
        return row.id
