"""The "Indsatser" tab: recommended measures, each with its owning authority."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from infohus_desktop.domain.cases import Measure
from infohus_desktop.domain.labels import MEASURE_STATUS_LABELS, MEASURE_TYPE_LABELS
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.cases.case_data import CaseData
from infohus_desktop.ui.widgets.tables import fill, selected_data, table

COLUMNS = (
    ("Type", "Type"),
    ("Beskrivelse", "Description"),
    ("Ansvarlig myndighed", "Owning authority"),
    ("Start", "Start"),
    ("Slut", "End"),
    ("Status", "Status"),
    ("Resultat", "Outcome"),
)


class MeasuresTab(QWidget):
    new_requested = Signal()
    update_requested = Signal(object)  # the Measure

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measuresTab")
        self.measures: dict[str, Measure] = {}
        self.table = table("measureList", tr("Indsatser", "Measures"), COLUMNS)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self._update())
        self.new_button = QPushButton(icon("add"), tr("&Ny indsats …", "&New measure …"))
        self.new_button.setObjectName("newMeasure")
        self.new_button.clicked.connect(self.new_requested)
        self.update_button = QPushButton(
            icon("edit"), tr("&Opdater indsats …", "&Update measure …")
        )
        self.update_button.setObjectName("updateMeasure")
        self.update_button.clicked.connect(self._update)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.update_button)
        buttons.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(buttons)
        outer.addWidget(self.table, 1)
        self._can_write = True
        self._selection_changed()

    def show_case(self, data: CaseData) -> None:
        measures = data.case.measures
        self.measures = {str(m.id): m for m in measures}
        fill(
            self.table,
            [
                [
                    label(MEASURE_TYPE_LABELS, m.type),
                    m.description,
                    m.owner,
                    fmt_date(m.start),
                    fmt_date(m.end),
                    label(MEASURE_STATUS_LABELS, m.status),
                    m.outcome,
                ]
                for m in measures
            ],
            [str(m.id) for m in measures],
        )
        self._selection_changed()

    def set_can_write(self, allowed: bool) -> None:
        self._can_write = allowed
        self.new_button.setEnabled(allowed)
        self._selection_changed()

    def current(self) -> Measure | None:
        key = selected_data(self.table)
        return self.measures.get(str(key)) if key else None

    def _selection_changed(self) -> None:
        self.update_button.setEnabled(self._can_write and self.current() is not None)

    def _update(self) -> None:
        measure = self.current()
        if measure is not None and self._can_write:
            self.update_requested.emit(measure)
