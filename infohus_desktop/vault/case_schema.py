"""Tables of the concern case. Everything typed about a person is one encrypted JSON payload
per row, sealed under the case's data key with the row and case in the associated data;
the clear columns are the codes, dates and ids that lists filter on."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.base import Base
from infohus_desktop.vault.sealed_values import SealedValue


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("local_infohus_id", "year", "serial"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    local_infohus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("local_infohuse.id"))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), index=True)
    data_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("data_keys.id"))
    # What describes the concern is sealed in ``meta`` only, never a column (issue 20;
    # vault/sealed_values.py): filled when a member with the key opens the row.
    status: SealedValue[str] = SealedValue()
    category: SealedValue[str] = SealedValue()
    source: SealedValue[str] = SealedValue()
    received: SealedValue[date] = SealedValue()
    follow_up: SealedValue[date | None] = SealedValue(None)
    lead_organisation_id: SealedValue[uuid.UUID | None] = SealedValue(None)
    lead_member_id: SealedValue[uuid.UUID | None] = SealedValue(None)
    retention: SealedValue[str] = SealedValue()
    closing_reason: SealedValue[str | None] = SealedValue(None)
    #: 16-bit blind index of the CPR number under the network lookup key of ``cpr_epoch``.
    cpr_index: Mapped[int | None] = mapped_column(Integer, index=True)
    cpr_epoch: Mapped[int | None] = mapped_column(Integer)
    person: Mapped[Ciphertext]
    intake: Mapped[Ciphertext]
    details: Mapped[Ciphertext]
    #: The sealed copy of the row's values (services/core/case_meta.py): the sealed
    #: attributes above, and the clear ids and number, which must match it. None only in a
    #: format-1 vault that has not been upgraded.
    meta: Mapped[Ciphertext | None]
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CaseCounterRow(Base):
    """The last serial number used per Infohus Kommune and year."""

    __tablename__ = "case_counters"

    local_infohus_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("local_infohuse.id"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)


class _CasePart:
    """Columns every part of a case has. ``meta`` is the sealed copy of the part's clear
    columns (services/core/case_meta.py); None only in rows from before it existed."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    #: Who wrote the part: sealed, like every code below (who worked on which case).
    by_member: SealedValue[uuid.UUID] = SealedValue()
    payload: Mapped[Ciphertext]
    meta: Mapped[Ciphertext | None]


class StatusChangeRow(_CasePart, Base):
    __tablename__ = "case_status_changes"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    old_status: SealedValue[str | None] = SealedValue(None)
    new_status: SealedValue[str] = SealedValue()
    closing_reason: SealedValue[str | None] = SealedValue(None)


class ScreeningRow(_CasePart, Base):
    __tablename__ = "case_screenings"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    outcome: SealedValue[str] = SealedValue()


class InformationRow(_CasePart, Base):
    __tablename__ = "case_information"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    asked: SealedValue[date] = SealedValue()
    legal_basis: SealedValue[str] = SealedValue()


class AssessmentRow(_CasePart, Base):
    __tablename__ = "case_assessments"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    level: SealedValue[str] = SealedValue()


class MeasureRow(_CasePart, Base):
    __tablename__ = "case_measures"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    type: SealedValue[str] = SealedValue()
    status: SealedValue[str] = SealedValue()
    start: SealedValue[date | None] = SealedValue(None)
    end: SealedValue[date | None] = SealedValue(None)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class JournalRow(_CasePart, Base):
    """Journal entries are never changed or deleted (Danish note-taking duty); a correction
    is a new entry pointing at the one it corrects."""

    __tablename__ = "case_journal"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: SealedValue[str] = SealedValue()
    corrects: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_journal.id"))


class JournalIsImmutable(RuntimeError):
    """A code path tried to change or delete a saved journal entry."""


@event.listens_for(JournalRow, "before_update")
@event.listens_for(JournalRow, "before_delete")
def _refuse_journal_change(_mapper: object, _connection: object, _target: JournalRow) -> None:
    raise JournalIsImmutable("saved journal entries are never changed or deleted")


#: Set in ``Session.info`` by the deletion of a whole case (services/retention/deletion.py):
#: the one time journal rows go, all of them with their case, in one statement.
CASE_DELETION_INFO = "infohus.case_deletion"


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_journal_change(state: ORMExecuteState) -> None:
    """ORM bulk statements (``update(JournalRow)``, ``delete(JournalRow)``) skip the mapper
    events above; refuse them here too, except a case's deletion deleting its whole journal."""
    mapper = state.bind_mapper if state.is_orm_statement else None
    if (state.is_update or state.is_delete) and mapper is not None and mapper.class_ is JournalRow:
        if state.is_delete and state.session.info.get(CASE_DELETION_INFO):
            return
        raise JournalIsImmutable("saved journal entries are never changed or deleted")


class DisclosureRow(_CasePart, Base):
    __tablename__ = "case_disclosures"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    disclosed_on: SealedValue[date] = SealedValue()
    legal_basis: SealedValue[str] = SealedValue()


class AttachmentRow(_CasePart, Base):
    """``payload`` holds file name, media type and SHA-256; the bytes are in chunks."""

    __tablename__ = "case_attachments"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    chunks: Mapped[int] = mapped_column(Integer)


class AttachmentChunkRow(Base):
    __tablename__ = "case_attachment_chunks"

    attachment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("case_attachments.id"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[Ciphertext]
