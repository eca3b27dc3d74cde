"""The filters of the trend list: search words, theme, kind of area, development and period.
It only says what the user chose (:meth:`TrendFilterBar.value`); the workspace asks the
service, which filters and searches over the decrypted notes (and audits the criterion)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from infohus_desktop.domain.trends import AREA_KIND_LABELS, AreaKind, Development, TrendFilter
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.models.trend_list import development_text
from infohus_desktop.ui.widgets.dates import OptionalDateEdit


class TrendFilterBar(QWidget):
    """``changed`` fires on a chosen filter at once, ``search_edited`` on each keystroke."""

    changed = Signal()
    search_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendFilterBar")
        self.search = QLineEdit()
        self.search.setObjectName("trendSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            tr("Søg i titel, område og beskrivelse", "Search title, area and description")
        )
        self.search.setAccessibleName(tr("Søg i tendensnotater", "Search trend notes"))
        self.search.textEdited.connect(self.search_edited)
        self.theme = QComboBox()
        self.theme.setObjectName("trendThemeFilter")
        self.theme.setAccessibleName(tr("Tema", "Theme"))
        self.theme.addItem(tr("Alle temaer", "All themes"), None)
        self.area_kind = QComboBox()
        self.area_kind.setObjectName("trendAreaFilter")
        self.area_kind.setAccessibleName(tr("Områdetype", "Kind of area"))
        self.area_kind.addItem(tr("Alle områder", "All areas"), None)
        for kind in AreaKind:
            self.area_kind.addItem(tr(*AREA_KIND_LABELS[kind]), kind.value)
        self.development = QComboBox()
        self.development.setObjectName("trendDevelopmentFilter")
        self.development.setAccessibleName(tr("Udvikling", "Development"))
        self.development.addItem(tr("Al udvikling", "Any development"), None)
        for dev in Development:
            self.development.addItem(development_text(dev), dev.value)
        self.period_from = OptionalDateEdit()
        self.period_from.setObjectName("trendPeriodFrom")
        self.period_from.setAccessibleName(tr("Periode fra", "Period from"))
        self.period_to = OptionalDateEdit()
        self.period_to.setObjectName("trendPeriodTo")
        self.period_to.setAccessibleName(tr("Periode til", "Period to"))
        for combo in (self.theme, self.area_kind, self.development):
            combo.currentIndexChanged.connect(self.changed)
        for edit in (self.period_from, self.period_to):
            edit.dateChanged.connect(self.changed)

        self.search_row = QHBoxLayout()
        self.search_row.setContentsMargins(0, 0, 0, 0)
        self.search_row.addWidget(self.search, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(self.search_row, 0, 0, 1, 4)
        grid.addWidget(self.theme, 1, 0)
        grid.addWidget(self.area_kind, 1, 1)
        grid.addWidget(self.development, 1, 2)
        period = QHBoxLayout()
        period.addWidget(QLabel(tr("Periode", "Period")))
        period.addWidget(self.period_from)
        period.addWidget(QLabel("–"))
        period.addWidget(self.period_to)
        period.addStretch(1)
        grid.addLayout(period, 2, 0, 1, 4)
        grid.setColumnStretch(3, 1)

    def add_to_search_row(self, *widgets: QWidget) -> None:
        for widget in widgets:
            self.search_row.addWidget(widget)

    def set_themes(self, themes: dict[str, tuple[str, str]]) -> None:
        current = self.theme.currentData()
        self.theme.blockSignals(True)
        while self.theme.count() > 1:
            self.theme.removeItem(1)
        for code, labels in themes.items():
            self.theme.addItem(tr(*labels), code)
        index = self.theme.findData(current)
        self.theme.setCurrentIndex(max(index, 0))
        self.theme.blockSignals(False)

    def value(self) -> TrendFilter:
        theme = self.theme.currentData()
        development = self.development.currentData()
        area_kind = self.area_kind.currentData()
        return TrendFilter(
            themes=frozenset({theme}) if theme else frozenset(),
            area_kind=AreaKind(area_kind) if area_kind else None,
            developments=frozenset({Development(development)}) if development else frozenset(),
            period_from=self.period_from.value(),
            period_to=self.period_to.value(),
        )

    def is_default(self) -> bool:
        return self.value() == TrendFilter() and not self.search.text().strip()

    def reset(self) -> None:
        for combo in (self.theme, self.area_kind, self.development):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        for edit in (self.period_from, self.period_to):
            edit.blockSignals(True)
            edit.set_value(None)
            edit.blockSignals(False)
        self.search.clear()
        self.changed.emit()
