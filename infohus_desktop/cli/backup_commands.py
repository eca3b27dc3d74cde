"""`infohus backup …`: make, verify, restore and drill encrypted backups of the vault.

``create`` and ``drill`` work on the open vault (``--vault``/``--db-url``, a coordinator's
``--user``). ``verify`` and ``restore`` need only the file and a coordinator's login and
passphrase: they are what is left after every workstation is lost. For ``restore``,
``--vault NEW_PATH`` or ``--db-url URL`` names the *target*, which must be empty.

Exit codes (for a scheduled ``backup create``): 0 done; 2 bad input (a target that exists, a
missing folder, a full disk: nothing was written); 3 wrong user or passphrase; 4 not a
coordinator; 7 the backup file is refused (altered, truncated, another vault's) or the
vault's own data does not verify; 70 a bug (the log has the details, without personal data).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from infohus_desktop.cli.io import emit_json, saved_to, t
from infohus_desktop.cli.unlocking import own_passphrase, unlocked, vault_url
from infohus_desktop.domain.backups import (
    DELETIONS_NOTES,
    BackupHeaderInfo,
    BackupReport,
    BackupStatus,
    counts_words,
)
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.local_state import LocalState


def _when(moment: Any) -> str:
    return (
        moment.astimezone(COPENHAGEN).strftime("%d.%m.%Y %H.%M") if moment else t("aldrig", "never")
    )


def _header_json(header: BackupHeaderInfo) -> dict[str, Any]:
    return {
        "backup": str(header.backup_id),
        "vault": str(header.vault_id),
        "created": header.created.isoformat(),
        "created_by": header.created_by,
        "root_fingerprint": header.root_fingerprint,
        "schema": header.schema,
        "engine": header.engine,
        "key_holders": list(header.key_holders),
    }


def _report_json(report: BackupReport) -> dict[str, Any]:
    return {
        **_header_json(report.header),
        "counts": report.counts,
        "audit_head": report.audit_head,
        "bytes": report.size,
        "seconds": round(report.seconds, 3),
        "deletions_applied": list(report.deletions_applied),
        "deletions_ignored": report.deletions_ignored,
        "cases_read": report.cases_read,
        "target": report.target,
        "left_behind": report.left_behind or None,
        "format": report.format or None,
        "format_lowered_from": report.format_lowered_from or None,
        "deletions_note": report.deletions_note or None,
    }


def _print_header(header: BackupHeaderInfo) -> None:
    print(t("Sikkerhedskopi", "Backup"), header.backup_id)
    print(t("  lavet:", "  made:"), _when(header.created), t("af", "by"), header.created_by)
    print(t("  boks:", "  vault:"), header.vault_id, f"({header.engine})")
    print(t("  rodnøgle:", "  root key:"), header.root_fingerprint)
    print(t("  kan åbnes af:", "  opened by:"), ", ".join(header.key_holders))


def _print_counts(report: BackupReport) -> None:
    print(f"  {t(*counts_words(report))}")


def _user(args: argparse.Namespace) -> str:
    if not args.user:
        raise InvalidInput(
            "Angiv hvem du er med --user LOGIN (en koordinator).",
            "Say who you are with --user LOGIN (a coordinator).",
        )
    return str(args.user)


# -- the commands --------------------------------------------------------------------------------


def backup_create(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        report = session.backups.create(Path(args.out))
    if args.json:
        emit_json(_report_json(report))
        return 0
    _print_header(report.header)
    _print_counts(report)
    print(saved_to(args.out))
    return 0


def backup_verify(args: argparse.Namespace) -> int:
    from infohus_desktop.services.backups.restore import verify_file

    login = _user(args)
    report = verify_file(Path(args.file), login, own_passphrase(args))
    if args.json:
        emit_json({**_report_json(report), "ok": True})
        return 0
    _print_header(report.header)
    _print_counts(report)
    print(
        t(
            "Sikkerhedskopien er i orden: underskrift, alle dele, indholdsfortegnelse og "
            "revisionslog er kontrolleret. Intet er skrevet.",
            "The backup is sound: signature, every chunk, manifest and audit log checked. "
            "Nothing was written.",
        )
    )
    return 0


def backup_restore(args: argparse.Namespace) -> int:
    from infohus_desktop.services.backups.restore import restore_file

    if not (args.vault or args.db_url):
        raise InvalidInput(
            "Angiv hvor boksen skal genskabes: --vault NY_FIL eller --db-url URL.",
            "Say where to restore the vault: --vault NEW_FILE or --db-url URL.",
        )
    login = _user(args)
    local = LocalState()
    report = restore_file(
        Path(args.file),
        vault_url(args, local),
        login,
        own_passphrase(args),
        local=local,
        fingerprint=args.fingerprint,
        extra_registers=[Path(p) for p in args.deletions],
    )
    if args.json:
        emit_json(_report_json(report))
        return 0
    _print_header(report.header)
    _print_counts(report)
    if report.deletions_applied:
        print(
            t(
                f"  {len(report.deletions_applied)} sager, der er slettet efter "
                f"sikkerhedskopien, er fjernet igen: {', '.join(report.deletions_applied)}",
                f"  {len(report.deletions_applied)} cases deleted after the backup were "
                f"removed again: {', '.join(report.deletions_applied)}",
            )
        )
    if report.deletions_ignored:
        print(
            t(
                f"  {report.deletions_ignored} sletninger i registret er ikke gyldigt "
                "underskrevet og er ikke brugt.",
                f"  {report.deletions_ignored} deletions in the register are not validly "
                "signed and were not used.",
            )
        )
    print(t(f"Genskabt i {report.target}.", f"Restored to {report.target}."))
    if report.deletions_note:
        print(t(*DELETIONS_NOTES[report.deletions_note]))
    if report.format_lowered_from:
        old, new = report.format_lowered_from, report.format
        print(
            t(
                f"Sikkerhedskopien er fra før boksen kom i format {old}: den er nu i format "
                f"{new} igen, og indstillinger uden underskrift læses, til rodkoordinatoren "
                "kører 'infohus vault upgrade' igen. Skrevet i revisionsloggen.",
                f"The backup is from before the vault reached format {old}: it is in format "
                f"{new} again, and settings without a signature are read until the root "
                "coordinator runs 'infohus vault upgrade' again. Recorded in the audit log.",
            )
        )
    if report.left_behind:
        print(
            t(
                f"Bemærk: denne arbejdsstation kendte boksen på {report.left_behind}. Fra nu af "
                f"er det kopien i {report.target}; åbnes den gamle her, afvises den som en "
                "anden, ændret kopi, indtil en koordinator godkender den (infohus vault "
                "accept-restore). En sikkerhedskopi prøves uden at skifte med "
                "'infohus backup drill'.",
                f"Note: this workstation knew the vault at {report.left_behind}. From now on "
                f"it is the copy in {report.target}; the old one, opened here, is refused as "
                "another, changed copy until a coordinator accepts it (infohus vault "
                "accept-restore). A backup is tried without switching with "
                "'infohus backup drill'.",
            )
        )
    return 0


def backup_drill(args: argparse.Namespace) -> int:
    passphrase = own_passphrase(args)
    with unlocked(args, passphrase) as session:
        report = session.backups.drill(Path(args.file), passphrase)
    if args.json:
        emit_json(_report_json(report))
        return 0
    _print_header(report.header)
    _print_counts(report)
    seconds, n = f"{report.seconds:.1f}", report.cases_read
    print(
        t(
            f"Øvelsen lykkedes på {seconds.replace('.', ',')} s: {n} "
            f"{'sag' if n == 1 else 'sager'} læst, revisionsloggen verificeret, den "
            "midlertidige boks slettet.",
            f"The drill succeeded in {seconds} s: {n} {'case' if n == 1 else 'cases'} read, "
            "the audit log verified, the temporary vault removed.",
        )
    )
    return 0


def backup_status(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        if args.reminder_days is not None:
            session.backups.set_reminder_days(args.reminder_days)
        status = session.backups.status()
    if args.json:
        emit_json(_status_json(status))
        return 0
    print(t("Seneste sikkerhedskopi:", "Last backup:"), _when(status.last_backup))
    print(t("Seneste genskabelsesøvelse:", "Last restore drill:"), _when(status.last_drill))
    print(
        t(
            f"Påmindelse efter {status.reminder_days} dage uden sikkerhedskopi.",
            f"Reminder after {status.reminder_days} days without a backup.",
        )
    )
    return 0


def _status_json(status: BackupStatus) -> dict[str, Any]:
    return {
        "last_backup": status.last_backup.isoformat() if status.last_backup else None,
        "last_drill": status.last_drill.isoformat() if status.last_drill else None,
        "reminder_days": status.reminder_days,
    }


def backup_inspect(args: argparse.Namespace) -> int:
    from infohus_desktop.services.backups.restore import inspect_file

    header = inspect_file(Path(args.file))
    if args.json:
        emit_json(_header_json(header))
        return 0
    _print_header(header)
    print(
        t(
            "Kun hovedet og dets underskrift er kontrolleret; 'infohus backup verify' "
            "kontrollerer hele filen.",
            "Only the header and its signature were checked; 'infohus backup verify' checks "
            "the whole file.",
        )
    )
    return 0


# -- the parsers ---------------------------------------------------------------------------------


def add_backup_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    _location, auth = both
    backup = sub.add_parser(
        "backup",
        help=t(
            "krypterede sikkerhedskopier: lav, kontrollér, genskab, øv",
            "encrypted backups: make, verify, restore, drill",
        ),
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    backup_file = t("sikkerhedskopiens fil", "the backup file")

    create = backup.add_parser(
        "create",
        parents=both,
        help=t(
            "lav en krypteret, underskrevet sikkerhedskopi af hele boksen (koordinator)",
            "make an encrypted, signed backup of the whole vault (coordinator)",
        ),
    )
    create.add_argument("--out", required=True, metavar="FILE", help=t("filen", "the file"))
    create.set_defaults(handler=backup_create)

    verify = backup.add_parser(
        "verify",
        parents=[auth],
        help=t(
            "kontrollér en sikkerhedskopi helt uden at skrive noget (en koordinators adgang)",
            "check a backup completely without writing anything (a coordinator's access)",
        ),
    )
    verify.add_argument("file", metavar="FILE", help=backup_file)
    verify.add_argument("--json", action="store_true", help=t("svar som JSON", "JSON output"))
    verify.set_defaults(handler=backup_verify)

    restore = backup.add_parser(
        "restore",
        parents=both,
        help=t(
            "genskab en sikkerhedskopi i en ny, tom boks: --vault NY_FIL eller --db-url URL",
            "restore a backup into a new, empty vault: --vault NEW_FILE or --db-url URL",
        ),
    )
    restore.add_argument("file", metavar="FILE", help=backup_file)
    restore.add_argument(
        "--fingerprint",
        metavar="FP",
        help=t(
            "rodnøglens fingeraftryk fra velkomstbrevet (når denne computer ikke kender boksen)",
            "the root key's fingerprint from the welcome letter (when this computer does not "
            "know the vault)",
        ),
    )
    restore.add_argument(
        "--deletions",
        action="append",
        default=[],
        metavar="FILE",
        help=t(
            "et sletteregister kopieret fra en anden arbejdsstation (kan gentages)",
            "a deletion register copied from another workstation (repeatable)",
        ),
    )
    restore.set_defaults(handler=backup_restore)

    drill = backup.add_parser(
        "drill",
        parents=both,
        help=t(
            "øv en genskabelse i en midlertidig boks, læs alt, verificér og slet den (koordinator)",
            "rehearse a restore into a temporary vault, read it all, verify, remove it "
            "(coordinator)",
        ),
    )
    drill.add_argument("file", metavar="FILE", help=backup_file)
    drill.set_defaults(handler=backup_drill)

    status = backup.add_parser(
        "status",
        parents=both,
        help=t(
            "seneste sikkerhedskopi og øvelse, og påmindelsen",
            "last backup and drill, and the reminder",
        ),
    )
    status.add_argument(
        "--reminder-days",
        type=int,
        metavar="N",
        help=t(
            "påmind koordinatorerne efter N dage uden sikkerhedskopi (1-90; koordinator)",
            "remind the coordinators after N days without a backup (1-90; coordinator)",
        ),
    )
    status.set_defaults(handler=backup_status)

    inspect = backup.add_parser(
        "inspect",
        help=t(
            "vis en sikkerhedskopis underskrevne hoved; intet dekrypteres",
            "show a backup's signed header; nothing is decrypted",
        ),
    )
    inspect.add_argument("file", metavar="FILE", help=backup_file)
    inspect.add_argument("--json", action="store_true", help=t("svar som JSON", "JSON output"))
    inspect.set_defaults(handler=backup_inspect)


__all__ = ["add_backup_parsers"]
