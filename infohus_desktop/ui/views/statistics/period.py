"""Choosing the period: two dates and the quick choices an annual report needs."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.dates import DateEdit


class Quick(enum.StrEnum):
    THIS_YEAR = "this_year"
    LAST_YEAR = "last_year"
    LAST_12_MONTHS = "last_12_months"
    THIS_QUARTER = "this_quarter"
    LAST_QUARTER = "last_quarter"
    CUSTOM = "custom"


QUICK_LABELS: dict[Quick, tuple[str, str]] = {
    Quick.THIS_YEAR: ("I år", "This year"),
    Quick.LAST_YEAR: ("Sidste år", "Last year"),
    Quick.LAST_12_MONTHS: ("Seneste 12 måneder", "Last 12 months"),
    Quick.THIS_QUARTER: ("Dette kvartal", "This quarter"),
    Quick.LAST_QUARTER: ("Sidste kvartal", "Last quarter"),
    Quick.CUSTOM: ("Valgt periode", "Chosen period"),
}


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quick_period(choice: Quick, today: date) -> tuple[date, date]:
    """The dates of a quick choice; periods end today at the latest, whole months back."""
    if choice == Quick.THIS_YEAR:
        return date(today.year, 1, 1), today
    if choice == Quick.LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if choice == Quick.LAST_12_MONTHS:
        # This month and the eleven before it, from the first of the month.
        months = today.year * 12 + today.month - 1 - 11
        return date(months // 12, months % 12 + 1, 1), today
    if choice == Quick.THIS_QUARTER:
        return _quarter_start(today), today
    if choice == Quick.LAST_QUARTER:
        end = _quarter_start(today) - timedelta(days=1)
        return _quarter_start(end), end
    raise ValueError(choice)


class PeriodPicker(QWidget):
    """From, to and a quick choice; ``changed`` fires whenever the period changes."""

    changed = Signal()

    def __init__(self, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.setObjectName("periodPicker")
        self._today = today
        self.quick = QComboBox()
        self.quick.setObjectName("quickPeriod")
        self.quick.setAccessibleName(tr("Hurtigvalg af periode", "Quick choice of period"))
        for choice, pair in QUICK_LABELS.items():
            self.quick.addItem(tr(*pair), choice.value)
        start, end = quick_period(Quick.THIS_YEAR, today())
        self.from_edit = DateEdit(start)
        self.from_edit.setObjectName("periodFrom")
        self.from_edit.setAccessibleName(tr("Periodens første dag", "First day of the period"))
        self.to_edit = DateEdit(end)
        self.to_edit.setObjectName("periodTo")
        self.to_edit.setAccessibleName(tr("Periodens sidste dag", "Last day of the period"))
        self._setting = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Periode:", "Period:")))
        row.addWidget(self.quick)
        row.addSpacing(8)
        from_label = QLabel(tr("&Fra", "&From"))
        from_label.setBuddy(self.from_edit)
        row.addWidget(from_label)
        row.addWidget(self.from_edit)
        to_label = QLabel(tr("&Til", "&To"))
        to_label.setBuddy(self.to_edit)
        row.addWidget(to_label)
        row.addWidget(self.to_edit)
        self.quick.currentIndexChanged.connect(self._quick_chosen)
        self.from_edit.dateChanged.connect(self._edited)
        self.to_edit.dateChanged.connect(self._edited)

    def period(self) -> tuple[date, date]:
        return self.from_edit.value(), self.to_edit.value()

    def choose(self, choice: Quick) -> None:
        self.quick.setCurrentIndex(self.quick.findData(choice.value))

    def set_period(self, start: date, end: date) -> None:
        """Set both dates as one change; the quick choice then says "chosen period"."""
        self.quick.blockSignals(True)
        self.choose(Quick.CUSTOM)
        self.quick.blockSignals(False)
        self._apply(start, end)

    def _apply(self, start: date, end: date) -> None:
        """Both dates as one change (one ``changed``, not two)."""
        self._setting = True
        try:
            self.from_edit.set_value(start)
            self.to_edit.set_value(end)
        finally:
            self._setting = False
        self.changed.emit()

    def _quick_chosen(self, _index: int) -> None:
        choice = Quick(self.quick.currentData())
        if choice != Quick.CUSTOM:
            self._apply(*quick_period(choice, self._today()))

    def _edited(self) -> None:
        if self._setting:
            return
        self.quick.blockSignals(True)
        self.choose(Quick.CUSTOM)
        self.quick.blockSignals(False)
        self.changed.emit()
