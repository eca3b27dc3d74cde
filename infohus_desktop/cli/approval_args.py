"""The second person (four eyes) on the command line: ``--approver LOGIN`` and
``--approver-passphrase-file FILE``, shared by what deletes sooner than the rules say
(``case delete`` before the deadline, ``retention rules --set`` with shorter periods,
``case edit --retention`` to a class with a shorter period). Without the file the
passphrase is asked for, never echoed and never taken from a flag, where it would stay in
the shell's history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from infohus_desktop.cli.io import prompt, read_passphrase_file, t

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

    secret = (
        read_passphrase_file(args.approver_passphrase_file)
        if args.approver_passphrase_file
        else prompt(t(f"Adgangsfrase for {args.approver}: ", f"Passphrase of {args.approver}: "))
    )
    return Approval(args.approver, secret)
