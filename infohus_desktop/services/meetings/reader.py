"""Reading meetings: the list, and a whole meeting decrypted for its reader.

A read is audited (committed) before anything is decrypted: the meeting itself, and each case
item the reader can read as a read of that case with the purpose *mødeforberedelse*, so the
case's insight report shows that it was discussed. Items of cases outside the reader's groups
are returned withheld: kind and position only, no case number, no text, no name. So are trend
items whose note the reader cannot read; the title of a readable note is decrypted from the
note at read time (the meeting holds only its id).

The functions here turn rows into what a reader sees (``to_*``) and read a whole meeting in
two steps (:func:`audit_read`, then :func:`build_meeting`); ``MeetingBase.get`` and the PDF
output use them.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from infohus_desktop.crypto.aead import FieldKey
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.errors import TamperedData
from infohus_desktop.domain.meetings import (
    ActionItem,
    ActionStatus,
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    DecisionKind,
    ItemKind,
    Meeting,
    MeetingAction,
    MeetingKind,
    MeetingStatus,
    MeetingSummary,
    MeetingType,
    Participant,
)
from infohus_desktop.services.core.access import CaseHandle, readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.carried import carried_rows
from infohus_desktop.services.meetings.store import MemberNames
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.codecs.cases import person_from_json
from infohus_desktop.vault.meeting_schema import (
    ActionItemRow,
    MeetingAddendumRow,
    MeetingDecisionRow,
    MeetingItemRow,
    MeetingParticipantRow,
    MeetingRow,
)
from infohus_desktop.vault.retention_schema import TombstoneRow
from infohus_desktop.vault.schema import LocalInfohusRow, OrganisationRow, VaultInfo
from infohus_desktop.vault.trend_schema import TrendNoteRow

PARTICIPANTS = "meeting_participants"
E = TypeVar("E", bound=enum.Enum)


@dataclass
class Reader:
    """What one read needs: the session, member names, which groups and cases the reader
    can open, and the meetings' decrypted payloads, each looked up once."""

    ms: MemberSession
    session: Session
    with_names: bool = False
    #: The cases whose read was audited before this read; another case item (one added in
    #: between) is withheld rather than decrypted without its entry. None: the caller
    #: audited in its own way (lists of action items).
    audited: frozenset[uuid.UUID] | None = None
    names: MemberNames = field(init=False)
    groups: set[uuid.UUID] = field(init=False)
    _cases: dict[uuid.UUID, CaseRow | None] = field(default_factory=dict)
    _trends: dict[uuid.UUID, str | None] = field(default_factory=dict)
    _meetings: dict[uuid.UUID, tuple[MeetingRow, dict[str, Any]]] = field(default_factory=dict)
    _keys: dict[uuid.UUID, FieldKey] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names = MemberNames(self.ms, self.session)
        self.groups = readable_group_ids(self.ms, self.session)

    def case(self, case_id: uuid.UUID | None) -> CaseRow | None:
        """The case row, or None when there is no case or the reader cannot read it."""
        if case_id is None:
            return None
        if case_id not in self._cases:
            row = self.session.get(CaseRow, case_id)
            readable = row is not None and row.group_id in self.groups
            if self.audited is not None and case_id not in self.audited:
                readable = False
            self._cases[case_id] = row if readable else None
        return self._cases[case_id]

    def withheld(self, case_id: uuid.UUID | None) -> bool:
        return case_id is not None and self.case(case_id) is None

    def trend_title(self, note_id: uuid.UUID | None) -> str | None:
        """The note's title, or None when there is no note or the reader cannot read it."""
        if note_id is None:
            return None
        if note_id not in self._trends:
            row = self.session.get(TrendNoteRow, note_id)
            title = None
            if row is not None and row.group_id in self.groups:
                title = store.text(self.open("trend_notes", row.id, row.payload, None), "title")
            self._trends[note_id] = title
        return self._trends[note_id]

    def item_withheld(self, item: MeetingItemRow | None) -> bool:
        """A case item of a case, or a trend item of a note, outside the reader's groups."""
        if item is None:
            return False
        if self.withheld(item.case_id):
            return True
        return item.trend_note_id is not None and self.trend_title(item.trend_note_id) is None

    def checked(self, row: object) -> None:
        """Raise ``RowTampered`` unless the row's clear values are those sealed with it."""
        self.ms.check_bound(self.session, row)

    def meeting(self, meeting_id: uuid.UUID) -> tuple[MeetingRow, dict[str, Any]]:
        if meeting_id not in self._meetings:
            row = self.session.get(MeetingRow, meeting_id)
            assert row is not None
            self.checked(row)
            data = self.open("meetings", row.id, row.payload, None)
            self._meetings[meeting_id] = (row, data)
        return self._meetings[meeting_id]

    def open(
        self, table: str, row_id: uuid.UUID, payload: bytes, case_id: uuid.UUID | None
    ) -> dict[str, Any]:
        return store.open_payload(
            self.ms, self.session, table, row_id, payload, case_id, self._keys
        )

    def person_name(self, case_id: uuid.UUID) -> str:
        row = self.case(case_id)
        assert row is not None
        handle = CaseHandle(row, self.ms.keyring.field_key_by_id(self.session, row.data_key_id))
        return person_from_json(handle.open_case("person")).name


# -- rows to domain objects -------------------------------------------------------------------


def infohus_name(session: Session) -> str:
    """The district's name as documents head it: "Infohus Østjylland"."""
    info = session.scalar(select(VaultInfo))
    name = info.infohus_name.strip() if info is not None else ""
    return name if name.casefold().startswith("infohus") else f"Infohus {name}".strip()


def _forum(session: Session, row: MeetingRow) -> str:
    if row.local_infohus_id is None:
        return infohus_name(session)
    name = session.scalar(
        select(OrganisationRow.name)
        .join(LocalInfohusRow, LocalInfohusRow.municipality_id == OrganisationRow.id)
        .where(LocalInfohusRow.id == row.local_infohus_id)
    )
    return name or ""


def to_summary(r: Reader, row: MeetingRow, item_count: int) -> MeetingSummary:
    _row, data = r.meeting(row.id)
    starts = store.as_utc(row.starts_at)
    assert starts is not None
    return MeetingSummary(
        id=row.id,
        kind=MeetingKind(row.kind),
        meeting_type=MeetingType(row.meeting_type),
        status=MeetingStatus(row.status),
        title=store.text(data, "title"),
        place=store.text(data, "place"),
        starts_at=starts,
        ends_at=store.as_utc(row.ends_at),
        forum=_forum(r.session, row),
        local_infohus_id=row.local_infohus_id,
        item_count=item_count,
        version=row.version,
    )


def _code(kind: type[E], value: str, default: E) -> E:
    """A clear code of a tampered row: shown only if it is one the program knows."""
    try:
        return kind(value)
    except ValueError:
        return default


def summary_or_tampered(r: Reader, row: MeetingRow, item_count: int) -> MeetingSummary:
    """One bad meeting must not take the list down: it is listed as tampered (and audited
    as ``meeting.tampered`` after the list)."""
    try:
        return to_summary(r, row, item_count)
    except TamperedData:
        r.ms.note_tampered(row.id, row.id.hex[:8], MeetingAction.TAMPERED)
    # Nothing of a copy that did not open is shown; the creation time places it in the list.
    return MeetingSummary(
        id=row.id,
        kind=_code(MeetingKind, row.kind, MeetingKind.CASE),
        meeting_type=MeetingType.ORDINARY,
        status=MeetingStatus.PLANNED,
        title="",
        place="",
        starts_at=store.as_utc(row.created_at) or datetime.min.replace(tzinfo=UTC),
        ends_at=None,
        forum="",
        local_infohus_id=None,
        item_count=0,
        version=row.version,
        tampered=True,
    )


def action_or_tampered(r: Reader, row: ActionItemRow) -> ActionItem:
    """An action item of a list, or the row listed as tampered (audited after the list)."""
    try:
        return to_action(r, row)
    except TamperedData:
        r.ms.note_tampered(row.meeting_id, row.meeting_id.hex[:8], MeetingAction.TAMPERED)
    return ActionItem(
        id=row.id,
        meeting_id=row.meeting_id,
        item_id=row.item_id,
        text="",
        owner_id=None,
        owner_name="",
        deadline=None,
        status=ActionStatus.OPEN,
        closed_by_id=None,
        closed_by_name="",
        closed_at=None,
        version=row.version,
        tampered=True,
    )


def to_participant(
    ms: MemberSession, session: Session, row: MeetingParticipantRow, names: MemberNames
) -> Participant:
    """A participant as read: a member by their name and organisation, a guest from the
    sealed payload (name, organisation, e-mail)."""
    ms.check_bound(session, row)
    if row.member_id is not None:
        name, organisation = names.name_and_organisation(row.member_id)
        email = ""
    else:
        data = store.open_payload(ms, session, PARTICIPANTS, row.id, row.payload, None)
        name = store.text(data, "name")
        organisation, email = store.text(data, "organisation"), store.text(data, "email")
    return Participant(row.id, row.member_id, name, organisation, email, Attendance(row.attendance))


def to_decision(r: Reader, row: MeetingDecisionRow, case_id: uuid.UUID | None) -> Decision:
    r.checked(row)
    data = r.open("meeting_decisions", row.id, row.payload, case_id)
    return Decision(
        row.id,
        row.item_id,
        DecisionKind(row.kind),
        store.text(data, "text"),
        store.text(data, "authority"),
        row.version,
    )


def to_action(r: Reader, row: ActionItemRow) -> ActionItem:
    r.checked(row)
    item = r.session.get(MeetingItemRow, row.item_id)
    case_id = None if item is None else item.case_id
    meeting_row, meeting_data = r.meeting(row.meeting_id)
    starts = store.as_utc(meeting_row.starts_at)
    common: dict[str, Any] = {
        "id": row.id,
        "meeting_id": row.meeting_id,
        "item_id": row.item_id,
        "deadline": row.deadline,
        "status": ActionStatus(row.status),
        "closed_at": store.as_utc(row.closed_at),
        "version": row.version,
        "meeting_date": starts.date() if starts else None,
        "meeting_title": store.text(meeting_data, "title"),
        "item_kind": None if item is None else ItemKind(item.kind),
    }
    if r.item_withheld(item):
        return ActionItem(
            text="",
            owner_id=None,
            owner_name="",
            closed_by_id=None,
            closed_by_name="",
            withheld=True,
            **common,
        )
    data = r.open("meeting_action_items", row.id, row.payload, case_id)
    case = r.case(case_id)
    return ActionItem(
        text=store.text(data, "text"),
        owner_id=row.owner_id,
        owner_name=r.names.name(row.owner_id) or store.text(data, "owner_name"),
        closed_by_id=row.closed_by,
        closed_by_name=r.names.name(row.closed_by),
        case_number=case.number if case is not None else None,
        **common,
    )


def to_item(r: Reader, row: MeetingItemRow) -> AgendaItem:
    r.checked(row)
    if r.item_withheld(row):
        return AgendaItem(
            row.id,
            row.position,
            ItemKind(row.kind),
            "",
            "",
            None,
            None,
            "",
            (),
            (),
            row.version,
            withheld=True,
        )
    data = r.open("meeting_items", row.id, row.payload, row.case_id)
    deleted_on = None
    if row.deleted_case_id is not None:
        stone = r.session.get(TombstoneRow, row.deleted_case_id)
        deleted_on = store.as_utc(stone.deleted_at).date() if stone is not None else None  # type: ignore[union-attr]
    decisions = session_rows(r.session, MeetingDecisionRow, MeetingDecisionRow.item_id, row.id)
    actions = session_rows(r.session, ActionItemRow, ActionItemRow.item_id, row.id)
    case = r.case(row.case_id)
    return AgendaItem(
        id=row.id,
        position=row.position,
        kind=ItemKind(row.kind),
        title=store.text(data, "title"),
        organisation=store.text(data, "organisation"),
        subject_id=row.case_id or row.trend_note_id,
        case_number=case.number if case is not None else None,
        notes=store.text(data, "notes"),
        decisions=tuple(to_decision(r, d, row.case_id) for d in decisions),
        action_items=tuple(to_action(r, a) for a in actions),
        version=row.version,
        person_name=r.person_name(case.id) if case is not None and r.with_names else None,
        trend_title=r.trend_title(row.trend_note_id),
        deleted_on=deleted_on,
    )


def session_rows(session: Session, model: Any, column: Any, value: uuid.UUID) -> list[Any]:
    return list(session.scalars(select(model).where(column == value).order_by(model.position)))


def to_addendum(r: Reader, row: MeetingAddendumRow) -> Addendum:
    r.checked(row)
    item = r.session.get(MeetingItemRow, row.item_id) if row.item_id else None
    case_id = None if item is None else item.case_id
    at = store.as_utc(row.at)
    assert at is not None
    if r.item_withheld(item):
        return Addendum(row.id, row.item_id, "", row.by_member, "", at, withheld=True)
    data = r.open("meeting_addenda", row.id, row.payload, case_id)
    return Addendum(
        row.id,
        row.item_id,
        store.text(data, "text"),
        row.by_member,
        r.names.name(row.by_member),
        at,
    )


# -- carried action items ---------------------------------------------------------------------


# -- reading a meeting: audit first, then decrypt ----------------------------------------------


def audit_read(
    ms: MemberSession, meeting_id: uuid.UUID, action: str, detail: str | None = None
) -> frozenset[uuid.UUID]:
    """Commit the audit entries of reading a meeting before decrypting it: the meeting, and
    every case the reader can open of its case items and of the action items it carries
    over from earlier meetings (a case the new agenda has no item for, whose action item is
    still open), each against its case. Returns those cases: pass them to
    :func:`build_meeting`, which decrypts no other case's item."""
    with ms.uow() as session:
        meeting = store.load_meeting(ms, session, meeting_id)
        r = Reader(ms, session)
        wanted = MeetingItemRow.meeting_id == meeting.id
        carried = [action.item_id for action in carried_rows(ms, session, meeting)]
        if carried:
            wanted = or_(wanted, MeetingItemRow.id.in_(carried))
        case_ids = {
            case_id
            for case_id in session.scalars(select(MeetingItemRow.case_id).where(wanted))
            if case_id is not None and r.case(case_id) is not None
        }
    with ms.transaction() as session:
        ms.record(session, action, meeting_id, Purpose.MEETING_PREP, detail)
        for case_id in sorted(case_ids):
            ms.record(
                session,
                MeetingAction.CASE_ITEM_READ,
                case_id,
                Purpose.MEETING_PREP,
                f"meeting={meeting_id} action={action}",
            )
    return frozenset(case_ids)


def build_meeting(
    ms: MemberSession,
    meeting_id: uuid.UUID,
    with_names: bool,
    audited_cases: frozenset[uuid.UUID],
) -> Meeting:
    """Decrypt the meeting for this reader; case items only of ``audited_cases``, the cases
    :func:`audit_read` committed entries for (a case item added since is withheld)."""
    with ms.uow() as session:
        row = store.load_meeting(ms, session, meeting_id)
        r = Reader(ms, session, with_names, audited_cases)
        items = [
            to_item(r, i)
            for i in session_rows(session, MeetingItemRow, MeetingItemRow.meeting_id, row.id)
        ]
        participants = session_rows(
            session, MeetingParticipantRow, MeetingParticipantRow.meeting_id, row.id
        )
        addenda = session.scalars(
            select(MeetingAddendumRow)
            .where(MeetingAddendumRow.meeting_id == row.id)
            .order_by(MeetingAddendumRow.at)
        )
        _row, data = r.meeting(row.id)
        return Meeting(
            summary=to_summary(r, row, len(items)),
            description=store.text(data, "description"),
            chair_id=row.chair_id,
            chair_name=r.names.name(row.chair_id),
            minute_taker_id=row.minute_taker_id,
            minute_taker_name=r.names.name(row.minute_taker_id),
            participants=tuple(to_participant(ms, session, p, r.names) for p in participants),
            items=tuple(items),
            carried_action_items=tuple(
                action_or_tampered(r, a) for a in carried_rows(ms, session, row)
            ),
            addenda=tuple(to_addendum(r, a) for a in addenda),
            held_at=store.as_utc(row.held_at),
            approved_at=store.as_utc(row.approved_at),
            approved_by_name=r.names.name(row.approved_by),
            sent_at=store.as_utc(row.sent_at),
            infohus_name=infohus_name(session),
        )
