"""``infohus stats --from DATE --to DATE [--pdf FILE] [--csv FILE]``: the district's
statistics for a period, as a table on the terminal (or ``--json``), or written to an
anonymised PDF and/or CSV. Every number is in its published form ("< 5" for 1-4), on the
terminal too: what a network member sees is what the annual report may show. The dates are
snapped to whole calendar months (``domain.statistics.whole_months``); when that changes them,
one line on stderr says which period was used, so stdout (the table or ``--json``) stays as
it was."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from infohus_desktop.cli.args import DATE_HELP, add_file_language, file_language, parse_date
from infohus_desktop.cli.io import emit_json, emit_table, saved_to, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.statistics import (
    HIDDEN_NOTE,
    WHOLE_MONTHS_NOTE,
    Statistics,
    suppress,
    whole_months,
)
from infohus_desktop.services.core.exports import write_export


def stats_json(stats: Statistics) -> dict[str, Any]:
    return {
        "period_from": stats.period_from.isoformat(),
        "period_to": stats.period_to.isoformat(),
        "new_cases": suppress(stats.new_cases),
        "sections": [
            {
                "key": s.key,
                "title": t(*s.title),
                "unit": t(*s.unit),
                "total": s.shown_total(),
                "counts": [
                    {"code": c.code, "label": t(*c.label), "count": shown}
                    for c, shown in zip(s.counts, s.cells(), strict=True)
                ],
            }
            for s in stats.sections
        ],
    }


def _print(stats: Statistics) -> None:
    period = f"{stats.period_from:%d.%m.%Y}–{stats.period_to:%d.%m.%Y}"
    print(f"{t('Periode', 'Period')} {period}")
    print(f"{t('Nye sager i perioden', 'New cases in the period')}: {suppress(stats.new_cases)}")
    hidden = False
    for section in stats.sections:
        print()
        print(t(*section.title))
        rows = [
            [t(*c.label), shown] for c, shown in zip(section.counts, section.cells(), strict=True)
        ]
        rows.append([t("I alt", "Total"), section.shown_total()])
        emit_table([t("Gruppe", "Group"), t(*section.unit).capitalize()], rows)
        hidden |= section.has_hidden
    print()
    print(t("Tal fra 1 til 4 vises som < 5.", "Counts from 1 to 4 are shown as < 5."))
    if hidden:
        print(t(*HIDDEN_NOTE))


def _note_snapped(asked: tuple[date, date]) -> None:
    """Say once, on stderr, that the period was widened to whole months, and to what."""
    used = whole_months(*asked)
    if used == asked:
        return
    period = f"{used[0]:%d.%m.%Y}–{used[1]:%d.%m.%Y}"
    da, en = WHOLE_MONTHS_NOTE
    print(
        t(f"{da} Perioden er {period}.", f"{en} The period is {period}."),
        file=sys.stderr,
    )


def stats(args: argparse.Namespace) -> int:
    language = file_language(args)
    with unlocked(args) as session:
        if args.refresh_codes:
            done = session.statistics.refresh_codes()
            if not args.json:
                print(
                    t(
                        f"Statistikkoder skrevet for {done} sager.",
                        f"Statistics codes written for {done} cases.",
                    )
                )
        if not args.pdf and not args.csv:
            result = session.statistics.compute(args.period_from, args.period_to)
        if args.pdf:
            pdf = session.statistics.statistics_pdf(args.period_from, args.period_to, language)
            write_export(Path(args.pdf), pdf)
        if args.csv:
            data = session.statistics.statistics_csv(args.period_from, args.period_to, language)
            write_export(Path(args.csv), data)
    _note_snapped((args.period_from, args.period_to))
    if args.pdf or args.csv:
        written = [p for p in (args.pdf, args.csv) if p]
        if args.json:
            emit_json({"written": written})
        else:
            for path in written:
                print(saved_to(path))
        return 0
    if args.json:
        emit_json(stats_json(result))
    else:
        _print(result)
    return 0


def add_stats_parser(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    """Register ``stats`` on the top-level subparsers."""
    p = sub.add_parser(
        "stats",
        parents=both,
        help=t(
            "statistik for en periode i hele måneder (kun antal; < 5 for 1-4)",
            "statistics for a period in whole months (counts only; < 5 for 1-4)",
        ),
    )
    p.add_argument(
        "--from",
        dest="period_from",
        type=parse_date,
        required=True,
        metavar=DATE_HELP,
        help=t(
            "første dag; der tælles fra den første i måneden",
            "first day; counted from the first day of its month",
        ),
    )
    p.add_argument(
        "--to",
        dest="period_to",
        type=parse_date,
        required=True,
        metavar=DATE_HELP,
        help=t(
            "sidste dag; der tælles til den sidste i måneden",
            "last day; counted to the last day of its month",
        ),
    )
    p.add_argument(
        "--pdf",
        metavar="FILE",
        help=t("skriv den anonymiserede PDF hertil", "write the anonymised PDF here"),
    )
    p.add_argument(
        "--csv",
        metavar="FILE",
        help=t("skriv CSV-filen (UTF-8, ';') hertil", "write the CSV (UTF-8, ';') here"),
    )
    add_file_language(p, "PDF- og CSV-filens", "the PDF and the CSV")
    p.add_argument(
        "--refresh-codes",
        action="store_true",
        help=t(
            "skriv først koderne for aldersgruppe og køn for de læsbare sager, der er oprettet "
            "før statistikken",
            "first write the age group/sex codes of readable cases made before statistics",
        ),
    )
    p.set_defaults(handler=stats)
