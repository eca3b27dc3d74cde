"""The spot check (*stikprøvekontrol*) in the Tilsyn area: draw N random reads of case
content in the period of the filter bar, note for each whether it was in order, and save;
earlier notes are listed below. Drawing and noting are audited; the notes are sealed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.audit import CHECK_OUTCOME_LABELS, AuditEntry, CheckOutcome, SpotCheck
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.insight import action_label
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import fmt_datetime, language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.audit_log import LOCAL
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import fill, table

Period = tuple[date | None, date | None]
SAMPLE_HEADERS = (
    ("Tidspunkt", "Time"),
    ("Bruger", "User"),
    ("Handling", "Action"),
    ("Sag", "Case"),
    ("Vurdering", "Outcome"),
    ("Note", "Note"),
)
COL_OUTCOME, COL_NOTE = 4, 5


class SpotCheckPane(QWidget):
    def __init__(self, ctx: AppContext, period: Callable[[], Period]) -> None:
        super().__init__()
        self.setObjectName("spotCheck")
        self.ctx = ctx
        self.period = period
        self.case_numbers: dict[str, str] = {}
        self.sample: list[AuditEntry] = []
        self.sample_size = QSpinBox()
        self.sample_size.setObjectName("sampleSize")
        self.sample_size.setAccessibleName(tr("Antal poster", "Number of entries"))
        self.sample_size.setRange(1, 200)
        self.sample_size.setValue(10)
        self.draw_button = QPushButton(icon("search"), tr("&Træk stikprøve", "&Draw a sample"))
        self.draw_button.setObjectName("drawSample")
        self.draw_button.clicked.connect(self.draw)
        self.save_button = QPushButton(icon("edit"), tr("&Gem vurderinger", "&Save outcomes"))
        self.save_button.setObjectName("saveChecks")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        self.sample_table: QTableWidget = table(
            "sampleTable", tr("Stikprøve", "Sample"), SAMPLE_HEADERS
        )
        self.done_table: QTableWidget = table(
            "checksTable",
            tr("Tidligere kontroller", "Earlier checks"),
            (
                ("Post", "Entry"),
                ("Vurdering", "Outcome"),
                ("Note", "Note"),
                ("Af", "By"),
                ("Tidspunkt", "Time"),
            ),
        )
        self.status = QLabel()
        self.status.setObjectName("spotCheckStatus")
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Antal", "Number")))
        row.addWidget(self.sample_size)
        row.addWidget(self.draw_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        box = QVBoxLayout(self)
        box.addWidget(
            hint(
                tr(
                    "Tilfældigt udvalgte opslag i sager i perioden i filteret ovenfor. Vurdér "
                    "for hvert, om opslaget var begrundet i arbejdet, og gem.",
                    "Randomly chosen reads of cases in the period in the filter above. Judge "
                    "for each whether the read was justified by the work, and save.",
                )
            )
        )
        box.addLayout(row)
        box.addWidget(self.sample_table, 2)
        box.addWidget(self.status)
        box.addWidget(QLabel(tr("Tidligere kontroller", "Earlier checks")))
        box.addWidget(self.done_table, 1)

    def draw(self) -> None:
        since, until = self.period()
        size = self.sample_size.value()
        self.draw_button.setEnabled(False)
        self.ctx.run(
            lambda s: s.spot_checks.sample(size, since, until), self._drawn, self, self._failed
        )

    def _drawn(self, entries: list[AuditEntry]) -> None:
        self.draw_button.setEnabled(True)
        self.sample = entries
        fill(
            self.sample_table,
            [
                [
                    e.at.astimezone(LOCAL).strftime("%d.%m.%Y %H.%M"),
                    e.actor_login,
                    action_label(e.action, language()),
                    self.case_numbers.get(e.object_id or "", ""),
                    "",
                    "",
                ]
                for e in entries
            ],
        )
        for r in range(len(entries)):
            outcome = QComboBox()
            outcome.setAccessibleName(tr("Vurdering", "Outcome"))
            outcome.addItem(tr("Ikke vurderet", "Not judged"), None)
            for code, labels in CHECK_OUTCOME_LABELS.items():
                outcome.addItem(tr(*labels), code)
            self.sample_table.setCellWidget(r, COL_OUTCOME, outcome)
            note = QLineEdit()
            note.setAccessibleName(tr("Note", "Note"))
            self.sample_table.setCellWidget(r, COL_NOTE, note)
        if entries:
            # A cell widget does not size its column: the widest choice must fit.
            widest = QComboBox()
            for labels in (("Ikke vurderet", "Not judged"), *CHECK_OUTCOME_LABELS.values()):
                widest.addItem(tr(*labels))
            header = self.sample_table.horizontalHeader()
            header.setSectionResizeMode(COL_OUTCOME, QHeaderView.ResizeMode.Fixed)
            self.sample_table.setColumnWidth(COL_OUTCOME, widest.sizeHint().width() + 8)
            self.sample_table.resizeRowsToContents()
        self.save_button.setEnabled(bool(entries))
        self.status.setText(
            tr(f"{len(entries)} opslag trukket.", f"{len(entries)} reads drawn.")
            if entries
            else tr("Ingen opslag i perioden.", "No reads in the period.")
        )

    def judged(self) -> list[tuple[int, CheckOutcome, str]]:
        out = []
        for r, entry in enumerate(self.sample):
            combo = self.sample_table.cellWidget(r, COL_OUTCOME)
            note = self.sample_table.cellWidget(r, COL_NOTE)
            if isinstance(combo, QComboBox) and combo.currentData() is not None:
                text = note.text() if isinstance(note, QLineEdit) else ""
                out.append((entry.seq, CheckOutcome(combo.currentData()), text))
        return out

    def save(self) -> None:
        judged = self.judged()
        if not judged:
            self.status.setText(tr("Vurdér mindst ét opslag.", "Judge at least one read."))
            return

        def work(s: MemberServices) -> list[SpotCheck]:
            for seq, outcome, note in judged:
                s.spot_checks.record(seq, outcome, note)
            return s.spot_checks.list()

        self.save_button.setEnabled(False)
        self.ctx.run(work, self._saved, self, self._failed)

    def _saved(self, checks: list[SpotCheck]) -> None:
        self.status.setText(tr("Vurderingerne er gemt.", "The outcomes are saved."))
        self.sample = []
        self.sample_table.setRowCount(0)
        self.show_checks(checks)

    def refresh(self) -> None:
        self.ctx.run(lambda s: s.spot_checks.list(), self.show_checks, self, self._failed)

    def show_checks(self, checks: list[SpotCheck]) -> None:
        fill(
            self.done_table,
            [
                [
                    str(c.entry_seq),
                    tr(*CHECK_OUTCOME_LABELS[c.outcome]),
                    c.note,
                    c.checked_by,
                    fmt_datetime(c.checked_at),
                ]
                for c in checks
            ],
        )

    def _failed(self, exc: InfohusError) -> None:
        self.draw_button.setEnabled(True)
        self.save_button.setEnabled(bool(self.sample))
        self.status.setText(exc.message(language()))
