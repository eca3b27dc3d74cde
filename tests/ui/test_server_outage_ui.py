"""The window while the shared server is away (issue 15, "Outages"), on a PostgreSQL cluster
of the test's own that is stopped with ``pg_ctl -m immediate`` and started again.

What the member sees: a bar saying the connection is lost and that the program retries (in an
idle window too), an
open journal entry that keeps what they typed and says nothing was saved; when the server is
back the bar goes, and the entry is saved (by itself if they left it alone, or when they press
Save if they went on typing), once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.ui.dialogs.cases.journal import JournalDialog
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.shell import MainWindow
from infohus_desktop.ui.work_area import WorkArea
from infohus_desktop.vault.server_link import SETTLE_SECONDS
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District, built_district
from tests.integration.pg_cluster import Cluster, own_cluster
from tests.ui.conftest import FakeClock

pytestmark = pytest.mark.postgres

LOST = "Forbindelsen til serveren er afbrudt — prøver igen …"
#: A save queued behind background work whose COMMIT the crash cut off waits while the worker
#: asks whether that commit landed (vault/server_link.py, up to SETTLE_SECONDS).
SETTLE = int(SETTLE_SECONDS * 1000) + 15000


@pytest.fixture
def outage(cheap_kdf: None) -> Iterator[tuple[Cluster, District, str]]:
    with own_cluster() as cluster:
        url = cluster.create_database("vault")
        with built_district(url) as district:
            mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
            number = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
            yield cluster, district, number


@pytest.fixture
def window(qtbot, clock: FakeClock) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(LocalState(), clock)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _unlocked(qtbot, window: MainWindow, district: District) -> None:  # type: ignore[no-untyped-def]
    window.open_vault(district.url)
    qtbot.waitUntil(lambda: isinstance(window.page, UnlockPage), timeout=15000)
    page = window.page
    assert isinstance(page, UnlockPage)
    qtbot.waitUntil(lambda: page.login.count() > 0 and page.login.isEnabled(), timeout=10000)
    page.login.setCurrentText("mette")
    qtbot.keyClicks(page.passphrase, district.passphrases["mette"])
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.page, WorkArea), timeout=15000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15000)


def _journal(district: District, number: str) -> list[str]:
    return [e.text for e in district.sessions["mette"].cases.show(number).journal]


def test_the_bar_shows_the_dialog_keeps_its_text_and_saves_once_when_the_server_is_back(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    outage: tuple[Cluster, District, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    cluster, district, number = outage
    _unlocked(qtbot, window, district)
    assert not window.banner.isVisible()
    assert window.context is not None

    # Idle: the bar comes without a click (the live updates' connection hears the crash)
    # and goes when the server is back.
    cluster.crash()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=15000)
    assert window.banner.label.text() == LOST
    cluster.start()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=15000)

    # Left alone: saved by itself when the server is back.
    dialog = JournalDialog(window.context, number)
    dialog.show()
    qtbot.keyClicks(dialog.text, "Samtale med skolen")
    cluster.crash()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=15000)
    assert window.banner.label.text() == LOST
    qtbot.waitUntil(lambda: "Intet blev gemt" in dialog.error.text(), timeout=SETTLE)
    assert dialog.isVisible()
    assert dialog.text.toPlainText() == "Samtale med skolen"
    assert window.isEnabled() and dialog.ok_button.isEnabled()  # nothing waits on the server
    assert window.findChild(QMessageBox, "errorBox") is None  # the bar says it, no box

    cluster.start()  # returns once the server accepts connections
    accepting = time.monotonic()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20000)
    cleared = time.monotonic()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    saved = time.monotonic()
    assert dialog.result() == JournalDialog.DialogCode.Accepted
    assert _journal(district, number).count("Samtale med skolen") == 1

    # Typed on while the server was away: the member saves when ready.
    second = JournalDialog(window.context, number)
    second.show()
    qtbot.keyClicks(second.text, "Opringning fra mor")
    cluster.crash()
    qtbot.mouseClick(second.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Intet blev gemt" in second.error.text(), timeout=SETTLE)
    qtbot.keyClicks(second.text, " om aftalen")
    cluster.start()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=20000)
    qtbot.waitUntil(lambda: "Gem igen" in second.error.text(), timeout=10000)
    assert second.isVisible()
    assert second.text.toPlainText() == "Opringning fra mor om aftalen"
    with qtbot.waitSignal(second.accepted, timeout=15000):
        qtbot.mouseClick(second.ok_button, Qt.MouseButton.LeftButton)
    texts = _journal(district, number)
    assert texts.count("Opringning fra mor om aftalen") == 1
    assert "Opringning fra mor" not in texts
    with capsys.disabled():
        print(
            f"\n[outage-ui] bar cleared {cleared - accepting:.2f} s and the waiting entry saved "
            f"{saved - accepting:.2f} s after the server accepted connections again"
        )
