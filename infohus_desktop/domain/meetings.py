"""Meetings (DOMAIN.md, "Meetings"): a network meeting of the district or a case meeting of an
Infohus Kommune, its agenda, what was said and agreed per item, its action items and minutes.

Plain dataclasses: what the meeting services return and the UI and the PDFs show. Free text
and names are encrypted in the vault: meeting-wide text under the meeting's group key, and
everything written about a case item under that case's data key, so that a member outside the
case's access group gets the item *withheld* (:attr:`AgendaItem.withheld`): no content, no
case number, no person name. A trend item refers to a trend note: its text is meeting-wide,
its title is the note's own (read from the note), and a reader who cannot read the note gets
the item withheld the same way.

Lifecycle: ``planlagt`` → ``afholdt`` → ``referat godkendt`` (the chair approves; the minutes
lock and later corrections are :class:`Addendum` entries with who and when) → ``udsendt``.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from infohus_desktop.domain.errors import AccessDenied, InvalidInput


class MeetingKind(enum.StrEnum):
    #: *Netværksmøde*: trend notes, orientation, knowledge sharing. Never cases.
    NETWORK = "netvaerksmoede"
    #: *Infohusmøde / analysemøde* of an Infohus Kommune: cases, plus orientation.
    CASE = "infohusmoede"


class MeetingType(enum.StrEnum):
    ORDINARY = "ordinaert"
    EXTRAORDINARY = "ekstraordinaert"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planlagt"
    HELD = "afholdt"
    APPROVED = "godkendt"  # *referat godkendt*: locked
    SENT = "udsendt"

    @property
    def locked(self) -> bool:
        """Approved minutes are never changed; corrections are addenda."""
        return self in (MeetingStatus.APPROVED, MeetingStatus.SENT)


#: The only forward steps of a meeting's lifecycle.
NEXT_STATUS: dict[MeetingStatus, MeetingStatus] = {
    MeetingStatus.PLANNED: MeetingStatus.HELD,
    MeetingStatus.HELD: MeetingStatus.APPROVED,
    MeetingStatus.APPROVED: MeetingStatus.SENT,
}


class ItemKind(enum.StrEnum):
    """Kinds of agenda item. A case item's ``subject_id`` is its case, a trend item's its
    trend note (*tendensnotat*); the resolvers are in ``services/meetings/agenda.py`` and
    ``services/meetings/trend_items.py``."""

    CASE = "sag"
    TREND = "tendensnotat"
    ORIENTATION = "orientering"
    OTHER = "eventuelt"


#: Which item kinds each meeting kind allows. A network meeting never handles a case; both
#: discuss trend notes.
ITEM_KINDS: dict[MeetingKind, tuple[ItemKind, ...]] = {
    MeetingKind.NETWORK: (ItemKind.TREND, ItemKind.ORIENTATION, ItemKind.OTHER),
    MeetingKind.CASE: (ItemKind.CASE, ItemKind.TREND, ItemKind.ORIENTATION, ItemKind.OTHER),
}


class Attendance(enum.StrEnum):
    INVITED = "inviteret"  # before the meeting is held
    PRESENT = "til_stede"
    ABSENT = "fravaerende"


class DecisionKind(enum.StrEnum):
    """The Infohus recommends; each authority decides under its own law. An agreement records
    what an authority has agreed to do."""

    RECOMMENDATION = "anbefaling"
    AGREEMENT = "aftale"


class ActionStatus(enum.StrEnum):
    OPEN = "aaben"
    DONE = "udfoert"


class MeetingAction(enum.StrEnum):
    """Audit actions of the meeting feature."""

    CREATE = "meeting.create"
    EDIT = "meeting.edit"
    LIST = "meeting.list"
    READ = "meeting.read"
    CASE_ITEM_READ = "meeting.case_item.read"
    PARTICIPANT_ADD = "meeting.participant.add"
    PARTICIPANT_REMOVE = "meeting.participant.remove"
    ATTENDANCE = "meeting.attendance"
    ITEM_ADD = "meeting.item.add"
    ITEM_EDIT = "meeting.item.edit"
    ITEM_REMOVE = "meeting.item.remove"
    ITEM_REORDER = "meeting.item.reorder"
    NOTES = "meeting.item.notes"
    DECISION_ADD = "meeting.decision.add"
    DECISION_EDIT = "meeting.decision.edit"
    DECISION_REMOVE = "meeting.decision.remove"
    ACTION_ADD = "meeting.action.add"
    ACTION_EDIT = "meeting.action.edit"
    ACTION_REMOVE = "meeting.action.remove"
    ACTION_CLOSE = "meeting.action.close"
    ACTION_LIST = "meeting.action.list"
    HOLD = "meeting.hold"
    APPROVE = "meeting.approve"
    ADDENDUM = "meeting.addendum"
    SEND = "meeting.send"
    AGENDA_PDF = "meeting.agenda.pdf"
    MINUTES_PDF = "meeting.minutes.pdf"
    MINUTES_PDF_NAMES = "meeting.minutes.pdf.names"
    PRINT = "meeting.print"
    SAVE = "meeting.save"
    ICS = "meeting.ics"
    #: A read met a meeting row changed outside the program (vault/row_binding.py).
    TAMPERED = "meeting.tampered"


class MeetingLocked(AccessDenied):
    """A change to approved minutes. Corrections are addenda."""

    def __init__(self) -> None:
        super().__init__(
            "Referatet er godkendt og låst. Rettelser tilføjes som tillæg.",
            "The minutes are approved and locked. Corrections are added as addenda.",
        )


def require_text(value: str, da_field: str, en_field: str, limit: int = 20_000) -> str:
    """A required free text, stripped; a clear message when it is empty or far too long."""
    text = value.strip()
    if not text:
        raise InvalidInput(f"{da_field} skal udfyldes.", f"{en_field} is required.")
    return optional_text(text, da_field, en_field, limit)


def optional_text(value: str, da_field: str, en_field: str, limit: int = 20_000) -> str:
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(
            f"{da_field} er for lang (højst {limit} tegn).",
            f"{en_field} is too long (at most {limit} characters).",
        )
    return text


# -- input -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewMeeting:
    """What a coordinator fills in to plan a meeting. ``starts_at``/``ends_at`` are aware
    datetimes (the UI gives Europe/Copenhagen local time); ``local_infohus`` names the Infohus
    Kommune of a case meeting (name, case prefix or id; default: the coordinator's own)."""

    kind: MeetingKind
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    place: str = ""
    meeting_type: MeetingType = MeetingType.ORDINARY
    local_infohus: str | None = None
    chair_id: uuid.UUID | None = None
    minute_taker_id: uuid.UUID | None = None
    description: str = ""
    #: Members invited when planning (more can be added later).
    member_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class MeetingEdit:
    """Fields to change; ``None`` leaves a field as it is."""

    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    meeting_type: MeetingType | None = None
    chair_id: uuid.UUID | None = None
    minute_taker_id: uuid.UUID | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class GuestInput:
    """A named guest who is not a member of the vault (e.g. from psychiatry)."""

    name: str
    organisation: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class NewAgendaItem:
    """``case`` is a case number or id (case items only); ``organisation`` is who orients
    (orientation items); ``trend_note`` is a trend note's id, its string or its first 8+ hex
    digits (trend items only)."""

    kind: ItemKind
    title: str = ""
    case: str | None = None
    organisation: str = ""
    trend_note: uuid.UUID | str | None = None


@dataclass(frozen=True, slots=True)
class NewActionItem:
    """Who does what by when. The owner is a member (``owner_id``) or someone named
    (``owner_name``, e.g. a guest's authority)."""

    text: str
    deadline: date | None = None
    owner_id: uuid.UUID | None = None
    owner_name: str = ""


# -- output ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Participant:
    id: uuid.UUID
    member_id: uuid.UUID | None  # None for a guest
    name: str
    organisation: str
    email: str
    attendance: Attendance

    @property
    def is_guest(self) -> bool:
        return self.member_id is None


@dataclass(frozen=True, slots=True)
class Decision:
    """A recommendation or agreement, with the authority that owns it."""

    id: uuid.UUID
    item_id: uuid.UUID
    kind: DecisionKind
    text: str
    authority: str
    version: int


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An *opgave*. ``withheld`` when it belongs to a case item (or a trend item) the reader
    cannot read: then only ids, deadline and status are filled in."""

    id: uuid.UUID
    meeting_id: uuid.UUID
    item_id: uuid.UUID
    text: str
    owner_id: uuid.UUID | None
    owner_name: str
    deadline: date | None
    status: ActionStatus
    closed_by_id: uuid.UUID | None
    closed_by_name: str
    closed_at: datetime | None
    version: int
    withheld: bool = False
    #: Where it was agreed: the meeting's date and title, and the case number of a case item.
    meeting_date: date | None = None
    meeting_title: str = ""
    case_number: str | None = None
    #: The kind of its agenda item (why a withheld one is withheld: a case's or a note's).
    item_kind: ItemKind | None = None
    #: Changed outside the program: listed so it is seen, with no value of it shown.
    tampered: bool = False

    def overdue(self, today: date) -> bool:
        return (
            self.status is ActionStatus.OPEN
            and self.deadline is not None
            and (self.deadline < today)
        )


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One item of the agenda with what the minutes say about it. For a case item, or a trend
    item whose note the reader cannot read, ``withheld`` is True and nothing but kind and
    position is filled in."""

    id: uuid.UUID
    position: int  # 1-based
    kind: ItemKind
    title: str
    organisation: str
    #: The case of a case item, the trend note of a trend item.
    subject_id: uuid.UUID | None
    case_number: str | None
    notes: str
    decisions: tuple[Decision, ...]
    action_items: tuple[ActionItem, ...]
    version: int
    withheld: bool = False
    #: The person's name: only filled in when the caller asked for names (audited).
    person_name: str | None = None
    #: A trend item's note title, decrypted from the note when the meeting is read.
    trend_title: str | None = None
    #: A case item whose case was deleted since: the day (the item keeps its place in the
    #: minutes and shows only this, see :func:`deleted_case_text`).
    deleted_on: date | None = None


def deleted_case_text(day: date) -> tuple[str, str]:
    """What an agenda item of a deleted case says instead of the case (Danish, English)."""
    return (f"Sagen er slettet ({day:%d.%m.%Y})", f"The case was deleted ({day:%d.%m.%Y})")


@dataclass(frozen=True, slots=True)
class Addendum:
    """A correction after approval, with who and when. ``item_id`` names the item it
    concerns; an addendum about a case item is under the case's key (``withheld`` otherwise)."""

    id: uuid.UUID
    item_id: uuid.UUID | None
    text: str
    by_id: uuid.UUID
    by_name: str
    at: datetime
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    """One row of the meeting list."""

    id: uuid.UUID
    kind: MeetingKind
    meeting_type: MeetingType
    status: MeetingStatus
    title: str
    place: str
    starts_at: datetime
    ends_at: datetime | None
    #: The Infohus Kommune's name for a case meeting; the network's for a network meeting.
    forum: str
    local_infohus_id: uuid.UUID | None
    item_count: int
    version: int
    #: Changed outside the program (its sealed copy or text does not match): listed so it
    #: is seen, never opened; only the short id (and the date it is sorted by) is shown.
    tampered: bool = False

    @property
    def short_id(self) -> str:
        """The first 8 hex digits of the id: what the CLI accepts and lists."""
        return self.id.hex[:8]


@dataclass(frozen=True, slots=True)
class Meeting:
    """A whole meeting as its group's members may see it."""

    summary: MeetingSummary
    description: str
    chair_id: uuid.UUID | None
    chair_name: str
    minute_taker_id: uuid.UUID | None
    minute_taker_name: str
    participants: tuple[Participant, ...]
    items: tuple[AgendaItem, ...]
    #: Open action items of earlier meetings of the same forum, carried onto this agenda. Once
    #: the minutes are approved this is the list as it stood at approval.
    carried_action_items: tuple[ActionItem, ...]
    addenda: tuple[Addendum, ...]
    held_at: datetime | None
    approved_at: datetime | None
    approved_by_name: str
    sent_at: datetime | None
    infohus_name: str

    # Convenience pass-throughs, so callers need not reach into ``summary``.
    @property
    def id(self) -> uuid.UUID:
        return self.summary.id

    @property
    def status(self) -> MeetingStatus:
        return self.summary.status

    @property
    def version(self) -> int:
        return self.summary.version

    @property
    def kind(self) -> MeetingKind:
        return self.summary.kind
