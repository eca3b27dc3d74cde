"""The window as a user meets it: first run, unlock, lock, language, and the rule that the GUI
thread never derives a key, queries the database or decrypts."""

from __future__ import annotations

import os
import threading
import time
import weakref
from dataclasses import replace
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
    QWizard,
)

from infohus_desktop.crypto import aead, kdf
from infohus_desktop.demo import DEMO_MEMBERS
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.settings import load_settings
from infohus_desktop.ui import heap, i18n, shell
from infohus_desktop.ui.dialogs.accounts.account import ChangePassphraseDialog, SettingsDialog
from infohus_desktop.ui.dialogs.accounts.new_vault import NewVaultWizard
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.pages.welcome import WelcomePage
from infohus_desktop.ui.shell import MainWindow
from infohus_desktop.ui.work_area import WorkArea
from infohus_desktop.vault.urls import file_of_url
from tests.integration.conftest import COORDINATOR_PASS, District
from tests.ui.conftest import FakeClock


@pytest.fixture
def window(qtbot, clock: FakeClock, cheap_kdf: None) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(LocalState(), clock)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _page(window: MainWindow) -> object:
    return window.page


def _wait_page(qtbot, window: MainWindow, kind: type) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: isinstance(window.page, kind), timeout=15000)


def _unlock(qtbot, window: MainWindow, login: str, passphrase: str) -> None:  # type: ignore[no-untyped-def]
    _wait_page(qtbot, window, UnlockPage)
    page = window.page
    assert isinstance(page, UnlockPage)
    qtbot.waitUntil(lambda: page.login.count() > 0 and page.login.isEnabled(), timeout=10000)
    page.login.setCurrentText(login)
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)


def test_first_run_wizard_creates_a_vault_and_opens_it(
    qtbot,
    window: MainWindow,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    window.start()
    _wait_page(qtbot, window, WelcomePage)
    qtbot.mouseClick(window.page.findChild(object, "createVault"), Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    wizard = window.findChild(NewVaultWizard)
    assert wizard is not None and wizard.isVisible()
    vault_file = tmp_path / "ny" / "boks.sqlite"
    wizard.infohus_page.infohus.setText("Østjylland")
    wizard.infohus_page.path.setText(str(vault_file))
    wizard.next()
    page = wizard.coordinator_page
    page.name.setText("Lars Holm")
    page.login.setText("lars")
    page.organisation.setText("Østjyllands Politi")
    wizard.next()
    passphrase = wizard.passphrase_page.passphrase
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    passphrase.first.setText("kort")
    assert "mindst 15 tegn" in passphrase.problem()
    qtbot.mouseClick(
        passphrase.findChild(QPushButton, "generatePassphrase"), Qt.MouseButton.LeftButton
    )
    assert passphrase.is_valid() and len(passphrase.text().split()) == 6
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.create_page.done, timeout=20000)
    shown = wizard.create_page.fingerprint.text()
    assert shown == wizard.session.member.fingerprint and len(shown.split()) >= 8
    wizard.accept()
    _wait_page(qtbot, window, WorkArea)
    assert vault_file.is_file()
    assert "Lars Holm (lars)" in window.who.text()
    assert window.windowTitle() == "Infohus Desktop – Østjylland"
    # The workstation remembers the vault: the next start goes to the unlock screen.
    assert LocalState().default_vault_url() is not None


def test_the_demo_passphrases_are_on_the_demo_s_unlock_page_only(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    district: District,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The welcome page of a workstation lists no logins and no passphrases.
    window.start()
    _wait_page(qtbot, window, WelcomePage)
    assert window.page.findChild(QTableWidget, "demoPassphrases") is None
    # The district's file stands in for the demo vault (building the demo takes seconds).
    demo_file = Path(file_of_url(district.url))
    monkeypatch.setattr(shell, "demo_vault_path", lambda: demo_file)
    window.open_demo()
    _wait_page(qtbot, window, UnlockPage)
    page = window.page
    assert isinstance(page, UnlockPage)
    qtbot.waitUntil(lambda: page.login.count() > 0 and page.login.isEnabled(), timeout=10000)
    # Loaded on the worker: importing the demo package takes the services with it.
    qtbot.waitUntil(lambda: page.findChild(QTableWidget, "demoPassphrases") is not None)
    table = page.findChild(QTableWidget, "demoPassphrases")
    assert table is not None and table.isVisible()
    shown = [(table.item(r, 0).text(), table.item(r, 2).text()) for r in range(table.rowCount())]
    assert shown == [(m.login, m.passphrase) for m in DEMO_MEMBERS]
    # Choosing a member fills in the form.
    table.selectRow(1)
    assert page.login.currentText() == DEMO_MEMBERS[1].login
    assert page.passphrase.text() == DEMO_MEMBERS[1].passphrase
    assert page.passphrase.hasFocus()
    # Any other vault's unlock page has no such table.
    monkeypatch.setattr(shell, "demo_vault_path", lambda: demo_file.with_name("demo.sqlite"))
    window.open_vault(district.url)
    qtbot.waitUntil(lambda: window.page is not page and isinstance(window.page, UnlockPage))
    assert window.page.findChild(QTableWidget, "demoPassphrases") is None


def test_unlock_wrong_then_right_passphrase(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", "forkert adgangsfrase ja")
    page = window.page
    assert isinstance(page, UnlockPage)
    qtbot.waitUntil(lambda: page.button.isEnabled(), timeout=10000)
    assert page.status.text() == "Forkert bruger eller adgangsfrase."
    assert page.passphrase.text() == ""  # never left in the field
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    assert window.session is not None and window.session.member.login == "lars"


def test_growing_delay_is_announced(qtbot, window: MainWindow, district: District) -> None:  # type: ignore[no-untyped-def]
    window.open_vault(district.url)
    for _ in range(5):
        _unlock(qtbot, window, "lars", "forkert adgangsfrase ja")
        page = window.page
        qtbot.waitUntil(lambda: page.button.isEnabled(), timeout=10000)  # noqa: B023
    assert "Næste forsøg venter 1 sekunder" in window.page.status.text()  # type: ignore[union-attr]


def test_initial_passphrase_must_be_changed_first(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    first = district.passphrases["mette"]
    district.coordinator.accounts.add("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, first)
    window.open_vault(district.url)
    _unlock(qtbot, window, "mette", first)
    qtbot.waitUntil(lambda: window.findChild(ChangePassphraseDialog) is not None, timeout=10000)
    dialog = window.findChild(ChangePassphraseDialog)
    assert isinstance(window.page, UnlockPage)  # nothing of the vault is shown yet
    dialog.current.setText(first)
    dialog.new.first.setText("mettes helt egen lange frase")
    dialog.new.second.setText("mettes helt egen lange frase")
    dialog.accept()
    _wait_page(qtbot, window, WorkArea)
    assert district.open().unlock("mette", "mettes helt egen lange frase", sleep=lambda _s: None)


def test_idle_lock_drops_the_session_and_closes_dialogs(
    qtbot,
    window: MainWindow,
    district: District,
    clock: FakeClock,  # type: ignore[no-untyped-def]
) -> None:
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    session = window.session
    window.clipboard.copy("010190-1234")
    window.open_settings()
    assert window.findChild(SettingsDialog).isVisible()
    clock.advance(4 * 60)
    window.idle.check()
    assert window.session is session  # not yet: default is five minutes
    clock.advance(61)
    window.idle.check()
    _wait_page(qtbot, window, UnlockPage)
    assert window.session is None and window.context is None
    assert not window.findChildren(WorkArea)
    qtbot.waitUntil(lambda: session._locked, timeout=10000)
    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is None)  # closed and deleted
    assert QApplication.clipboard().text() != "010190-1234"
    notice = window.page.findChild(QLabel, "unlockNotice")
    assert "Låst efter 5 minutter" in notice.text() and "kasseret" in notice.text()


def test_the_lock_frees_no_widget_on_the_worker(
    qtbot,
    window: MainWindow,
    district: District,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """After the lock the collector runs in full (ui/heap.py). A widget freed by it off the
    GUI thread crashes the program: it runs on the GUI thread, once the window body taken
    down at lock is deleted by Qt or still held by the window, even when the body is in a
    reference cycle (made here on purpose)."""
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    body = window.page
    body.cycle = body  # type: ignore[union-attr]
    gone = weakref.ref(body)
    del body
    seen: list[tuple[bool, bool]] = []
    collect = heap.collect_after_lock

    def watched_collect() -> None:
        page = gone()
        held = page is None or not shiboken6.isValid(page)
        held = held or any(kept is page for kept in window._retired)
        seen.append((threading.current_thread() is threading.main_thread(), held))
        del page
        collect()

    monkeypatch.setattr(heap, "collect_after_lock", watched_collect)
    window.lock_action.trigger()
    # The GUI thread busy a moment before its event loop deletes the page: the worker
    # locks meanwhile, and nothing may be collected before the page is gone or held.
    time.sleep(0.5)
    _wait_page(qtbot, window, UnlockPage)
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    assert seen == [(True, True)]


def test_lock_shortcut(qtbot, window: MainWindow, district: District) -> None:  # type: ignore[no-untyped-def]
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    window.open_vault(district.url)
    _unlock(qtbot, window, "mette", district.passphrases["mette"])
    _wait_page(qtbot, window, WorkArea)
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    window.lock_action.trigger()
    _wait_page(qtbot, window, UnlockPage)
    assert window.session is None
    # Who locked is chosen again: the list starts at lars, and a quick unlock after the
    # lock was an attempt counted against him.
    page = window.page
    qtbot.waitUntil(lambda: page.login.count() == 2, timeout=10000)  # type: ignore[union-attr]
    assert page.login.itemText(0) == "lars"  # type: ignore[union-attr]
    assert page.login.currentText() == "mette"  # type: ignore[union-attr]


def test_language_switch_rebuilds_in_english(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    window.open_vault(district.url)
    _wait_page(qtbot, window, UnlockPage)
    assert window.page.button.text() == "Lås op"  # type: ignore[union-attr]
    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    dialog.language.setCurrentIndex(1)
    dialog.accept()
    _wait_page(qtbot, window, UnlockPage)
    assert window.page.button.text() == "Unlock"  # type: ignore[union-attr]
    assert window.lock_action.text() == "&Lock"
    assert LocalState().get("language") == "en"
    assert i18n.language() == "en"


def test_a_language_switch_keeps_the_area_in_view(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    area = window.page
    window.page.show_area("meetings")  # type: ignore[union-attr]
    window.open_settings()
    dialog = window.findChild(SettingsDialog)
    dialog.language.setCurrentIndex(1)
    dialog.accept()
    qtbot.waitUntil(lambda: window.page is not area and isinstance(window.page, WorkArea))
    assert window.page.current_area() == "meetings"  # type: ignore[union-attr]
    assert window.page.nav.currentItem().text() == "Meetings"  # type: ignore[union-attr]


def test_the_infohus_idle_default_applies_where_the_user_chose_none(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    district.coordinator.vault_defaults.set_idle_lock_minutes(12)
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    qtbot.waitUntil(lambda: window.idle.timeout == 12 * 60, timeout=10000)
    window.lock_action.trigger()
    _wait_page(qtbot, window, UnlockPage)
    assert window.idle.timeout == 5 * 60  # the vault's default leaves with the vault
    LocalState().set("idle_lock_minutes", 3)  # the user's own choice wins
    window.apply_settings(load_settings(LocalState()))
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    qtbot.wait(300)
    assert window.idle.timeout == 3 * 60


def test_gui_thread_never_derives_keys_queries_or_decrypts(
    qtbot,
    window: MainWindow,
    district: District,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    on_gui: list[str] = []
    real_derive, real_decrypt = kdf.derive_key, aead.FieldKey.decrypt

    def derive(*args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            on_gui.append("kdf")
        return real_derive(*args, **kwargs)

    def decrypt(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            on_gui.append("decrypt")
        return real_decrypt(self, *args, **kwargs)

    monkeypatch.setattr(kdf, "derive_key", derive)
    monkeypatch.setattr(aead.FieldKey, "decrypt", decrypt)
    from sqlalchemy import event

    from infohus_desktop.ui import vault_door

    real_peek = vault_door.peek_sqlite

    def peek(*args, **kwargs):  # type: ignore[no-untyped-def]
        if threading.current_thread() is threading.main_thread():
            on_gui.append("peek")
        return real_peek(*args, **kwargs)

    monkeypatch.setattr(vault_door, "peek_sqlite", peek)
    window.open_vault(district.url)
    _wait_page(qtbot, window, UnlockPage)
    # The unlock screen lists the members from a light read; the vault opens behind it.
    qtbot.waitUntil(lambda: window.vault is not None, timeout=15000)

    def on_query(*_args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            on_gui.append("query")

    event.listen(window.vault.engine, "before_cursor_execute", on_query)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    window.runner.wait_for_done()
    qtbot.wait(50)
    window.lock_action.trigger()
    _wait_page(qtbot, window, UnlockPage)
    window.runner.wait_for_done()
    assert on_gui == []
    assert not isinstance(window.page.findChild(QLineEdit, "passphrase"), type(None))


def test_a_search_typed_just_before_lock_is_audited_before_the_keys_go(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    from infohus_desktop.ui.views.cases.workspace import CaseWorkspace

    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    window.page.show_area("cases")
    workspace = window.findChild(CaseWorkspace)
    qtbot.keyClicks(workspace.filters.search, "Sørensen")
    window.lock_action.trigger()  # before the pause that would log the search
    _wait_page(qtbot, window, UnlockPage)
    window.runner.wait_for_done()
    details = [e.detail for e in district.unlock("lars").audit.list(action="case.search")]
    assert any("Sørensen" in (d or "") for d in details)


def test_a_role_changed_by_a_coordinator_meanwhile_locks_the_window_with_a_reason(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    """Mette is unlocked while a coordinator (on another workstation) makes her a guest. Her
    next read is refused, and the window locks once, saying why: no error box for each
    screen that asked, and her unlock again takes the new role."""
    from infohus_desktop.ui.views.overview.view import OverviewView

    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER).lock()
    window.open_vault(district.url)
    _unlock(qtbot, window, "mette", district.passphrases["mette"])
    _wait_page(qtbot, window, WorkArea)
    window.runner.wait_for_done()
    session = window.session
    district.coordinator.accounts.change_role("mette", Role.GUEST)

    overview = window.findChild(OverviewView)
    overview.refresh()
    _wait_page(qtbot, window, UnlockPage)
    qtbot.waitUntil(lambda: session._locked, timeout=10000)
    notice = window.page.findChild(QLabel, "unlockNotice").text()
    assert "en koordinator har ændret din rolle eller adgang" in notice
    assert not [box for box in window.findChildren(QWidget, "errorBox") if box.isVisible()]

    _unlock(qtbot, window, "mette", district.passphrases["mette"])
    _wait_page(qtbot, window, WorkArea)
    assert window.session is not None and window.session.member.role is Role.GUEST


def test_after_twelve_hours_the_app_locks_however_busy_the_user_is(
    qtbot,
    window: MainWindow,
    district: District,
    clock: FakeClock,  # type: ignore[no-untyped-def]
) -> None:
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    for _ in range(12 * 60 // 4):  # busy: some input every four minutes
        clock.advance(4 * 60)
        window.idle.touch()
        window.idle.check()
        if window.session is None:
            break
    _wait_page(qtbot, window, UnlockPage)
    assert clock.now - 1000.0 >= 12 * 3600
    assert "12 timer" in window.page.findChild(QLabel, "unlockNotice").text()


def test_a_bug_shows_the_crash_dialog_logs_no_personal_data_and_the_app_goes_on(
    qtbot,
    window: MainWindow,
    district: District,
    infohus_home: Path,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window.open_vault(district.url)
    _wait_page(qtbot, window, UnlockPage)

    def buggy() -> None:
        raise RuntimeError("Sentinelius Ærbødig-Qvist 070761-4285")

    window.runner.submit(buggy, lambda _r: None)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "crashDialog") is not None)
    box = window.findChild(QMessageBox, "crashDialog")
    assert "RuntimeError" in box.informativeText()
    assert "Sentinelius" not in box.text() + box.informativeText()
    log = (infohus_home / "logs" / "infohus.log").read_text(encoding="utf-8")
    assert "RuntimeError" in log and "Sentinelius" not in log and "070761" not in log
    box.accept()
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)  # the app is still usable
    _wait_page(qtbot, window, WorkArea)


def test_lang_option_applies_for_this_run_only(qtbot, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    from infohus_desktop.app import parse_args

    args = parse_args(["--lang", "en", "--demo"])
    assert (args.lang, args.demo) == ("en", True)
    win = MainWindow(LocalState(), clock, language=args.lang)
    qtbot.addWidget(win)
    win.show_welcome()
    assert i18n.language() == "en" and win.settings_action.text() == "&Settings"
    assert LocalState().get("language") is None  # the saved choice is untouched
    win.close()


def test_an_older_vault_is_refused_and_a_coordinator_accepts_the_restore(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    from tests.integration.test_rollback import _put_back_older_copy, _seen

    district.coordinator.lock()  # this workstation signs the head
    seq, _ = _seen(district)
    _put_back_older_copy(district, seq)
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    page = window.page
    assert isinstance(page, UnlockPage)
    qtbot.waitUntil(lambda: page.restore_button.isVisible(), timeout=10000)
    assert page.status.text().startswith("Boksen er ældre end sidst set på denne computer")
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        window.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "unlock-rollback-da.png"))
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert "Skriv din adgangsfrase igen" in page.status.text()
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    assert window.session is not None and window.session.vault.accepted_restore is not None


def test_a_large_list_is_kept_out_of_full_collections_until_the_lock(
    qtbot,
    window: MainWindow,
    district: District,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """ui/heap.py: after a large list is shown its objects are frozen out of the garbage
    collector's full passes (285 ms of GUI freeze at 100,000 cases otherwise), and the lock
    hands them back and collects, so nothing of a locked session stays behind in a cycle."""
    import gc
    import weakref

    from infohus_desktop.ui.views.cases import workspace

    monkeypatch.setattr(workspace, "RELEASE_AFTER_ROWS", 0)  # every list counts as large
    gc.unfreeze()
    window.open_vault(district.url)
    _unlock(qtbot, window, "lars", COORDINATOR_PASS)
    _wait_page(qtbot, window, WorkArea)
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=10000)
    # Garbage in a reference cycle that is old when a list is frozen is frozen with it (a
    # closed dialog's callback, a detached row holding a key): the lock must free it.
    secret = _Cycle()
    gone = weakref.ref(secret)
    gc.collect()  # survives into the oldest generation, which a young collection skips
    del secret
    heap.settle_after_load()
    assert gone() is not None
    window.lock()
    _wait_page(qtbot, window, UnlockPage)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    assert gc.get_freeze_count() == 0
    assert gone() is None


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.key = os.urandom(32)


def test_source_lines_read_at_start_up_are_dropped_once_the_vault_is_open(
    qtbot,
    window: MainWindow,
    district: District,  # type: ignore[no-untyped-def]
) -> None:
    """ui/heap.py: PySide6 reads the source of every module imported after it, and
    ``linecache`` kept those lines for the process's life (25 MiB with the services loaded);
    they go once the vault is open behind the unlock screen."""
    import linecache

    assert linecache.getlines(heap.__file__)  # as PySide6's look at an imported module
    assert heap.__file__ in linecache.cache
    window.open_vault(district.url)
    _wait_page(qtbot, window, UnlockPage)
    qtbot.waitUntil(lambda: window.vault is not None and not window.runner.busy, timeout=10000)
    assert heap.__file__ not in linecache.cache


def test_a_module_imported_after_the_ui_leaves_no_source_lines_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ui/heap.py: PySide6 read the whole source of every module imported after it, and
    ``linecache`` kept it (27 MiB at the unlock screen); importing ``infohus_desktop.ui``
    turns that look off, and the module still imports and runs."""
    import linecache

    import infohus_desktop.ui  # noqa: F401 (what the app imports first)

    module = tmp_path / "imported_after_the_ui.py"
    module.write_text("from PySide6.QtCore import QObject\n\nANSWER = 42\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    # As an import statement does: through builtins.__import__, which PySide6 replaces
    # (importlib.import_module goes around it).
    imported = __import__("imported_after_the_ui")
    assert imported.ANSWER == 42
    assert str(module) not in linecache.cache


def test_the_windows_dates_speak_its_language_whatever_the_systems_locale(
    qtbot,
    clock: FakeClock,  # type: ignore[no-untyped-def]
) -> None:
    """On a machine whose locale is C (or English, or Danish), the month pickers of a Danish
    window say "januar", of an English one "January": the window is made before its language
    is set, and its widgets take the window's locale."""
    from datetime import date

    from PySide6.QtCore import QLocale

    from infohus_desktop.ui.views.statistics.period import MonthEdit

    QLocale.setDefault(QLocale.c())  # the system's, before the window sets its own
    win = MainWindow(LocalState(), clock, language="da")
    qtbot.addWidget(win)
    month = MonthEdit(date(2026, 1, 1), last=False)
    win.setCentralWidget(month)  # a child of the window, as every view is
    assert month.text() == "januar 2026"
    win.apply_settings(replace(win.settings, language="en"))
    assert month.text() == "January 2026"
    win.apply_settings(replace(win.settings, language="da"))
    win.close()
