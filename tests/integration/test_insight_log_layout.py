"""The insight report's log table as the citizen reads it: every word of every column whole,
wrapped between words and never inside one ("Henvisnings" / "skemaet"), in Danish and in
English, with and without staff names.

The log of a real vault holds only the few actions a test makes, so the case part comes from
a vault and the log is one line for every kind of action and purpose the program can name,
from organisations and staff with long, realistic names: the widest words each column meets.
With ``INSIGHT_PDF_DIR`` set the PDFs are kept there to look at (pdftoppm).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest

from infohus_desktop.domain.insight import (
    ACTION_LABELS,
    PURPOSE_LABELS,
    InsightLogLine,
    InsightReport,
    action_label,
    purpose_label,
)
from infohus_desktop.reports.insight import render_insight
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import fill_case
from tests.integration.conftest import District
from tests.integration.test_insight import CPR, NAME, keep, pdf_text
from tests.integration.test_insight import lars as lars  # the fixture

ORGANISATIONS = (
    "Østjylland – politiet",
    "Aarhus Kommune",
    "Kriminalforsorgen Østjylland",
    "Børne- og Ungdomspsykiatrien Region Midtjylland",
)
STAFF = (
    "Lars Holm Sørensen (lars)",
    "Anne-Mette Kristoffersen (amkr)",
    "Mette Fjord (mette)",
)
HEADINGS = {"da": "Log over opslag og ændringer", "en": "Log of look-ups and changes"}


def _every_kind_of_line(report: InsightReport, staff: bool) -> InsightReport:
    """``report`` with a log line for each action and each purpose the program knows."""
    number = report.cases[0].case.summary.number
    start = datetime(2026, 11, 23, 8, 5, tzinfo=UTC)
    purposes = list(PURPOSE_LABELS)
    lines = tuple(
        InsightLogLine(
            at=start + timedelta(minutes=17 * n),
            case_number=number,
            action=action,
            purpose=purposes[n % len(purposes)],
            organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
            staff=STAFF[n % len(STAFF)] if staff else None,
        )
        for n, action in enumerate(ACTION_LABELS)
    )
    return dataclasses.replace(report, log=lines, with_staff_names=staff)


def _log_words(pdf: bytes, language: str) -> set[str]:
    """The words the reader sees in the log part, as pypdf reads them line by line."""
    text = pdf_text(pdf)
    return set(text[text.index(HEADINGS[language]) :].split())


@pytest.mark.parametrize("staff", [False, True], ids=["organisations", "staff-names"])
@pytest.mark.parametrize("language", ["da", "en"])
def test_no_word_of_the_log_is_broken_across_lines(
    district: District, lars: MemberServices, language: str, staff: bool
) -> None:
    fill_case(lars, NAME, CPR, "Aarhus Kommune")
    report = _every_kind_of_line(lars.insight.build(cpr=CPR, with_staff_names=staff), staff)
    pdf = render_insight(report, language)
    keep(pdf, f"insight-log-{language}{'-names' if staff else ''}.pdf")
    seen = _log_words(pdf, language)
    broken: set[str] = set()
    for line in report.log:
        cells = [
            action_label(line.action, language),
            purpose_label(line.purpose, language),
            line.organisation,
            line.staff or "",
            line.case_number,
        ]
        broken |= {word for cell in cells for word in cell.split() if word not in seen}
    headers = {
        ("da", False): "Tidspunkt Sag Handling Formål Organisation",
        ("da", True): "Tidspunkt og sag Handling Formål Organisation Medarbejder",
        ("en", False): "Time Case Action Purpose Organisation",
        ("en", True): "Time and case Action Purpose Organisation Staff member",
    }[language, staff]
    broken |= {w for w in headers.split() if w not in seen}
    assert not broken, sorted(broken)
    # The day and the time of each line are whole too (they may wrap between the two).
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", w) for w in seen if re.match(r"\d\d\.\d\d\.", w))


@pytest.mark.parametrize("language", ["da", "en"])
def test_no_word_of_the_case_tables_is_broken_across_lines(
    district: District, lars: MemberServices, language: str
) -> None:
    """The user trial read "Telefonsamtal" / "e" in the journal table, whose columns had
    hand-set widths: every table of the case now fits its columns to their words."""
    from infohus_desktop.domain.labels import JOURNAL_KIND_LABELS

    number = fill_case(lars, NAME, CPR, "Aarhus Kommune").number
    for kind in JOURNAL_KIND_LABELS:
        lars.case_records.add_journal(number, kind, "Samtale med skolen om fraværet")
    pdf = render_insight(lars.insight.build(cpr=CPR, with_staff_names=True), language)
    keep(pdf, f"insight-case-tables-{language}.pdf")
    seen = set(pdf_text(pdf).split())
    index = 1 if language == "en" else 0
    words = {w for pair in JOURNAL_KIND_LABELS.values() for w in pair[index].split()}
    assert not {w for w in words if w not in seen}, sorted(w for w in words if w not in seen)
