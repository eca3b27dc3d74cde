"""The "Historik" tab: every status change with who, when and why; the screenings; the
information gathered from authorities; and the disclosures (*videregivelser*)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from infohus_desktop.domain.labels import LEGAL_BASIS_LABELS, SCREENING_LABELS
from infohus_desktop.domain.workflow import CLOSING_LABELS, STATUS_LABELS
from infohus_desktop.ui.i18n import fmt_date, fmt_datetime, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.cases.case_data import CaseData
from infohus_desktop.ui.widgets.tables import fill, fit_height, scrolled, table

_SECTIONS = {
    "status": (
        ("Statushistorik", "Status history"),
        (
            ("Tidspunkt", "Time"),
            ("Fra", "From"),
            ("Til", "To"),
            ("Af", "By"),
            ("Begrundelse", "Reason"),
        ),
    ),
    "screenings": (
        ("Screeninger", "Screenings"),
        (
            ("Tidspunkt", "Time"),
            ("Resultat", "Outcome"),
            ("Af", "By"),
            ("Begrundelse", "Reason"),
            ("Hjemmel", "Legal reference"),
        ),
    ),
    "information": (
        ("Oplysninger fra myndigheder", "Information from authorities"),
        (
            ("Spurgt", "Asked"),
            ("Myndighed", "Authority"),
            ("Hjemmel", "Legal basis"),
            ("Af", "By"),
            ("Svar", "Answer"),
        ),
    ),
    "disclosures": (
        ("Videregivelser", "Disclosures"),
        (
            ("Dato", "Date"),
            ("Fra", "From"),
            ("Til", "To"),
            ("Hjemmel", "Legal basis"),
            ("Af", "By"),
            ("Hvad", "What"),
        ),
    ),
}


class HistoryTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyTab")
        page = QWidget()
        column = QVBoxLayout(page)
        self.tables = {}
        for key, (title, headers) in _SECTIONS.items():
            box = QGroupBox(tr(*title))
            widget = table(f"history_{key}", tr(*title), headers)
            QVBoxLayout(box).addWidget(widget)
            column.addWidget(box)
            self.tables[key] = widget
        column.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(page))

    def show_case(self, data: CaseData) -> None:
        case, person = data.case, data.names.person
        status_rows = []
        for change in reversed(case.history):
            new = label(STATUS_LABELS, change.new)
            if change.closing_reason is not None:
                new += f" ({label(CLOSING_LABELS, change.closing_reason)})"
            status_rows.append(
                [
                    fmt_datetime(change.at),
                    label(STATUS_LABELS, change.old) if change.old else "",
                    new,
                    person(change.by_login),
                    change.reason,
                ]
            )
        fill(self.tables["status"], status_rows)
        fill(
            self.tables["screenings"],
            [
                [
                    fmt_datetime(s.at),
                    label(SCREENING_LABELS, s.outcome),
                    person(s.by_login),
                    s.reason,
                    s.legal_reference,
                ]
                for s in reversed(case.screenings)
            ],
        )
        fill(
            self.tables["information"],
            [
                [
                    fmt_date(i.asked),
                    i.authority,
                    label(LEGAL_BASIS_LABELS, i.legal_basis),
                    person(i.by_login),
                    i.answer,
                ]
                for i in reversed(case.information)
            ],
        )
        fill(
            self.tables["disclosures"],
            [
                [
                    fmt_date(d.on),
                    d.from_party,
                    d.to_party,
                    label(LEGAL_BASIS_LABELS, d.legal_basis),
                    person(d.by_login),
                    d.what,
                ]
                for d in reversed(case.disclosures)
            ],
        )
        for widget in self.tables.values():
            fit_height(widget, min_rows=1, max_rows=10)
