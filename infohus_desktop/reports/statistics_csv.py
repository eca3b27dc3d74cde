"""The statistics as CSV for a spreadsheet, with the same suppression as the PDF.

Danish Excel reads a CSV with the list separator of the Danish regional settings, which is
``;`` because ``,`` is the decimal comma; a comma-separated file opens as one column. The
UTF-8 byte order mark makes Excel read æøå as UTF-8 instead of the ANSI code page. Sections
follow each other with a title line, their rows and a total, separated by a blank line; the
first column carries the section's code so a sheet can be filtered on it.
"""

from __future__ import annotations

import csv
import io

from infohus_desktop.domain.statistics import HIDDEN_NOTE, WHOLE_MONTHS_NOTE, Statistics, suppress

BOM = "\ufeff"


def statistics_csv(stats: Statistics, language: str = "da") -> bytes:
    """The whole result as bytes: UTF-8 with BOM, ``;``, CRLF line ends (what Excel writes)."""

    def t(pair: tuple[str, str]) -> str:
        return pair[1] if language == "en" else pair[0]

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([t(("Infohus-statistik", "Infohus statistics"))])
    writer.writerow(
        [
            t(("Periode", "Period")),
            f"{stats.period_from:%d.%m.%Y}",
            f"{stats.period_to:%d.%m.%Y}",
        ]
    )
    writer.writerow([t(("Tal fra 1 til 4 vises som < 5.", "Counts from 1 to 4 are shown as < 5."))])
    writer.writerow([t(WHOLE_MONTHS_NOTE)])
    writer.writerow([])
    writer.writerow([t(("sektion", "section")), t(("række", "row")), t(("antal", "count"))])
    writer.writerow(
        [
            "nye_sager",
            t(("Nye sager i perioden", "New cases in the period")),
            suppress(stats.new_cases),
        ]
    )
    for section in stats.sections:
        writer.writerow([])
        writer.writerow([section.key, t(section.title), t(section.unit)])
        for count, shown in zip(section.counts, section.cells(), strict=True):
            writer.writerow([section.key, t(count.label), shown])
        writer.writerow([section.key, t(("I alt", "Total")), section.shown_total()])
        if section.note:
            writer.writerow([section.key, t(section.note), ""])
        if section.has_hidden:
            writer.writerow([section.key, t(HIDDEN_NOTE), ""])
    return (BOM + out.getvalue()).encode("utf-8")
