"""Tables of the referral feature.

A referral's form content is ONE encrypted JSON payload sealed under its case's data key (with
the referral row and the case in the associated data); the clear columns are the status,
programme code, dates and version that lists filter on. A referral received in a bundle is
stored under a data key of its own, wrapped under the receiving vault's network group.

The bundle helper's tables (bundle keys, recipients, seen bundles) follow in their own section
at the end of this module.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from infohus_desktop.crypto.aead import Ciphertext
from infohus_desktop.vault.base import Base
from infohus_desktop.vault.sealed_values import SealedValue

# -- referrals ---------------------------------------------------------------------------------


class ReferralRow(Base):
    __tablename__ = "referrals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    # The workflow's codes and dates are sealed in ``meta`` only (issue 20; row_binding.py).
    status: SealedValue[str] = SealedValue()
    programme: SealedValue[str] = SealedValue()
    #: The date of the referral: the day it was drafted, then the day it was sent.
    referral_date: SealedValue[date] = SealedValue()
    sent_on: SealedValue[date | None] = SealedValue(None)
    closed_on: SealedValue[date | None] = SealedValue(None)
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ReferralStatusRow(Base):
    """One workflow step; ``payload`` (under the case key) holds the reason or outcome."""

    __tablename__ = "referral_status_changes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id"), index=True)
    at: Mapped[datetime]
    # Who took the step, from which status to which, on which day and how: sealed.
    by_member: SealedValue[uuid.UUID] = SealedValue()
    old_status: SealedValue[str | None] = SealedValue(None)
    new_status: SealedValue[str] = SealedValue()
    on: SealedValue[date] = SealedValue()
    how: SealedValue[str | None] = SealedValue(None)
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]


# -- incoming referrals (received in a bundle) -------------------------------------------------


class IncomingReferralRow(Base):
    """``payload`` holds the sender's name, the values and the sender's field definitions."""

    __tablename__ = "incoming_referrals"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(64), unique=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_groups.id"), index=True)
    data_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("data_keys.id"))
    programme: SealedValue[str] = SealedValue()
    received_at: Mapped[datetime]
    received_by: Mapped[uuid.UUID]
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]


class IncomingAttachmentRow(Base):
    """``payload`` holds file name, media type and SHA-256; the bytes are in chunks."""

    __tablename__ = "incoming_referral_attachments"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    incoming_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incoming_referrals.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    chunks: Mapped[int] = mapped_column(Integer)
    payload: Mapped[Ciphertext]
    #: The sealed copy of the clear columns (vault/row_binding.py); None only before format 3.
    meta: Mapped[Ciphertext | None]


class IncomingAttachmentChunkRow(Base):
    __tablename__ = "incoming_referral_attachment_chunks"

    attachment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("incoming_referral_attachments.id"), primary_key=True
    )
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[Ciphertext]


# == bundles (owned by the bundle helper; append below) =======================================
# The vault's bundle identity, the register of pinned recipients (also the trusted senders),
# and the ids of bundles already imported (replay protection). Public keys and fingerprints
# stay in clear: they are public, and the import looks a sender up by fingerprint before it
# can decrypt anything. Names a coordinator typed are ciphertext under the network group key.


class BundleIdentityRow(Base):
    """The vault's bundle key pair: a 256-bit secret sealed under the network group's key
    (``secret``), its public halves, and a coordinator's signature over them."""

    __tablename__ = "bundle_identities"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(39), unique=True)
    kem_public: Mapped[bytes] = mapped_column(LargeBinary)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    secret: Mapped[Ciphertext]
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class BundleRecipientRow(Base):
    """A pinned organisation: where bundles may go, and whose bundles are accepted.
    ``payload`` holds the name the coordinator gave and the organisation named in the card."""

    __tablename__ = "bundle_recipients"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(39), unique=True)
    peer_vault_id: Mapped[uuid.UUID]
    kem_public: Mapped[bytes] = mapped_column(LargeBinary)
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    payload: Mapped[Ciphertext]
    added_at: Mapped[datetime]
    added_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class SeenBundleRow(Base):
    """A bundle id imported once; a second import of the same id is a replay."""

    __tablename__ = "bundles_seen"

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sender_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bundle_recipients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[datetime]
    imported_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("members.id"))
