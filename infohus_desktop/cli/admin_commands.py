"""The administration on the command line, beside the window's *Administration* area: a
member's new role, a passphrase reset (with the welcome letter), the key holders of each
group, renaming a group, and renaming an Infohus Kommune or giving it another prefix."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from infohus_desktop.cli.io import emit_json, emit_table, role_label, saved_to, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.accounts.reset import server_acceptance
from infohus_desktop.services.core.exports import write_export


def add_admin_parsers(
    member: Any, group: Any, municipality: Any, both: list[argparse.ArgumentParser]
) -> None:
    """The subcommands under ``member``, ``group`` and ``municipality``."""
    role = member.add_parser(
        "role",
        parents=both,
        help=t(
            "giv et medlem en anden rolle (koordinator)",
            "give a member another role (coordinator)",
        ),
    )
    login = t("medlemmets brugernavn", "the member's login")
    role.add_argument("login", help=login)
    role.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        help=t("den nye rolle", "the new role"),
    )
    role.set_defaults(handler=member_role)
    reset = member.add_parser(
        "reset",
        parents=both,
        help=t(
            "nye nøgler og en dannet første adgangsfrase til et medlem, der har glemt sin "
            "(koordinator); adgangsfrasen vises én gang",
            "new keys and a generated first passphrase for a member who forgot theirs "
            "(coordinator); the passphrase is printed once",
        ),
    )
    reset.add_argument("login", help=login)
    reset.add_argument(
        "--letter",
        metavar="FILE",
        help=t(
            "skriv også velkomstbrevet (PDF) med adgangsfrasen",
            "also write the welcome letter (PDF) with it",
        ),
    )
    reset.set_defaults(handler=member_reset)

    keys = group.add_parser(
        "keys",
        parents=both,
        help=t(
            "hvem der har hver adgangskreds' nøgle, og hvem der venter på den",
            "who holds each group's key and who waits for it",
        ),
    )
    keys.set_defaults(handler=group_keys)
    rename = group.add_parser(
        "rename",
        parents=both,
        help=t("omdøb en adgangskreds (koordinator)", "rename an access group (coordinator)"),
    )
    rename.add_argument("group", help=t("adgangskredsens navn eller id", "group name or id"))
    rename.add_argument("new_name", help=t("adgangskredsens nye navn", "the group's new name"))
    rename.set_defaults(handler=group_rename)

    mrename = municipality.add_parser(
        "rename",
        parents=both,
        help=t(
            "omdøb kommunen i en Infohus Kommune (koordinator)",
            "rename an Infohus Kommune's municipality (coordinator)",
        ),
    )
    mrename.add_argument(
        "name", help=t("kommunens navn eller præfiks", "the municipality's name or prefix")
    )
    mrename.add_argument("new_name", help=t("kommunens nye navn", "the municipality's new name"))
    mrename.set_defaults(handler=municipality_rename)
    prefix = municipality.add_parser(
        "prefix",
        parents=both,
        help=t(
            "et andet præfiks til sagsnumrene på nye sager (koordinator)",
            "another case-number prefix, for new cases (coordinator)",
        ),
    )
    prefix.add_argument(
        "name", help=t("kommunens navn eller præfiks", "the municipality's name or prefix")
    )
    prefix.add_argument(
        "prefix",
        help=t(
            "det nye præfiks: 1-8 bogstaver (A-Z) eller tal, fx AAR",
            "the new prefix: 1-8 letters (A-Z) or digits, e.g. AAR",
        ),
    )
    prefix.set_defaults(handler=municipality_prefix)


def member_role(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        change = session.accounts.change_role(args.login, Role(args.role))
    if args.json:
        emit_json(
            {
                "login": change.member.login,
                "role": change.member.role.value,
                "joined": change.joined,
                "left": change.left,
                "pending": change.pending,
            }
        )
        return 0
    print(
        t(
            f"{change.member.login} er nu {role_label(change.member.role).lower()}: "
            f"med i {change.joined} ny(e) adgangskreds(e), ude af {change.left}.",
            f"{change.member.login} is now {change.member.role.value}: joined "
            f"{change.joined} access group(s), left {change.left}.",
        )
    )
    return 0


def member_reset(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        reset = session.accounts.reset_passphrase(args.login)
        guard = session.vault.guard_status
        server = server_acceptance(guard is not None and guard.active, reset.member.id)
        letter = (
            session.accounts.welcome_letter(args.login, reset.passphrase, reset=True)
            if args.letter
            else None
        )
    if letter is not None:
        write_export(Path(args.letter), letter)
    if args.json:
        emit_json(
            {
                "login": reset.member.login,
                "passphrase": reset.passphrase,
                "fingerprint": reset.member.fingerprint,
                "shared_now": reset.shared_now,
                "waiting": reset.waiting,
                "server_must_accept": server is not None,
            }
        )
        return 0
    print(
        t(
            f"{reset.member.login} har fået nye nøgler. Første adgangsfrase (vises kun nu):",
            f"{reset.member.login} has new keys. First passphrase (shown only now):",
        )
    )
    print(f"  {reset.passphrase}")
    if reset.waiting:
        print(
            t(
                f"{reset.waiting} adgangskreds(e) deles med medlemmet, når en anden i kredsen "
                "låser op.",
                f"{reset.waiting} access group(s) are shared with the member when another "
                "member of the group unlocks.",
            )
        )
    if server is not None:
        print(t(*server))
    if args.letter:
        print(saved_to(args.letter))
    return 0


def group_keys(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        details = session.group_admin.details()
    if args.json:
        emit_json(
            [
                {
                    "id": str(d.group.id),
                    "name": d.group.name,
                    "kind": d.group.kind.value,
                    "epoch": d.group.epoch,
                    "members": list(d.members),
                    "holders": list(d.holders),
                    "waiting": list(d.waiting),
                    "organisations": list(d.organisations),
                }
                for d in details
            ]
        )
        return 0
    emit_table(
        [
            t("Adgangskreds", "Access group"),
            t("Nøglegeneration", "Key generation"),
            t("Har nøglen", "Holds the key"),
            t("Venter på nøgle", "Waiting for the key"),
        ],
        [
            [d.group.name, str(d.group.epoch), ", ".join(d.holders), ", ".join(d.waiting) or "–"]
            for d in details
        ],
    )
    return 0


def group_rename(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        group = session.group_admin.rename(args.group, args.new_name)
    if args.json:
        emit_json({"id": str(group.id), "name": group.name})
        return 0
    print(t(f"Adgangskredsen hedder nu {group.name}.", f"The access group is now {group.name}."))
    return 0


def _municipality_changed(args: argparse.Namespace, **change: str) -> int:
    with unlocked(args) as session:
        local = session.group_admin.change_municipality(args.name, **change)
    if args.json:
        emit_json({"id": str(local.id), "name": local.name, "case_prefix": local.case_prefix})
        return 0
    print(
        t(
            f"{local.name}: nye sager får numre som {local.case_prefix}-ÅÅÅÅ-0001.",
            f"{local.name}: new cases are numbered like {local.case_prefix}-YYYY-0001.",
        )
    )
    return 0


def municipality_rename(args: argparse.Namespace) -> int:
    return _municipality_changed(args, name=args.new_name)


def municipality_prefix(args: argparse.Namespace) -> int:
    return _municipality_changed(args, prefix=args.prefix)
