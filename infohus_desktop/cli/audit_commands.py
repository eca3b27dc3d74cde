"""`infohus audit verify|list`: the audit log checked and read (coordinators and the DPO read
the entries; any member verifies the chain)."""

from __future__ import annotations

import argparse
import sys

from infohus_desktop.bug_log import log_bug as log_bug  # re-exported for callers
from infohus_desktop.cli.io import (
    emit_json,
    emit_table,
    t,
)
from infohus_desktop.cli.unlocking import unlocked


def audit_verify(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        result = session.audit.verify()
    if args.json:
        emit_json(
            {
                "ok": result.ok,
                "entries": result.entries,
                "checkpoints": result.checkpoints,
                "head": result.head_hash,
                "first_bad_seq": result.first_bad_seq,
                "problem": result.problem,
            }
        )
    elif result.ok:
        print(
            t(
                f"Revisionsloggen er intakt: {result.entries} poster, {result.checkpoints} "
                f"kontrolpunkter, hoved {result.head_hash[:16]}.",
                f"The audit log is intact: {result.entries} entries, {result.checkpoints} "
                f"checkpoints, head {result.head_hash[:16]}.",
            )
        )
    else:
        print(
            t(
                f"Revisionsloggen er brudt ved post {result.first_bad_seq}: {result.problem}",
                f"The audit log is broken at entry {result.first_bad_seq}: {result.problem}",
            ),
            file=sys.stderr,
        )
    return 0 if result.ok else 7


def audit_list(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        entries = session.audit.list(
            limit=args.limit, action=args.filter_action, actor_login=args.actor
        )
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
                    "purpose": e.purpose,
                    "detail": e.detail,
                }
                for e in entries
            ]
        )
        return 0
    emit_table(
        [
            "#",
            t("Tid (UTC)", "Time (UTC)"),
            t("Bruger", "User"),
            t("Handling", "Action"),
            t("Formål", "Purpose"),
            t("Detalje", "Detail"),
        ],
        [
            [
                str(e.seq),
                e.at.strftime("%d.%m.%Y %H.%M"),
                e.actor_login,
                e.action,
                e.purpose,
                e.detail or "",
            ]
            for e in entries
        ],
    )
    return 0
