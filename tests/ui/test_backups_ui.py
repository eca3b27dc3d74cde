"""Backups in the window (issue 13): a coordinator makes one and rehearses its restore in
Administration → Sikkerhedskopier and the dates follow; the overview reminds a coordinator
who has none; and on a new computer the welcome page restores the file into a vault that
then unlocks."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.backups.common import PassphrasePrompt
from infohus_desktop.ui.dialogs.backups.restore import RestoreBackupDialog
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.pages.welcome import WelcomePage
from infohus_desktop.ui.shell import MainWindow
from infohus_desktop.ui.views.administration.view import AdministrationView
from infohus_desktop.ui.views.overview.view import OverviewView
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import COORDINATOR_PASS, District
from tests.ui.conftest import FakeClock
from tests.ui.test_meetings_helpers import settle, visible_dialog

MakeCtx = Callable[[MemberServices], AppContext]
_KEPT: list[WorkArea] = []


def _shot(widget: object, name: str) -> None:
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        widget.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / name))  # type: ignore[attr-defined]


def _area(qtbot: QtBot, make_ctx: MakeCtx, session: MemberServices) -> WorkArea:
    area = WorkArea(make_ctx(session))
    _KEPT[:] = [area]
    qtbot.addWidget(area)
    area.resize(1280, 860)
    area.show()
    return area


def test_a_coordinator_makes_a_backup_and_rehearses_its_restore(
    qtbot: QtBot,
    make_ctx: MakeCtx,
    district: District,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lars = district.coordinator
    lars.cases.open_case(new_case("Ali Hansen"))
    area = _area(qtbot, make_ctx, lars)
    overview = area.show_area("overview")
    assert isinstance(overview, OverviewView)
    settle(qtbot, area.ctx)
    reminder = "Der er aldrig lavet en sikkerhedskopi af boksen (seneste øvelse: aldrig)"
    others = overview.others.list
    lines = [others.item(r).text() for r in range(others.count())]
    assert reminder in lines
    others.itemActivated.emit(others.item(lines.index(reminder)))
    assert area.current_area() == "administration"
    view = area.areas["administration"]
    assert isinstance(view, AdministrationView)
    settle(qtbot, view.ctx)
    tab = view.backups
    assert view.tabs.currentWidget() is tab
    assert tab.last_backup.text() == "Seneste sikkerhedskopi: aldrig"
    assert tab.overdue.isVisible()

    path = tmp_path / "kopi.ihk"
    monkeypatch.setattr(
        "infohus_desktop.ui.views.administration.backups_tab.QFileDialog.getSaveFileName",
        lambda *_a: (str(path), ""),
    )
    qtbot.mouseClick(tab.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot, view.ctx)
    assert path.is_file() and "Sikkerhedskopien er gemt" in tab.result.text()
    assert "1 sag," in tab.result.text()
    settle(qtbot, view.ctx)
    assert "aldrig" not in tab.last_backup.text() and not tab.overdue.isVisible()

    monkeypatch.setattr(
        "infohus_desktop.ui.views.administration.backups_tab.QFileDialog.getOpenFileName",
        lambda *_a: (str(path), ""),
    )
    qtbot.mouseClick(tab.drill_button, Qt.MouseButton.LeftButton)
    prompt = visible_dialog(qtbot, tab, PassphrasePrompt)
    assert isinstance(prompt, PassphrasePrompt)
    _shot(prompt, "backup-passphrase-da.png")
    prompt.field.setText(COORDINATOR_PASS)
    prompt.accept()
    settle(qtbot, view.ctx)
    assert "Øvelsen lykkedes" in tab.result.text() and "1 sag læst" in tab.result.text()
    settle(qtbot, view.ctx)
    assert "aldrig" not in tab.last_drill.text()
    _shot(view, "administration-backups-da.png")

    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    prompt = visible_dialog(qtbot, tab, PassphrasePrompt)
    prompt.field.setText("forkert frase")  # type: ignore[attr-defined]
    prompt.accept()  # type: ignore[attr-defined]
    settle(qtbot, view.ctx)
    assert tab.create_button.isEnabled()  # the app goes on after the refusal


def test_the_dpo_sees_the_dates_and_no_buttons(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    from infohus_desktop.domain.organisations import Role

    dorte = district.enrol("dorte", "Dorte Dahl", "Aarhus Kommune", Role.DPO)
    area = _area(qtbot, make_ctx, dorte)
    view = area.show_area("administration")
    assert isinstance(view, AdministrationView)
    view.show_backups()
    settle(qtbot, view.ctx)
    assert view.backups.last_backup.text() == "Seneste sikkerhedskopi: aldrig"
    assert not any(b.isVisible() for b in view.backups.buttons)
    assert not view.backups.days.isEnabled()


def test_a_new_computer_restores_from_the_welcome_page(
    qtbot: QtBot,
    district: District,
    tmp_path: Path,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lars = district.coordinator
    number = lars.cases.open_case(new_case("Ali Hansen")).number
    path = tmp_path / "kopi.ihk"
    lars.backups.create(path)

    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "ny-computer"))
    window = MainWindow(LocalState(), clock)
    qtbot.addWidget(window)
    window.show()
    window.show_welcome()
    assert isinstance(window.page, WelcomePage)
    qtbot.mouseClick(window.page.findChild(QPushButton, "restoreBackup"), Qt.MouseButton.LeftButton)
    dialog = window.findChild(RestoreBackupDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.login.count() > 0, timeout=10000)
    assert "Lavet" in dialog.about.text() and lars.vault.pinned_root() in dialog.about.text()
    assert dialog.compared.isVisible()  # this computer never saw the vault
    proposed = Path(dialog.target.text())
    assert proposed.parent == tmp_path / "ny-computer" / "vaults" and not proposed.parent.exists()
    # A folder that does not exist is refused, and the computer still knows no vault.
    dialog.target.setText(str(tmp_path / "mangler" / "genskabt"))
    dialog.passphrase.setText(COORDINATOR_PASS)
    dialog.compared.setChecked(True)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "errorBox") is not None, timeout=20000)
    assert "findes ikke" in dialog.findChild(QMessageBox, "errorBox").text()
    assert LocalState().pin(lars.vault.vault_id) is None
    # The folder the dialog proposes is made: on a new computer it is not there yet.
    dialog.target.setText(str(proposed))
    dialog.compared.setChecked(False)
    dialog.passphrase.setText(COORDINATOR_PASS)
    _shot(dialog, "restore-backup-da.png")
    dialog.start()
    assert "velkomstbrevet" in dialog.status.text()  # not compared yet: nothing starts
    dialog.compared.setChecked(True)
    dialog.start()
    qtbot.waitUntil(lambda: isinstance(window.page, UnlockPage), timeout=20000)
    assert proposed.is_file()
    page = window.page
    assert isinstance(page, UnlockPage)
    qtbot.waitUntil(lambda: page.login.count() > 0, timeout=10000)
    page.login.setCurrentText("lars")
    qtbot.keyClicks(page.passphrase, COORDINATOR_PASS)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.page, WorkArea), timeout=20000)
    assert window.session is not None
    assert [c.number for c in window.session.cases.list()] == [number]
    window.close()


def test_a_restore_beside_the_vault_this_computer_knows_says_which_copy_it_now_is(
    qtbot: QtBot, district: District, tmp_path: Path, clock: FakeClock
) -> None:
    """On the workstation that knows the vault, restored into a new file: a box says the
    restored copy is the vault here from now on, and how to try a backup without that."""
    from PySide6.QtWidgets import QMessageBox

    lars = district.coordinator
    path = tmp_path / "kopi.ihk"
    lars.backups.create(path)
    window = MainWindow(LocalState(), clock)
    qtbot.addWidget(window)
    window.show()
    window.show_welcome()
    window.restore_backup()
    dialog = window.findChild(RestoreBackupDialog)
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.login.count() > 0, timeout=10000)
    # The backup's three lines, each whole (they overlapped, the root key's line cut off).
    lines = dialog.about.text().count("\n") + 1
    tall = lines * dialog.about.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: dialog.about.height() >= tall, timeout=5000)
    below = dialog.to_file.mapTo(dialog, dialog.to_file.rect().topLeft()).y()
    assert dialog.about.mapTo(dialog, dialog.about.rect().bottomLeft()).y() <= below
    assert dialog.login.currentText() == "lars"  # who made it; most often who restores it
    _shot(dialog, "restore-known-vault-da.png")
    dialog.target.setText(str(tmp_path / "ved-siden-af"))
    dialog.passphrase.setText(COORDINATOR_PASS)
    dialog.start()
    qtbot.waitUntil(lambda: isinstance(window.page, UnlockPage), timeout=20000)
    box = window.findChild(QMessageBox, "leftBehindBox")
    assert box is not None and box.isVisible()
    known = district.url.split("///", 1)[1]
    assert f"kendte boksen på {known}" in box.informativeText()
    assert "»Øv en genskabelse …«" in box.informativeText()
    # This workstation never deleted a case of the vault: it keeps no deletion register.
    assert "intet sletteregister" in box.informativeText()
    _shot(box, "restore-left-behind-da.png")
    window.close()
