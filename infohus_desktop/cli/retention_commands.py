"""`infohus retention …` and the case commands of deletion: `case hold`, `case release-hold`,
`case delete`.

`retention rules` shows or sets the periods (JSON, see docs/retention-rules-example.json);
`retention due` lists the cases due for deletion now or within 30 days, never with a name;
`retention deleted` lists the tombstones. A deletion before the case is due, and rules that
shorten a period, need a second person: `--approver LOGIN`, whose passphrase is asked for (or
read from `--approver-passphrase-file`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infohus_desktop.cli.approval_args import add_approver_flags, approval_from, approver_named
from infohus_desktop.cli.args import DATE_HELP, at_least, case_help, parse_date, read_text
from infohus_desktop.cli.io import emit_json, emit_table, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.errors import InvalidInput, ui_language
from infohus_desktop.domain.labels import RETENTION_LABELS
from infohus_desktop.domain.workflow import CLOSING_LABELS, ClosingReason

if TYPE_CHECKING:
    # Types only: the ``case`` parser, which adds the retention commands, is built for every
    # ``infohus case ...``, and the retention rules' module is not needed to list cases.
    from infohus_desktop.domain.retention import DueCase, Hold, RetentionRules, Tombstone


def _closing(reason: ClosingReason | None) -> str:
    return t(*CLOSING_LABELS[reason]) if reason else ""


def _ending(entry: DueCase) -> str:
    """How the case ended: its closing reason, or handed over to another Infohus."""
    return t("Overdraget", "Transferred") if entry.transferred else _closing(entry.closing_reason)


def _day(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


# -- retention rules -------------------------------------------------------------------------


def retention_rules(args: argparse.Namespace) -> int:
    data = None
    if args.set:
        try:
            data = json.loads(Path(args.set).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(
                f"Filen {args.set} kan ikke læses som JSON.",
                f"The file {args.set} cannot be read as JSON.",
            ) from exc
    approval = approval_from(args) if args.set else None  # asked for only to save rules
    with unlocked(args) as session:
        if args.set:
            with approver_named(approval):
                rules = session.retention.rules.set(data, approval)
        else:
            rules = session.retention.rules.get()
    if args.json:
        from infohus_desktop.domain.retention import rules_to_json

        emit_json(rules_to_json(rules))
        return 0
    _print_rules(rules)
    return 0


def _print_rules(rules: RetentionRules) -> None:
    if not rules.configured:
        print(
            t(
                "Infohuset har ikke sat sine egne sletteregler; dette er programmets "
                "udgangspunkt. Aftal perioderne med jeres DPO og sæt dem med --set FIL.",
                "The Infohus has not set its own retention rules; this is the program's "
                "starting point. Agree the periods with your DPO and set them with --set FILE.",
            )
        )
    emit_table(
        [
            t("Afslutningsårsag", "Closing reason"),
            t("Måneder efter afslutning", "Months after closing"),
        ],
        [[_closing(r), str(m)] for r, m in rules.by_reason.items()],
    )
    if rules.by_class:
        emit_table(
            [t("Opbevaringsklasse", "Retention class"), t("Måneder", "Months")],
            [[t(*RETENTION_LABELS[c]), str(m)] for c, m in rules.by_class.items()],
        )
    print(
        t(
            f"Sager overdraget til et andet Infohus gemmes i {rules.transferred} måneder efter "
            "overdragelsen.",
            f"Cases handed over to another Infohus are kept for {rules.transferred} months "
            "after the handover.",
        )
    )
    print(
        t(
            f"Revisionsloggen gemmes i {rules.audit_months} måneder.",
            f"The audit log is kept for {rules.audit_months} months.",
        )
    )


# -- the due list and the tombstones ----------------------------------------------------------


def due_json(e: DueCase) -> dict[str, Any]:
    return {
        "case_id": str(e.case_id),
        "number": e.number,
        "municipality": e.municipality,
        "closing_reason": e.closing_reason.value if e.closing_reason else None,
        "retention": e.retention.value,
        "closed_on": e.closed_on.isoformat(),
        "delete_on": e.delete_on.isoformat(),
        "hold": _hold_json(e.hold),
        "transferred": e.transferred,
    }


def _hold_json(h: Hold | None) -> dict[str, Any] | None:
    if h is None:
        return None
    return {"reason": h.reason, "until": h.until.isoformat(), "by": h.by_login}


def retention_due(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        due = session.retention.due(args.within)
    if args.json:
        emit_json([due_json(e) for e in due])
        return 0
    if not due:
        print(t("Ingen sager er til sletning.", "No case is due for deletion."))
        return 0
    emit_table(
        [
            t("Sag", "Case"),
            t("Kommune", "Municipality"),
            t("Afslutningsårsag", "Closing reason"),
            # The class sets the date with the reason, as the window's list shows it.
            t("Opbevaring", "Retention"),
            t("Afsluttet", "Closed"),
            t("Slettes", "Delete on"),
            t("Blokeret til", "Held until"),
        ],
        [
            [
                e.number,
                e.municipality,
                _ending(e),
                t(*RETENTION_LABELS[e.retention]),
                _day(e.closed_on),
                _day(e.delete_on),
                _day(e.hold.until) if e.hold else "",
            ]
            for e in due
        ],
    )
    return 0


def tombstone_json(s: Tombstone) -> dict[str, Any]:
    return {
        "case_id": str(s.case_id),
        "number": s.number,
        "municipality": s.municipality,
        "received": s.received.isoformat(),
        "closed_on": s.closed_on.isoformat() if s.closed_on else None,
        "closing_reason": s.closing_reason.value if s.closing_reason else None,
        "deleted_on": s.deleted_at.isoformat(),
        "deleted_by": s.deleted_by,
        "approved_by": s.approved_by,
        "reason": s.reason,
        "tampered": s.tampered,
    }


def retention_deleted(args: argparse.Namespace) -> int:
    from infohus_desktop.domain.cases import TAMPERED_TEXT

    with unlocked(args) as session:
        stones = session.retention.tombstones()
    if args.json:
        emit_json([tombstone_json(s) for s in stones])
        return 0
    if not stones:  # a bare header read as a fault (user trial)
        print(t("Ingen sager er slettet.", "No case has been deleted."))
        return 0
    emit_table(
        [
            t("Sag", "Case"),
            t("Kommune", "Municipality"),
            t("Slettet", "Deleted"),
            t("Af", "By"),
            t("Godkendt af", "Approved by"),
            t("Begrundelse", "Reason"),
        ],
        [
            [
                s.number,
                s.municipality,
                _day(s.deleted_at),
                s.deleted_by,
                s.approved_by or "",
                t(*TAMPERED_TEXT) if s.tampered else s.reason,
            ]
            for s in stones
        ],
    )
    return 0


# -- holds and deletion -----------------------------------------------------------------------


def case_hold(args: argparse.Namespace) -> int:
    reason = read_text(args, "reason_file", "reason")
    with unlocked(args) as session:
        hold = session.retention.holds.add(args.case, reason, args.until)
    if args.json:
        emit_json(_hold_json(hold))
    else:
        print(
            t(
                f"Sag {args.case.upper()} slettes ikke før efter {_day(hold.until)}.",
                f"Case {args.case.upper()} is not deleted before {_day(hold.until)}.",
            )
        )
    return 0


def case_release_hold(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        released = session.retention.holds.release(args.case)
    if args.json:
        emit_json({"released": released})
    else:
        print(
            t(
                f"{released} sletteblokering(er) er ophævet.",
                f"{released} deletion hold(s) released.",
            )
        )
    return 0


def case_delete(args: argparse.Namespace) -> int:
    reason = read_text(args, "reason_file", "reason")
    approval = approval_from(args)
    with unlocked(args) as session, approver_named(approval):
        stone = session.retention.delete(args.case, reason, approval)
    if args.json:
        emit_json(tombstone_json(stone))
    else:
        print(
            t(
                f"Sag {stone.number} er slettet; dens nøgle er destrueret.",
                f"Case {stone.number} is deleted; its key is destroyed.",
            )
        )
    return 0


def retention_delete_due(args: argparse.Namespace) -> int:
    reason = read_text(args, "reason_file", "reason")
    with unlocked(args) as session:
        result = session.retention.delete_due(reason)
    skipped = [
        {"number": number, "reason": exc.message(ui_language())} for number, exc in result.skipped
    ]
    if args.json:
        emit_json({"deleted": [tombstone_json(s) for s in result.deleted], "skipped": skipped})
        return 0
    n = len(result.deleted)
    if n == 0:
        print(t("Ingen sager er slettet.", "No case was deleted."))
    elif n == 1:
        print(
            t(
                "1 sag er slettet; dens nøgle er destrueret.",
                "1 case is deleted; its key is destroyed.",
            )
        )
    else:
        print(
            t(
                f"{n} sager er slettet; deres nøgler er destrueret.",
                f"{n} cases are deleted; their keys are destroyed.",
            )
        )
    for item in skipped:
        print(t(f"Ikke slettet: {item['reason']}", f"Not deleted: {item['reason']}"))
    return 0


# -- the parsers ------------------------------------------------------------------------------


def add_retention_parsers(sub: Any, case: Any, both: list[argparse.ArgumentParser]) -> None:
    """`infohus retention …`, and `hold`, `release-hold`, `delete` under `infohus case`."""
    retention = sub.add_parser(
        "retention",
        help=t(
            "opbevaringsregler, sager til sletning, slettede sager",
            "retention rules, due cases, deletions",
        ),
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    number = case_help()
    reason_file = t(
        "begrundelsen fra en fil ('-' er standardinput)",
        "the reason from a file ('-' is standard input)",
    )
    rules = retention.add_parser(
        "rules",
        parents=both,
        help=t("vis eller fastsæt opbevaringsreglerne", "show or set the retention rules"),
    )
    rules.add_argument(
        "--set", metavar="FILE", help=t("regler som JSON (koordinator)", "JSON rules (coordinator)")
    )
    add_approver_flags(
        rules,
        t(
            "for regler, der gør en periode kortere: DPO'en eller en anden koordinator",
            "for rules that shorten a period: the DPO or another coordinator",
        ),
    )
    rules.set_defaults(handler=retention_rules)
    due = retention.add_parser(
        "due",
        parents=both,
        help=t("sager, der skal slettes (koordinator)", "cases due for deletion (coordinator)"),
    )
    due.add_argument(
        "--within",
        type=at_least(0),
        default=30,
        metavar="DAYS",
        help=t(
            "sager, der skal slettes inden for så mange dage (standard 30)",
            "cases due within this many days (default 30)",
        ),
    )
    due.set_defaults(handler=retention_due)
    due_all = retention.add_parser(
        "delete-due",
        parents=both,
        help=t(
            "slet alle sager, der skal slettes og ikke har en sletteblokering",
            "delete every case that is due and not held",
        ),
    )
    due_all.add_argument(
        "--reason",
        help=t(
            "begrundelsen for sletningen (eller --reason-file)",
            "the reason for the deletion (or --reason-file)",
        ),
    )
    due_all.add_argument("--reason-file", metavar="FILE", help=reason_file)
    due_all.set_defaults(handler=retention_delete_due)
    deleted = retention.add_parser(
        "deleted",
        parents=both,
        help=t("det, der er tilbage af slettede sager", "tombstones of deleted cases"),
    )
    deleted.set_defaults(handler=retention_deleted)

    hold = case.add_parser(
        "hold",
        parents=both,
        help=t(
            "sletteblokering: sagen må ikke slettes før en dato",
            "keep a case from deletion until a date",
        ),
    )
    hold.add_argument("case", help=number)
    hold.add_argument(
        "--until",
        required=True,
        type=parse_date,
        metavar=DATE_HELP,
        help=t("blokeringens slutdato", "the day the hold ends"),
    )
    hold.add_argument(
        "--reason",
        help=t(
            "hvorfor sagen ikke må slettes (eller --reason-file)",
            "why the case must not be deleted (or --reason-file)",
        ),
    )
    hold.add_argument("--reason-file", metavar="FILE", help=reason_file)
    hold.set_defaults(handler=case_hold)
    release = case.add_parser(
        "release-hold",
        parents=both,
        help=t("ophæv sagens sletteblokeringer", "end a case's deletion holds"),
    )
    release.add_argument("case", help=number)
    release.set_defaults(handler=case_release_hold)
    delete = case.add_parser(
        "delete",
        parents=both,
        help=t("slet en lukket sag (koordinator)", "delete a closed case (coordinator)"),
    )
    delete.add_argument("case", help=number)
    delete.add_argument(
        "--reason",
        help=t(
            "begrundelsen for sletningen (eller --reason-file)",
            "the reason for the deletion (or --reason-file)",
        ),
    )
    delete.add_argument("--reason-file", metavar="FILE", help=reason_file)
    add_approver_flags(
        delete,
        t(
            "for en sletning før tid: databeskyttelsesrådgiveren (DPO) eller en anden koordinator",
            "for an early deletion: the DPO or another coordinator",
        ),
    )
    delete.set_defaults(handler=case_delete)
