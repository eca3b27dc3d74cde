"""Planning a meeting: its data, chair, minute taker and participants (members and guests).

:class:`MeetingPlanning` is this part of ``session.meetings``. Only members of the meeting's
access group can chair it, take its minutes, take part or own its action items
(:func:`check_member`, which the action items use too); guests are named with their
organisation, and their name and e-mail are sealed under the meeting's group key.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.meetings import (
    Attendance,
    GuestInput,
    Meeting,
    MeetingAction,
    MeetingEdit,
    MeetingKind,
    MeetingStatus,
    NewMeeting,
    Participant,
    optional_text,
    require_text,
)
from infohus_desktop.domain.members import GroupKind, Member
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.core.session import MemberSession
from infohus_desktop.services.meetings import store as store
from infohus_desktop.services.meetings.base import MeetingBase, MeetingRef
from infohus_desktop.services.meetings.reader import PARTICIPANTS, to_participant
from infohus_desktop.services.meetings.store import MemberNames, Writer
from infohus_desktop.vault.meeting_schema import MeetingParticipantRow, MeetingRow
from infohus_desktop.vault.schema import (
    GroupMembershipRow,
    LocalInfohusRow,
    MemberRow,
    OrganisationRow,
)

#: Times typed without a zone are Danish local time.
LOCAL_ZONE = COPENHAGEN


def aware(value: datetime) -> datetime:
    """In UTC: SQLite keeps a time's digits and drops its zone, so only UTC is stored."""
    local = value if value.tzinfo else value.replace(tzinfo=LOCAL_ZONE)
    return local.astimezone(UTC)


def _times(starts_at: datetime, ends_at: datetime | None) -> tuple[datetime, datetime | None]:
    start = aware(starts_at)
    end = aware(ends_at) if ends_at is not None else None
    if end is not None and end <= start:
        raise InvalidInput(
            "Mødet skal slutte efter, det begynder.", "The meeting must end after it starts."
        )
    return start, end


def _local_infohus(ms: MemberSession, session: Session, ref: str | None) -> LocalInfohusRow:
    rows = session.execute(
        select(LocalInfohusRow, OrganisationRow).join(
            OrganisationRow, OrganisationRow.id == LocalInfohusRow.municipality_id
        )
    ).all()
    if ref:
        wanted = ref.strip().casefold()
        for local, org in rows:
            if wanted in (org.name.casefold(), local.case_prefix.casefold(), str(local.id)):
                return local
        raise NotFound(f"Intet Infohus Kommune {ref!r}.", f"No Infohus Kommune {ref!r}.")
    own = [local for local, org in rows if org.id == ms.member.organisation_id]
    if len(own) == 1:
        return own[0]
    raise InvalidInput(
        "Angiv hvilket Infohus Kommune mødet hører til.",
        "Say which Infohus Kommune the meeting belongs to.",
    )


def _group_members(session: Session, group_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        session.scalars(
            select(GroupMembershipRow.member_id)
            .join(MemberRow, MemberRow.id == GroupMembershipRow.member_id)
            .where(GroupMembershipRow.group_id == group_id, MemberRow.active.is_(True))
        )
    )


def check_member(session: Session, group_id: uuid.UUID, member_id: uuid.UUID | None) -> None:
    """Refuse a member (chair, minute taker, participant, action item owner) who is not an
    active member of the meeting's access group ``group_id``; ``None`` (nobody) passes."""
    if member_id is not None and member_id not in _group_members(session, group_id):
        raise InvalidInput(
            "Kun medlemmer af mødets adgangskreds kan være mødeleder, referent eller deltager.",
            "Only members of the meeting's access group can chair, take minutes or take part.",
        )


def _has_member(session: Session, meeting_id: uuid.UUID, member_id: uuid.UUID) -> bool:
    return (
        session.scalar(
            select(MeetingParticipantRow.id).where(
                MeetingParticipantRow.meeting_id == meeting_id,
                MeetingParticipantRow.member_id == member_id,
            )
        )
        is not None
    )


def _add_participant(
    ms: MemberSession,
    session: Session,
    meeting: MeetingRow,
    member_id: uuid.UUID | None,
    guest: GuestInput | None,
) -> MeetingParticipantRow:
    last = session.scalar(
        select(func.max(MeetingParticipantRow.position)).where(
            MeetingParticipantRow.meeting_id == meeting.id
        )
    )
    row_id = uuid.uuid4()
    data = (
        {}
        if guest is None
        else {"name": guest.name, "organisation": guest.organisation, "email": guest.email}
    )
    row = MeetingParticipantRow(
        id=row_id,
        meeting_id=meeting.id,
        member_id=member_id,
        attendance=Attendance.INVITED.value,
        position=(last or 0) + 1,
        payload=store.seal(store.group_key(ms, session, meeting), PARTICIPANTS, row_id, data, None),
    )
    session.add(row)
    session.flush()
    return row


class MeetingPlanning(MeetingBase):
    """``session.meetings``: planning a meeting and its participants."""

    def members(self, ref: MeetingRef | None = None) -> builtins.list[Member]:
        """Members who can be invited, chair or minute taker: the members of the meeting's
        group (all active members when ``ref`` is None, for planning a new meeting)."""
        meeting_id = None if ref is None else self.resolve(ref)
        self.ms.require()
        with self.ms.uow() as session:
            if meeting_id is None:
                ids = set(session.scalars(select(MemberRow.id).where(MemberRow.active.is_(True))))
            else:
                ids = _group_members(
                    session, store.load_meeting(self.ms, session, meeting_id).group_id
                )
            names = MemberNames(self.ms, session)
            members = [m for m in (names.member(i) for i in ids) if m is not None]
        return sorted(
            (m for m in members if m.role != Role.DPO), key=lambda m: (m.name.casefold(), m.login)
        )

    def plan(self, new: NewMeeting) -> Meeting:
        """Plan a meeting (coordinators). A case meeting belongs to an Infohus Kommune and is
        encrypted under its group's key; a network meeting under the network's."""
        self.ms.require(Role.COORDINATOR)
        title = require_text(new.title, "Titel", "Title", 300)
        place = optional_text(new.place, "Sted", "Place", 300)
        description = optional_text(new.description, "Beskrivelse", "Description")
        start, end = _times(new.starts_at, new.ends_at)
        with self.ms.transaction() as session:
            local_id = None
            if new.kind is MeetingKind.CASE:
                local = _local_infohus(self.ms, session, new.local_infohus)
                group_id, local_id = local.group_id, local.id
            else:
                group_id = self.ms.vault.system_group_id(session, GroupKind.NETWORK)
            if group_id not in readable_group_ids(self.ms, session):
                raise InvalidInput(
                    "Du kan kun planlægge møder i en adgangskreds, du selv er med i.",
                    "You can only plan meetings in an access group you are in.",
                )
            for member_id in (new.chair_id, new.minute_taker_id, *new.member_ids):
                check_member(session, group_id, member_id)
            meeting_id = uuid.uuid4()
            row = MeetingRow(
                id=meeting_id,
                kind=new.kind.value,
                meeting_type=new.meeting_type.value,
                status=MeetingStatus.PLANNED.value,
                local_infohus_id=local_id,
                group_id=group_id,
                starts_at=start,
                ends_at=end,
                chair_id=new.chair_id,
                minute_taker_id=new.minute_taker_id,
                created_at=store.now(),
                created_by=self.ms.member.id,
                updated_at=store.now(),
            )
            key = self.ms.keyring.group_field_key(session, group_id)
            row.payload = store.seal(
                key,
                "meetings",
                meeting_id,
                {"title": title, "place": place, "description": description},
                None,
            )
            session.add(row)
            session.flush()
            invited = dict.fromkeys(
                m for m in (new.chair_id, new.minute_taker_id, *new.member_ids) if m is not None
            )
            for member_id in invited:
                _add_participant(self.ms, session, row, member_id, None)
            self.ms.record(
                session, MeetingAction.CREATE, meeting_id, Purpose.MEETING_PREP, new.kind.value
            )
        return self.get(meeting_id)

    def edit(self, ref: MeetingRef, edit: MeetingEdit, version: int) -> Meeting:
        """Change date, time, place, type, chair, minute taker or description (coordinators).
        Conflict when ``version`` is stale; MeetingLocked after approval."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            row = store.for_change(self.ms, session, meeting_id, Writer.PLANNER, version)
            data = store.open_payload(self.ms, session, "meetings", row.id, row.payload, None)
            if edit.title is not None:
                data["title"] = require_text(edit.title, "Titel", "Title", 300)
            if edit.place is not None:
                data["place"] = optional_text(edit.place, "Sted", "Place", 300)
            if edit.description is not None:
                data["description"] = optional_text(edit.description, "Beskrivelse", "Description")
            if edit.starts_at is not None or edit.ends_at is not None:
                start = edit.starts_at or store.as_utc(row.starts_at)
                assert start is not None
                row.starts_at, row.ends_at = _times(
                    start, edit.ends_at or store.as_utc(row.ends_at)
                )
            if edit.meeting_type is not None:
                row.meeting_type = edit.meeting_type.value
            for attr in ("chair_id", "minute_taker_id"):
                member_id = getattr(edit, attr)
                if member_id is not None:
                    check_member(session, row.group_id, member_id)
                    setattr(row, attr, member_id)
                    if not _has_member(session, row.id, member_id):
                        _add_participant(self.ms, session, row, member_id, None)
            row.payload = store.seal(
                store.group_key(self.ms, session, row), "meetings", row.id, data, None
            )
            store.touch(row)
            self.ms.record(session, MeetingAction.EDIT, row.id, Purpose.MEETING_PREP)
        return self.get(ref)

    def add_member(self, ref: MeetingRef, member_id: uuid.UUID) -> Participant:
        """Invite a member of the meeting's group (coordinators)."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            meeting = store.for_change(self.ms, session, meeting_id, Writer.PLANNER)
            check_member(session, meeting.group_id, member_id)
            if _has_member(session, meeting.id, member_id):
                raise InvalidInput(
                    "Medlemmet er allerede inviteret.", "The member is already invited."
                )
            row = _add_participant(self.ms, session, meeting, member_id, None)
            store.touch(meeting)
            self.ms.record(session, MeetingAction.PARTICIPANT_ADD, meeting.id, Purpose.MEETING_PREP)
            return to_participant(self.ms, session, row, MemberNames(self.ms, session))

    def add_guest(self, ref: MeetingRef, guest: GuestInput) -> Participant:
        """Invite a named guest with organisation (coordinators); name and e-mail are
        encrypted under the meeting's group key."""
        meeting_id = self.resolve(ref)
        checked = GuestInput(
            require_text(guest.name, "Gæstens navn", "The guest's name", 200),
            require_text(
                guest.organisation, "Gæstens organisation", "The guest's organisation", 200
            ),
            optional_text(guest.email, "E-mail", "E-mail", 200),
        )
        if checked.email and "@" not in checked.email:
            raise InvalidInput("E-mailadressen er ikke gyldig.", "The e-mail address is not valid.")
        with self.ms.transaction() as session:
            meeting = store.for_change(self.ms, session, meeting_id, Writer.PLANNER)
            row = _add_participant(self.ms, session, meeting, None, checked)
            store.touch(meeting)
            self.ms.record(session, MeetingAction.PARTICIPANT_ADD, meeting.id, Purpose.MEETING_PREP)
            return to_participant(self.ms, session, row, MemberNames(self.ms, session))

    def remove_participant(self, ref: MeetingRef, participant_id: uuid.UUID) -> None:
        """Take a participant off the list (coordinators)."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            meeting = store.for_change(self.ms, session, meeting_id, Writer.PLANNER)
            row = session.get(MeetingParticipantRow, participant_id)
            if row is None or row.meeting_id != meeting.id:
                raise NotFound("Deltageren findes ikke.", "No such participant.")
            session.delete(row)
            store.touch(meeting)
            self.ms.record(
                session, MeetingAction.PARTICIPANT_REMOVE, meeting.id, Purpose.MEETING_PREP
            )

    def set_attendance(
        self, ref: MeetingRef, attendance: Mapping[uuid.UUID, Attendance]
    ) -> builtins.list[Participant]:
        """Mark who attended: participant id → present/absent (chair, minute taker,
        coordinators)."""
        meeting_id = self.resolve(ref)
        with self.ms.transaction() as session:
            meeting = store.for_change(self.ms, session, meeting_id, Writer.MINUTES)
            rows = {
                row.id: row
                for row in session.scalars(
                    select(MeetingParticipantRow).where(
                        MeetingParticipantRow.meeting_id == meeting.id
                    )
                )
            }
            unknown = set(attendance) - set(rows)
            if unknown:
                raise NotFound("En deltager findes ikke.", "A participant does not exist.")
            for participant_id, state in attendance.items():
                rows[participant_id].attendance = Attendance(state).value
            store.touch(meeting)
            self.ms.record(session, MeetingAction.ATTENDANCE, meeting.id, Purpose.MEETING_PREP)
            names = MemberNames(self.ms, session)
            ordered = sorted(rows.values(), key=lambda r: r.position)
            return [to_participant(self.ms, session, row, names) for row in ordered]
