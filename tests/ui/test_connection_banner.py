"""The outage bar is a visible yellow bar, in both languages, and goes when the server is back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QMainWindow

from infohus_desktop.ui import i18n
from infohus_desktop.ui.connection import with_banner


class FakeWatch(QObject):
    """What the bar needs of a ConnectionWatch: whether the server is up, and when it changes."""

    changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.up = False


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("da", "Forbindelsen til serveren er afbrudt — prøver igen"),
        ("en", "The connection to the server was lost — retrying"),
    ],
)
def test_the_bar_is_yellow_says_so_and_goes_when_the_server_is_back(
    qtbot: object, lang: str, text: str
) -> None:
    i18n.set_language(lang)
    try:
        window = QMainWindow()
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.resize(800, 200)
        watch = FakeWatch()
        banner = with_banner(window, QLabel("…"), watch)  # type: ignore[arg-type]
        window.show()
        qtbot.waitExposed(window)  # type: ignore[attr-defined]
        assert banner.isVisible()
        assert text in banner.label.text()
        # As the window shows it (grabbing the bar alone paints its background regardless).
        image = window.grab().toImage()
        corner = QColor(
            image.pixel(window.width() - 5, banner.mapTo(window, banner.rect().topLeft()).y() + 3)
        )
        assert (corner.red(), corner.green(), corner.blue()) == (0xFF, 0xF4, 0xCE)
        watch.up = True
        watch.changed.emit(True)
        assert not banner.isVisible()
        assert "tilbage" in window.statusBar().currentMessage() or "back" in (
            window.statusBar().currentMessage()
        )
    finally:
        i18n.set_language("da")
