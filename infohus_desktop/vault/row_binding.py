"""The sealed copy of meetings, trend notes and referrals: where their describing values
live, and what binds their clear columns.

Cases and their parts carry one since format 2 (services/core/case_meta.py); this module
does the same for the other features' rows, from vault format 3 on. ``meta`` is canonical
JSON sealed under a key only the row's readers hold, with the row's table and id in the
associated data. It holds two kinds of value (:class:`Binding`): the row's *sealed* values
(status, programme, theme, dates, attendance, deadlines; issue 20), which are no column and
which :func:`check_row` gives the row when it opens the copy; and its clear columns (group,
ids, positions, creation, version), which must match. Someone who can write the database
but holds no key can change a clear value or move a copy, but not make a copy: the row then
reads as tampered (:class:`RowTampered`), named by its kind, while the other rows read on.

Which key seals the copy:

- every meeting row (the meeting, its participants, items, decisions, action items and
  addenda) under the meeting's group key, also for a case item whose text is under the case's
  key: so every reader of the meeting can check every row it shows, withheld ones included;
- a trend note under its access group's key;
- a referral and its status changes under its case's data key;
- an incoming referral and its attachments under the incoming referral's own data key.

The sealing happens in the flush (``before_flush``), so no write path can forget it: a
member's unit of work carries its keyring in ``Session.info`` (``MemberSession.uow``), and a
bound row flushed without one is a bug that stops the transaction. The check opens the copy
with the key its ciphertext names; a copy that cannot be opened, or that differs from the
row, is tampering.

Not bound: the link tables (``meeting_carried_actions``, ``trend_note_links``), which hold
only two ids and no value a reader could be misled by, and the bundle register, which has
its own coordinator signatures.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import column, event, inspect, select, table
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext, FieldKey
from infohus_desktop.crypto.encoding import canonical_json
from infohus_desktop.domain.errors import InfohusError, TamperedData
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.meeting_schema import (
    ActionItemRow,
    MeetingAddendumRow,
    MeetingDecisionRow,
    MeetingItemRow,
    MeetingParticipantRow,
    MeetingRow,
)
from infohus_desktop.vault.referral_schema import (
    IncomingAttachmentRow,
    IncomingReferralRow,
    ReferralRow,
    ReferralStatusRow,
)
from infohus_desktop.vault.sealed_values import fill, from_column, parsed
from infohus_desktop.vault.trend_schema import TrendNoteRow
from infohus_desktop.vault.types import UUIDString

if TYPE_CHECKING:
    from infohus_desktop.vault.group_keys import GroupKeys

#: Where a member's unit of work keeps its keyring in ``Session.info``.
KEYRING_INFO = "infohus.keyring"
#: ... and whether every bound row must carry its copy (vault format 3 and later).
REQUIRED_INFO = "infohus.bound_rows_required"

#: Finds the key that seals a row's copy, given the keyring and a way to find other rows
#: (pending ones included) by class and id.
KeyFinder = Callable[["GroupKeys", "Rows", Any], FieldKey]


@dataclass(frozen=True, slots=True)
class Binding:
    fields: tuple[str, ...]
    key: KeyFinder
    #: How the row is named when it was changed (Danish, English), e.g. "Et møde".
    noun: tuple[str, str]
    #: Columns added later: in the copy only when set, so copies made before still match.
    optional: tuple[str, ...] = ()
    #: Fields that are no column: their value lives only in the copy (issue 20), and the
    #: row gets it when the copy is opened (:func:`check_row`).
    sealed: tuple[str, ...] = ()


class RowTampered(TamperedData):
    """A meeting, trend or referral row whose clear values were changed outside the program."""

    def __init__(self, row: Any) -> None:
        da, en = BINDINGS[type(row)].noun
        super().__init__(
            f"{da} er ændret uden om programmet og kan ikke vises. Kontakt en koordinator.",
            f"{en} was changed outside the program and cannot be shown. Contact a coordinator.",
        )
        self.table: str = row.__tablename__
        self.row_id: uuid.UUID = row.id


class Rows:
    """Rows by class and id within one flush: the pending ones first (``session.get`` does
    not see rows added but not yet flushed), then the identity map or the database."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._new = {(type(o), getattr(o, "id", None)): o for o in session.new}

    def get(self, model: type[Any], row_id: uuid.UUID | None) -> Any:
        if row_id is None:
            raise RuntimeError(f"a bound row refers to no {model.__name__}")
        found = self._new.get((model, row_id)) or self.session.get(model, row_id)
        if found is None:
            raise RuntimeError(f"a bound row refers to a missing {model.__name__}")
        return found


# -- the keys ---------------------------------------------------------------------------------


def _group_key(keys: GroupKeys, rows: Rows, group_id: uuid.UUID) -> FieldKey:
    return keys.group_field_key(rows.session, group_id)


def _meeting_key(keys: GroupKeys, rows: Rows, meeting_id: uuid.UUID) -> FieldKey:
    return _group_key(keys, rows, rows.get(MeetingRow, meeting_id).group_id)


def _item_key(keys: GroupKeys, rows: Rows, item_id: uuid.UUID) -> FieldKey:
    return _meeting_key(keys, rows, rows.get(MeetingItemRow, item_id).meeting_id)


def _case_key(keys: GroupKeys, rows: Rows, case_id: uuid.UUID) -> FieldKey:
    return keys.field_key_by_id(rows.session, rows.get(CaseRow, case_id).data_key_id)


def _incoming_key(keys: GroupKeys, rows: Rows, incoming_id: uuid.UUID) -> FieldKey:
    return keys.field_key_by_id(
        rows.session, rows.get(IncomingReferralRow, incoming_id).data_key_id
    )


BINDINGS: dict[type[Any], Binding] = {
    MeetingRow: Binding(
        (
            "kind",
            "meeting_type",
            "status",
            "local_infohus_id",
            "group_id",
            "starts_at",
            "ends_at",
            "chair_id",
            "minute_taker_id",
            "created_at",
            "created_by",
            "held_at",
            "approved_at",
            "approved_by",
            "sent_at",
            "sent_by",
        ),
        lambda k, r, row: _group_key(k, r, row.group_id),
        ("Et møde", "A meeting"),
        sealed=(
            "meeting_type",
            "status",
            "starts_at",
            "ends_at",
            "held_at",
            "approved_at",
            "approved_by",
            "sent_at",
            "sent_by",
        ),
    ),
    MeetingParticipantRow: Binding(
        ("meeting_id", "member_id", "attendance", "position"),
        lambda k, r, row: _meeting_key(k, r, row.meeting_id),
        ("En deltager i et møde", "A participant of a meeting"),
        sealed=("attendance",),
    ),
    MeetingItemRow: Binding(
        ("meeting_id", "position", "kind", "case_id", "trend_note_id"),
        lambda k, r, row: _meeting_key(k, r, row.meeting_id),
        ("Et dagsordenspunkt", "An agenda item"),
        optional=("deleted_case_id",),
    ),
    MeetingDecisionRow: Binding(
        ("item_id", "kind", "position", "created_at", "created_by"),
        lambda k, r, row: _item_key(k, r, row.item_id),
        ("En anbefaling eller aftale i et møde", "A recommendation or agreement of a meeting"),
        sealed=("kind",),
    ),
    ActionItemRow: Binding(
        (
            "meeting_id",
            "item_id",
            "owner_id",
            "deadline",
            "status",
            "position",
            "created_at",
            "created_by",
            "closed_at",
            "closed_by",
        ),
        lambda k, r, row: _meeting_key(k, r, row.meeting_id),
        ("En opgave fra et møde", "An action item of a meeting"),
        sealed=("deadline", "status", "closed_at", "closed_by"),
    ),
    MeetingAddendumRow: Binding(
        ("meeting_id", "item_id", "at", "by_member"),
        lambda k, r, row: _meeting_key(k, r, row.meeting_id),
        ("Et tillæg til et referat", "An addendum to minutes"),
    ),
    TrendNoteRow: Binding(
        (
            "group_id",
            "theme",
            "development",
            "area_kind",
            "period_from",
            "period_to",
            "follow_up",
            "created_at",
            "created_by",
            "updated_by",
        ),
        lambda k, r, row: _group_key(k, r, row.group_id),
        ("En tendensnote", "A trend note"),
        sealed=("theme", "development", "area_kind", "period_from", "period_to", "follow_up"),
    ),
    ReferralRow: Binding(
        (
            "case_id",
            "status",
            "programme",
            "referral_date",
            "sent_on",
            "closed_on",
            "created_at",
            "created_by",
        ),
        lambda k, r, row: _case_key(k, r, row.case_id),
        ("En henvisning", "A referral"),
        sealed=("status", "programme", "referral_date", "sent_on", "closed_on"),
    ),
    ReferralStatusRow: Binding(
        ("referral_id", "at", "by_member", "old_status", "new_status", "on", "how"),
        lambda k, r, row: _case_key(k, r, r.get(ReferralRow, row.referral_id).case_id),
        ("En statusændring i en henvisning", "A status change of a referral"),
        sealed=("by_member", "old_status", "new_status", "on", "how"),
    ),
    IncomingReferralRow: Binding(
        ("bundle_id", "group_id", "data_key_id", "programme", "received_at", "received_by"),
        lambda k, r, row: k.field_key_by_id(r.session, row.data_key_id),
        ("En modtaget henvisning", "A received referral"),
        sealed=("programme",),
    ),
    IncomingAttachmentRow: Binding(
        ("incoming_id", "position", "size", "chunks"),
        lambda k, r, row: _incoming_key(k, r, row.incoming_id),
        ("Et bilag til en modtaget henvisning", "An attachment of a received referral"),
    ),
}


# -- the copy ---------------------------------------------------------------------------------


def clear_text(value: Any) -> str | None:
    """A clear column's value as its sealed copy holds it."""
    if value is None:
        return None
    if isinstance(value, datetime):
        # SQLite hands back naive UTC, PostgreSQL aware: the same instant reads the same.
        moment = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return moment.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _values(row: Any, version: int | None) -> bytes:
    return _copy_of(type(row), lambda name: getattr(row, name), version)


def _copy_of(model: type[Any], value: Callable[[str], Any], version: int | None) -> bytes:
    """The canonical JSON a copy holds: the binding's fields, its optional fields when set,
    and the version."""
    binding = BINDINGS[model]
    values: dict[str, str | int | None] = {name: clear_text(value(name)) for name in binding.fields}
    values.update(
        {name: clear_text(value(name)) for name in binding.optional if value(name) is not None}
    )
    if version is not None:
        values["version"] = version
    return canonical_json(values)


def _context(row: Any) -> FieldContext:
    return FieldContext(row.__tablename__, "meta", row.id)


def _versioned(row: Any) -> bool:
    return hasattr(row, "version")


_OPENED = "_infohus_copy_opened"


def check_row(keys: GroupKeys, session: Session, row: Any, required: bool) -> None:
    """Open ``row``'s copy: raise :class:`RowTampered` unless it opens with a key this member
    holds, belongs to this row, and holds the row's clear values and version; then give the
    row its sealed values. A row without a copy passes only in a vault of a format before 3
    (``required`` False), its sealed values then read from the old clear columns."""
    open_row(lambda key_id: keys.field_key_by_id(session, key_id), session, row, required)


def open_row(
    find_key: Callable[[uuid.UUID], FieldKey], session: Session, row: Any, required: bool
) -> None:
    """:func:`check_row` with the key found by ``find_key`` (key id → key): a caller that
    holds the row's key already, such as the case's data key for its referrals."""
    if row.meta is not None and getattr(row, _OPENED, None) is row.meta:
        return
    binding = BINDINGS[type(row)]
    if row.meta is None:
        if required:
            raise RowTampered(row)
        values = _legacy_values(session, row, binding.sealed)
        if values is None:
            raise RowTampered(row)
        fill(row, values)
        return
    version = row.version if _versioned(row) else None
    sealed = _opened(find_key, row, row.meta)
    clear = _clear_values(binding, lambda name: getattr(row, name), version)
    if {name: sealed.get(name) for name in clear} != clear:
        raise RowTampered(row)
    try:
        fill(row, {name: parsed(name, sealed.get(name)) for name in binding.sealed})
    except (TypeError, ValueError) as exc:
        raise RowTampered(row) from exc
    setattr(row, _OPENED, row.meta)


def _opened(find_key: Callable[[uuid.UUID], FieldKey], row: Any, meta: Any) -> dict[str, Any]:
    try:
        key = find_key(Ciphertext(meta).key_id)
        data = json.loads(key.decrypt(meta, _context(row)))
    except (InfohusError, ValueError) as exc:  # a key this member cannot hold, a broken copy
        raise RowTampered(row) from exc
    if not isinstance(data, dict):
        raise RowTampered(row)
    return data


def _clear_values(
    binding: Binding, value: Callable[[str], Any], version: int | None
) -> dict[str, str | int | None]:
    """The clear columns a copy must match: the binding's columns (its optional ones when
    set) and the version."""
    out: dict[str, str | int | None] = {
        name: clear_text(value(name)) for name in binding.fields if name not in binding.sealed
    }
    out.update(
        {name: clear_text(value(name)) for name in binding.optional if value(name) is not None}
    )
    if version is not None:
        out["version"] = version
    return out


def _legacy_values(session: Session, row: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    """A row's sealed values from the old clear columns of a vault not yet upgraded."""
    if not names:
        return {}
    present = {c["name"] for c in inspect(session.connection()).get_columns(row.__tablename__)}
    if not set(names) <= present:
        return None
    old = table(row.__tablename__, column("id", UUIDString()), *(column(n) for n in names))
    found = session.execute(select(*(old.c[n] for n in names)).where(old.c.id == row.id)).first()
    if found is None:
        return None
    return {n: from_column(n, v) for n, v in zip(names, found, strict=True)}


def _check_committed(keys: GroupKeys, session: Session, row: Any, required: bool) -> None:
    """Before a changed row is sealed anew: its copy as loaded must hold its clear values as
    loaded, so that an edit does not launder values changed outside the program. (The
    sealed values have no column to be changed in.)"""
    state = inspect(row)

    def committed(name: str) -> Any:
        history = state.attrs[name].history
        return history.deleted[0] if history.deleted else getattr(row, name)

    meta = committed("meta")
    if meta is None:
        if required:
            raise RowTampered(row)
        return
    version = committed("version") if _versioned(row) else None
    clear = _clear_values(BINDINGS[type(row)], committed, version)
    sealed = _opened(lambda key_id: keys.field_key_by_id(session, key_id), row, meta)
    if {name: sealed.get(name) for name in clear} != clear:
        raise RowTampered(row)


@event.listens_for(Session, "before_flush")
def _seal_bound_rows(session: Session, _flush: object, _instances: object) -> None:
    """Seal every new or changed bound row with the key its binding names. A changed row is
    checked as it was loaded first: an edit must not launder values changed outside the
    program into a fresh, valid copy."""
    pending = [o for o in (*session.new, *session.dirty) if type(o) in BINDINGS]
    if not pending:
        return
    keys = session.info.get(KEYRING_INFO)
    rows = Rows(session)
    for row in pending:
        new = row in session.new
        if not new and not session.is_modified(row):
            continue
        if keys is None:
            raise RuntimeError(
                f"a {type(row).__name__} was written outside a member's unit of work"
            )
        version = None
        if _versioned(row):
            version = (row.version or 1) if new else row.version + 1
        if not new:
            _check_committed(keys, session, row, bool(session.info.get(REQUIRED_INFO)))
        key = BINDINGS[type(row)].key(keys, rows, row)
        row.meta = key.encrypt(_values(row, version), _context(row))
        setattr(row, _OPENED, row.meta)
