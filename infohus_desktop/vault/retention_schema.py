"""Tables of retention, deletion and supervision: holds on a case, what stays of a deleted
case, and the DPO's spot checks of the audit log.

A hold (*sletteblokering*) is a part of its case like an assessment: its reason is sealed
under the case's data key, and its clear columns (until when, released when and by whom) are
bound by the part's sealed copy (services/core/case_meta.py).

A tombstone is what stays when a case is deleted: the number people said on the phone, the
Infohus Kommune, the dates (received, closed, deleted), the closing reason, who deleted it and
who approved an early deletion. No name, CPR, text or key. The reason the coordinator typed is
sealed for the audit group (coordinators and the DPO), and the whole stone is signed by the
coordinator who deleted, so it cannot be changed or made up without their key.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.base import Base
from infohus_desktop.vault.sealed_values import SealedValue


class HoldRow(Base):
    __tablename__ = "case_holds"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime]
    # Who set the hold, until when, who released it and when: sealed (issue 20).
    by_member: SealedValue[uuid.UUID] = SealedValue()
    until: SealedValue[date] = SealedValue()
    released_at: SealedValue[datetime | None] = SealedValue(None)
    released_by: SealedValue[uuid.UUID | None] = SealedValue(None)
    #: The reason (a complaint, a court case, a request for insight …), under the case key.
    payload: Mapped[Ciphertext]
    meta: Mapped[Ciphertext | None]


class TombstoneRow(Base):
    __tablename__ = "case_tombstones"

    #: The deleted case's id: meeting items and the audit log still name it.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    local_infohus_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("local_infohuse.id"))
    received: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    deleted_at: Mapped[datetime]
    deleted_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("members.id"))
    #: The reason for the deletion, sealed for the audit group.
    payload: Mapped[Ciphertext]
    #: The deleting coordinator's Ed25519 signature over the stone (crypto/signing.py).
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class SpotCheckRow(Base):
    """The DPO's note on one sampled audit entry (*stikprøvekontrol*): the outcome and what
    was found, sealed for the audit group, with the entry's sequence number inside the sealed
    payload too, so a note cannot be moved to another entry."""

    __tablename__ = "audit_spot_checks"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    entry_seq: Mapped[int] = mapped_column(Integer, index=True)
    checked_at: Mapped[datetime]
    checked_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    payload: Mapped[Ciphertext]
