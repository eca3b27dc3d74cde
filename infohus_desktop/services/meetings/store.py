"""Rows, keys, access and the lock of meetings: what every meeting service module shares.

Keys: a meeting's own text (title, place, participants, items that are not about a case) is
sealed under its group's current epoch key; a case item, and every decision, action item and
addendum of it, under the case's data key with the case id in the associated data. A value is
opened with the key its ciphertext names (``key_id``), so text written in an older epoch, or
before a case moved to another group, stays readable to those who may read it.

Access: :func:`load_meeting` finds a meeting only for members who hold its group's key (the
same answer whether it does not exist or may not be read); :func:`for_change` adds the role
rule and refuses every change once the minutes are approved (:class:`MeetingLocked`).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import Ciphertext, FieldContext, FieldKey
from infohus_desktop.domain.errors import Conflict, NotFound, TamperedData
from infohus_desktop.domain.meetings import MeetingAction, MeetingLocked, MeetingStatus
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession, denied
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import dumps, loads
from infohus_desktop.vault.meeting_schema import MeetingItemRow, MeetingRow
from infohus_desktop.vault.members import name_context, to_member
from infohus_desktop.vault.schema import MemberRow, OrganisationRow
from infohus_desktop.vault.trend_schema import TrendNoteRow

R = TypeVar("R")

#: Shortest short id the CLI accepts: 8 hex digits (4 billion values).
SHORT_ID_MIN = 8


class Writer(enum.Enum):
    """Who may make a change."""

    PLANNER = "planner"  # coordinators of the meeting's group
    MINUTES = "minutes"  # the chair, the minute taker, coordinators
    CHAIR = "chair"  # the chair alone (approval)


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time stored is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def not_found(ref: object) -> NotFound:
    return NotFound(
        f"Intet møde {ref} blandt de møder, du kan læse.",
        f"No meeting {ref} among the meetings you can read.",
    )


def item_not_found() -> NotFound:
    return NotFound(
        "Punktet findes ikke blandt dem, du kan læse.",
        "The item is not among those you can read.",
    )


def stale() -> Conflict:
    return Conflict(
        "Mødet er ændret af en anden, siden du hentede det. Hent det igen.",
        "The meeting was changed by someone else since you loaded it. Reload it.",
    )


# -- sealing ----------------------------------------------------------------------------------


def seal(
    key: FieldKey, table: str, row_id: uuid.UUID, data: dict[str, Any], case_id: uuid.UUID | None
) -> Ciphertext:
    return key.encrypt(dumps(data), FieldContext(table, "payload", row_id, case_id))


def open_payload(
    ms: MemberSession,
    session: Session,
    table: str,
    row_id: uuid.UUID,
    value: Ciphertext | bytes,
    case_id: uuid.UUID | None,
    keys: dict[uuid.UUID, FieldKey] | None = None,
) -> dict[str, Any]:
    """Decrypt a row's payload with the key its ciphertext names (``keys``: a cache of the
    keys found so far in this unit of work)."""
    key_id = Ciphertext(value).key_id
    key = keys.get(key_id) if keys is not None else None
    if key is None:
        key = ms.keyring.field_key_by_id(session, key_id)
        if keys is not None:
            keys[key_id] = key
    return loads(key.decrypt(value, FieldContext(table, "payload", row_id, case_id)))


def text(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value if isinstance(value, str) else ""


# -- finding ----------------------------------------------------------------------------------


def load_meeting(ms: MemberSession, session: Session, meeting_id: uuid.UUID) -> MeetingRow:
    """The meeting, if this member holds its group's key."""
    ms.require()
    row = session.get(MeetingRow, meeting_id)
    if row is None or row.group_id not in readable_group_ids(ms, session):
        raise not_found(meeting_id.hex[:SHORT_ID_MIN])
    return opened(ms, session, row, row)


def opened(ms: MemberSession, session: Session, row: R, meeting: MeetingRow) -> R:
    """A meeting row with its sealed values (status, moments, attendance, deadlines),
    checked; a row changed outside the program raises ``RowTampered``, noted for the audit
    log against its meeting."""
    try:
        ms.check_bound(session, row)
    except TamperedData:
        ms.note_tampered(meeting.id, meeting.id.hex[:SHORT_ID_MIN], MeetingAction.TAMPERED)
        raise
    return row


def may_write(ms: MemberSession, row: MeetingRow, writer: Writer) -> bool:
    me = ms.member
    if writer is Writer.CHAIR:
        return row.chair_id == me.id
    if me.role == Role.COORDINATOR:
        return True
    return writer is Writer.MINUTES and me.id in (row.chair_id, row.minute_taker_id)


def check_writer(ms: MemberSession, row: MeetingRow, writer: Writer) -> None:
    if not may_write(ms, row, writer):
        raise denied()


def for_change(
    ms: MemberSession,
    session: Session,
    meeting_id: uuid.UUID,
    writer: Writer,
    version: int | None = None,
) -> MeetingRow:
    """The meeting, checked for a change: readable, the writer's role, not locked, and (when
    given) still at ``version``. Every path that changes a meeting or its items comes here."""
    row = load_meeting(ms, session, meeting_id)
    check_writer(ms, row, writer)
    if MeetingStatus(row.status).locked:
        raise MeetingLocked()
    if version is not None and row.version != version:
        raise stale()
    return row


def touch(row: MeetingRow) -> None:
    """Mark the meeting changed: its version moves on with every change to it or its items,
    so the chair approves exactly the minutes they saw."""
    row.updated_at = now()


def group_key(ms: MemberSession, session: Session, row: MeetingRow) -> FieldKey:
    return ms.keyring.group_field_key(session, row.group_id)


# -- case items -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemKey:
    """The key that seals an item and its children, and the case in their associated data."""

    key: FieldKey
    case_id: uuid.UUID | None


def readable_case(ms: MemberSession, session: Session, case_id: uuid.UUID) -> CaseRow | None:
    row = session.get(CaseRow, case_id)
    if row is None or row.group_id not in readable_group_ids(ms, session):
        return None
    return row


def readable_trend(ms: MemberSession, session: Session, note_id: uuid.UUID) -> TrendNoteRow | None:
    """The trend note, if this member holds its access group's key."""
    row = session.get(TrendNoteRow, note_id)
    if row is None or row.group_id not in readable_group_ids(ms, session):
        return None
    return row


def item_readable(ms: MemberSession, session: Session, item: MeetingItemRow) -> bool:
    """Whether the member may see the item: the case of a case item, the note of a trend
    item must be readable to them (other items: whoever reads the meeting)."""
    if item.case_id is not None and readable_case(ms, session, item.case_id) is None:
        return False
    return item.trend_note_id is None or readable_trend(ms, session, item.trend_note_id) is not None


def item_key(
    ms: MemberSession, session: Session, meeting: MeetingRow, item: MeetingItemRow
) -> ItemKey:
    """The key to write an item's text with; NotFound for a case or trend note the member
    cannot read. A trend item's text is meeting-wide: the group key."""
    if item.case_id is None:
        if not item_readable(ms, session, item):
            raise item_not_found()
        return ItemKey(group_key(ms, session, meeting), None)
    case = readable_case(ms, session, item.case_id)
    if case is None:
        raise item_not_found()
    return ItemKey(ms.keyring.field_key_by_id(session, case.data_key_id), case.id)


def load_item(
    ms: MemberSession, session: Session, item_id: uuid.UUID, writer: Writer | None = None
) -> tuple[MeetingRow, MeetingItemRow]:
    """An item and its meeting; with ``writer``, checked for a change like :func:`for_change`.
    A case item of a case (a trend item of a note) the member cannot read is NotFound."""
    item = session.get(MeetingItemRow, item_id)
    if item is None:
        raise item_not_found()
    try:
        meeting = (
            load_meeting(ms, session, item.meeting_id)
            if writer is None
            else for_change(ms, session, item.meeting_id, writer)
        )
    except NotFound:
        raise item_not_found() from None
    if not item_readable(ms, session, item):
        raise item_not_found()
    return meeting, item


# -- names ------------------------------------------------------------------------------------


class MemberNames:
    """Members' display names and organisations (names decrypted under the directory key),
    each looked up once per unit of work; :meth:`member` gives the whole member."""

    def __init__(self, ms: MemberSession, session: Session) -> None:
        self.ms = ms
        self.session = session
        self._cache: dict[uuid.UUID, Member | None] = {}
        self._light: dict[uuid.UUID, tuple[str, str]] = {}
        self._keys: dict[uuid.UUID, FieldKey] = {}
        self._orgs: dict[uuid.UUID, str] = {}

    def member(self, member_id: uuid.UUID | None) -> Member | None:
        if member_id is None:
            return None
        if member_id not in self._cache:
            row = self.session.get(MemberRow, member_id)
            self._cache[member_id] = (
                None if row is None else to_member(self.session, self.ms.keyring, row)
            )
        return self._cache[member_id]

    def name_and_organisation(self, member_id: uuid.UUID | None) -> tuple[str, str]:
        """Without the fingerprint work of a whole :class:`Member`: lists show many names."""
        if member_id is None:
            return "", ""
        if member_id not in self._light:
            row = self.session.get(MemberRow, member_id)
            if row is None:
                self._light[member_id] = ("", "")
            else:
                key_id = row.name.key_id
                if key_id not in self._keys:
                    self._keys[key_id] = self.ms.keyring.field_key_by_id(self.session, key_id)
                name = self._keys[key_id].decrypt_text(row.name, name_context(row.id))
                if row.organisation_id not in self._orgs:
                    org = self.session.get(OrganisationRow, row.organisation_id)
                    self._orgs[row.organisation_id] = org.name if org is not None else ""
                self._light[member_id] = (name, self._orgs[row.organisation_id])
        return self._light[member_id]

    def name(self, member_id: uuid.UUID | None) -> str:
        return self.name_and_organisation(member_id)[0]
