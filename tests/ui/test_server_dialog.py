"""Opening the district's server from the welcome page: the address without a password, the
password asked for in a dialog when the server wants it (and again when it refuses it), and
a settings file that never holds the password, however it was typed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from infohus_desktop.local_state import LocalState
from infohus_desktop.ui.dialogs.server import ServerDialog, ServerPasswordDialog
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.pages.welcome import WelcomePage
from infohus_desktop.ui.shell import MainWindow
from infohus_desktop.vault.server_address import without_password
from tests.integration.conftest import District
from tests.ui.conftest import FakeClock

pytestmark = pytest.mark.postgres


@pytest.fixture
def db_engine() -> str:
    """The district on PostgreSQL: only a server asks for a password."""
    return "postgresql"


@pytest.fixture
def window(qtbot: QtBot, clock: FakeClock, cheap_kdf: None) -> Iterator[MainWindow]:
    win = MainWindow(LocalState(), clock)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture(autouse=True)
def no_password_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """libpq finds no password of its own: the app has to ask."""
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    monkeypatch.delenv("PGPASSWORD", raising=False)


def _type_server(qtbot: QtBot, window: MainWindow, address: str) -> None:
    window.start()
    qtbot.waitUntil(lambda: isinstance(window.page, WelcomePage), timeout=10000)
    button = window.page.findChild(QPushButton, "openServer")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(ServerDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.address, address)
    dialog.accept()


def _password_dialog(qtbot: QtBot, window: MainWindow) -> ServerPasswordDialog:
    found: list[ServerPasswordDialog] = []

    def shown() -> bool:
        found[:] = [d for d in window.findChildren(ServerPasswordDialog) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=15000)
    return found[0]


def _settings_text() -> str:
    return LocalState().settings_path.read_text(encoding="utf-8")


def test_the_server_asks_for_its_password_and_it_is_never_saved(
    qtbot: QtBot,
    window: MainWindow,
    district: District,
) -> None:
    password = district.url.split(":", 2)[2].split("@", 1)[0]
    address = without_password(district.url)
    assert password not in address
    _type_server(qtbot, window, address)

    asked = _password_dialog(qtbot, window)
    labels = " ".join(label.text() for label in asked.findChildren(QLabel))
    assert "beder om en adgangskode" in labels and "afviste" not in labels
    qtbot.keyClicks(asked.field, "ikke-den-rigtige")
    asked.accept()

    again = _password_dialog(qtbot, window)
    assert again is not asked
    labels = " ".join(label.text() for label in again.findChildren(QLabel))
    assert "Serveren afviste adgangskoden" in labels
    qtbot.keyClicks(again.field, password)
    again.accept()
    assert again.field.text() == ""

    qtbot.waitUntil(lambda: isinstance(window.page, UnlockPage), timeout=15000)
    assert password not in window.where.text()
    saved = _settings_text()
    assert password not in saved
    assert json.loads(saved)["default_vault"] == address


def test_a_password_typed_into_the_address_is_used_but_not_saved(
    qtbot: QtBot,
    window: MainWindow,
    district: District,
) -> None:
    password = district.url.split(":", 2)[2].split("@", 1)[0]
    _type_server(qtbot, window, district.url)
    qtbot.waitUntil(lambda: isinstance(window.page, UnlockPage), timeout=15000)
    assert not [d for d in window.findChildren(ServerPasswordDialog) if d.isVisible()]
    assert password not in window.where.text()
    saved = _settings_text()
    assert password not in saved
    assert json.loads(saved)["default_vault"] == without_password(district.url)
    # The next start opens the saved server, and asks for the password again.
    window.start()
    asked = _password_dialog(qtbot, window)
    asked.reject()
    qtbot.waitUntil(lambda: isinstance(window.page, WelcomePage), timeout=10000)


def test_an_address_that_is_neither_a_service_nor_postgresql_is_explained(
    qtbot: QtBot,
    window: MainWindow,
) -> None:
    _type_server(qtbot, window, "mysql://bruger@vært/db")
    dialog = window.findChild(ServerDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.error.isVisible()
    assert "forbindelsestjeneste" in dialog.error.text()
