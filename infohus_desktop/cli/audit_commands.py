"""`infohus audit verify|list|prune`: the audit log checked (any member verifies the chain),
read (coordinators and the DPO; times in Danish local time, ``--json`` keeps UTC), and pruned
after its retention period (a coordinator; the DPO may see what would go with ``--dry-run``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from infohus_desktop.bug_log import log_bug as log_bug  # re-exported for callers
from infohus_desktop.cli.args import at_least
from infohus_desktop.cli.io import (
    emit_json,
    emit_table,
    t,
)
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.audit import AuditFilter, AuditVerification
from infohus_desktop.domain.audit_words import detail_words
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.errors import ui_language
from infohus_desktop.domain.insight import action_label, actions_named, purpose_label


def audit_verify(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        result = session.audit.verify(new_only=args.new_only)
    if args.json:
        emit_json(
            {
                "ok": result.ok,
                "entries": result.entries,
                "checkpoints": result.checkpoints,
                "checkpoints_in_file": result.checkpoints_in_file,
                "head": result.head_hash,
                "first_bad_seq": result.first_bad_seq,
                "problem": result.problem,
                "problem_da": result.problem_da,
                "signatures_checked": result.signatures_checked,
                "legacy_entries": result.legacy_entries,
                "pruned_entries": result.pruned_entries,
                "verified_from": result.verified_from,
            }
        )
    elif result.ok:
        print(
            t(
                f"Revisionsloggen er intakt: {result.entries} poster, {result.checkpoints} "
                f"kontrolpunkter ({result.checkpoints - result.checkpoints_in_file} i "
                f"databasen, {result.checkpoints_in_file} i denne arbejdsstations fil), "
                f"hoved {result.head_hash[:16]}.",
                f"The audit log is intact: {result.entries} entries, {result.checkpoints} "
                f"checkpoints ({result.checkpoints - result.checkpoints_in_file} in the "
                f"database, {result.checkpoints_in_file} in this workstation's file), "
                f"head {result.head_hash[:16]}.",
            )
        )
        print(_signatures_line(result))
        if result.verified_from:
            print(
                t(
                    f"Kun posterne efter post {result.verified_from} er læst; de tidligere blev "
                    "kontrolleret sidst her. Uden --new-only læses hele loggen.",
                    f"Only the entries after entry {result.verified_from} were read; the earlier "
                    "ones were checked here last time. Without --new-only the whole log is read.",
                )
            )
        if result.pruned_entries:
            print(
                t(
                    f"{result.pruned_entries} ældre poster er beskåret efter opbevaringstiden; "
                    "kæden kontrolleres fra den underskrevne opsummering.",
                    f"{result.pruned_entries} older entries were pruned after the retention "
                    "period; the chain is checked from the signed summary.",
                )
            )
    else:
        print(
            t(
                (
                    f"Revisionsloggen er brudt ved post {result.first_bad_seq}: "
                    if result.first_bad_seq
                    else "Revisionsloggen er brudt: "
                )
                + f"{result.problem_in('da')}",
                (
                    f"The audit log is broken at entry {result.first_bad_seq}: "
                    if result.first_bad_seq
                    else "The audit log is broken: "
                )
                + f"{result.problem_in('en')}",
            ),
            file=sys.stderr,
        )
    return 0 if result.ok else 7


def audit_list(args: argparse.Namespace) -> int:
    # A code (case.read, case) as it is; words (Opslag, Look-up) as every action whose label
    # holds them, as the window's filter takes them: the table shows the labels.
    named = actions_named(args.filter_action) if args.filter_action else None
    with unlocked(args) as session:
        entries = session.audit.list(
            limit=args.limit,
            action=args.filter_action if named is None else None,
            actor_login=args.actor,
            filters=AuditFilter(actions=named) if named is not None else None,
        )
        # A case as people say it (the window's log does the same): case.read, case.hold
        # and case.transfer entries said which case only in --json (user trial).
        numbers = session.audit.case_numbers()
    if args.json:
        emit_json(
            [
                {
                    "seq": e.seq,
                    "at": e.at.isoformat(),
                    "actor": e.actor_login,
                    "workstation": e.workstation,
                    "action": e.action,
                    "object": e.object_id,
                    "case_number": numbers.get(e.object_id or ""),
                    "purpose": e.purpose,
                    # As stored (the hash chain covers it), and in the reader's words.
                    "detail": e.detail,
                    "detail_text": t(*detail_words(e.action, e.detail, numbers)),
                    "signature_ok": e.signature_ok,
                }
                for e in entries
            ]
        )
        return 0
    emit_table(
        [
            "#",
            t("Tid", "Time"),
            t("Bruger", "User"),
            t("Handling", "Action"),
            t("Sag/objekt", "Case/object"),
            t("Formål", "Purpose"),
            t("Detalje", "Detail"),
        ],
        [
            [
                str(e.seq),
                e.at.astimezone(COPENHAGEN).strftime("%d.%m.%Y %H.%M"),
                e.actor_login,
                # In words, as the window's log (the DPO reads codes badly); --json keeps
                # the codes and the stored detail, and --action takes either.
                action_label(e.action, ui_language()),
                numbers.get(e.object_id or "", (e.object_id or "")[:8]),
                purpose_label(e.purpose, ui_language()),
                t(*detail_words(e.action, e.detail, numbers)) + _unsigned_mark(e.signature_ok),
            ]
            for e in entries
        ],
    )
    return 0


def audit_prune(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        pruning = session.audit_pruning
        plan = pruning.plan() if args.dry_run else pruning.prune()
    if args.json:
        emit_json(
            {
                "dry_run": args.dry_run,
                "keep_months": plan.keep_months,
                "before": plan.limit.isoformat(),
                "entries": plan.entries,
                "first_seq": plan.first_seq if plan.entries else None,
                "last_seq": plan.last_seq if plan.entries else None,
                "first_at": plan.first_at.isoformat() if plan.entries and plan.first_at else None,
                "last_at": plan.last_at.isoformat() if plan.entries and plan.last_at else None,
            }
        )
        return 0
    kept = t(
        f"Loggen gemmes i {plan.keep_months} måneder: poster fra før {plan.limit:%d.%m.%Y} "
        "kan beskæres.",
        f"The log is kept for {plan.keep_months} months: entries from before "
        f"{plan.limit:%d.%m.%Y} can be pruned.",
    )
    print(kept)
    if args.dry_run:
        print(
            t(
                f"{plan.entries} poster ville blive beskåret (nr. {plan.first_seq}–"
                f"{plan.last_seq}).",
                f"{plan.entries} entries would be pruned (no. {plan.first_seq}–{plan.last_seq}).",
            )
            if plan.entries
            else t("Der er intet at beskære endnu.", "There is nothing to prune yet.")
        )
    else:
        print(
            t(
                f"{plan.entries} poster (nr. {plan.first_seq}–{plan.last_seq}) er erstattet af "
                "en underskrevet opsummering.",
                f"{plan.entries} entries (no. {plan.first_seq}–{plan.last_seq}) are replaced "
                "by a signed summary.",
            )
        )
    return 0


def _signatures_line(result: AuditVerification) -> str:
    """What the signatures vouch for: every entry's, for the audit group only."""
    if result.signatures_checked is None:
        checked = t(
            "Underskrifterne på de enkelte poster kan kun kontrolleres af revisionsgruppen "
            "(koordinatorer og databeskyttelsesrådgiveren).",
            "The signatures of single entries can only be checked by the audit group "
            "(coordinators and the data protection officer).",
        )
    else:
        checked = t(
            f"{result.signatures_checked} poster er underskrevet af den bruger, de nævner.",
            f"{result.signatures_checked} entries are signed by the member they name.",
        )
    if result.legacy_entries:
        checked += " " + t(
            f"{result.legacy_entries} ældre poster (fra før underskrifter) dækkes kun af "
            "kontrolpunkterne.",
            f"{result.legacy_entries} older entries (from before signatures) are covered by "
            "the checkpoints only.",
        )
    return checked


def _unsigned_mark(signature_ok: bool | None) -> str:
    if signature_ok is False:
        return t(
            " ⚠ ikke underskrevet af brugeren (ændret uden om programmet)",
            " ⚠ not signed by the member (changed outside the program)",
        )
    return ""


def add_audit_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    """``infohus audit verify|list|prune``."""
    audit = sub.add_parser("audit", help=t("revisionsloggen", "the audit log")).add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    verify = audit.add_parser(
        "verify",
        parents=both,
        help=t(
            "kontrollér kæden, kontrolpunkterne og (for revisionsgruppen) hver posts underskrift",
            "check the chain, the checkpoints and (audit group) every signature",
        ),
    )
    verify.add_argument(
        "--new-only",
        action="store_true",
        help=t(
            "kun det, der er kommet til siden sidste gode kontrol på denne arbejdsstation "
            "(hurtigt; opdager ikke en gammel post, der er ændret)",
            "only what is new since the last good check on this workstation (quick; does not "
            "see an old entry edited in place)",
        ),
    )
    verify.set_defaults(handler=audit_verify)
    alist = audit.add_parser(
        "list",
        parents=both,
        help=t("poster med detaljer (koordinator, DPO)", "entries with details (coordinator, dpo)"),
    )
    alist.add_argument(
        "--limit",
        type=at_least(1),
        default=50,
        help=t(
            "højst så mange poster, de nyeste først (standard 50)",
            "at most this many entries, newest first (default 50)",
        ),
    )
    alist.add_argument(
        "--action",
        dest="filter_action",
        metavar="ACTION",
        help=t(
            "kun denne handling og dem under den, fx 'case' eller 'case.read', eller de "
            "handlinger, hvis navn rummer ordene, fx 'Opslag'",
            "only this action and those under it, e.g. 'case' or 'case.read', or the actions "
            "whose name holds the words, e.g. 'Look-up'",
        ),
    )
    alist.add_argument(
        "--actor", metavar="LOGIN", help=t("kun dette medlems poster", "only this member's entries")
    )
    alist.set_defaults(handler=audit_list)
    prune = audit.add_parser(
        "prune",
        parents=both,
        help=t(
            "erstat poster, der er ældre end loggens opbevaringstid, med en underskrevet "
            "opsummering (koordinator; --dry-run viser, hvad der ville blive fjernet)",
            "replace entries older than the log's retention period by a signed summary "
            "(coordinator; --dry-run shows what would go)",
        ),
    )
    prune.add_argument(
        "--dry-run",
        action="store_true",
        help=t("vis kun, hvad der ville blive fjernet", "only show what would be pruned"),
    )
    prune.set_defaults(handler=audit_prune)
