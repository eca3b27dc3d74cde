"""The DPO's figures (*nøgletal*) of the period chosen in the filter bar: reads of case
content per member and month, failed unlocks, exports and prints, minutes printed with
names, deletions and insight reports. Counted on the worker over the opened log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.services.audit.counters import AuditCounters
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import fill, table

Period = tuple[date | None, date | None]

FIGURES = (
    ("failed_unlocks", ("Mislykkede oplåsninger", "Failed unlocks")),
    ("outputs", ("Udskrifter og eksporter", "Prints and exports")),
    ("minutes_with_names", ("Referater udskrevet med navne", "Minutes printed with names")),
    ("deletions", ("Slettede sager", "Deleted cases")),
    ("insight_reports", ("Indsigtsrapporter", "Insight reports")),
    ("entries", ("Poster i perioden", "Entries in the period")),
)


class CountersPane(QWidget):
    def __init__(self, ctx: AppContext, period: Callable[[], Period]) -> None:
        super().__init__()
        self.setObjectName("auditCounters")
        self.ctx = ctx
        #: A callable giving (since, until) from the filter bar.
        self.period = period
        self.compute_button = QPushButton(
            icon("statistics"), tr("&Beregn nøgletal", "&Compute figures")
        )
        self.compute_button.setObjectName("computeCounters")
        self.compute_button.clicked.connect(self.compute)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, labels in FIGURES:
            value = QLabel("–")
            value.setObjectName(f"counter_{name}")
            self.values[name] = value
            form.addRow(tr(*labels), value)
        self.reads = table(
            "readsPerMember",
            tr("Opslag i sager pr. bruger og måned", "Case reads per member and month"),
            (("Bruger", "User"), ("Måned", "Month"), ("Opslag", "Reads")),
        )
        box = QVBoxLayout(self)
        box.addWidget(
            hint(
                tr(
                    "For perioden i filteret ovenfor. Opslag tæller læsning af sager, bilag og "
                    "sagspunkter på møder.",
                    "For the period in the filter above. Reads count reading cases, "
                    "attachments and case items of meetings.",
                )
            )
        )
        row = QHBoxLayout()
        row.addWidget(self.compute_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addLayout(form)
        box.addWidget(self.reads, 1)

    def compute(self) -> None:
        since, until = self.period()
        self.compute_button.setEnabled(False)

        def done(counters: AuditCounters) -> None:
            self.compute_button.setEnabled(True)
            self.show_counters(counters)

        def failed(_exc: object) -> None:
            self.compute_button.setEnabled(True)

        self.ctx.run(lambda s: s.audit.counters(since, until), done, self, failed)

    def show_counters(self, counters: AuditCounters) -> None:
        for name, _labels in FIGURES:
            self.values[name].setText(str(getattr(counters, name)))
        rows = sorted(counters.reads.items(), key=lambda kv: (kv[0][1], kv[0][0]), reverse=True)
        fill(
            self.reads,
            [[login, _month(month), str(n)] for (login, month), n in rows],
        )


def _month(text: str) -> str:
    year, month = text.split("-")
    return date(int(year), int(month), 1).strftime("%m.%Y")
