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

from infohus_desktop.domain.errors import InvalidInput, TamperedData


class BundleKind(enum.StrEnum):
    REFERRAL = "referral"
    CASE_TRANSFER = "case-transfer"  # a whole case handed over (BUNDLE.md §8)


#: What a bundle holds, as people say it (``bundle inspect`` printed the code).
BUNDLE_KIND_LABELS: dict[BundleKind, tuple[str, str]] = {
    BundleKind.REFERRAL: ("Henvisning", "Referral"),
    BundleKind.CASE_TRANSFER: ("Overdragelse af en hel sag", "A whole case handed over"),
}


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
    # Not a fault of the bundle, but the attempt still ends with one rejection entry:
    UNREADABLE = "unreadable"  # the file could not be read
    IDENTITY = "identity"  # this vault has no bundle identity, or its row does not verify
    FAILED = "failed"  # any other error (the original error is raised, not BundleRejected)


#: Why a bundle was refused, in words: in the error's message and in the audit log's words
#: for an ``import.rejected`` entry (domain/audit_words).
REJECT_MESSAGES: dict[RejectReason, tuple[str, str]] = {
    RejectReason.TOO_LARGE: (
        "filen er for stor til at være en pakke.",
        "the file is too large to be a bundle.",
    ),
    RejectReason.MAGIC: ("filen er ikke en Infohus-pakke.", "the file is not an Infohus bundle."),
    RejectReason.VERSION: (
        "den har en formatversion, som dette program ikke læser.",
        "it has a format version this program does not read.",
    ),
    RejectReason.HEADER: (
        "dens hoved er ugyldigt eller ændret.",
        "its header is invalid or altered.",
    ),
    RejectReason.LENGTH: (
        "den er afkortet eller har ekstra data til sidst.",
        "it is truncated or has extra data at the end.",
    ),
    RejectReason.UNKNOWN_SENDER: (
        "afsenderen er ikke i registret over betroede organisationer (infohus recipient list).",
        "the sender is not in the register of trusted organisations (infohus recipient list).",
    ),
    RejectReason.SIGNATURE: (
        "underskriften passer ikke med afsenderens nøgle; pakken kan være ændret.",
        "the signature does not match the sender's key; the bundle may be altered.",
    ),
    RejectReason.RECIPIENT: (
        "den er ikke krypteret til denne boks.",
        "it is not encrypted to this vault.",
    ),
    RejectReason.REPLAY: ("den er allerede importeret.", "it has already been imported."),
    RejectReason.NOT_YET_VALID: (
        "den er dateret ud i fremtiden; tjek urene på begge maskiner.",
        "it is dated in the future; check the clocks of both machines.",
    ),
    RejectReason.EXPIRED: (
        "den er udløbet; bed afsenderen om en ny.",
        "it has expired; ask the sender for a new one.",
    ),
    RejectReason.DECRYPT: (
        "indholdet kunne ikke dekrypteres; pakken er ændret eller beskadiget.",
        "the contents could not be decrypted; the bundle is altered or damaged.",
    ),
    RejectReason.PAYLOAD: (
        "indholdet følger ikke formatet.",
        "the contents do not follow the format.",
    ),
    RejectReason.KIND: (
        "den indeholder en slags data, som ikke kan importeres her.",
        "it holds a kind of data that cannot be imported here.",
    ),
    RejectReason.UNREADABLE: ("filen kan ikke læses.", "the file cannot be read."),
    RejectReason.IDENTITY: (
        "boksen har ingen brugbar pakkenøgle (den mangler, eller den er ændret); kontakt en "
        "koordinator.",
        "this vault has no usable bundle key (it is missing, or it was altered); contact a "
        "coordinator.",
    ),
    RejectReason.FAILED: ("importen stoppede på en fejl.", "the import stopped on an error."),
}


class BundleRejected(TamperedData):
    """An import refused. ``reason`` is the code recorded in the audit log."""

    def __init__(self, reason: RejectReason) -> None:
        da, en = REJECT_MESSAGES[reason]
        super().__init__(
            f"Pakken er afvist: {da} Intet er ændret.",
            f"Bundle rejected: {en} Nothing was changed.",
        )
        self.reason = reason


class BundleUnreadable(InvalidInput):
    """The chosen file could not be read: the user's input, not the bundle's fault (so the
    CLI's exit code 2), yet a rejected attempt like any other (``reason``). The message
    repeats no path: a file name may name a person."""

    reason = RejectReason.UNREADABLE

    def __init__(self) -> None:
        super().__init__(
            "Filen kan ikke læses. Intet er importeret.",
            "The file cannot be read. Nothing was imported.",
        )


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
