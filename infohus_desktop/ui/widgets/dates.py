"""Date fields in the form the users write dates: ``22.11.2026``.

Qt's :class:`QDateEdit` cannot be empty, yet many case dates are optional (follow-up, a
measure's end, a birth date when no CPR number is known). :class:`OptionalDateEdit` uses the
lowest date as "no date" and shows it as an empty field; Delete or Backspace on a whole
selection empties it again.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QCalendarWidget, QDateEdit, QSizePolicy, QWidget

from infohus_desktop.ui.i18n import tr

DATE_FORMAT = "dd.MM.yyyy"
_EMPTY = QDate(1900, 1, 1)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class _Calendar(QCalendarWidget):
    """The popup of a date field: wide enough for the language's short day names (Danish
    "man." was drawn "m..." at Qt's own width), and on today's month when the field is
    empty (its "no date" is 1900, where the popup otherwise opened)."""

    def __init__(self, empty: QDate | None = None) -> None:
        super().__init__()
        self._empty = empty
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        widest = max(self.locale().dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8))
        # Seven columns of the widest name with room around it, and the week numbers.
        self.setMinimumWidth(8 * (self.fontMetrics().horizontalAdvance(widest) + 16))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        if self._empty is not None and self.selectedDate() == self._empty:
            today = QDate.currentDate()
            self.setCurrentPage(today.year(), today.month())
        super().showEvent(event)


def with_calendar(edit: QDateEdit, empty: QDate | None = None) -> None:
    """A calendar popup for ``edit`` (see :class:`_Calendar`); ``empty``: its "no date"."""
    edit.setCalendarPopup(True)
    edit.setCalendarWidget(_Calendar(empty))


def _compact(edit: QDateEdit) -> None:
    """A date needs ten characters: the field does not stretch across a form."""
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    edit.setMinimumWidth(130)


class DateEdit(QDateEdit):
    """A required date with a calendar to pick from."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATE_FORMAT)
        with_calendar(self)
        _compact(self)
        self.setDate(to_qdate(value or date.today()))

    def value(self) -> date:
        return from_qdate(self.date())

    def set_value(self, value: date) -> None:
        self.setDate(to_qdate(value))


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty (shown blank, read as ``None``)."""

    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATE_FORMAT)
        with_calendar(self, _EMPTY)
        _compact(self)
        self.setMinimumDate(_EMPTY)
        self.setSpecialValueText(" ")
        self.setToolTip(
            tr(
                "Tom betyder ingen dato. Slet for at tømme feltet.",
                "Empty means no date. Press Delete to empty the field.",
            )
        )
        self.set_value(value)

    def value(self) -> date | None:
        current = self.date()
        return None if current == _EMPTY else from_qdate(current)

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(_EMPTY)
            return
        self.setDate(to_qdate(value))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            self.value() is None or self.lineEdit().selectedText() == self.lineEdit().text()
        ):
            self.set_value(None)
            return
        if self.value() is None and event.text().isdigit():
            # Typing into an empty field starts from today, not from 1900.
            self.setDate(QDate.currentDate())
            self.setSelectedSection(QDateEdit.Section.DaySection)
        super().keyPressEvent(event)
