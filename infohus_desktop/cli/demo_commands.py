"""``infohus demo``: a new vault of synthetic data (:mod:`infohus_desktop.demo`).

Without ``--vault`` or ``--db-url`` the demo goes to ``vaults/demo.sqlite`` in the local state
directory. Its root key is pinned on this workstation, and it becomes the default vault when
there is none yet, so ``infohus case list --user lars`` works at once; an existing default
vault (a real one) is never replaced.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from infohus_desktop.cli.args import between
from infohus_desktop.cli.io import emit_json, emit_table, role_label, t
from infohus_desktop.cli.unlocking import vault_url
from infohus_desktop.demo import DemoVault, create_demo_vault
from infohus_desktop.local_state import LocalState, demo_vault_path
from infohus_desktop.private_files import make_private_dir
from infohus_desktop.vault.urls import url_for_path


def add_demo_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], loc_parser: argparse.ArgumentParser
) -> None:
    demo = sub.add_parser(
        "demo",
        parents=[loc_parser],
        help=t("opret en boks med syntetiske demodata", "create a vault of synthetic demo data"),
        description=t(
            "Opret en ny boks med syntetiske demodata: Østjylland med Aarhus, Randers og "
            "Silkeborg, medlemmer og 12 måneders sager. Adgangsfraserne vises bagefter.",
            "Create a new vault of synthetic demo data: Østjylland with Aarhus, Randers and "
            "Silkeborg, members and 12 months of cases. The passphrases are shown afterwards.",
        ),
    )
    demo.add_argument(
        "--cases",
        type=int,
        default=60,
        metavar="N",
        help=t("antal sager (standard 60)", "number of cases (default 60)"),
    )
    demo.add_argument(
        "--months",
        type=between(1, 12),
        default=12,
        metavar="1-12",
        help=t(
            "hvor mange måneders møder demoen har (standard 12; færre bygges hurtigere)",
            "how many months of meetings the demo has (default 12; fewer build faster)",
        ),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar="S",
        help=t("samme frø giver samme data (standard 2026)", "same seed, same data (default 2026)"),
    )
    demo.set_defaults(handler=demo_create)


def demo_create(args: argparse.Namespace) -> int:
    local = LocalState()
    explicit = bool(args.db_url or args.vault)
    url = vault_url(args, local) if explicit else url_for_path(demo_vault_path())
    if not explicit:
        make_private_dir(demo_vault_path().parent)
    interactive = sys.stderr.isatty() and not args.json
    if interactive:
        print(
            t(
                "Opretter medlemmer (nøgleafledning tager lidt tid) …",
                "Creating members (key derivation takes a while) …",
            ),
            file=sys.stderr,
        )
    result = create_demo_vault(
        url,
        cases=args.cases,
        seed=args.seed,
        meeting_months=args.months,
        local=local,
        progress=_show_progress if interactive else None,
    )
    made_default = local.default_vault_url() is None
    if made_default:
        local.set_default_vault_url(url)  # saved without its password
    if args.json:
        emit_json(demo_json(result, args.seed))
        return 0
    print(
        t(
            f"Demoboksen for {result.infohus} er oprettet på {result.location} med "
            f"{result.cases} sager.",
            f"The demo vault for {result.infohus} was created at {result.location} with "
            f"{result.cases} cases.",
        )
    )
    print(
        t(
            "ADVARSEL: syntetiske demodata, ingen rigtige personer. Brug aldrig demoboksen "
            "til rigtige sager.",
            "WARNING: synthetic demo data, no real people. Never use the demo vault for real "
            "cases.",
        )
    )
    print()
    emit_table(
        [
            t("Login", "Login"),
            t("Rolle", "Role"),
            t("Organisation", "Organisation"),
            t("Adgangsfrase", "Passphrase"),
        ],
        [[m.login, role_label(m.role), m.organisation, m.passphrase] for m in result.members],
    )
    print()
    where = "" if made_default else _where_option(args, result)
    print(
        t(
            f"Prøv: infohus case list{where} --user {result.members[0].login}",
            f"Try: infohus case list{where} --user {result.members[0].login}",
        )
    )
    return 0


def demo_json(result: DemoVault, seed: int) -> dict[str, Any]:
    return {
        "vault": result.location,
        "vault_id": str(result.vault_id),
        "infohus": result.infohus,
        "cases": result.cases,
        "seed": seed,
        "synthetic": True,
        "members": [
            {
                "login": m.login,
                "name": m.name,
                "role": m.role.value,
                "organisation": m.organisation,
                "passphrase": m.passphrase,
            }
            for m in result.members
        ],
    }


def _where_option(args: argparse.Namespace, result: DemoVault) -> str:
    if args.db_url:
        return f" --db-url {result.location}"
    return f" --vault {result.location}"


def _show_progress(done: int, total: int) -> None:
    end = "\n" if done == total else ""
    step = t("Demoboksen bygges, trin", "Building the demo vault, step")
    print(f"\r{step} {done}/{total}", end=end, file=sys.stderr, flush=True)
