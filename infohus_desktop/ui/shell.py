"""The main window: welcome → unlock → the work areas, and back to unlock on lock.

The window title never carries personal data (only the program and the district). The status
bar names the member, their organisation and the vault. Locking (Ctrl+L, the toolbar, or the
idle timer) drops the member's keys and every decrypted model: the work area widgets are
deleted, open dialogs are closed without saving, the clipboard is cleared if it holds what we
copied, and results of work still running are thrown away.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.local_state import LocalState, demo_vault_path
from infohus_desktop.private_files import make_private_dir
from infohus_desktop.settings import (
    CLIPBOARD_CLEAR_SECONDS,
    UiSettings,
    has_own_idle_lock,
    load_settings,
    save_settings,
)
from infohus_desktop.ui import heap
from infohus_desktop.ui.connection import ConnectionWatch, with_banner
from infohus_desktop.ui.errors import show_bug, show_error
from infohus_desktop.ui.i18n import set_language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.lock import ClipboardGuard, Clock, IdleLock, close_open_dialogs, lock_notice
from infohus_desktop.ui.pages.demo_logins import is_demo
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.pages.welcome import WelcomePage
from infohus_desktop.ui.selftest_watch import SelfTestWatch
from infohus_desktop.ui.tasks import TaskRunner
from infohus_desktop.ui.vault_door import VaultDoor
from infohus_desktop.ui.window_chrome import build_chrome
from infohus_desktop.vault.urls import file_of_url, url_for_path

if TYPE_CHECKING:
    # Start-up imports only what the welcome and unlock pages draw (issue 17): the services
    # (SQLAlchemy's ORM, Alembic, ReportLab, ...) load on the worker when a vault is opened
    # (after the unlock screen lists its members, see ui/vault_door.py), and the work areas
    # and account dialogs when first shown.
    from infohus_desktop.services.front_door import MemberServices, Vault
    from infohus_desktop.ui.context import AppContext


class MainWindow(QMainWindow):
    demo_progress = Signal(int, int)
    #: The class name of each page as it is shown ("WelcomePage", "UnlockPage", "WorkArea").
    page_shown = Signal(str)

    def __init__(
        self,
        local: LocalState | None = None,
        clock: Clock = time.monotonic,
        language: str | None = None,
        selftest: Callable[[], None] | None = None,
    ) -> None:
        """``language``: for this run only (``--lang``); ``selftest``: see selftest_watch.py."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.local = local or LocalState()
        self.settings = load_settings(self.local)
        if language in ("da", "en"):
            self.settings = replace(self.settings, language=language)
        set_language(self.settings.language, self)
        self.clock = clock
        self.runner = TaskRunner(
            on_error=lambda exc: show_error(self, exc),
            on_bug=lambda exc: show_bug(self, exc),
            parent=self,
            gate=selftest,
            on_lock=lambda _exc: self.lock(reason="standing"),
        )
        # Cycles are collected on the GUI thread, never on the worker (ui/heap.py).
        self.collection = heap.GuiThreadCollection(self, lambda: self.runner.busy)
        self.selftest = SelfTestWatch(self, self.runner, gated=selftest is not None)
        self.idle = IdleLock(self.settings.idle_lock_minutes * 60, clock, self)
        self.idle.idle.connect(lambda: self.lock(reason=self.idle.reason))
        self.clipboard = ClipboardGuard(CLIPBOARD_CLEAR_SECONDS, clock, self)
        #: The vault as the unlock screen shows it; ``vault`` is set once it is fully open.
        self.door: VaultDoor | None = None
        self.vault: Vault | None = None
        self.session: MemberServices | None = None
        self.context: AppContext | None = None
        self.stack = QStackedWidget()
        self.watch = ConnectionWatch(self.runner, self)  # a shared server's outage: a bar
        self.banner = with_banner(self, self.stack, self.watch)
        self.page: QWidget | None = None
        #: Pages taken down and not yet deleted by Qt (see _show).
        self._retired: list[QWidget] = []
        self.setWindowIcon(icon("app"))
        self.resize(1200, 780)
        self.demo_progress.connect(self._on_demo_progress)
        self._build_chrome()

    # -- chrome ----------------------------------------------------------------------------

    def _build_chrome(self) -> None:
        chrome = build_chrome(
            self,
            lock=lambda: self.lock(),
            settings=self.open_settings,
            passphrase=lambda: self._change_passphrase(False),
            about=self.open_about,
        )
        self.runner.busy_changed.connect(chrome.busy.setVisible)
        self.lock_action, self.settings_action = chrome.lock_action, chrome.settings_action
        self.passphrase_action, self.about_action = chrome.passphrase_action, chrome.about_action
        self.busy, self.who, self.where = chrome.busy, chrome.who, chrome.where
        self._update_chrome()

    def _update_chrome(self) -> None:
        self.watch.follow(self.vault)  # the bar follows the open vault's server
        unlocked = self.session is not None
        self.lock_action.setEnabled(unlocked)
        self.passphrase_action.setEnabled(unlocked)
        title = "Infohus Desktop"
        if self.door is not None:
            title += f" – {self.door.infohus_name}"
        self.setWindowTitle(title)
        if self.session is not None:
            from infohus_desktop.domain.labels import ROLE_LABELS

            m = self.session.member
            role = tr(*ROLE_LABELS[m.role])
            self.who.setText(f"{m.name} ({m.login}) · {role} · {m.organisation_name}")
        elif self.door is not None:
            self.who.setText(tr("Låst", "Locked"))
        else:
            self.who.setText("")
        self.where.setText(f"{self.door.infohus_name} · {self.door.location}" if self.door else "")

    def _show(self, page: QWidget) -> None:
        old = self.page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.page = page
        if old is not None:
            self.stack.removeWidget(old)
            old.hide()
            old.setParent(None)  # out of the window's tree at once; freed by deleteLater
            old.deleteLater()
            # Held until Qt has deleted it here, on the GUI thread: were it in a reference
            # cycle, a collection that an allocation on the worker sets off could free it
            # there, and a widget freed off the GUI thread crashes the program.
            self._let_go_of_deleted_pages()
            self._retired.append(old)
        self._update_chrome()
        self.page_shown.emit(type(page).__name__)

    # -- start -----------------------------------------------------------------------------

    def start(self, url: str | None = None, demo: bool = False) -> None:
        """Open the vault given, the demo, the workstation's default, or the welcome page."""
        if demo:
            self.open_demo()
            return
        url = url or self.local.default_vault_url()
        if url and (not url.startswith("sqlite") or _sqlite_file_exists(url)):
            self.open_vault(url)
        else:
            self.show_welcome()

    def show_welcome(self) -> None:
        page = WelcomePage()
        page.new_vault.connect(self.new_vault)
        page.open_vault.connect(self.open_vault)
        page.open_server.connect(self.open_server)
        page.open_demo.connect(self.open_demo)
        page.restore_backup.connect(self.restore_backup)
        self._show(page)
        self.selftest.start()
        self.idle.watch()

    def restore_backup(self) -> None:
        from infohus_desktop.ui.dialogs.backups.restore import RestoreBackupDialog

        dialog = RestoreBackupDialog(self.runner, self.local, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self.open_vault)
        dialog.open()

    def new_vault(self) -> None:
        # Imported when asked for: the wizard's strength meter (zxcvbn, word lists) costs
        # start-up time that most starts do not need.
        from infohus_desktop.ui.dialogs.accounts.new_vault import NewVaultWizard

        wizard = NewVaultWizard(self.runner, self.local, self)
        wizard.finished.connect(lambda _r: self._wizard_done(wizard))
        wizard.open()

    def _wizard_done(self, wizard: QDialog) -> None:
        from infohus_desktop.services.front_door import MemberServices

        session = getattr(wizard, "session", None)
        if isinstance(session, MemberServices):
            self.vault = session.vault
            self.door = VaultDoor.of(session.vault)
            self._unlocked(session)

    def open_server(self, url: str) -> None:
        """The district's server chosen in the server dialog: once it opens, this
        workstation opens it at the next start too (saved without any password)."""
        self.open_vault(url, remember=True)

    def open_vault(self, url: str, remember: bool = False) -> None:
        local, pass_gate = self.local, self.runner.pass_gate
        self._close_vault()

        def work() -> VaultDoor:
            door = VaultDoor.at(url, local, before_open=pass_gate)
            if remember:
                local.set_default_vault_url(url)  # LocalState strips any password
            return door

        failed = partial(self._vault_failed, url=url, remember=remember)
        self.runner.submit(work, self._door_opened, failed, ungated=True)  # see VaultDoor.at

    def _door_opened(self, door: VaultDoor) -> None:
        self.door, self.vault = door, door.vault
        self.show_unlock()

    def _open_behind(self, door: VaultDoor) -> None:
        """Once the unlock screen lists its members (earlier, the imports would delay them),
        the services load and the vault opens on the worker while the member types; an unlock
        submitted meanwhile runs after it, and an open asked twice opens once."""
        self.selftest.start()  # ahead of the open, and of any unlock, on the one worker
        self.idle.watch()
        if door is not self.door or door.vault is not None:
            return
        self.runner.submit(
            door.open,
            lambda vault: self._vault_opened(door, vault),
            lambda exc: self._vault_failed(exc) if door is self.door else None,
        )

    def _vault_opened(self, door: VaultDoor, vault: Vault) -> None:
        if door is self.door:
            self.vault = vault
        heap.forget_source_lines(worker_idle=not self.runner.busy)  # all imported now

    def _vault_failed(self, exc: InfohusError, url: str = "", remember: bool = False) -> None:
        from infohus_desktop.domain.errors import ServerPasswordRequired

        self.door = self.vault = None
        if self.selftest.refuses(exc):
            return
        if isinstance(exc, ServerPasswordRequired) and url:
            self._ask_server_password(url, exc.wrong, remember)
            return
        show_error(self, exc)
        self.show_welcome()

    def _ask_server_password(self, url: str, wrong: bool, remember: bool) -> None:
        """The server wants a password: ask here, on the GUI thread, and open again on the
        worker with it. It lives only in the URL held in memory by this attempt."""
        from infohus_desktop.ui.dialogs.server import ServerPasswordDialog
        from infohus_desktop.vault.server_address import server_label, with_password

        dialog = ServerPasswordDialog(server_label(url), wrong, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(result: int) -> None:
            password = dialog.take_password()
            if result == QDialog.DialogCode.Accepted and password:
                self.open_vault(with_password(url, password), remember)
            else:
                self.show_welcome()

        dialog.finished.connect(answered)
        dialog.open()

    def open_demo(self) -> None:
        """Open the demo vault, building it first (on the worker, with progress) if needed."""
        path = demo_vault_path()
        if path.exists():
            self.open_vault(url_for_path(path))
            return
        # The demo builder (Faker) loads only when the demo vault is made.
        from infohus_desktop.demo import create_demo_vault

        if not isinstance(self.page, WelcomePage):
            self.show_welcome()
        local, url = self.local, url_for_path(path)
        progress = self.demo_progress.emit  # emitted on the worker, delivered queued

        def build() -> str:
            make_private_dir(path.parent)
            create_demo_vault(url, local=local, progress=progress)
            return url

        self._on_demo_progress(0, 1)
        self.runner.submit(build, self.open_vault)

    def _on_demo_progress(self, done: int, total: int) -> None:
        if isinstance(self.page, WelcomePage):
            self.page.show_demo_progress(done, total)

    def show_unlock(self, notice: str = "", last_login: str = "") -> None:
        assert self.door is not None
        door = self.door
        demo = is_demo(door.url, demo_vault_path())
        page = UnlockPage(door, self.runner, notice, last_login, demo)
        page.logins_listed.connect(lambda: self._open_behind(door))
        page.unlocked.connect(self._unlocked)
        page.refused.connect(self.selftest.refuse)
        page.trust_needed.connect(self._trust)
        page.change_vault.connect(self._other_vault)
        self._show(page)

    def _other_vault(self) -> None:
        self._close_vault()
        self.show_welcome()

    def _close_vault(self) -> None:
        if self.door is not None and self.session is None:
            # On the worker, after a full open still under way there.
            self.runner.submit(self.door.close, lambda _r: None, ungated=True)
        self.door = self.vault = None

    def _trust(self, vault: Vault, fingerprint: str) -> None:
        from infohus_desktop.ui.dialogs.accounts.account import TrustRootDialog

        dialog = TrustRootDialog(vault, fingerprint, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.show_unlock())
        dialog.open()

    # -- unlocked --------------------------------------------------------------------------

    def _unlocked(self, session: MemberServices) -> None:
        self.session = session
        self.idle.arm()  # the forced passphrase change is unlocked time too
        self._update_chrome()
        if session.member.must_change_passphrase:
            self._change_passphrase(True)
            return
        self._enter(session)

    def _change_passphrase(self, forced: bool) -> None:
        if self.session is None:
            return
        from infohus_desktop.ui.dialogs.accounts.account import ChangePassphraseDialog

        session = self.session
        dialog = ChangePassphraseDialog(session, self.runner, forced, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # passphrases leave memory

        def done(result: int) -> None:
            if not forced:
                return
            if result == QDialog.DialogCode.Accepted and self.session is session:
                self._enter(session)
            else:
                self.lock()

        dialog.finished.connect(done)
        dialog.open()

    def _enter(self, session: MemberServices) -> None:
        from infohus_desktop.ui.context import AppContext
        from infohus_desktop.ui.work_area import WorkArea

        self.context = AppContext(session, self.runner, self.clipboard, self, connection=self.watch)
        self._show(WorkArea(self.context))
        self.context.start_live_updates()
        self.idle.arm()
        if not has_own_idle_lock(self.local):  # else the Infohus's default, if it set one
            self.context.run(
                lambda s: s.vault_defaults.idle_lock_minutes(), self._vault_idle_default, self
            )

    def _vault_idle_default(self, minutes: int | None) -> None:
        if minutes is not None and self.session is not None:
            self.idle.timeout = minutes * 60

    # -- lock ------------------------------------------------------------------------------

    def lock(self, reason: str = "") -> None:
        """Lock now; ``reason`` is "idle" or "session" when the timer did it, "standing"
        when a coordinator changed the member's role or access meanwhile."""
        if self.session is None:
            return
        if self.context is not None:
            self.context.stop_live_updates()
        session, self.session, self.context = self.session, None, None
        self.idle.disarm()
        self.idle.timeout = self.settings.idle_lock_minutes * 60  # a vault's default goes too
        self.runner.cancel_pending()
        closed = close_open_dialogs()
        self.clipboard.clear()
        notice = lock_notice(reason, self.settings.idle_lock_minutes, closed)
        # The work area goes first (a search it still has to audit is submitted as it
        # hides), then the lock, which audits, signs a checkpoint and forgets the keys.
        self.show_unlock(notice, session.member.login)
        self.runner.submit(session.lock, lambda _r: self._release_heap())

    def _release_heap(self) -> None:
        """After the lock: let go of the pages Qt has deleted since, collect what the locked
        session left in cycles, here on the GUI thread (``heap.collect_after_lock``), and
        have the worker hand the freed memory back to the system."""
        self._let_go_of_deleted_pages()
        heap.collect_after_lock()
        self.runner.submit(heap.release_free_memory, lambda _r: None)

    def _let_go_of_deleted_pages(self) -> None:
        self._retired = [page for page in self._retired if shiboken6.isValid(page)]

    # -- settings --------------------------------------------------------------------------

    def open_settings(self) -> None:
        from infohus_desktop.ui.dialogs.accounts.account import SettingsDialog

        dialog = SettingsDialog(self.settings, self.apply_settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_about(self) -> None:
        """Version, commit and library versions; open whether locked or not."""
        from infohus_desktop.ui.dialogs.about import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def apply_settings(self, settings: UiSettings) -> None:
        changed_language = settings.language != self.settings.language
        save_settings(self.local, settings)
        self.settings = load_settings(self.local)
        self.idle.timeout = self.settings.idle_lock_minutes * 60
        if changed_language:
            set_language(self.settings.language, self)
            self.retranslate()

    def retranslate(self) -> None:
        """Rebuild the chrome and the current page in the new language."""
        self._build_chrome()
        if self.context is not None:
            from infohus_desktop.ui.work_area import WorkArea  # loaded: a context is shown

            # The member stays where they were (Settings is opened from any area).
            shown = self.page.current_area() if isinstance(self.page, WorkArea) else None
            area = WorkArea(self.context)
            self._show(area)
            if shown:
                area.show_area(shown)
        elif isinstance(self.page, UnlockPage) and self.door is not None:
            self.show_unlock()
        elif isinstance(self.page, WelcomePage):
            self.show_welcome()

    # -- exit ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Lock (audit entry, signed checkpoint) and close the vault; also run when the
        application quits without the window being closed (end of the OS session)."""
        session, door = self.session, self.door
        if self.context is not None:
            self.context.stop_live_updates(wait=2.0)
        self.session = self.context = None
        self.idle.disarm()
        self.clipboard.clear()
        self.runner.cancel_pending()
        if session is not None:
            self.runner.submit(session.lock, lambda _r: None)
        if door is not None:
            self.runner.submit(door.close, lambda _r: None, ungated=True)
        self.door = self.vault = None
        self.watch.follow(None)
        self.runner.wait_for_done(15000)
        self.collection.stop()


def _sqlite_file_exists(url: str) -> bool:
    return Path(file_of_url(url)).is_file()
