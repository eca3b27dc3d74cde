"""The crypto self-test behind the first screen (issue 17, SECURITY.md §9): the window may show
the unlock screen, with the member names the light read found, before the self-test has run;
no vault is opened, no key derived and nothing decrypted until it has passed, an unlock
clicked meanwhile waits for it, and a failure is told to the user before the app quits."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from infohus_desktop.crypto import kdf, selftest
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts.vault import VaultService
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.shell import MainWindow
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.conftest import COORDINATOR_PASS, District, built_district
from tests.ui.conftest import FakeClock
from tests.unit.crypto.test_crypto_kdf import broken_argon2id


@pytest.fixture
def sqlite_district(sqlite_url: str, cheap_kdf: None) -> Iterator[District]:
    with built_district(sqlite_url) as d:
        yield d


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every vault the services open and every key derived, from here on."""
    seen: list[str] = []
    real_init, real_derive = VaultService.__init__, kdf.derive_key

    def init(self: VaultService, url: str, *args: object, **kwargs: object) -> None:
        seen.append("vault")
        real_init(self, url, *args, **kwargs)  # type: ignore[arg-type]

    def derive(*args: object, **kwargs: object) -> bytes:
        seen.append("kdf")
        return real_derive(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(VaultService, "__init__", init)
    monkeypatch.setattr(kdf, "derive_key", derive)
    return seen


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    codes: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: codes.append(code)))
    return codes


def _window(qtbot: QtBot, check: Callable[[], None], language: str = "da") -> MainWindow:
    win = MainWindow(LocalState(), FakeClock(), language=language, selftest=check)
    qtbot.addWidget(win)
    win.show()
    return win


def _listed(qtbot: QtBot, win: MainWindow) -> UnlockPage:
    qtbot.waitUntil(lambda: isinstance(win.page, UnlockPage), timeout=15000)
    page = win.page
    assert isinstance(page, UnlockPage)
    qtbot.waitUntil(lambda: page.login.count() > 0, timeout=10000)
    return page


def _unlock(qtbot: QtBot, page: UnlockPage) -> None:
    page.login.setCurrentText("lars")
    qtbot.keyClicks(page.passphrase, COORDINATOR_PASS)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)


def _refusal(qtbot: QtBot, win: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: win.findChild(QMessageBox, "refusalBox") is not None, timeout=10000)
    box = win.findChild(QMessageBox, "refusalBox")
    assert isinstance(box, QMessageBox)
    return box


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("da", "Kryptografiens selvtest fejlede (known-answer mismatch). Infohus Desktop starter"),
        ("en", "The cryptography self-test failed (known-answer mismatch). Infohus Desktop will"),
    ],
)
def test_a_failed_selftest_is_told_and_the_app_quits_with_no_vault_opened(
    qtbot: QtBot,
    sqlite_district: District,
    opened: list[str],
    exits: list[int],
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    words: str,
) -> None:
    broken_argon2id(monkeypatch)
    win = _window(qtbot, selftest.run_selftest, language)
    win.open_vault(sqlite_district.url)
    page = _listed(qtbot, win)  # the names the light read found: shown, as before
    _unlock(qtbot, page)  # clicked at once: waits for the self-test, then is refused
    box = _refusal(qtbot, win)
    assert words in box.text()
    assert not page.isEnabled()  # nothing more to do on this screen
    win.runner.wait_for_done()
    qtbot.wait(50)
    assert opened == []  # no vault opened, no key derived
    assert win.vault is None and win.session is None
    assert not isinstance(win.page, WorkArea)
    assert exits == []  # the app waits for the user to read it
    box.button(QMessageBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: exits == [1], timeout=5000)
    win.close()


def test_an_unlock_clicked_before_the_selftest_has_passed_waits_for_it(
    qtbot: QtBot,
    sqlite_district: District,
    opened: list[str],
    exits: list[int],
) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow_selftest() -> None:
        started.set()
        assert release.wait(20)
        selftest.run_selftest()

    win = _window(qtbot, slow_selftest)
    win.open_vault(sqlite_district.url)
    page = _listed(qtbot, win)  # listed by the light read, whatever the self-test does
    _unlock(qtbot, page)
    qtbot.waitUntil(started.is_set, timeout=5000)
    qtbot.wait(200)
    assert opened == []  # the open behind and the unlock both wait behind the self-test
    assert win.session is None and page.busy.isVisible()
    release.set()
    qtbot.waitUntil(lambda: isinstance(win.page, WorkArea), timeout=15000)
    assert win.session is not None and win.session.member.login == "lars"
    assert opened[0] == "vault" and "kdf" in opened
    assert win.findChild(QMessageBox, "refusalBox") is None and exits == []
    win.close()


def test_the_welcome_page_runs_the_selftest_too(qtbot: QtBot, exits: list[int]) -> None:
    ran = threading.Event()

    def failing() -> None:
        ran.set()
        raise selftest._unavailable("ImportError")

    win = _window(qtbot, failing)
    win.show_welcome()
    box = _refusal(qtbot, win)
    assert ran.is_set() and "ImportError" in box.text()
    box.button(QMessageBox.StandardButton.Close).click()
    qtbot.waitUntil(lambda: exits == [1], timeout=5000)
    win.close()


def test_every_task_after_a_failed_gate_fails_without_running(qtbot: QtBot) -> None:
    from infohus_desktop.domain.errors import CryptoUnavailable
    from infohus_desktop.ui.tasks import TaskRunner

    checks: list[int] = []
    ran: list[str] = []
    errors: list[object] = []

    def failing() -> None:
        checks.append(1)
        raise selftest._unavailable("ImportError")

    runner = TaskRunner(gate=failing)
    for name in ("first", "second"):
        runner.submit(lambda name=name: ran.append(name), lambda _r: None, errors.append)  # type: ignore[misc]
    runner.submit(lambda: ran.append("peek"), lambda _r: None, errors.append, ungated=True)
    runner.wait_for_done()
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=5000)
    assert ran == ["peek"] and checks == [1]  # the test ran once; its answer was kept
    assert all(isinstance(e, CryptoUnavailable) for e in errors)


def test_the_members_are_listed_at_once_with_the_cursor_in_the_passphrase(
    qtbot: QtBot, sqlite_district: District
) -> None:
    """The light read's names are put in the list as the page is built (no second trip to
    the worker), and the passphrase field has the focus, as it had when they came later."""
    win = _window(qtbot, selftest.run_selftest)
    win.open_vault(sqlite_district.url)
    qtbot.waitUntil(lambda: isinstance(win.page, UnlockPage), timeout=15000)
    page = win.page
    assert isinstance(page, UnlockPage)
    assert [page.login.itemText(i) for i in range(page.login.count())] == ["lars"]
    win.activateWindow()
    qtbot.waitUntil(lambda: win.focusWidget() is page.passphrase, timeout=5000)
    assert page.passphrase.isEnabled() and page.button.isEnabled()
    win.runner.wait_for_done()
    win.close()


def test_a_window_never_painted_still_opens_the_vault_behind_its_unlock_screen(
    qtbot: QtBot, sqlite_district: District, opened: list[str]
) -> None:
    """The work behind the unlock screen starts once the members are painted; a hidden
    window (never painted) starts it all the same, a moment later."""
    win = MainWindow(LocalState(), FakeClock(), selftest=selftest.run_selftest)
    qtbot.addWidget(win)  # not shown
    win.open_vault(sqlite_district.url)
    qtbot.waitUntil(lambda: isinstance(win.page, UnlockPage), timeout=15000)
    assert win.vault is None and opened == []
    qtbot.waitUntil(lambda: win.vault is not None, timeout=15000)
    assert win.selftest.state == "passed" and opened[0] == "vault"
    win.runner.wait_for_done()
    win.close()
