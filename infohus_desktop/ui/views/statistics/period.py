"""Choosing the period: a first and a last month, and the quick choices an annual report
needs. Statistics are counted in whole calendar months (``domain.statistics.whole_months``),
so the fields are months, not days: what the user picks is what is counted."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QSizePolicy, QWidget

from infohus_desktop.domain.statistics import (
    WHOLE_MONTHS_NOTE,
    month_end,
    month_start,
    whole_months,
)
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.dates import from_qdate, to_qdate, with_calendar

#: "november 2026" / "November 2026", in the language's month names.
MONTH_FORMAT = "MMMM yyyy"


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
    """The whole months of a quick choice; a period that reaches the present ends with the
    last day of this month (statistics are counted in whole months only)."""
    if choice == Quick.THIS_YEAR:
        return whole_months(date(today.year, 1, 1), today)
    if choice == Quick.LAST_YEAR:
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if choice == Quick.LAST_12_MONTHS:
        # This month and the eleven before it.
        months = today.year * 12 + today.month - 1 - 11
        return whole_months(date(months // 12, months % 12 + 1, 1), today)
    if choice == Quick.THIS_QUARTER:
        return whole_months(_quarter_start(today), today)
    if choice == Quick.LAST_QUARTER:
        end = _quarter_start(today) - timedelta(days=1)
        return _quarter_start(end), end
    raise ValueError(choice)


class MonthEdit(QDateEdit):
    """A month ("november 2026") with a calendar to pick from. Any day picked stands for its
    month: the first month of a period reads as its first day, the last as its last day."""

    def __init__(self, value: date, last: bool) -> None:
        super().__init__()
        self._last = last
        self.setDisplayFormat(MONTH_FORMAT)
        with_calendar(self)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # the longest month name in the language, the year, and the calendar button
        widest = max(self.locale().monthName(m) for m in range(1, 13))
        self._width = self.fontMetrics().horizontalAdvance(f"{widest} 2026") + 48
        self.setToolTip(tr(*WHOLE_MONTHS_NOTE))
        self.set_value(value)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # The width in the hint itself, not as a minimum above a fixed hint: a fixed widget
        # wider than its hint overlaps its label ("To" drawn as "Tc").
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._width), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()

    def value(self) -> date:
        day = from_qdate(self.date())
        return month_end(day) if self._last else month_start(day)

    def set_value(self, value: date) -> None:
        self.setDate(to_qdate(month_start(value)))


class _MnemonicLabel(QLabel):
    """A label with an underlined shortcut letter, wide enough for it: Qt measures "&To" as
    the kerned "To" but draws "T" and "o" apart (the underline splits the run), so the "o"
    was cut ("Tc")."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        unkerned = sum(metrics.horizontalAdvance(ch) for ch in self.text().replace("&", ""))
        return QSize(max(hint.width(), unkerned + 2), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()


class PeriodPicker(QWidget):
    """First month, last month and a quick choice; ``changed`` fires whenever the period
    (the whole months) changes."""

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
        self.from_edit = MonthEdit(start, last=False)
        self.from_edit.setObjectName("periodFrom")
        self.from_edit.setAccessibleName(tr("Periodens første måned", "First month of the period"))
        self.to_edit = MonthEdit(end, last=True)
        self.to_edit.setObjectName("periodTo")
        self.to_edit.setAccessibleName(tr("Periodens sidste måned", "Last month of the period"))
        self._setting = False
        self._last = self.period()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(tr("Periode:", "Period:")))
        row.addWidget(self.quick)
        row.addSpacing(8)
        from_label = _MnemonicLabel(tr("&Fra", "&From"))
        from_label.setBuddy(self.from_edit)
        row.addWidget(from_label)
        row.addWidget(self.from_edit)
        row.addSpacing(4)
        to_label = _MnemonicLabel(tr("&Til", "&To"))
        to_label.setBuddy(self.to_edit)
        row.addWidget(to_label)
        row.addWidget(self.to_edit)
        self.quick.currentIndexChanged.connect(self._quick_chosen)
        self.from_edit.dateChanged.connect(self._edited)
        self.to_edit.dateChanged.connect(self._edited)

    def period(self) -> tuple[date, date]:
        """From the first day of the first month to the last day of the last month."""
        return self.from_edit.value(), self.to_edit.value()

    def choose(self, choice: Quick) -> None:
        self.quick.setCurrentIndex(self.quick.findData(choice.value))

    def set_period(self, start: date, end: date) -> None:
        """Set both months as one change; the quick choice then says "chosen period"."""
        self.quick.blockSignals(True)
        self.choose(Quick.CUSTOM)
        self.quick.blockSignals(False)
        self._apply(start, end)

    def _apply(self, start: date, end: date) -> None:
        """Both months as one change (one ``changed``, not two)."""
        self._setting = True
        try:
            self.from_edit.set_value(start)
            self.to_edit.set_value(end)
        finally:
            self._setting = False
        self._emit_if_changed()

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
        self._emit_if_changed()

    def _emit_if_changed(self) -> None:
        """Another day of the same month in the calendar is the same period: no new (audited)
        computation for it."""
        if self.period() != self._last:
            self._last = self.period()
            self.changed.emit()
