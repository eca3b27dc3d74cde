"""`infohus case transfer NUMBER --to RECIPIENT --out FILE --approver LOGIN [--reason TEXT]`:
hand a case over to another Infohus (a coordinator, approved by the DPO or another). The
receiving Infohus imports the file with `infohus bundle import FILE --municipality NAME`.

`infohus case transfer NUMBER --to NAME --outside --approver LOGIN [--reason TEXT]` records
a handover made outside the program (no file), approved by a second person: the one way,
besides a bundle, to set *overdraget*."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path
from typing import Any

from infohus_desktop.cli.approval_args import add_approver_flags, approval_from, approver_named
from infohus_desktop.cli.args import add_validity_option
from infohus_desktop.cli.io import emit_json, saved_to, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.errors import InvalidInput


def case_transfer(args: argparse.Namespace) -> int:
    if args.outside:
        return _record_outside(args)
    if not args.out:
        raise InvalidInput(
            "Angiv pakkens fil med --out (eller --outside for en overdragelse, der er sket "
            "uden om programmet).",
            "Give the bundle's file with --out (or --outside for a handover made outside the "
            "program).",
        )
    approval = approval_from(args)  # the second person's passphrase, asked for first
    with unlocked(args) as session, approver_named(approval):
        sent = session.transfers.export(
            args.number,
            args.to,
            Path(args.out),
            args.reason or "",
            validity=timedelta(days=args.days),
            approval=approval,
        )
    if args.json:
        emit_json(
            {
                "case": sent.number,
                "recipient": sent.recipient,
                "bundle": str(sent.info.bundle_id),
                "expires": sent.info.expires.isoformat(),
                "attachments": sent.attachments,
                "out": str(args.out),
                "outside": False,
            }
        )
        return 0
    print(
        t(
            f"Sag {sent.number} er overdraget til {sent.recipient} med {sent.attachments} bilag; "
            "den kan nu kun læses her. Send filen til modtageren; den kan importeres indtil "
            f"{sent.info.expires:%d.%m.%Y}.",
            f"Case {sent.number} was handed over to {sent.recipient} with {sent.attachments} "
            f"attachment{'' if sent.attachments == 1 else 's'}; it can now only be read here. "
            "Send the file to the recipient; it "
            f"can be imported until {sent.info.expires:%d.%m.%Y}.",
        )
    )
    print(saved_to(args.out))
    return 0


def _record_outside(args: argparse.Namespace) -> int:
    if args.out:
        raise InvalidInput(
            "En overdragelse uden om programmet skriver ingen fil: udelad --out.",
            "A handover made outside the program writes no file: leave out --out.",
        )
    approval = approval_from(args)  # the second person's passphrase, asked for first
    with unlocked(args) as session, approver_named(approval):
        summary = session.transfers.record_outside(
            args.number, args.to, args.reason or "", approval
        )
    if args.json:
        emit_json({"case": summary.number, "recipient": " ".join(args.to.split()), "outside": True})
        return 0
    print(
        t(
            f"Sag {summary.number} er registreret som overdraget uden om programmet; den kan nu "
            "kun læses her.",
            f"Case {summary.number} is recorded as handed over outside the program; it can "
            "now only be read here.",
        )
    )
    return 0


def add_transfer_parser(case: Any, both: list[argparse.ArgumentParser]) -> None:
    transfer = case.add_parser(
        "transfer",
        parents=both,
        help=t(
            "overdrag sagen til et andet Infohus som en krypteret pakke (koordinator)",
            "hand the case over to another Infohus as an encrypted bundle (coordinator)",
        ),
    )
    transfer.add_argument("number", help=t("sagsnummeret", "the case number"))
    transfer.add_argument(
        "--to",
        required=True,
        metavar="RECIPIENT",
        help=t(
            "det modtagende Infohus: navn, id eller fingeraftryk på en godkendt modtager "
            "(med --outside: Infohusets navn)",
            "the receiving Infohus: the name, id or fingerprint of a pinned recipient (with "
            "--outside: the Infohus's name)",
        ),
    )
    transfer.add_argument(
        "--out",
        metavar="FILE",
        help=t("pakkens fil, der skal skrives", "the bundle file to write"),
    )
    transfer.add_argument(
        "--outside",
        action="store_true",
        help=t(
            "registrér en overdragelse, der er sket uden om programmet (ingen fil)",
            "record a handover made outside the program (no file)",
        ),
    )
    transfer.add_argument(
        "--reason",
        metavar="TEXT",
        help=t(
            "hvorfor sagen overdrages (fx at personen er flyttet)",
            "why the case is handed over (e.g. the person moved)",
        ),
    )
    add_approver_flags(
        transfer,
        t(
            "DPO'en eller en anden koordinator, der godkender overdragelsen",
            "the DPO or another coordinator, who approves the handover",
        ),
    )
    add_validity_option(transfer)
    transfer.set_defaults(handler=case_transfer)
