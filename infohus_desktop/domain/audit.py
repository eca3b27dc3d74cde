"""The audit vocabulary: what was done, and for which purpose (DOMAIN.md, "Audit")."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime


class AuditAction(enum.StrEnum):
    VAULT_CREATE = "vault.create"
    #: A coordinator accepted a vault older than this workstation had seen (a restore).
    RESTORE_ACCEPTED = "vault.restore_accepted"
    #: A coordinator upgraded the vault's storage (issue 20: the clear columns sealed away).
    VAULT_UPGRADE = "vault.upgrade"
    #: A coordinator changed a default for the workstations (the idle lock).
    VAULT_SETTINGS = "vault.settings"
    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOCK = "lock"
    PASSPHRASE_CHANGE = "passphrase.change"  # noqa: S105 (an action name)
    MEMBER_ADD = "member.add"
    MEMBER_REMOVE = "member.remove"
    #: A coordinator changed a member's role (re-certified, automatic groups followed).
    MEMBER_ROLE = "member.role"
    #: A coordinator reset a member's forgotten passphrase (new keys; SECURITY.md §4).
    MEMBER_RESET = "member.reset"
    #: A welcome letter (with a first passphrase) built, printed or saved.
    MEMBER_WELCOME_LETTER = "member.welcome_letter"
    MEMBER_LIST = "member.list"
    GROUP_ADD = "group.add"
    GROUP_RENAME = "group.rename"
    GROUP_LIST = "group.list"
    GROUP_MEMBER_ADD = "group.member.add"
    GROUP_MEMBER_REMOVE = "group.member.remove"
    GROUP_EPOCH = "group.epoch"
    MUNICIPALITY_ADD = "municipality.add"
    #: An Infohus Kommune renamed or given another case-number prefix.
    MUNICIPALITY_CHANGE = "municipality.change"
    AUDIT_LIST = "audit.list"
    AUDIT_EXPORT = "audit.export"
    AUDIT_SAMPLE = "audit.sample"
    AUDIT_SPOT_CHECK = "audit.spot_check"
    AUDIT_VERIFY = "audit.verify"
    #: A coordinator pruned entries older than the log's retention period (a signed summary).
    AUDIT_PRUNE = "audit.prune"
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
    #: Entries pruned after the log's retention period, replaced by signed summaries.
    pruned_entries: int = 0
    #: ``problem`` in Danish (``problem`` itself is English: ``audit verify --json`` and
    #: scripts read it).
    problem_da: str | None = None
    #: Set when the walk began after an earlier verification's end (this ``seq``): the
    #: entries before it were not read again (only with ``audit verify --new-only``).
    verified_from: int | None = None
    #: The sequence number of ``head_hash`` (the last entry the walk vouched for).
    head_seq: int = 0
    #: Of ``checkpoints``, those from this workstation's checkpoint file (the rest are the
    #: database's): two workstations count differently for the same log.
    checkpoints_in_file: int = 0

    def problem_in(self, language: str) -> str | None:
        return self.problem if language == "en" else (self.problem_da or self.problem)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the DPO's viewer narrows the log to; every field optional. ``action`` matches a
    whole action or its start (``case`` matches ``case.read``); ``object_ids`` are the ids a
    case number stands for (the case, or its tombstone)."""

    since: date | None = None
    until: date | None = None
    login: str | None = None
    organisation_id: uuid.UUID | None = None
    action: str | None = None
    purpose: str | None = None
    object_ids: frozenset[str] = frozenset()
    #: Whole actions, any of which an entry may have: what the words a reader typed name
    #: (``"Opslag"`` is every kind of reading), where ``action`` takes a code.
    actions: frozenset[str] | None = None

    def matches(self, entry: AuditEntry) -> bool:
        if self.actions is not None and entry.action not in self.actions:
            return False
        if self.login and entry.actor_login != self.login:
            return False
        if self.organisation_id and entry.organisation_id != self.organisation_id:
            return False
        if self.action and not (
            entry.action == self.action or entry.action.startswith(self.action + ".")
        ):
            return False
        if self.purpose and entry.purpose != self.purpose:
            return False
        return not self.object_ids or (entry.object_id or "") in self.object_ids


class CheckOutcome(enum.StrEnum):
    """What a spot check of one read found."""

    IN_ORDER = "i_orden"
    QUESTION = "undersoeges"
    DEVIATION = "afvigelse"


CHECK_OUTCOME_LABELS: dict[CheckOutcome, tuple[str, str]] = {
    CheckOutcome.IN_ORDER: ("I orden", "In order"),
    CheckOutcome.QUESTION: ("Undersøges nærmere", "To be looked into"),
    CheckOutcome.DEVIATION: ("Afvigelse", "Deviation"),
}


@dataclass(frozen=True, slots=True)
class SpotCheck:
    """The DPO's note on one sampled entry."""

    entry_seq: int
    outcome: CheckOutcome
    note: str
    checked_by: str
    checked_at: datetime
