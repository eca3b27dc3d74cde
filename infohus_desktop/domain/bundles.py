"""Bundles: the vocabulary of encrypted hand-overs between vaults (docs/BUNDLE.md).

A bundle carries one referral (later one whole case) from one Infohus to another organisation.
Every way an import can fail has a reason code; the code (never any content) goes into the
one audit entry a rejected import writes, and picks the message the user sees.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from infohus_desktop.domain.errors import TamperedData


class BundleKind(enum.StrEnum):
    REFERRAL = "referral"
    CASE_TRANSFER = "case-transfer"  # reserved: the format reads it, no service writes it yet


class BundleAction(enum.StrEnum):
    IDENTITY_CREATE = "bundle.identity.create"
    KEY_EXPORT = "bundle.key.export"
    RECIPIENT_ADD = "bundle.recipient.add"
    RECIPIENT_LIST = "bundle.recipient.list"
    EXPORT = "bundle.export"
    INSPECT = "bundle.inspect"
    IMPORT = "bundle.import"
    IMPORT_REJECTED = "bundle.import.rejected"


class RejectReason(enum.StrEnum):
    """Why an import was refused, in the order the checks run."""

    TOO_LARGE = "too-large"
    MAGIC = "magic"
    VERSION = "version"
    HEADER = "header"
    LENGTH = "length"  # truncated, a chunk missing, or trailing data
    UNKNOWN_SENDER = "unknown-sender"
    SIGNATURE = "signature"
    RECIPIENT = "recipient"
    REPLAY = "replay"
    NOT_YET_VALID = "not-yet-valid"
    EXPIRED = "expired"
    DECRYPT = "decrypt"
    PAYLOAD = "payload"
    KIND = "kind"


_MESSAGES: dict[RejectReason, tuple[str, str]] = {
    RejectReason.TOO_LARGE: (
        "Filen er for stor til at være en pakke.",
        "The file is too large to be a bundle.",
    ),
    RejectReason.MAGIC: (
        "Filen er ikke en Infohus-pakke.",
        "The file is not an Infohus bundle.",
    ),
    RejectReason.VERSION: (
        "Pakken har et formatversion, som dette program ikke læser.",
        "The bundle has a format version this program does not read.",
    ),
    RejectReason.HEADER: (
        "Pakkens hoved er ugyldigt eller ændret.",
        "The bundle header is invalid or altered.",
    ),
    RejectReason.LENGTH: (
        "Pakken er afkortet eller har ekstra data til sidst.",
        "The bundle is truncated or has extra data at the end.",
    ),
    RejectReason.UNKNOWN_SENDER: (
        "Afsenderen er ikke i registret over betroede modtagere og afsendere.",
        "The sender is not in the register of trusted recipients and senders.",
    ),
    RejectReason.SIGNATURE: (
        "Pakkens underskrift passer ikke med afsenderens nøgle; den kan være ændret.",
        "The bundle signature does not match the sender's key; it may be altered.",
    ),
    RejectReason.RECIPIENT: (
        "Pakken er ikke krypteret til denne boks.",
        "The bundle is not encrypted to this vault.",
    ),
    RejectReason.REPLAY: (
        "Pakken er allerede importeret.",
        "The bundle has already been imported.",
    ),
    RejectReason.NOT_YET_VALID: (
        "Pakken er dateret ud i fremtiden; tjek urene på begge maskiner.",
        "The bundle is dated in the future; check the clocks of both machines.",
    ),
    RejectReason.EXPIRED: (
        "Pakken er udløbet; bed afsenderen om en ny.",
        "The bundle has expired; ask the sender for a new one.",
    ),
    RejectReason.DECRYPT: (
        "Pakkens indhold kunne ikke dekrypteres; den er ændret eller beskadiget.",
        "The bundle contents could not be decrypted; it is altered or damaged.",
    ),
    RejectReason.PAYLOAD: (
        "Pakkens indhold følger ikke formatet.",
        "The bundle contents do not follow the format.",
    ),
    RejectReason.KIND: (
        "Pakken indeholder en slags data, som ikke kan importeres her.",
        "The bundle holds a kind of data that cannot be imported here.",
    ),
}


class BundleRejected(TamperedData):
    """An import refused. ``reason`` is the code recorded in the audit log."""

    def __init__(self, reason: RejectReason) -> None:
        da, en = _MESSAGES[reason]
        super().__init__(f"Pakken er afvist: {da}", f"Bundle rejected: {en}")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Party:
    """A vault's bundle identity as a recipient pins it: who, and the fingerprint."""

    vault_id: uuid.UUID
    organisation: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class BundleInfo:
    """What ``infohus bundle inspect`` shows: the signed header, nothing decrypted."""

    bundle_id: uuid.UUID
    format_version: int
    kind: str
    sender: Party
    recipient_fingerprint: str
    created: datetime
    expires: datetime
    payload_length: int
