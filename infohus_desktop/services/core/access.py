"""Finding a case a member may touch, and holding its key for one unit of work."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, String, bindparam, inspect, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext, FieldKey
from infohus_desktop.domain.access import CASE_ROLES, CaseOp
from infohus_desktop.domain.errors import InfohusError, InvalidInput, NotFound, TamperedData
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.core.case_meta import (
    CaseTampered,
    listing_of_person,
    open_meta,
    open_part_meta,
    opened_listing,
    remember_key,
)
from infohus_desktop.services.core.session import MemberSession, denied
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import dumps, loads
from infohus_desktop.vault.members import as_utc
from infohus_desktop.vault.retention_schema import TombstoneRow
from infohus_desktop.vault.schema import GroupKeyWrapRow, GroupRow
from infohus_desktop.vault.types import stored_id

P = TypeVar("P")


def not_found(ref: str) -> NotFound:
    # The same answer whether the case does not exist or the member cannot read it.
    return NotFound(
        f"Ingen sag {ref} blandt de sager, du kan læse.",
        f"No case {ref} among the cases you can read.",
    )


def flushed_connection(session: Session) -> Connection:
    """The session's connection for a Core statement, after what the session has pending is
    flushed (as the ORM's autoflush would, unless the caller turned it off). A Core
    statement on the connection skips the ORM's execution layer: for a plain read of a few
    columns that layer cost four times the statement itself (about 0.2 ms a statement;
    a new case asks several)."""
    if session.autoflush:
        session.flush()
    return session.connection()


_WRAPS = GroupKeyWrapRow.__table__.c
_GROUPS = GroupRow.__table__.c
_READABLE = (
    select(_WRAPS.group_id)
    .join(GroupRow.__table__, _GROUPS.id == _WRAPS.group_id)
    .where(_WRAPS.member_id == bindparam("reader"), _WRAPS.epoch == _GROUPS.epoch)
)


def readable_group_ids(ms: MemberSession, session: Session) -> set[uuid.UUID]:
    """Groups whose current key this member holds."""
    return set(flushed_connection(session).execute(_READABLE, {"reader": ms.member.id}).scalars())


@dataclass
class CaseHandle:
    """A case row with its data key, for the length of one transaction."""

    row: CaseRow
    key: FieldKey
    #: Format 2: every part must carry its sealed copy (``open_part`` checks it).
    meta_required: bool = False

    def __post_init__(self) -> None:
        remember_key(self.row, self.key)  # the flush seals the row's metadata with it

    def seal(self, table: str, column: str, row_id: uuid.UUID, data: dict[str, Any]) -> Ciphertext:
        return self.key.encrypt(dumps(data), FieldContext(table, column, row_id, self.row.id))

    def open(self, table: str, column: str, row_id: uuid.UUID, value: Ciphertext) -> dict[str, Any]:
        return loads(self.key.decrypt(value, FieldContext(table, column, row_id, self.row.id)))

    def seal_case(self, column: str, data: dict[str, Any]) -> Ciphertext:
        return self.seal("cases", column, self.row.id, data)

    def open_case(self, column: str) -> dict[str, Any]:
        data = self.open("cases", column, self.row.id, getattr(self.row, column))
        if column == "person":
            self._check_listing(data)
        return data

    def _check_listing(self, person: dict[str, Any]) -> None:
        """The person opened must be the one the sealed copy lists (the name and CPR number
        the case list showed). The person's ciphertext is bound to its row, not to the
        row's version: an older person of the same case, written back by SQL, opens, and
        only this comparison with the copy (bound to the version) tells. A person set in
        this unit of work is checked by the flush that seals it, not here."""
        listing = opened_listing(self.row)
        if listing is None or inspect(self.row).attrs.person.history.has_changes():
            return
        try:
            matches = listing_of_person(person) == listing
        except (KeyError, TypeError):
            matches = False
        if not matches:
            raise CaseTampered(self.row.id, self.row.number)

    def open_part(self, part: Any) -> dict[str, Any]:
        """A part of this case (assessment, journal entry, attachment, ...): its sealed
        copy opened (its codes, dates and writer) and checked, then its payload opened."""
        self.open_meta_of(part)
        return self.open(part.__tablename__, "payload", part.id, part.payload)

    def open_meta_of(self, part: Any) -> Any:
        """The part with its sealed values (its codes, dates, writer), checked; returned."""
        open_part_meta(self.row, self.key, part, self.meta_required)
        return part

    def parts(self, session: Session, model: type[P]) -> list[P]:
        """Every part of this case of one kind, opened, oldest first: their codes and dates
        are sealed, so sorting and filtering by them happens after this, in memory."""
        rows = session.scalars(
            select(model).where(model.case_id == self.row.id).order_by(model.at, model.id)  # type: ignore[attr-defined]
        )
        return [self.open_meta_of(row) for row in rows]


def require_role(ms: MemberSession, op: CaseOp) -> None:
    ms.require()
    if ms.member.role not in CASE_ROLES[op]:
        raise denied()


def find_case(ms: MemberSession, session: Session, ref: str, op: CaseOp) -> CaseHandle:
    """The case by number or id, if this member's role allows ``op`` and they hold its key."""
    require_role(ms, op)
    ref = ref.strip()
    query = select(CaseRow)
    try:
        query = query.where(CaseRow.id == uuid.UUID(ref))
    except ValueError:
        query = query.where(CaseRow.number == ref.upper())
    try:
        row = session.scalar(query)
    except ValueError:
        raise _unreadable(ms, session, query, ref) from None
    if row is None:
        raise _deleted_or_not_found(session, ref)
    if row.group_id not in readable_group_ids(ms, session):
        raise not_found(ref)
    try:
        try:
            key = ms.keyring.field_key_by_id(session, row.data_key_id)
        except TamperedData as exc:
            raise CaseTampered(row.id, row.number) from exc
        open_meta(row, key, ms.vault.sealed_meta_required)
        if session.connection().execute(_TOMBSTONED, {"case": row.id}).first() is not None:
            # Deleted, with its signed stone, yet its row is back (put in from an older copy):
            # its sealed copies still verify, since they were valid once; the stone does not.
            raise CaseTampered(row.id, row.number)
    except CaseTampered:
        ms.note_tampered(row.id, row.number)
        raise
    if row.status == CaseStatus.TRANSFERRED.value and op not in _STILL_ALLOWED_WHEN_TRANSFERRED:
        raise InvalidInput(
            f"Sag {row.number} er overdraget til et andet Infohus og kan kun læses.",
            f"Case {row.number} was handed over to another Infohus and can only be read.",
        )
    return CaseHandle(row, key, ms.vault.sealed_meta_required)


def _deleted_or_not_found(session: Session, ref: str) -> NotFound:
    """No case by that number or id: say so when it was deleted (its tombstone's number and
    day are clear, shown to every member in the minutes), else the usual answer. A case that
    exists but is unreadable is never told apart from one that does not exist."""
    stones = TombstoneRow.__table__.c
    query = select(stones.number, stones.deleted_at)
    try:
        query = query.where(stones.id == uuid.UUID(ref))
    except ValueError:
        query = query.where(stones.number == ref.upper())
    found = session.execute(query).first()
    if found is None:
        return not_found(ref)
    day = f"{as_utc(found.deleted_at).date():%d.%m.%Y}"  # as `retention deleted` shows it
    return NotFound(
        f"Sag {found.number} er slettet ({day}); tilbage er kun sletningens oplysninger, som "
        "koordinatorerne og DPO'en kan se.",
        f"Case {found.number} was deleted ({day}); only the record of its deletion remains, "
        "which the coordinators and the DPO can see.",
    )


_CASES = CaseRow.__table__.c
_TOMBSTONED = select(TombstoneRow.__table__.c.id).where(
    TombstoneRow.__table__.c.id == bindparam("case", type_=TombstoneRow.__table__.c.id.type)
)


def _unreadable(ms: MemberSession, session: Session, query: Select[Any], ref: str) -> InfohusError:
    """The answer for a case row one of whose ids holds no UUID (written by SQL around the
    program), which the ORM cannot even read: tampered, as the list shows it, to a member of
    the group the row names; not found to anyone else, as for any case they cannot read."""
    raw = select(type_coerce(_CASES.id, String()), type_coerce(_CASES.group_id, String()))
    found = session.execute(raw.where(query.whereclause)).first()  # type: ignore[arg-type]
    if found is None or stored_id(found[1]) not in readable_group_ids(ms, session):
        return not_found(ref)
    case_id = stored_id(found[0])
    number = ref.upper()
    ms.note_tampered(case_id, number)
    return CaseTampered(case_id, number)


#: A case handed over lives on in the other Infohus: here it is read, held and deleted only.
_STILL_ALLOWED_WHEN_TRANSFERRED = frozenset(
    {CaseOp.READ, CaseOp.LIST, CaseOp.ATTACH_READ, CaseOp.HOLD, CaseOp.DELETE}
)
