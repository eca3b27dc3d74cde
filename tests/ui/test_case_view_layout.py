"""The case view beside the case list in a 1440 × 900 window, as a member first sees it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from infohus_desktop.local_state import LocalState
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.shell import MainWindow
from infohus_desktop.ui.views.cases.case_view import CaseView
from infohus_desktop.ui.views.cases.workspace import CaseWorkspace
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.case_fixtures import fill_case
from tests.integration.conftest import COORDINATOR_PASS


def test_at_1440_by_900_every_case_tab_shows_and_the_actions_have_names(
    qtbot,
    district,
    clock,
    cheap_kdf,  # type: ignore[no-untyped-def]
) -> None:
    """Found by trying it: beside the list, the case view hid Historik and Henvisninger behind
    scroll arrows and showed its actions as six bare icons."""
    filled = fill_case(district.coordinator, "Anna Ørsted", "0101901234", "Aarhus Kommune")
    window = MainWindow(LocalState(), clock)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    window.open_vault(district.url)
    qtbot.waitUntil(lambda: isinstance(window.page, UnlockPage), timeout=10000)
    page = window.page
    qtbot.waitUntil(lambda: page.login.count() > 0, timeout=10000)
    page.login.setCurrentText("lars")
    page.passphrase.setText(COORDINATOR_PASS)
    page.submit()
    qtbot.waitUntil(lambda: isinstance(window.page, WorkArea), timeout=15000)
    window.page.show_area("cases")  # the start page comes first
    workspace = window.findChild(CaseWorkspace)
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 1, timeout=10000)
    workspace.open_case(filled.number)
    qtbot.waitUntil(lambda: isinstance(workspace.case_view, CaseView), timeout=10000)
    view = workspace.case_view
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    qtbot.wait(100)
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        window.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "case-1440-da.png"))
    bar = view.tabs.tabBar()
    assert bar.sizeHint().width() <= bar.width()  # no tab behind a scroll arrow
    assert all(b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
               for b in view.buttons)  # fmt: skip
    window.runner.wait_for_done()
