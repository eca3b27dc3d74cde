"""From the command line to an unlocked member: where the vault is (--vault, --db-url or the
default), who you are (--user) and your passphrase (a file, standard input or a prompt)."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from infohus_desktop.bug_log import log_bug as log_bug  # re-exported for callers
from infohus_desktop.cli import collector
from infohus_desktop.cli.io import (
    prompt,
    read_passphrase_file,
    t,
)
from infohus_desktop.domain.errors import InfohusError, InvalidInput
from infohus_desktop.local_state import LocalState, default_vault_path
from infohus_desktop.vault.urls import url_for_path

if TYPE_CHECKING:
    # Loaded when a command unlocks, not when `infohus <command> --help` builds the parser
    # of every module that imports this one (issue 17).
    from infohus_desktop.services.accounts import unlock_guard
    from infohus_desktop.services.front_door import MemberServices, Vault

T = TypeVar("T")


def vault_url(args: argparse.Namespace, local: LocalState) -> str:
    for flag, value in (
        ("--vault", getattr(args, "vault", None)),
        ("--db-url", getattr(args, "db_url", None)),
    ):
        if value is not None and not str(value).strip():
            # An empty value (a script's unset variable) must not mean the default vault.
            raise InvalidInput(
                f"{flag} er tom: angiv boksens placering, eller udelad {flag} for standardboksen.",
                f"{flag} is empty: give the vault's location, or leave {flag} out for the "
                "default vault.",
            )
    if getattr(args, "db_url", None):
        return str(args.db_url)
    if getattr(args, "vault", None):
        return url_for_path(_absolute(args.vault))
    return local.default_vault_url() or url_for_path(default_vault_path())


def open_vault(url: str, local: LocalState) -> Vault:
    """``Vault.open``, asking for the server's password on a terminal when it wants one."""
    from infohus_desktop.services.front_door import Vault

    return with_server_password(url, lambda u: Vault.open(u, local))


def with_server_password(url: str, attempt: Callable[[str], T]) -> T:
    """``attempt(url)``; when the server wants a password and we are on a terminal, ask for
    it (not echoed, kept in memory for this run) and try once more. Off a terminal the error
    says how to give it without typing: ``~/.pgpass`` or the service file's ``passfile``."""
    from infohus_desktop.domain.errors import ServerPasswordRequired
    from infohus_desktop.vault.server_address import with_password

    try:
        return attempt(url)
    except ServerPasswordRequired:
        if not sys.stdin.isatty():
            raise
    password = getpass.getpass(t("Adgangskode til serveren: ", "Password for the server: "))
    return attempt(with_password(url, password))


def _absolute(path: str) -> Path:
    return Path(path).expanduser().resolve()


def command_passphrase(args: argparse.Namespace) -> str:
    """The passphrase to unlock with: the line a command that reads long text from stdin
    took first, else the member's own (a file, standard input or a prompt).

    A line taken from standard input here is noted as taken, so that a text the command reads
    from standard input after the unlock (``read_text``, ``-`` as the file) is the rest of it:
    it used to take a second line as the passphrase and lose the text's first."""
    early = getattr(args, "early_passphrase", None)
    if early is not None:
        return str(early)
    passphrase = own_passphrase(args)
    if getattr(args, "passphrase_stdin", False):
        args.early_passphrase = passphrase
    return passphrase


def own_passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    if args.passphrase_file:
        return read_passphrase_file(args.passphrase_file)
    if args.passphrase_stdin:
        return str(args.stdin.next_line())
    return prompt(t("Adgangsfrase: ", "Passphrase: "), confirm=confirm)


@contextlib.contextmanager
def unlocked(
    args: argparse.Namespace, passphrase: str | None = None, accept_restore: bool = False
) -> Iterator[MemberServices]:
    if not args.user:
        raise InvalidInput(
            "Angiv hvem du er med --user LOGIN.", "Say who you are with --user LOGIN."
        )
    # Here, not at the top: building a parser loads no vault code (test_cli_lazy_parser.py).
    from infohus_desktop.services.accounts.key_ahead import derive_ahead, member_ahead

    local = LocalState()
    url = vault_url(args, local)
    derived = None
    member = member_ahead(url, args.user, local)
    if member is not None:
        # An SQLite vault that knows this member: the key is derived before the vault's
        # libraries are loaded, so that Argon2's memory does not come on top of theirs
        # (services/accounts/key_ahead.py). The vault is there: the passphrase is asked first.
        if passphrase is None:
            passphrase = command_passphrase(args)
        derived = derive_ahead(member, passphrase)
    with open_vault(url, local) as vault:
        collector.loaded()  # before the unlock: no key but the one derived ahead
        if passphrase is None:
            passphrase = command_passphrase(args)
        try:
            session = vault.unlock(
                args.user, passphrase, accept_restore=accept_restore, derived=derived
            )
        finally:
            # Dropped as soon as the unlock is over. A failed unlock's traceback holds it (in
            # the unlock's arguments) until the error is reported, as it holds the unlock's
            # own key; the command ends there.
            derived = None
        warn_unguarded(vault.guard_status)
        try:
            yield session
        except BaseException:
            # The command's own error is the one to report: a lock that fails too (the
            # server is gone) must not hide whether the command's change was saved.
            with contextlib.suppress(InfohusError):
                session.lock()
            raise
        session.lock()


def warn_unguarded(status: unlock_guard.GuardStatus | None) -> None:
    """On PostgreSQL without a sound unlock guard, say so on an interactive stderr (§7.2).

    Scripts read stderr for errors only; they find the state in ``vault info``.
    """
    from infohus_desktop.services.accounts import unlock_guard

    if status is None or status.active or status.state is unlock_guard.GuardState.NOT_APPLICABLE:
        return
    if not sys.stderr.isatty():
        return
    print(
        t(
            f"Advarsel: serverens beskyttelse mod gætteforsøg mangler ({status.reason_da}).",
            f"Warning: the server's protection against guessing is missing ({status.reason}).",
        ),
        file=sys.stderr,
    )
