"""Expected errors: each carries a Danish and an English message fit to show a user.

An *expected* error (wrong passphrase, tampered data, conflicting edit, invalid input) is a
subclass of :class:`InfohusError`; the CLI prints its message on one line and exits non-zero,
the desktop app shows it in a calm dialog. Anything else is a bug. Messages never contain
personal data: they name ids and case numbers, never names, CPR numbers or typed text.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uuid  # annotations only: not needed to draw the unlock screen (issue 17)


def ui_language() -> str:
    """The language for messages: ``INFOHUS_LANG`` (da/en), Danish by default."""
    lang = os.environ.get("INFOHUS_LANG", "da").lower()
    return "en" if lang.startswith("en") else "da"


class InfohusError(Exception):
    """Base of every expected error. ``exit_code`` is what the CLI returns."""

    exit_code = 1
    #: Whether the window locks when a task fails with it (ui/tasks.py).
    locks_window = False

    def __init__(self, da: str, en: str) -> None:
        self.da = da
        self.en = en
        super().__init__(en)

    def message(self, lang: str | None = None) -> str:
        return self.en if (lang or ui_language()) == "en" else self.da

    def __str__(self) -> str:
        return self.message()


class WrongPassphrase(InfohusError):
    """Unlock failed. One message for every cause, so nothing is learnt from it."""

    exit_code = 3

    def __init__(self) -> None:
        super().__init__(
            "Forkert bruger eller adgangsfrase.",
            "Wrong user or passphrase.",
        )


class PassphraseRejected(InfohusError):
    """A new passphrase does not meet the policy."""

    exit_code = 2


class AccessDenied(InfohusError):
    exit_code = 4


class StandingChanged(InfohusError):
    """A coordinator changed this member's role, reset their keys or removed them since
    they unlocked: nothing more is done in this unlock (the window locks; an unlock again
    takes the new role). Not an :class:`AccessDenied`, which a screen may take as "this
    section is not for your role" and leave out quietly."""

    exit_code = 4
    #: The window locks when a task fails with this (ui/tasks.py).
    locks_window = True

    def __init__(self) -> None:
        super().__init__(
            "Din rolle eller adgang er ændret, siden du låste op. Lås op igen for at fortsætte.",
            "Your role or access changed since you unlocked. Unlock again to continue.",
        )


class NotFound(InfohusError):
    exit_code = 5


class InvalidInput(InfohusError):
    exit_code = 2


class Conflict(InfohusError):
    """A save against a stale version: someone else changed the row first."""

    exit_code = 6


class TamperedData(InfohusError):
    """Ciphertext, a signature or the audit chain does not verify."""

    exit_code = 7


class UntrustedKey(TamperedData):
    """A public key has no valid certification chain to the pinned root."""


class RootNotPinned(UntrustedKey):
    """This workstation has not yet pinned the vault's root fingerprint: nothing was
    tampered with, the user has a step to take (compare and trust), so its own exit code."""

    exit_code = 11

    def __init__(self, da: str, en: str, fingerprint: str) -> None:
        super().__init__(da, en)
        self.fingerprint = fingerprint


class VaultUnavailable(InfohusError):
    """The vault cannot be opened (missing, locked by another program, wrong schema)."""

    exit_code = 8


class SchemaMismatch(VaultUnavailable):
    """The vault's schema and this program do not match, and this workstation may not (a
    shared server's application role never migrates) or cannot (a newer schema) fix it."""

    exit_code = 13

    @classmethod
    def server_outdated(cls) -> SchemaMismatch:
        return cls(
            "Serveren skal opdateres, før denne version af Infohus Desktop kan bruge den: "
            "serveradministratoren kører 'infohus server migrate' (docs/SERVER.md).",
            "The server must be updated before this version of Infohus Desktop can use it: "
            "the server administrator runs 'infohus server migrate' (docs/SERVER.md).",
        )

    @classmethod
    def app_outdated(cls) -> SchemaMismatch:
        return cls(
            "Boksen er lavet af en nyere version af Infohus Desktop: opdatér Infohus Desktop "
            "på denne arbejdsstation.",
            "The vault was made by a newer version of Infohus Desktop: update Infohus Desktop "
            "on this workstation.",
        )


class ConnectionLost(VaultUnavailable):
    """The connection to the database server broke or could not be made (a restart, a
    dropped network). ``saved`` says what became of the work under way: ``False`` nothing
    was saved (it may be done again), ``None`` the answer to COMMIT was lost and whether it
    landed could not be found out yet (check before doing it again). A commit that is known
    to have landed is no error at all (vault/server_link.py)."""

    def __init__(
        self, da: str, en: str, saved: bool | None = False, marker: uuid.UUID | None = None
    ) -> None:
        super().__init__(da, en)
        self.saved = saved
        #: With ``saved=None``: the id of the transaction's audit entry, by which the answer
        #: can be found once the server is back (``MemberSession.commit_landed``).
        self.marker = marker


class PassphraseChangeRequired(InfohusError):
    exit_code = 9

    def __init__(self, login: str) -> None:
        super().__init__(
            f"Du skal skifte din første adgangsfrase: infohus member passphrase --user {login}",
            f"You must change your initial passphrase first: "
            f"infohus member passphrase --user {login}",
        )


class CryptoUnavailable(InfohusError):
    """The crypto library lacks Argon2id, HPKE or ML-KEM: the app refuses to start."""

    exit_code = 10


class UpgradeDue(InfohusError):
    """The vault still has the clear columns of an earlier format: what needs them waits
    for ``infohus vault upgrade`` (a coordinator, in the app or on the command line)."""

    exit_code = 12

    def __init__(self) -> None:
        super().__init__(
            "Boksen skal opgraderes først: en koordinator vælger Opgradér boksen … i "
            "programmet eller kører infohus vault upgrade.",
            "The vault must be upgraded first: a coordinator chooses Upgrade the vault … in "
            "the program or runs infohus vault upgrade.",
        )


class ServerPasswordRequired(VaultUnavailable):
    """The server asks for a password that was not given (``wrong``: or it refused it).

    The desktop app asks for it and tries again; the command line asks on a terminal.
    """

    def __init__(self, wrong: bool) -> None:
        self.wrong = wrong
        if wrong:
            da = "Serveren afviste adgangskoden."
            en = "The server rejected the password."
        else:
            da = "Serveren kræver en adgangskode."
            en = "The server requires a password."
        super().__init__(
            f"{da} Skriv den, når du bliver spurgt, eller læg den i ~/.pgpass (kun læsbar "
            "for dig, chmod 0600) eller i servicefilens passfile. Infohus gemmer ikke "
            "adgangskoder.",
            f"{en} Type it when asked, or put it in ~/.pgpass (readable only by you, chmod "
            "0600) or the service file's passfile. Infohus does not store passwords.",
        )


#: What the usual file errors are called, in Danish and English: the system's own words
#: (``strerror``) are English, and were set into Danish sentences ("Filen kunne ikke
#: skrives (No space left on device)").
_OS_REASONS: dict[int, tuple[str, str]] = {
    28: ("disken er fuld", "the disk is full"),  # ENOSPC
    122: ("disken er fuld", "the disk is full"),  # EDQUOT: the user's share of it
    27: ("filen er for stor", "the file is too large"),  # EFBIG (ulimit -f)
    13: ("ingen adgang", "permission denied"),  # EACCES
    1: ("ingen adgang", "permission denied"),  # EPERM
    2: ("findes ikke", "does not exist"),  # ENOENT
    30: ("skrivebeskyttet", "read-only"),  # EROFS
    5: ("fejl på disken", "disk error"),  # EIO
}


def os_reason(exc: BaseException) -> tuple[str, str]:
    """Why a file operation failed, in Danish and English, for a message's parentheses."""
    known = _OS_REASONS.get(getattr(exc, "errno", None) or -1)
    if known is not None:
        return known
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return reason, reason
