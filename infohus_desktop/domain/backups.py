"""Backups as the user meets them: why a backup file is refused, and what a restore, a
verification or a drill found. No database, no Qt, no keys."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from infohus_desktop.domain.errors import AccessDenied, TamperedData

#: The vault setting that marks a restore whose last step has not run (the vault refuses to
#: unlock until it has: services/backups/loader.py).
RESTORE_PENDING = "restore_pending"
#: The ``vault_settings`` key of the last backup's time (a restore sets it to its backup's).
LAST_CREATED = "backup_last_created"


class BackupAction(enum.StrEnum):
    """Audit actions of backups (none changes the vault's data)."""

    CREATE = "backup.create"
    RESTORE = "backup.restore"
    DRILL = "backup.drill"
    SETTINGS = "backup.settings"


class BackupFault(enum.StrEnum):
    """Why a backup file was refused, in the order the checks run."""

    UNREADABLE = "unreadable"  # the file could not be read at all
    MAGIC = "magic"  # not an Infohus backup (or passed through a text-mode transfer)
    VERSION = "version"
    HEADER = "header"  # malformed, or altered (the signature covers it)
    SIGNATURE = "signature"
    VAULT = "vault"  # another vault than this workstation pinned under that id
    NO_KEY = "no-key"  # the member is not among the backup's key holders
    DECRYPT = "decrypt"  # a chunk does not authenticate: altered, reordered or from elsewhere
    LENGTH = "length"  # truncated, or data after the last chunk
    CONTENT = "content"  # the decrypted records are malformed or disagree with the manifest
    SIGNER = "signer"  # the signer is not a certified coordinator of the backed-up vault
    AUDIT = "audit"  # the audit log inside does not verify
    SCHEMA = "schema"  # made by a newer program


_FAULTS: dict[BackupFault, tuple[str, str]] = {
    BackupFault.UNREADABLE: ("filen kan ikke læses.", "the file cannot be read."),
    BackupFault.MAGIC: (
        "filen er ikke en Infohus-sikkerhedskopi.",
        "the file is not an Infohus backup.",
    ),
    BackupFault.VERSION: (
        "den har en formatversion, som dette program ikke læser.",
        "it has a format version this program does not read.",
    ),
    BackupFault.HEADER: (
        "dens hoved er ugyldigt eller ændret.",
        "its header is invalid or altered.",
    ),
    BackupFault.SIGNATURE: (
        "underskriften passer ikke; filen er ændret efter den blev lavet.",
        "the signature does not match; the file was changed after it was made.",
    ),
    BackupFault.VAULT: (
        "den kommer fra en anden boks end den, denne computer kender under samme id.",
        "it comes from another vault than the one this computer knows under that id.",
    ),
    BackupFault.NO_KEY: (
        "du er ikke blandt de koordinatorer, hvis nøgle kan åbne den.",
        "you are not among the coordinators whose key opens it.",
    ),
    BackupFault.DECRYPT: (
        "en del af indholdet kan ikke dekrypteres; filen er ændret eller beskadiget.",
        "part of the content cannot be decrypted; the file was altered or damaged.",
    ),
    BackupFault.LENGTH: (
        "den er afkortet eller har ekstra data til sidst.",
        "it is truncated or has extra data at the end.",
    ),
    BackupFault.CONTENT: (
        "indholdet passer ikke med dens indholdsfortegnelse.",
        "its content does not match its manifest.",
    ),
    BackupFault.SIGNER: (
        "den er ikke underskrevet af en godkendt koordinator i boksen.",
        "it is not signed by a certified coordinator of the vault.",
    ),
    BackupFault.AUDIT: (
        "revisionsloggen i den kan ikke verificeres.",
        "the audit log inside it does not verify.",
    ),
    BackupFault.SCHEMA: (
        "den er lavet af en nyere version af Infohus Desktop; opdatér programmet først.",
        "it was made by a newer version of Infohus Desktop; update the program first.",
    ),
}


class BackupRejected(TamperedData):
    """A backup file that is refused: one clear message, and nothing was written."""

    def __init__(self, fault: BackupFault) -> None:
        da, en = _FAULTS[fault]
        super().__init__(f"Sikkerhedskopien afvises: {da}", f"The backup is refused: {en}")
        self.fault = fault
        if fault is BackupFault.NO_KEY:
            # Nothing is wrong with the file: this member holds no key to it (access, 4).
            self.exit_code = AccessDenied.exit_code


class DrillFoundUnreadableCases(TamperedData):
    """A drill restored the backup but could not read every case in it. The file's signature
    and chunks verified, so the cases were changed in the vault before the backup was made;
    they are named (numbers only, the first :data:`NAMED` of them) so the coordinator can
    find them there."""

    NAMED = 20

    def __init__(self, numbers: list[str], read: int) -> None:
        total = read + len(numbers)
        names = ", ".join(numbers[: self.NAMED])
        more = len(numbers) - self.NAMED
        named_da = names + (f" og {more} flere" if more > 0 else "")
        named_en = names + (f" and {more} more" if more > 0 else "")
        one = len(numbers) == 1
        super().__init__(
            f"Øvelsen genskabte sikkerhedskopien, men kunne kun læse {read} af {total} "
            f"{'sag' if total == 1 else 'sager'}. "
            + ("Denne sag var" if one else "Disse sager var")
            + " ændret uden om programmet, før kopien blev lavet (kopien er underskrevet og "
            f"uændret): {named_da}. Resten af kopien er hel. Øvelsen tæller ikke som "
            "gennemført, før sagerne er afklaret med jeres DPO.",
            f"The drill restored the backup but could read only {read} of {total} "
            f"{'case' if total == 1 else 'cases'}. "
            + ("This case was" if one else "These cases were")
            + " changed outside the program before the backup was made (the backup is "
            f"signed and unchanged): {named_en}. The rest of the backup is whole. The drill "
            "does not count as done until the cases are cleared up with your DPO.",
        )
        self.numbers = tuple(numbers)


@dataclass(frozen=True, slots=True)
class BackupHeaderInfo:
    """What the signed header of a backup says, shown before anything is decrypted."""

    backup_id: uuid.UUID
    vault_id: uuid.UUID
    created: datetime
    created_by: str  # the login of the coordinator who made it
    root_fingerprint: str
    schema: str
    engine: str
    key_holders: tuple[str, ...]  # logins


@dataclass(frozen=True, slots=True)
class BackupReport:
    """What ``backup create``, ``verify``, ``restore`` or ``drill`` found and did."""

    header: BackupHeaderInfo
    #: Rows per table, as the manifest lists them (and the content proved).
    counts: dict[str, int]
    audit_head: int
    size: int = 0
    seconds: float = 0.0
    #: Cases of the deletion register that the backup still held and the restore removed.
    deletions_applied: tuple[str, ...] = ()
    #: Deletion records that were ignored because their signature did not verify.
    deletions_ignored: int = 0
    #: For a drill: cases read in the restored copy.
    cases_read: int = 0
    target: str = ""
    #: For a restore: where this workstation knew the vault before, when that was another
    #: place; a copy still there now reads here as another, diverging copy.
    left_behind: str = ""
    #: For a restore: the vault's format, and the higher one this workstation knew it in
    #: before (0 when not lowered): a backup from before ``vault upgrade`` raised it.
    format: int = 0
    format_lowered_from: int = 0
    #: For a restore: what it may not know of deletions made after the backup (a key of
    #: :data:`DELETIONS_NOTES`), "" when nothing needs saying.
    deletions_note: str = ""

    @property
    def cases(self) -> int:
        return self.counts.get("cases", 0)


#: Said after a restore about the deletions it could not repeat (``BackupReport.
#: deletions_note``): "none", this workstation has no register of the vault and none was
#: given; "partial", a server's vault, whose other workstations may have deleted cases this
#: one has not seen; "empty", the register files given name no deletion of this vault.
DELETIONS_NOTES: dict[str, tuple[str, str]] = {
    "none": (
        "Bemærk: denne arbejdsstation har intet sletteregister for boksen. Er der slettet "
        "sager på en anden arbejdsstation efter sikkerhedskopien, er de kommet tilbage med "
        "den. Genskab i så fald i en ny fil med den arbejdsstations sletteregister (infohus "
        "backup restore --deletions FIL; filen ligger i dens mappe checkpoints).",
        "Note: this workstation has no deletion register for the vault. Cases deleted on "
        "another workstation after the backup are back with it. If so, restore into a new "
        "file with that workstation's register (infohus backup restore --deletions FILE; the "
        "file is in its checkpoints folder).",
    ),
    "partial": (
        "Bemærk: kun de sletninger, denne arbejdsstation har set, er gentaget. Er der slettet "
        "sager på en anden arbejdsstation, siden boksen sidst blev åbnet her, er de kommet "
        "tilbage. Genskab i så fald i en ny fil med den arbejdsstations sletteregister "
        "(infohus backup restore --deletions FIL).",
        "Note: only the deletions this workstation has seen were repeated. Cases deleted on "
        "another workstation since the vault was last opened here are back. If so, restore "
        "into a new file with that workstation's register (infohus backup restore "
        "--deletions FILE).",
    ),
    "empty": (
        "Bemærk: det angivne sletteregister nævner ingen sletning i denne boks; er det fra en "
        "anden boks?",
        "Note: the deletion register given names no deletion in this vault; is it from "
        "another vault?",
    ),
}


@dataclass(frozen=True, slots=True)
class BackupStatus:
    """The reminder's facts: when the last backup and the last successful drill were."""

    last_backup: datetime | None
    last_drill: datetime | None
    reminder_days: int

    def overdue(self, now: datetime) -> bool:
        if self.last_backup is None:
            return True
        return (now - self.last_backup).total_seconds() > self.reminder_days * 86400


class RestorePending(TamperedData):
    """The vault was restored, but the restore did not finish: it must not be opened."""

    def __init__(self) -> None:
        super().__init__(
            "Genskabelsen af denne boks blev afbrudt, før den var færdig, og boksen kan ikke "
            "åbnes. Slet den og genskab igen fra sikkerhedskopien.",
            "The restore of this vault was interrupted before it finished, and the vault "
            "cannot be opened. Delete it and restore again from the backup.",
        )


__all__ = [
    "RESTORE_PENDING",
    "BackupAction",
    "BackupFault",
    "BackupHeaderInfo",
    "BackupRejected",
    "BackupReport",
    "BackupStatus",
    "RestorePending",
]


#: Table → (Danish one, Danish many, English one, English many): what a report counts.
_COUNTED = (
    ("cases", "sag", "sager", "case", "cases"),
    ("meetings", "møde", "møder", "meeting", "meetings"),
    ("trend_notes", "tendensnotat", "tendensnotater", "trend note", "trend notes"),
    ("referrals", "henvisning", "henvisninger", "referral", "referrals"),
    ("audit_entries", "revisionspost", "revisionsposter", "audit entry", "audit entries"),
)


def counts_words(report: BackupReport) -> tuple[str, str]:
    """ "1 sag, 2 møder, … og 40 revisionsposter; revisionsloggen er verificeret til post 40."
    in Danish and English: the window and the command line say it alike."""
    da_parts, en_parts = [], []
    for table, one_da, many_da, one_en, many_en in _COUNTED:
        n = report.counts.get(table, 0)
        da_parts.append(f"{n} {one_da if n == 1 else many_da}")
        en_parts.append(f"{n} {one_en if n == 1 else many_en}")
    head = report.audit_head
    return (
        f"{', '.join(da_parts[:-1])} og {da_parts[-1]}; revisionsloggen er verificeret til "
        f"post {head}.",
        f"{', '.join(en_parts[:-1])} and {en_parts[-1]}; the audit log is verified to entry "
        f"{head}.",
    )
