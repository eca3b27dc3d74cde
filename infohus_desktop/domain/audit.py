"""The audit vocabulary: what was done, and for which purpose (DOMAIN.md, "Audit")."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime


class AuditAction(enum.StrEnum):
    VAULT_CREATE = "vault.create"
    #: A coordinator accepted a vault older than this workstation had seen (a restore).
    RESTORE_ACCEPTED = "vault.restore_accepted"
    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOCK = "lock"
    PASSPHRASE_CHANGE = "passphrase.change"  # noqa: S105 (an action name)
    MEMBER_ADD = "member.add"
    MEMBER_REMOVE = "member.remove"
    MEMBER_LIST = "member.list"
    GROUP_ADD = "group.add"
    GROUP_LIST = "group.list"
    GROUP_MEMBER_ADD = "group.member.add"
    GROUP_MEMBER_REMOVE = "group.member.remove"
    GROUP_EPOCH = "group.epoch"
    MUNICIPALITY_ADD = "municipality.add"
    AUDIT_LIST = "audit.list"
    AUDIT_VERIFY = "audit.verify"
    DATA_KEY_CREATE = "datakey.create"


class Purpose(enum.StrEnum):
    """*Formål*: why data was touched. Part of a citizen's insight report."""

    CASEWORK = "sagsbehandling"
    MEETING_PREP = "mødeforberedelse"
    INSIGHT = "indsigt"
    SUPERVISION = "tilsyn"
    DELETION = "sletning"
    ADMINISTRATION = "administration"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One link of the chain. ``detail`` is the decrypted detail, or None when sealed/absent."""

    seq: int
    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    actor_login: str
    organisation_id: uuid.UUID | None
    workstation: str
    action: str
    object_id: str | None
    purpose: str
    detail: str | None
    entry_hash: str
    #: Whether the member it names signed it (False: written or changed outside the
    #: program); None for an entry from before entries were signed.
    signature_ok: bool | None = None


@dataclass(frozen=True, slots=True)
class AuditVerification:
    ok: bool
    entries: int
    checkpoints: int
    head_hash: str
    first_bad_seq: int | None
    problem: str | None
    #: Entries whose actor's signature was checked; None when the verifier cannot open
    #: entries (only the audit group can).
    signatures_checked: int | None = None
    #: Entries written before entries were signed: vouched for by checkpoints only.
    legacy_entries: int = 0
