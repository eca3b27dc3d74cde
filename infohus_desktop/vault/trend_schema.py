"""Tables of the trend feature: the trend note and the links between notes.

Clear: ids, the access group, the period and follow-up dates, the codes (theme, development,
area kind) and the version, so lists can be filtered and statistics can count notes by theme
and quarter without a key. Everything typed is one JSON payload sealed under the key of the
note's access group (the network group unless a coordinator narrowed it), with the row id in
the associated data.

A meeting's agenda item refers to a note by its id (``trend_notes.id``); the meetings feature
needs no column here for that.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.base import Base
from infohus_desktop.vault.sealed_values import SealedValue


class TrendNoteRow(Base):
    __tablename__ = "trend_notes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), index=True)
    # What the note is about and when: sealed in ``meta`` only (issue 20; row_binding.py).
    theme: SealedValue[str] = SealedValue()
    development: SealedValue[str] = SealedValue()
    area_kind: SealedValue[str] = SealedValue()
    period_from: SealedValue[date] = SealedValue()
    period_to: SealedValue[date] = SealedValue()
    follow_up: SealedValue[date | None] = SealedValue(None)
    #: title, area, description, source kinds: JSON sealed under the group key.
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID]
    updated_at: Mapped[datetime]
    updated_by: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class TrendLinkRow(Base):
    """Two related notes; stored once, with the smaller id first (the link has no direction)."""

    __tablename__ = "trend_note_links"

    note_a: Mapped[uuid.UUID] = mapped_column(ForeignKey("trend_notes.id"), primary_key=True)
    note_b: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trend_notes.id"), primary_key=True, index=True
    )
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID]
