"""The sealed copy of a case row: where its describing values live, and what binds its clear
ids, number and version.

The review swapped the clear numbers of two cases and set a status by SQL: the program
showed the other person's case, closed. Each case row carries ``meta``, sealed under the
case's own data key with the row id in the associated data: its status, category, source,
dates, lead, retention class and closing reason (issue 20: no column holds them any more;
the row gets them when :func:`open_meta` opens the copy), and its number, Infohus Kommune,
group, key and version, which must match the clear columns. Only a member holding the key
can write a matching copy, so a clear id changed or a copy moved outside the program reads
as tampered (:class:`CaseTampered`), named, while every other row reads on. The parts of a
case (status changes, screenings, information, assessments, measures, journal,
disclosures, attachments, holds) work the same way (:func:`open_part_meta`).

The sealing happens in SQLAlchemy's flush (``before_insert``/``before_update`` of the case
row, ``before_flush`` for its parts), so no write path can forget it: whoever loads a case
row with its key registers the key on the row (:func:`remember_key`), and a case row flushed
without one is a bug that stops the transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, column, event, insert, inspect, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached, object_session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext, FieldKey
from infohus_desktop.crypto.encoding import canonical_json
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.vault.case_schema import (
    AssessmentRow,
    AttachmentRow,
    CaseRow,
    DisclosureRow,
    InformationRow,
    JournalRow,
    MeasureRow,
    ScreeningRow,
    StatusChangeRow,
)
from infohus_desktop.vault.codecs.cases import loads
from infohus_desktop.vault.old_form import has_old_columns, refuse_in_old_form
from infohus_desktop.vault.retention_schema import HoldRow
from infohus_desktop.vault.row_binding import clear_text
from infohus_desktop.vault.sealed_values import fill, from_column, parsed
from infohus_desktop.vault.types import UUIDString

#: The clear columns the sealed copy also holds, so that none can be changed or swapped.
CLEAR_FIELDS = ("number", "local_infohus_id", "group_id", "data_key_id")
#: The values that live only in the sealed copy (``CaseRow``'s sealed attributes).
SEALED_FIELDS = (
    "status",
    "category",
    "source",
    "received",
    "follow_up",
    "lead_organisation_id",
    "lead_member_id",
    "retention",
    "closing_reason",
)
#: Every value of the sealed copy, in the order it has always had (vaults' copies stay valid).
META_FIELDS = (*CLEAR_FIELDS, *SEALED_FIELDS)
#: The listing: the person's name and CPR number as the case list shows them, copied from the
#: person payload into the sealed copy whenever it is sealed, so that a list opens one sealed
#: value per case instead of two (issue 17: a quarter of a cold list's time). A copy sealed
#: by an earlier version has none; a list then opens the person, as it always did.
LISTING_FIELDS = ("person_name", "person_cpr")
_KEY_ATTRIBUTE = "_infohus_case_key"
_OPENED_ATTRIBUTE = "_infohus_meta_opened"
_LISTING_ATTRIBUTE = "_infohus_meta_listing"

#: A listing: the person's name and CPR number (or None).
Listing = tuple[str, str | None]


class CaseTampered(TamperedData):
    """A case row whose clear values or sealed parts were changed outside the program."""

    def __init__(self, case_id: uuid.UUID, number: str) -> None:
        super().__init__(
            f"Sag {number} kan ikke læses: den er ændret uden om programmet. "
            "Kontakt en koordinator.",
            f"Case {number} cannot be read: it was changed outside the program. "
            "Contact a coordinator.",
        )
        self.case_id = case_id
        self.number = number


def meta_values(row: CaseRow, version: int) -> dict[str, str | int | None]:
    values: dict[str, str | int | None] = {
        name: clear_text(getattr(row, name)) for name in META_FIELDS
    }
    values["version"] = version
    return values


def _context(case_id: uuid.UUID) -> FieldContext:
    return FieldContext("cases", "meta", case_id, case_id)


def seal_meta(row: CaseRow, key: FieldKey, version: int) -> Ciphertext:
    """The row's sealed copy at ``version``, with its listing when the person is known."""
    values: dict[str, Any] = meta_values(row, version)
    listing = person_listing(row, key)
    if listing is not None:
        values.update(zip(LISTING_FIELDS, listing, strict=True))
    setattr(row, _LISTING_ATTRIBUTE, listing)
    return key.encrypt(canonical_json(values), _context(row.id))


def listing_in(sealed: dict[str, Any]) -> Listing | None:
    """The listing an opened copy holds; None for a copy sealed without one. A listing of
    the wrong shape is a TypeError (the caller's "tampered")."""
    if LISTING_FIELDS[0] not in sealed:
        return None
    name, cpr = sealed[LISTING_FIELDS[0]], sealed.get(LISTING_FIELDS[1])
    if not isinstance(name, str) or not (cpr is None or isinstance(cpr, str)):
        raise TypeError("listing")
    return name, cpr


def listing_of_person(data: dict[str, Any]) -> Listing:
    """The listing of an opened person payload (TypeError when it has no proper name)."""
    name, cpr = data["name"], data.get("cpr")
    if not isinstance(name, str) or not (cpr is None or isinstance(cpr, str)):
        raise TypeError("person")
    return name, cpr


def opened_listing(row: CaseRow) -> Listing | None:
    """The listing of the copy :func:`open_meta` opened or the flush sealed last (None: the
    copy has none)."""
    listing = getattr(row, _LISTING_ATTRIBUTE, None)
    return listing if isinstance(listing, tuple) else None


def person_listing(row: CaseRow, key: FieldKey) -> Listing | None:
    """The listing of the person the row holds in this unit of work, as the next seal of its
    copy will hold it. A person loaded (or set) is opened: the listing is what it says, so no
    write path can seal a stale name. A person not loaded was not changed here: the listing
    of the copy opened stays. A person that does not open gets no listing (nothing is
    laundered into the copy; a list then opens the person and finds it tampered)."""
    person = row.__dict__.get("person")
    if person is None:
        return opened_listing(row)
    try:
        context = FieldContext("cases", "person", row.id, row.id)
        return listing_of_person(loads(key.decrypt(person, context)))
    except (TamperedData, KeyError, TypeError):
        return None


def open_meta(row: CaseRow, key: FieldKey, required: bool) -> None:
    """Open the row's sealed copy and give the row its sealed values (status, category, dates,
    lead, ...). Raise :class:`CaseTampered` when the copy does not open with the case's key,
    is not this row's, or names other clear ids, number or version than the row has.

    A row opened before keeps its values while its copy is the one opened (so values set in
    this unit of work and not yet flushed are not overwritten). A row without a copy can
    only be a format-1 row not yet upgraded: its values then come from the old clear
    columns (``required`` False), see :func:`legacy_values`."""
    if row.meta is not None and getattr(row, _OPENED_ATTRIBUTE, None) is row.meta:
        return
    if row.meta is None:
        if required:
            raise CaseTampered(row.id, row.number)
        values = legacy_values(row)
        if values is None:
            raise CaseTampered(row.id, row.number)
        fill(row, values)
        return
    try:
        sealed = loads(key.decrypt(row.meta, _context(row.id)))
        clear = {name: clear_text(getattr(row, name)) for name in CLEAR_FIELDS}
        if {name: sealed[name] for name in CLEAR_FIELDS} != clear:
            raise CaseTampered(row.id, row.number)
        if sealed["version"] != row.version:
            raise CaseTampered(row.id, row.number)
        values = {name: parsed(name, sealed[name]) for name in SEALED_FIELDS}
        listing = listing_in(sealed)
    except (TamperedData, KeyError, TypeError, ValueError) as exc:
        raise CaseTampered(row.id, row.number) from exc
    fill(row, values)
    setattr(row, _LISTING_ATTRIBUTE, listing)
    setattr(row, _OPENED_ATTRIBUTE, row.meta)


def legacy_values(row: CaseRow) -> dict[str, Any] | None:
    """The values of a format-1 row from the clear columns a vault that has not been
    upgraded still has (``infohus vault upgrade`` seals them and drops the columns); None
    once they are gone."""
    session = object_session(row)
    if session is None:
        return None
    if not has_old_columns(session):
        return None
    table_ = table("cases", column("id", UUIDString()), *(column(name) for name in SEALED_FIELDS))
    found = session.execute(
        select(*(table_.c[name] for name in SEALED_FIELDS)).where(table_.c.id == row.id)
    ).first()
    if found is None:
        return None
    raw = dict(zip(SEALED_FIELDS, found, strict=True))
    return {name: from_column(name, value) for name, value in raw.items()}


def remember_key(row: CaseRow, key: FieldKey) -> None:
    """Let the flush seal this row's metadata with its data key."""
    setattr(row, _KEY_ATTRIBUTE, key)


def key_of_opened(row: CaseRow) -> FieldKey | None:
    """The data key remembered on this row in this unit of work, if any."""
    key = getattr(row, _KEY_ATTRIBUTE, None)
    return key if isinstance(key, FieldKey) else None


def _key_of(row: CaseRow) -> FieldKey:
    key = getattr(row, _KEY_ATTRIBUTE, None)
    if not isinstance(key, FieldKey):
        raise RuntimeError("a case row was written without its data key (remember_key)")
    return key


@event.listens_for(CaseRow, "before_insert")
def _seal_new(_mapper: Mapper[CaseRow], _connection: Connection, row: CaseRow) -> None:
    row.meta = seal_meta(row, _key_of(row), row.version or 1)
    setattr(row, _OPENED_ATTRIBUTE, row.meta)


@event.listens_for(CaseRow, "before_update")
def _seal_changed(_mapper: Mapper[CaseRow], _connection: Connection, row: CaseRow) -> None:
    # Setting ``meta`` makes the UPDATE certain, and with it the version counter's step.
    row.meta = seal_meta(row, _key_of(row), row.version + 1)
    setattr(row, _OPENED_ATTRIBUTE, row.meta)


def insert_opened(session: Session, row: CaseRow, key: FieldKey, parts: Sequence[Any]) -> None:
    """Write a new case row and its first parts with plain inserts, sealed here exactly as
    the flush seals them (:func:`_seal_new`, :func:`_seal_parts`): the intake's path, where
    the ORM's unit of work for these rows cost more than sealing, signing and hashing the
    new case together. Afterwards the rows are in the session as saved rows (persistent,
    no second INSERT), the case's key remembered, so the rest of the transaction finds
    them as if they had been flushed; a later change of them goes through the flush as
    usual. The caller notes the case's statistics record (``case_codes.note_opened``)."""
    refuse_in_old_form(session)
    session.flush()  # what is pending goes first, as one flush would have sent it
    connection = session.connection()
    row.version = 1
    remember_key(row, key)
    row.meta = seal_meta(row, key, 1)
    setattr(row, _OPENED_ATTRIBUTE, row.meta)
    connection.execute(_insert_of(CaseRow), _column_values(row))
    for part in parts:
        if part.case_id != row.id:
            raise RuntimeError("a new case's part was written for another case")
        part.meta = seal_part_meta(part, key)
        setattr(part, _OPENED_ATTRIBUTE, part.meta)
        connection.execute(_insert_of(type(part)), _column_values(part))
    for saved in (row, *parts):
        make_transient_to_detached(saved)
        session.add(saved)


_INSERTS: dict[type[Any], Insert] = {}


def _insert_of(model: type[Any]) -> Insert:
    statement = _INSERTS.get(model)
    if statement is None:
        statement = _INSERTS[model] = insert(model.__table__)
    return statement


def _column_values(row: Any) -> dict[str, Any]:
    """The values set on a new row, by column (a column not set takes its default)."""
    return {
        prop.columns[0].key: row.__dict__[prop.key]
        for prop in inspect(type(row)).column_attrs
        if prop.key in row.__dict__
    }


# -- the parts of a case -------------------------------------------------------------------

#: The clear columns of each part of a case that its sealed copy holds.
PART_FIELDS: dict[type[Any], tuple[str, ...]] = {
    StatusChangeRow: ("case_id", "at", "by_member", "old_status", "new_status", "closing_reason"),
    ScreeningRow: ("case_id", "at", "by_member", "outcome"),
    InformationRow: ("case_id", "at", "by_member", "asked", "legal_basis"),
    AssessmentRow: ("case_id", "at", "by_member", "level"),
    MeasureRow: ("case_id", "at", "by_member", "type", "status", "start", "end"),
    JournalRow: ("case_id", "at", "by_member", "kind", "corrects"),
    DisclosureRow: ("case_id", "at", "by_member", "disclosed_on", "legal_basis"),
    AttachmentRow: ("case_id", "at", "by_member", "size", "chunks"),
    HoldRow: ("case_id", "at", "by_member", "until", "released_at", "released_by"),
}

#: How a tampered part is named in the message (Danish, English).
PART_NAMES: dict[type[Any], tuple[str, str]] = {
    StatusChangeRow: ("En statusændring", "A status change"),
    ScreeningRow: ("En screening", "A screening"),
    InformationRow: ("En oplysning fra en myndighed", "Information from an authority"),
    AssessmentRow: ("En vurdering", "An assessment"),
    MeasureRow: ("En indsats", "A measure"),
    JournalRow: ("Et journalnotat", "A journal entry"),
    DisclosureRow: ("En videregivelse", "A disclosure"),
    AttachmentRow: ("Et bilag", "An attachment"),
    HoldRow: ("En sletteblokering", "A deletion hold"),
}


class CasePartTampered(CaseTampered):
    """One part of a case was changed outside the program; named by its kind."""

    def __init__(self, case: CaseRow, part: Any) -> None:
        da, en = PART_NAMES[type(part)]
        TamperedData.__init__(
            self,
            f"{da} i sag {case.number} er ændret uden om programmet og kan ikke vises. "
            "Kontakt en koordinator.",
            f"{en} in case {case.number} was changed outside the program and cannot be shown. "
            "Contact a coordinator.",
        )
        self.case_id = case.id
        self.number = case.number


def part_values(row: Any, version: int | None) -> dict[str, str | int | None]:
    values: dict[str, str | int | None] = {
        name: clear_text(getattr(row, name)) for name in PART_FIELDS[type(row)]
    }
    if version is not None:
        values["version"] = version
    return values


def seal_part_meta(part: Any, key: FieldKey) -> Ciphertext:
    """A part's sealed copy as the flush writes it (for writers that bypass the flush, such
    as the benchmarks' bulk inserts)."""
    version = (part.version or 1) if isinstance(part, MeasureRow) else None
    return key.encrypt(canonical_json(part_values(part, version)), _part_context(part))


def _part_context(row: Any) -> FieldContext:
    return FieldContext(row.__tablename__, "meta", row.id, row.case_id)


#: Which values of a part's copy stay clear columns too (checked against the copy); the rest
#: live only in the copy and are given to the row when it is opened.
PART_CLEAR: dict[type[Any], tuple[str, ...]] = {
    model: tuple(f for f in fields if f in ("case_id", "at", "size", "chunks", "corrects"))
    for model, fields in PART_FIELDS.items()
}
PART_SEALED: dict[type[Any], tuple[str, ...]] = {
    model: tuple(f for f in fields if f not in PART_CLEAR[model])
    for model, fields in PART_FIELDS.items()
}


def open_part_meta(case: CaseRow, key: FieldKey, part: Any, required: bool) -> None:
    """Open ``part``'s sealed copy and give the part its sealed values (who wrote it, its
    codes and dates). Raise :class:`CasePartTampered` when the copy does not open with the
    case's key, belongs to another row or case, or names other clear values or version
    than the row has. A part without a copy is a format-1 row not yet upgraded: its values
    come from the old clear columns while the vault has them (``required`` False)."""
    if part.meta is not None and getattr(part, _OPENED_ATTRIBUTE, None) is part.meta:
        if part.case_id != case.id:
            raise CasePartTampered(case, part)
        return
    model = type(part)
    if part.meta is None:
        values = None if required else legacy_part_values(part)
        if values is None:
            raise CasePartTampered(case, part)
        fill(part, values)
        return
    version = part.version if isinstance(part, MeasureRow) else None
    try:
        sealed = loads(key.decrypt(part.meta, _part_context(part)))
        clear = {name: clear_text(getattr(part, name)) for name in PART_CLEAR[model]}
        if part.case_id != case.id or {n: sealed[n] for n in PART_CLEAR[model]} != clear:
            raise CasePartTampered(case, part)
        if sealed.get("version") != version:
            raise CasePartTampered(case, part)
        values = {name: parsed(name, sealed[name]) for name in PART_SEALED[model]}
    except (TamperedData, KeyError, TypeError, ValueError) as exc:
        raise CasePartTampered(case, part) from exc
    fill(part, values)
    setattr(part, _OPENED_ATTRIBUTE, part.meta)


def legacy_part_values(part: Any) -> dict[str, Any] | None:
    """A format-1 part's values from the clear columns of a vault not yet upgraded."""
    session = object_session(part)
    if session is None:
        return None
    names = PART_SEALED[type(part)]
    present = {c["name"] for c in inspect(session.connection()).get_columns(part.__tablename__)}
    if not set(names) <= present:
        return None
    table_ = table(part.__tablename__, column("id", UUIDString()), *(column(n) for n in names))
    found = session.execute(
        select(*(table_.c[n] for n in names)).where(table_.c.id == part.id)
    ).first()
    if found is None:
        return None
    return {n: from_column(n, v) for n, v in zip(names, found, strict=True)}


@event.listens_for(Session, "before_flush")
def _seal_parts(session: Session, _context: object, _instances: object) -> None:
    """Seal every new or changed part with its case's key, found through the case row this
    unit of work loaded (``remember_key``); a part written without it is a bug."""
    for part in [*session.new, *session.dirty]:
        if type(part) not in PART_FIELDS:
            continue
        new = part in session.new
        if not new and (isinstance(part, JournalRow) or not session.is_modified(part)):
            continue  # a saved journal entry is refused by its own rule (JournalIsImmutable)
        case = session.get(CaseRow, part.case_id)
        if case is None:
            raise RuntimeError("a case part was written for a case this session cannot find")
        version = None
        if isinstance(part, MeasureRow):
            version = (part.version or 1) if new else part.version + 1
        part.meta = _key_of(case).encrypt(
            canonical_json(part_values(part, version)), _part_context(part)
        )
        setattr(part, _OPENED_ATTRIBUTE, part.meta)
