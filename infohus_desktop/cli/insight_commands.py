"""`infohus insight`: the citizen's insight report as a PDF (a coordinator).

The person is named by one of their case numbers (`--case`) or by CPR number. A CPR number
typed as an argument is visible to every local user while the command runs and stays in the
shell history, so `--cpr-file FILE` reads it from a file or, with `-`, from standard input
(after the passphrase line when that is on standard input too); `--cpr` stays for scripting
with test data and warns at a terminal (``person_input.warn_visible_arguments``).

``--lang`` is the report's language, the citizen's, who may read English while the
coordinator works in Danish; the command's messages follow the program's (``INFOHUS_LANG``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, BinaryIO

from infohus_desktop.cli.args import add_file_language, file_language, read_text, write_atomic
from infohus_desktop.cli.io import emit_json, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.errors import InvalidInput, ui_language


def _target(name: str) -> Path:
    """The PDF's path, checked before anything is read (and audited) for it."""
    target = Path(name).expanduser().resolve()
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke.", f"The folder {target.parent} does not exist."
        )
    return target


def written_text(target: Path, language: str) -> str:
    """Where the report went, in the program's language; a report in the other language
    (``--lang``) says which, so the coordinator sees the flag did its part."""
    if language == ui_language():
        return t(
            f"Indsigtsrapporten er skrevet til {target} (kun læsbar for dig).",
            f"The insight report is written to {target} (readable by you only).",
        )
    return t(
        f"Indsigtsrapporten er skrevet på engelsk til {target} (kun læsbar for dig).",
        f"The insight report is written in Danish to {target} (readable by you only).",
    )


def insight(args: argparse.Namespace) -> int:
    _target(args.pdf)
    cpr = read_text(args, "cpr_file") if args.cpr_file else args.cpr
    if cpr is not None and not cpr.strip():
        raise InvalidInput("CPR-filen er tom.", "The CPR file is empty.")
    language = file_language(args)
    with unlocked(args) as session:
        report = session.insight.build(
            cpr=cpr, case=args.case, with_staff_names=args.with_staff_names
        )
    from infohus_desktop.reports.insight import render_insight

    pdf = render_insight(report, language)

    def fill(sink: BinaryIO) -> None:
        sink.write(pdf)

    target = write_atomic(args.pdf, fill)
    if args.json:
        emit_json(
            {
                "pdf": str(target),
                "bytes": len(pdf),
                "possibly_elsewhere": report.possibly_elsewhere,
                "language": language,
            }
        )
        return 0
    print(written_text(target, language))
    if report.possibly_elsewhere:
        # As the window says before the report goes to the citizen (the PDF says it lower
        # down, where a command-line user did not look: user trial).
        print(
            t(
                "Bemærk: personen findes muligvis også i en sag i en adgangskreds, du ikke er "
                "med i. Rapporten nævner det, men kan ikke vise sagen. En koordinator i den "
                "adgangskreds kan danne rapporten for de sager, før borgeren får svar.",
                "Note: the person possibly also appears in a case of an access group you are "
                "not in. The report mentions it but cannot show the case. A coordinator of "
                "that access group can make the report for those cases before the citizen "
                "gets an answer.",
            )
        )
    return 0


def add_insight_parser(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "insight",
        parents=both,
        help=t(
            "en persons indsigtsrapport som PDF (koordinator)",
            "a person's insight report as PDF (coordinator)",
        ),
    )
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--case",
        metavar="NUMBER",
        help=t("et af personens sagsnumre", "one of the person's case numbers"),
    )
    who.add_argument(
        "--cpr-file",
        metavar="FILE",
        help=t(
            "CPR-nummeret fra FILE ('-' er standardinput)",
            "the CPR number from FILE ('-' is standard input)",
        ),
    )
    who.add_argument(
        "--cpr",
        metavar="CPR",
        help=t(
            "kan ses af andre brugere: brug hellere --cpr-file",
            "visible to other users: prefer --cpr-file",
        ),
    )
    parser.add_argument(
        "--pdf",
        required=True,
        metavar="FILE",
        help=t("hvor PDF-filen skal skrives", "where to write the PDF"),
    )
    parser.add_argument(
        "--with-staff-names",
        action="store_true",
        help=t(
            "nævn medarbejderne i loggen ved navn (kun efter en konkret beslutning)",
            "name the staff in the log (only by a specific decision)",
        ),
    )
    add_file_language(parser, "rapportens", "the report")
    parser.set_defaults(handler=insight)
