"""Every main screen and dialog, rendered in Danish and in English.

Qt warnings fail these tests (``qt_log_level_fail`` in pyproject.toml). In English, the chrome
(buttons, tabs, group titles, form labels, table headers) must hold no Danish letter: a text
with æ, ø or å there is a string that was not translated. Data (names, municipalities) is not
chrome and is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QTabBar,
    QWidget,
)

from infohus_desktop.local_state import LocalState
from infohus_desktop.ui import i18n
from infohus_desktop.ui.dialogs.accounts.account import (
    ChangePassphraseDialog,
    SettingsDialog,
    TrustRootDialog,
)
from infohus_desktop.ui.dialogs.accounts.new_vault import NewVaultWizard
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.pages.welcome import WelcomePage
from infohus_desktop.ui.shell import MainWindow
from infohus_desktop.ui.views.cases.case_view import CaseView
from infohus_desktop.ui.views.cases.workspace import CaseWorkspace
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.case_fixtures import fill_case
from tests.integration.conftest import COORDINATOR_PASS, District
from tests.ui.conftest import FakeClock

DANISH_LETTERS = set("æøåÆØÅ")


def chrome_texts(root: QWidget) -> list[str]:
    """The texts a translator owns, in ``root`` and its children."""
    texts: list[str] = []
    for button in root.findChildren(QAbstractButton):
        texts.append(button.text())
    for bar in root.findChildren(QTabBar):
        texts.extend(bar.tabText(i) for i in range(bar.count()))
    for box in root.findChildren(QGroupBox):
        texts.append(box.title())
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and isinstance(item.widget(), QLabel):
                texts.append(item.widget().text())
    for view in root.findChildren(QAbstractItemView):
        header_view = getattr(view, "horizontalHeader", None)
        model = view.model()
        if header_view is None or model is None:
            continue  # lists and trees without a header row
        for col in range(header_view().count()):
            header = model.headerData(col, Qt.Orientation.Horizontal)
            if isinstance(header, str):
                texts.append(header)
    return [t for t in texts if t]


def untranslated(root: QWidget) -> list[str]:
    return [t for t in chrome_texts(root) if DANISH_LETTERS & set(t)]


@pytest.fixture(params=["da", "en"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    LocalState().set("language", request.param)
    yield request.param
    i18n.set_language("da")


def check(widget: QWidget, lang: str, name: str, tmp_path, qtbot=None, runner=None) -> None:  # type: ignore[no-untyped-def]
    if runner is not None:  # what the screen loads in the background is part of it
        qtbot.waitUntil(lambda: not runner.busy, timeout=10000)
        qtbot.wait(20)
    image = widget.grab()
    assert not image.isNull() and image.width() > 100, name
    image.save(str(tmp_path / f"{name}_{lang}.png"))
    texts = chrome_texts(widget)
    assert len(texts) >= 2, name  # the check below looks at something
    if lang == "en":
        assert untranslated(widget) == [], name


def test_every_screen_renders_in_both_languages(
    qtbot,
    lang: str,
    district: District,
    clock: FakeClock,
    cheap_kdf: None,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    filled = fill_case(district.coordinator, "Anna Ørsted", "0101901234", "Aarhus Kommune")
    window = MainWindow(LocalState(), clock)
    qtbot.addWidget(window)
    window.resize(1300, 820)
    window.show()
    assert i18n.language() == lang

    window.show_welcome()
    check(window, lang, "welcome", tmp_path)
    wizard = NewVaultWizard(window.runner, LocalState(), window)
    qtbot.addWidget(wizard)
    wizard.show()
    for _ in range(3):
        check(wizard, lang, f"wizard{wizard.currentId()}", tmp_path)
        wizard.infohus_page.infohus.setText("Østjylland")
        wizard.infohus_page.path.setText(str(tmp_path / "new.sqlite"))
        wizard.coordinator_page.login.setText("lars")
        wizard.coordinator_page.name.setText("Lars")
        wizard.coordinator_page.organisation.setText("Politi")
        wizard.next()
    wizard.reject()

    window.open_vault(district.url)
    qtbot.waitUntil(lambda: isinstance(window.page, UnlockPage), timeout=10000)
    page = window.page
    qtbot.waitUntil(lambda: page.login.count() > 0, timeout=10000)
    check(window, lang, "unlock", tmp_path, qtbot, window.runner)
    qtbot.waitUntil(lambda: window.vault is not None, timeout=15000)  # opened behind the page
    for dialog in (
        SettingsDialog(window.settings, lambda _s: None, window),
        TrustRootDialog(window.vault, "AAAA BBBB CCCC DDDD", window.runner, window),
    ):
        dialog.show()
        check(dialog, lang, type(dialog).__name__, tmp_path)
        dialog.reject()

    page.login.setCurrentText("lars")
    page.passphrase.setText(COORDINATOR_PASS)
    page.submit()
    qtbot.waitUntil(lambda: isinstance(window.page, WorkArea), timeout=15000)
    workspace = window.findChild(CaseWorkspace)
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 1, timeout=10000)
    check(window, lang, "cases", tmp_path, qtbot, window.runner)

    change = ChangePassphraseDialog(window.session, window.runner, False, window)
    change.show()
    check(change, lang, "change_passphrase", tmp_path)
    change.reject()

    workspace.open_case(filled.number)
    qtbot.waitUntil(lambda: isinstance(workspace.case_view, CaseView), timeout=10000)
    view = workspace.case_view
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        check(window, lang, f"case_tab{index}", tmp_path, qtbot, window.runner)

    for open_dialog in (
        view.change_status,
        view.new_assessment,
        view.new_journal,
        view.edit_case,
        lambda: view.edit_measure(None),
    ):
        open_dialog()
        dialogs = [d for d in window.findChildren(QDialog) if d.isVisible()]
        assert len(dialogs) == 1
        check(dialogs[0], lang, type(dialogs[0]).__name__, tmp_path, qtbot, window.runner)
        dialogs[0].reject()
    workspace.new_case()
    intake = next(d for d in window.findChildren(QDialog) if d.isVisible())
    check(intake, lang, "intake", tmp_path, qtbot, window.runner)
    intake.reject()
    window.close()


def test_the_untranslated_check_can_fail(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    widget = QWidget()
    qtbot.addWidget(widget)
    QVBoxLayout(widget).addWidget(QPushButton("Gem ændringer"))
    assert untranslated(widget) == ["Gem ændringer"]
    assert WelcomePage  # imported for the screen list above
