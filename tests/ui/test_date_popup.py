"""A date field's calendar as a Danish user opens it: on today's month when the field is
empty (its "no date" is 1900, where it opened), and wide enough for "man." and "tors."
(Qt's own width drew Monday as "m...")."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtWidgets import QFormLayout, QWidget
from pytestqt.qtbot import QtBot

from infohus_desktop.ui.widgets.dates import OptionalDateEdit


# A popup grabs the keyboard; the offscreen platform cannot, and says so (harmless here).
@pytest.mark.qt_log_ignore("does not support grabbing the keyboard")
def test_an_empty_date_opens_its_calendar_on_today_with_whole_day_names(qtbot: QtBot) -> None:
    form = QWidget()
    qtbot.addWidget(form)
    field = OptionalDateEdit(None)
    QFormLayout(form).addRow("Opfølgningsdato", field)
    form.show()
    qtbot.waitExposed(form)
    qtbot.mouseClick(
        field, Qt.MouseButton.LeftButton, pos=QPoint(field.width() - 8, field.height() // 2)
    )
    calendar = field.calendarWidget()
    qtbot.waitUntil(lambda: calendar.window().isVisible(), timeout=5000)
    today = date.today()
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    assert field.value() is None  # opening it chose nothing
    locale = calendar.locale()
    assert locale.language() is QLocale.Language.Danish
    widest = max(locale.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8))
    assert calendar.width() >= 8 * calendar.fontMetrics().horizontalAdvance(widest)
    calendar.window().hide()
