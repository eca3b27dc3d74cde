"""The ``infohus`` command line: vault administration, scripting and verification.

Errors are one line on standard error and a non-zero exit code (see
:mod:`infohus_desktop.domain.errors`); a bug prints a short line and writes its traceback,
without values, to the log in the local state directory.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from infohus_desktop.app import VersionAction, add_desktop_options, version_help
from infohus_desktop.argparse_language import Parser
from infohus_desktop.cli import collector
from infohus_desktop.cli.command_table import COMMANDS, group_of
from infohus_desktop.cli.io import StdinLines, connection_lost_text, t
from infohus_desktop.domain.errors import ConnectionLost, InfohusError
from infohus_desktop.domain.organisations import OrgKind, Role

EXIT_BUG = 70

_log = logging.getLogger("infohus")


def _location_options() -> argparse.ArgumentParser:
    parent = Parser(add_help=False)
    group = parent.add_argument_group(t("boks", "vault"))
    where = group.add_mutually_exclusive_group()
    where.add_argument("--vault", metavar="PATH", help=t("SQLite-boksens fil", "SQLite vault file"))
    where.add_argument(
        "--db-url",
        metavar="URL",
        help=t(
            "PostgreSQL-boks: postgresql+psycopg://bruger@vært/db",
            "PostgreSQL vault: postgresql+psycopg://user@host/db",
        ),
    )
    group.add_argument(
        "--json",
        action="store_true",
        help=t("maskinlæsbart svar (JSON)", "machine-readable output"),
    )
    return parent


def _auth_options() -> argparse.ArgumentParser:
    parent = Parser(add_help=False)
    group = parent.add_argument_group(t("bruger og adgangsfrase", "authentication"))
    group.add_argument("--user", metavar="LOGIN", help=t("dit brugernavn", "your login"))
    _passphrase_source(group)
    return parent


def _passphrase_source(group: Any) -> None:
    """``--passphrase-file FILE`` or ``--passphrase-stdin``; without either, a prompt."""
    source = group.add_mutually_exclusive_group()
    source.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=t("læs din adgangsfrase fra FILE", "read your passphrase from FILE"),
    )
    source.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=t("læs din adgangsfrase fra standardinput", "read your passphrase from stdin"),
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``infohus`` parser; its texts are in the language of the process.

    ``command`` None: the whole parser. A command's name: that command built whole (with
    the ones built by the same module), every other only named with its help, from the light
    table in :mod:`~infohus_desktop.cli.command_table`, so that ``infohus case list`` imports
    the case commands and not the meetings' PDF and calendar libraries (issue 17). Any other
    string (``--help``, ``--version``, a mistyped command): every command only named. What
    argparse prints is the same either way; tests/unit/test_cli_lazy_parser.py holds it so."""
    loc, auth = _location_options(), _auth_options()
    both = [loc, auth]
    parser: argparse.ArgumentParser = Parser(
        prog="infohus",
        description=t(
            "Infohus Desktop: krypteret bekymringssagsbehandling for Infohuse.",
            "Infohus Desktop: encrypted concern case work for the Infohuse.",
        ),
        epilog=t(
            "Sprog: dansk som standard; 'INFOHUS_LANG=en infohus …' svarer på engelsk. "
            "--lang på en kommando, der skriver en PDF eller CSV, vælger kun filens sprog.",
            "Language: Danish by default; 'INFOHUS_LANG=en infohus …' answers in English. "
            "--lang on a command that writes a PDF or CSV chooses only the file's language.",
        ),
    )
    parser.add_argument("--version", action=VersionAction, help=version_help())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if command is None:
        for builder in dict.fromkeys(group_of(name) for name in COMMANDS):
            _BUILDERS[builder](sub, loc, both)
        return parser
    if command in COMMANDS:
        _BUILDERS[group_of(command)](sub, loc, both)
    for name, (da, en, _group) in COMMANDS.items():
        if name not in sub.choices:
            sub.add_parser(name, help=t(da, en))
    return parser


def _accounts(sub: Any, loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    """init, selftest, gui, vault, municipality, member and group."""
    from infohus_desktop.cli import commands, upgrade_commands
    from infohus_desktop.cli.admin_commands import add_admin_parsers

    init = sub.add_parser(
        "init",
        parents=[loc],
        help=t("opret en boks for en politikreds", "create a vault for a police district"),
    )
    # The coordinator the vault is made with: who they are, and the passphrase they choose.
    # ``--user`` is still taken, and ignored, for the scripts that passed it when ``init``
    # listed it; ``--login`` names the coordinator.
    init.add_argument("--user", help=argparse.SUPPRESS)
    _passphrase_source(
        init.add_argument_group(t("koordinatorens adgangsfrase", "the coordinator's passphrase"))
    )
    init.add_argument(
        "--infohus",
        required=True,
        help=t(
            "politikredsens Infohus, fx 'Østjylland'", "the district's Infohus, e.g. 'Østjylland'"
        ),
    )
    init.add_argument(
        "--login",
        required=True,
        help=t("koordinatorens brugernavn", "the coordinator's login"),
    )
    init.add_argument(
        "--name", required=True, help=t("koordinatorens fulde navn", "the coordinator's full name")
    )
    init.add_argument(
        "--org",
        required=True,
        help=t("'police' eller kommunens navn", "'police' or the municipality's name"),
    )
    init.add_argument(
        "--org-kind",
        choices=["police", "municipality"],
        help=t(
            "organisationens art, når navnet ikke siger det", "the organisation's kind, if unclear"
        ),
    )
    init.add_argument(
        "--police-name",
        help=t("navnet på politiorganisationen", "name of the police organisation"),
    )
    init.set_defaults(handler=commands.init)

    sub.add_parser(
        "selftest", help=t("kør den kryptografiske selvtest", "run the cryptographic self-test")
    ).set_defaults(handler=commands.selftest)

    gui = sub.add_parser(
        "gui",
        help=t(
            "start skrivebordsprogrammet (med tilvalgene fra infohus-desktop)",
            "start the desktop app (the options of infohus-desktop)",
        ),
    )
    add_desktop_options(gui)
    gui.set_defaults(handler=_gui)

    vault = sub.add_parser(
        "vault", help=t("oplysninger om boksen og tillid til den", "vault information and trust")
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    vault.add_parser(
        "info",
        parents=[loc],
        help=t(
            "politikreds, placering, rodnøglens fingeraftryk",
            "district, location, root fingerprint",
        ),
    ).set_defaults(handler=commands.vault_info)
    trust = vault.add_parser(
        "trust",
        parents=[loc],
        help=t(
            "betro rodnøglens fingeraftryk på denne arbejdsstation",
            "pin the root fingerprint here",
        ),
    )
    root = t("fingeraftrykket fra velkomstbrevet", "the fingerprint from the welcome letter")
    trust.add_argument("--fingerprint", required=True, help=root)
    trust.set_defaults(handler=commands.vault_trust)
    upgrade_commands.add_upgrade_parser(vault, both)
    vault.add_parser(
        "accept-restore",
        parents=both,
        help=t(
            "godkend en genskabt boks, der er ældre end den, denne arbejdsstation sidst så "
            "(koordinator)",
            "accept a vault older than this workstation saw (coordinator)",
        ),
    ).set_defaults(handler=commands.vault_accept_restore)

    muni = sub.add_parser(
        "municipality",
        help=t(
            "kommunerne og deres Infohus Kommune",
            "the municipalities and their Infohus Kommune",
        ),
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    madd = muni.add_parser(
        "add",
        parents=both,
        help=t("tilføj en kommune i politikredsen", "add a municipality of the district"),
    )
    madd.add_argument("name", help=t("kommunens navn", "the municipality's name"))
    madd.add_argument(
        "--prefix",
        default=None,
        help=t(
            "præfiks til sagsnumrene (standard: navnets første tre bogstaver, Aarhus → AAR)",
            "case number prefix (default: the name's first three letters, Aarhus → AAR)",
        ),
    )
    madd.set_defaults(handler=commands.municipality_add)
    muni.add_parser(
        "list",
        parents=both,
        help=t("kommunerne og deres præfikser", "the municipalities and their prefixes"),
    ).set_defaults(handler=commands.municipality_list)

    member = sub.add_parser("member", help=t("medlemmer", "members")).add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    add = member.add_parser("add", parents=both, help=t("opret et medlem", "enrol a member"))
    login = t("medlemmets brugernavn", "the member's login")
    add.add_argument("--login", required=True, help=login)
    add.add_argument("--name", required=True, help=t("medlemmets navn", "the member's name"))
    add.add_argument(
        "--org",
        required=True,
        help=t("organisationens navn eller et ord for dens art", "organisation name or kind word"),
    )
    new_kind = t("organisationens art, hvis den er ny", "the organisation's kind, if it is new")
    add.add_argument(
        "--org-kind", choices=[k.value for k in OrgKind if k != OrgKind.MUNICIPALITY], help=new_kind
    )
    role = t("medlemmets rolle", "the member's role")
    add.add_argument("--role", required=True, choices=[r.value for r in Role], help=role)
    add.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        required=True,
        help=t(
            "medlemmets første adgangsfrase (medlemmet skifter den ved første oplåsning)",
            "the member's first passphrase (they change it at first unlock)",
        ),
    )
    add.set_defaults(handler=commands.member_add)
    mlist = member.add_parser(
        "list", parents=both, help=t("medlemmerne (koordinator)", "the members (coordinator)")
    )
    mlist.add_argument(
        "--all", action="store_true", help=t("medtag fjernede medlemmer", "include removed members")
    )
    mlist.set_defaults(handler=commands.member_list)
    remove = member.add_parser(
        "remove",
        parents=both,
        help=t("fjern et medlem (koordinator)", "remove a member (coordinator)"),
    )
    remove.add_argument("login", help=login)
    remove.set_defaults(handler=commands.member_remove)
    pw = member.add_parser(
        "passphrase",
        parents=both,
        help=t("skift din egen adgangsfrase", "change your own passphrase"),
    )
    new_source = pw.add_mutually_exclusive_group()
    new_source.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help=t("læs den nye adgangsfrase fra FILE", "read the new passphrase from FILE"),
    )
    new_source.add_argument(
        "--new-passphrase-stdin",
        action="store_true",
        help=t(
            "næste linje på standardinput (efter den nuværende adgangsfrase, hvis også den "
            "kommer derfra)",
            "the next line of stdin (after the current one, if also stdin)",
        ),
    )
    pw.set_defaults(handler=commands.member_passphrase)

    group = sub.add_parser("group", help=t("adgangskredse", "access groups")).add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    gadd = group.add_parser(
        "add", parents=both, help=t("opret en adgangskreds", "create an access group")
    )
    gadd.add_argument("name", help=t("adgangskredsens navn", "the access group's name"))
    in_group = t("et medlem af kredsen (kan gentages)", "a member of the group (repeatable)")
    gadd.add_argument("--member", action="append", default=[], metavar="LOGIN", help=in_group)
    gadd.add_argument(
        "--org",
        action="append",
        default=[],
        metavar="ORG",
        help=t("medlemmer af ORG kommer automatisk med", "members of ORG join automatically"),
    )
    gadd.set_defaults(handler=commands.group_add)
    group.add_parser(
        "list",
        parents=both,
        help=t("adgangskredsene og deres medlemmer", "the access groups and their members"),
    ).set_defaults(handler=commands.group_list)
    for name, handler, what in (
        (
            "add-member",
            commands.group_add_member,
            t(
                "føj et medlem til en adgangskreds (koordinator)",
                "add a member to a group (coordinator)",
            ),
        ),
        (
            "remove-member",
            commands.group_remove_member,
            t(
                "fjern et medlem fra en adgangskreds; kredsens nøgle fornyes (koordinator)",
                "remove a member from a group; its key is renewed (coordinator)",
            ),
        ),
    ):
        change = group.add_parser(name, parents=both, help=what)
        change.add_argument("group", help=t("adgangskredsens navn eller id", "group name or id"))
        change.add_argument("login", help=login)
        change.set_defaults(handler=handler)

    add_admin_parsers(member, group, muni, both)


def _cases(sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    """case, and retention (which adds to case too)."""
    from infohus_desktop.cli.case_edit_commands import add_case_edit_parsers
    from infohus_desktop.cli.case_parsers import add_case_parser
    from infohus_desktop.cli.retention_commands import add_retention_parsers
    from infohus_desktop.cli.transfer_commands import add_transfer_parser

    case = add_case_parser(sub, both)
    add_case_edit_parsers(case, both)
    add_retention_parsers(sub, case, both)
    add_transfer_parser(case, both)


def _backup(sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    from infohus_desktop.cli.backup_commands import add_backup_parsers
    from infohus_desktop.cli.server_commands import add_server_parsers

    add_backup_parsers(sub, both)
    add_server_parsers(sub)


def _insight(sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    from infohus_desktop.cli.insight_commands import add_insight_parser

    add_insight_parser(sub, both)


def _meeting(sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    from infohus_desktop.cli.meeting_commands import add_meeting_parsers
    from infohus_desktop.cli.meeting_edit_commands import add_meeting_edit_parsers

    add_meeting_edit_parsers(add_meeting_parsers(sub, both), both)


def _trend(sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    from infohus_desktop.cli.trend_commands import add_trend_parsers

    add_trend_parsers(sub, both)


def _stats(sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    from infohus_desktop.cli.stats_commands import add_stats_parser

    add_stats_parser(sub, both)


def _referrals(
    sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]
) -> None:
    """referral, bundle, keys and recipient (a bundle exports referrals)."""
    from infohus_desktop.cli.bundle_commands import add_bundle_parsers
    from infohus_desktop.cli.referral_commands import add_referral_parsers

    add_bundle_parsers(sub, both, add_referral_parsers(sub, both))


def _demo(sub: Any, loc: argparse.ArgumentParser, _both: list[argparse.ArgumentParser]) -> None:
    from infohus_desktop.cli import demo_commands

    demo_commands.add_demo_parser(sub, loc)


def _audit(sub: Any, _loc: argparse.ArgumentParser, both: list[argparse.ArgumentParser]) -> None:
    from infohus_desktop.cli.audit_commands import add_audit_parsers

    add_audit_parsers(sub, both)


#: The builders named in the command table, in the order of the whole parser.
_BUILDERS: dict[str, Any] = {
    "accounts": _accounts,
    "cases": _cases,
    "backup": _backup,
    "insight": _insight,
    "meeting": _meeting,
    "trend": _trend,
    "stats": _stats,
    "referrals": _referrals,
    "demo": _demo,
    "audit": _audit,
}


def command_of(argv: Sequence[str]) -> str:
    """The command ``argv`` names (its first word that is not an option), or ``""``."""
    for word in argv:
        if not word.startswith("-"):
            return word
        if word in ("-h", "--help", "--version"):
            return ""  # argparse answers these before it looks at a command
    return ""


def _gui(args: argparse.Namespace) -> int:
    from infohus_desktop.app import run

    collector.loaded()  # the window lives long: the usual collection from here on
    return run(args)


def main(argv: Sequence[str] | None = None, stdin: StdinLines | None = None) -> int:
    if argv is None:  # this process's own command line: see cli/collector.py
        collector.loading()
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(command_of(words))
    args = parser.parse_args(words)
    args.stdin = stdin or StdinLines()
    from infohus_desktop.cli.person_input import warn_visible_arguments

    warn_visible_arguments(args, sys.stderr.isatty())
    try:
        result: int = args.handler(args)
        return result
    except ConnectionLost as exc:  # exit code 8, saying whether anything was saved
        print(f"infohus: {connection_lost_text(exc)}", file=sys.stderr)
        return exc.exit_code
    except InfohusError as exc:
        print(f"infohus: {exc.message()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(t("infohus: afbrudt", "infohus: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`infohus case list | head`): not a bug. Point stdout at
        # devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # a bug: never a traceback with values on the screen
        from infohus_desktop.cli import commands

        commands.log_bug(exc, traceback.extract_tb(exc.__traceback__))
        print(
            t(
                f"infohus: intern fejl ({type(exc).__name__}); detaljer uden persondata er "
                "skrevet i loggen.",
                f"infohus: internal error ({type(exc).__name__}); details without personal "
                "data are in the log.",
            ),
            file=sys.stderr,
        )
        return EXIT_BUG
