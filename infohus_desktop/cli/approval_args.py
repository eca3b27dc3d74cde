"""The second person (four eyes) on the command line: ``--approver LOGIN`` and
``--approver-passphrase-file FILE``, shared by what deletes sooner than the rules say
(``case delete`` before the deadline, ``retention rules --set`` with shorter periods,
``case edit --retention`` to a class with a shorter period). Without the file the
passphrase is asked for, never echoed and never taken from a flag, where it would stay in
the shell's history."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from infohus_desktop.cli.io import prompt, read_passphrase_file, t
from infohus_desktop.domain.errors import InvalidInput

if TYPE_CHECKING:
    from infohus_desktop.services.retention.approval import Approval


def add_approver_flags(parser: argparse.ArgumentParser, who: str) -> None:
    """``who`` says when the approver is needed and who may be one."""
    parser.add_argument("--approver", metavar="LOGIN", help=who)
    parser.add_argument(
        "--approver-passphrase-file",
        metavar="FILE",
        help=t(
            "godkenderens adgangsfrase fra en fil (ellers spørges der efter den)",
            "the approver's passphrase from a file (else it is asked for)",
        ),
    )


def approval_from(args: argparse.Namespace) -> Approval | None:
    """The second person named by ``--approver``, with their passphrase from
    ``--approver-passphrase-file`` or asked for; None without ``--approver``."""
    if not args.approver:
        return None
    from infohus_desktop.services.retention.approval import Approval

    if args.approver_passphrase_file:
        return Approval(args.approver, read_passphrase_file(args.approver_passphrase_file))
    if not sys.stdin.isatty():  # the approver's file, not the member's, is what is missing
        raise InvalidInput(
            f"Ingen adgangsfrase for {args.approver}: brug --approver-passphrase-file, eller "
            "kør kommandoen i en terminal, hvor godkenderen skriver den.",
            f"No passphrase for {args.approver}: use --approver-passphrase-file, or run the "
            "command in a terminal where the approver types it.",
        )
    secret = prompt(t(f"Adgangsfrase for {args.approver}: ", f"Passphrase of {args.approver}: "))
    return Approval(args.approver, secret)


@contextlib.contextmanager
def approver_named(approval: Approval | None) -> Iterator[None]:
    """Without ``--approver``, a refusal for want of the second person says how to give one:
    the service's message is shared with the window, which opens its approval box instead."""
    from infohus_desktop.services.retention.approval import NeedsApproval

    try:
        yield
    except NeedsApproval as exc:
        if approval is not None:
            raise
        raise InvalidInput(
            f"{exc.message('da')} Angiv godkenderen med --approver LOGIN.",
            f"{exc.message('en')} Give the approver with --approver LOGIN.",
        ) from None
