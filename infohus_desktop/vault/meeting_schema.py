"""Tables of the meeting feature.

Clear: ids, kinds, status codes, dates and times, positions, deadlines, versions and member
ids (who chairs, who owns an action item, who closed it) — what lists sort and filter on.
Encrypted, one JSON payload per row: titles, places, descriptions, guests' names and e-mail,
notes, recommendations, agreements, action items' text, addenda. Meeting-wide text (a trend
item's too) is sealed under the key of the meeting's group (``meetings.group_id``); everything
about a case item (its notes, decisions, action items and addenda) under that case's data
key, with the case in the associated data, so only the case's access group can read it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.base import Base
from infohus_desktop.vault.sealed_values import SealedValue


class MeetingRow(Base):
    __tablename__ = "meetings"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Type, status and the meeting's moments: sealed in ``meta`` only (issue 20).
    meeting_type: SealedValue[str] = SealedValue()
    status: SealedValue[str] = SealedValue()
    #: The Infohus Kommune of a case meeting; None for a network meeting.
    local_infohus_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("local_infohuse.id"))
    #: Whose key seals the meeting-wide text, and who may read the meeting.
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), index=True)
    starts_at: SealedValue[datetime] = SealedValue()
    ends_at: SealedValue[datetime | None] = SealedValue(None)
    chair_id: Mapped[uuid.UUID | None]
    minute_taker_id: Mapped[uuid.UUID | None]
    #: title, place, description.
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID]
    updated_at: Mapped[datetime]
    held_at: SealedValue[datetime | None] = SealedValue(None)
    approved_at: SealedValue[datetime | None] = SealedValue(None)
    approved_by: SealedValue[uuid.UUID | None] = SealedValue(None)
    sent_at: SealedValue[datetime | None] = SealedValue(None)
    sent_by: SealedValue[uuid.UUID | None] = SealedValue(None)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class MeetingParticipantRow(Base):
    __tablename__ = "meeting_participants"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), index=True)
    #: None for a guest; a guest's name, organisation and e-mail are in the payload.
    member_id: Mapped[uuid.UUID | None]
    attendance: SealedValue[str] = SealedValue()
    position: Mapped[int] = mapped_column(Integer)
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]


class MeetingItemRow(Base):
    __tablename__ = "meeting_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    #: The case of a case item: its data key seals this row's payload and its children.
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: The trend note of a trend item. Its notes stay meeting-wide text (the meeting's group
    #: key); the note's title is read from the note, never copied here. The foreign key is
    #: created by migration 0004, which creates ``trend_notes``.
    trend_note_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("trend_notes.id"), index=True
    )
    #: The case this item was about, once that case is deleted (``case_tombstones.id``; no
    #: foreign key, the case row is gone): the item then reads "Sagen er slettet (dato)".
    deleted_case_id: Mapped[uuid.UUID | None]
    #: title, organisation, notes.
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class MeetingDecisionRow(Base):
    """A recommendation or agreement of an item, with the owning authority (payload)."""

    __tablename__ = "meeting_decisions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting_items.id"), index=True)
    kind: SealedValue[str] = SealedValue()  # recommendation or agreement: sealed
    position: Mapped[int] = mapped_column(Integer)
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ActionItemRow(Base):
    __tablename__ = "meeting_action_items"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting_items.id"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # Deadline, status and closing: sealed in ``meta`` only (issue 20).
    deadline: SealedValue[date | None] = SealedValue(None)
    status: SealedValue[str] = SealedValue()
    position: Mapped[int] = mapped_column(Integer)
    #: text, and the owner's name when the owner is not a member.
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID]
    closed_at: SealedValue[datetime | None] = SealedValue(None)
    closed_by: SealedValue[uuid.UUID | None] = SealedValue(None)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class MeetingCarriedRow(Base):
    """The open action items of earlier meetings as they stood when this meeting's minutes
    were approved (before approval the carried list is computed live)."""

    __tablename__ = "meeting_carried_actions"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    action_item_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting_action_items.id"), primary_key=True
    )


class MeetingAddendumRow(Base):
    """A correction to approved minutes. Never changed or deleted."""

    __tablename__ = "meeting_addenda"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meetings.id"), index=True)
    item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting_items.id"))
    at: Mapped[datetime]
    by_member: Mapped[uuid.UUID]
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]
