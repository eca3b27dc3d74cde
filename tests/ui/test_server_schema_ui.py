"""The window on a shared server whose schema does not match the program: the open path says
what to do, in a calm message, and the window goes back to the welcome page (issue 15)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox

from infohus_desktop.local_state import LocalState
from infohus_desktop.ui.pages.welcome import WelcomePage
from infohus_desktop.ui.shell import MainWindow
from tests.integration import test_server_setup
from tests.integration.test_server_setup import Server
from tests.ui.conftest import FakeClock

#: The fixture that makes a server database with its roles, and drops them after.
make_server = test_server_setup.make_server

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("version", "said"),
    [("9999", "opdatér Infohus Desktop"), ("0017", "Serveren skal opdateres")],
)
def test_opening_a_mismatched_server_says_who_must_update(  # type: ignore[no-untyped-def]
    qtbot, clock: FakeClock, make_server: Callable[..., Server], version: str, said: str
) -> None:
    server = make_server()
    # A newer program wrote 9999; 0017 is what an older setup left (the row only: the
    # program must stop at the number, before it touches a table).
    server.admin(f"UPDATE alembic_version SET version_num = '{version}'")
    window = MainWindow(LocalState(), clock)
    qtbot.addWidget(window)
    window.show()
    window.open_vault(server.url("app"))

    def shown() -> list[QMessageBox]:
        return [b for b in window.findChildren(QMessageBox) if b.objectName() == "errorBox"]

    qtbot.waitUntil(lambda: bool(shown()), timeout=15000)
    assert said in shown()[0].text()
    assert isinstance(window.page, WelcomePage)
    window.close()
