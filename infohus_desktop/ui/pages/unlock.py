"""The unlock screen: choose the member, type the passphrase; the key derivation runs on the
worker thread with a busy indicator. A wrong passphrase gets one calm message, the same for
every cause, and says how long the next attempt will wait once the delays begin. A vault older
than this computer last saw is refused with the reason; a coordinator who restored it on
purpose presses "Godkend genskabelse …" and types their passphrase again (audited)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import (
    CryptoUnavailable,
    InfohusError,
    RootNotPinned,
    WrongPassphrase,
)
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.tasks import TaskRunner
from infohus_desktop.ui.vault_door import VaultDoor
from infohus_desktop.ui.widgets.layout import card, heading

if TYPE_CHECKING:
    # Not imported to draw the page (issue 17): the services load on the worker, when the
    # vault behind the door is opened (ui/vault_door.py).
    from infohus_desktop.services.front_door import MemberServices


class UnlockPage(QWidget):
    unlocked = Signal(object)  # MemberServices
    trust_needed = Signal(object, str)  # Vault, root fingerprint to compare
    change_vault = Signal()
    #: The login list is filled: the window may now open the vault behind the page.
    logins_listed = Signal()
    #: The crypto self-test failed (CryptoUnavailable): the window refuses to go on.
    refused = Signal(object)

    def __init__(
        self,
        door: VaultDoor,
        runner: TaskRunner,
        notice: str = "",
        last_login: str = "",
        demo: bool = False,
    ) -> None:
        """``last_login``: who just locked this window, chosen again in the list (the list
        starts at its first login otherwise, and a quick unlock after a lock was then an
        attempt counted against another member). ``demo``: the demo vault, whose members are
        listed under the form (loaded on the worker) to fill it in."""
        super().__init__()
        self.setObjectName("unlockPage")
        self.door, self.runner = door, runner
        self.last_login = last_login
        self.failures = 0
        self._announce = False

        self.login = QComboBox()
        self.login.setEditable(True)
        self.login.setObjectName("login")
        self.login.setAccessibleName(tr("Bruger", "User"))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Adgangsfrase", "Passphrase"))
        self.passphrase.returnPressed.connect(self.submit)
        self.button = QPushButton(icon("lock"), tr("Lås op", "Unlock"))
        self.button.setObjectName("unlockButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("unlockStatus")
        self.status.setWordWrap(True)
        # Room for a two-line message, so the card does not have to grow for the usual ones;
        # a longer one (a refused older vault) grows it in _say.
        self._status_floor = self.status.fontMetrics().lineSpacing() * 2 + 6
        self.status.setMinimumHeight(self._status_floor)
        self.notice = QLabel(notice)
        self.notice.setObjectName("unlockNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        #: Set by "Godkend genskabelse …": the next unlock accepts an older vault.
        self.accept_restore = False
        self.restore_button = QPushButton(tr("Godkend genskabelse …", "Accept restore …"))
        self.restore_button.setObjectName("acceptRestore")
        self.restore_button.setToolTip(
            tr(
                "Kun hvis en koordinator bevidst har lagt en ældre kopi af boksen tilbage.",
                "Only if a coordinator deliberately put back an older copy of the vault.",
            )
        )
        self.restore_button.clicked.connect(self._ask_restore)
        self.restore_button.hide()
        other = QPushButton(tr("Skift boks …", "Other vault …"))
        other.setObjectName("otherVault")
        other.setFlat(True)
        other.clicked.connect(self.change_vault.emit)

        form = QFormLayout()
        form.addRow(tr("&Bruger", "&User"), self.login)
        form.addRow(tr("&Adgangsfrase", "&Passphrase"), self.passphrase)
        buttons = QHBoxLayout()
        buttons.addWidget(other)
        buttons.addStretch()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.button)

        body = QVBoxLayout()
        body.addWidget(heading(tr("Lås Infohus Desktop op", "Unlock Infohus Desktop")))
        where = QLabel(f"{door.infohus_name} · {door.location}")
        where.setObjectName("vaultLocation")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body.addWidget(where)
        body.addWidget(self.notice)
        body.addLayout(form)
        body.addWidget(self.busy)
        body.addWidget(self.status)
        body.addLayout(buttons)
        self.body = body
        outer = QVBoxLayout(self)
        outer.addStretch()
        self.card = card(body, 460)
        outer.addWidget(self.card, alignment=Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch()
        self.setTabOrder(self.login, self.passphrase)
        self.setTabOrder(self.passphrase, self.button)
        self.setTabOrder(self.button, other)
        peeked = door.peeked_logins()
        if peeked is not None:
            # Read by the peek on the worker already: listed at once, no second trip there.
            self._got_logins(peeked)
        else:
            self._set_busy(True, tr("Henter brugere …", "Loading users …"))
            self.runner.submit(door.logins, self._got_logins, self._failed, owner=self)
        if demo:
            from infohus_desktop.ui.pages.demo_logins import demo_member_rows

            self.runner.submit(demo_member_rows, self._show_demo, lambda _e: None, owner=self)

    def _show_demo(self, rows: list[tuple[str, str, str]]) -> None:
        from infohus_desktop.ui.pages.demo_logins import DemoLogins

        table = DemoLogins(rows)
        table.chosen.connect(self._fill)
        self.body.addWidget(table)
        table.show()  # added to a page already shown
        # The table needs the width of its longest role and passphrase.
        self.card.setMinimumWidth(560)
        self.card.setMaximumWidth(int(560 * 1.4))

    def _got_logins(self, logins: list[str]) -> None:
        self._set_busy(False)
        self.login.clear()
        self.login.addItems(logins)
        if self.last_login in logins:
            self.login.setCurrentIndex(logins.index(self.last_login))
        # Announced once they are painted: what the window starts then (the self-test, the
        # full open: imports on the worker) would hold up that paint. A page that is never
        # painted (a hidden window) announces them after a second.
        self._announce = True
        _AfterFirstPaint(self.login, self._listed)
        QTimer.singleShot(1000, self, self._listed)

    def _listed(self) -> None:
        if not self._announce:
            return
        self._announce = False
        self.passphrase.setFocus()  # here: in the constructor the page had no window yet
        self.logins_listed.emit()

    def _fill(self, login: str, passphrase: str) -> None:
        """A demo member chosen in the table: the form as if they had typed it."""
        if self.login.isEnabled():
            self.login.setCurrentText(login)
            self.passphrase.setText(passphrase)
            self.passphrase.setFocus()

    def submit(self) -> None:
        login = self.login.currentText().strip()
        secret = self.passphrase.text()
        if not login or not secret:
            self._say(
                tr(
                    "Vælg bruger og skriv adgangsfrasen.",
                    "Choose the user and type the passphrase.",
                )
            )
            return
        self.passphrase.clear()
        self._set_busy(
            True,
            tr("Udleder nøgle… det tager et øjeblik.", "Deriving the key… this takes a moment."),
        )
        door, accept = self.door, self.accept_restore
        self.accept_restore = False

        def unlock() -> MemberServices:
            return door.open().unlock(login, secret, accept_restore=accept)

        self.runner.submit(unlock, self._done, self._failed, owner=self)

    def _ask_restore(self) -> None:
        self.accept_restore = True
        self.restore_button.hide()
        self._say(
            tr(
                "Skriv din adgangsfrase igen for at godkende genskabelsen. Kun en koordinator "
                "kan godkende den, og det skrives i revisionsloggen.",
                "Type your passphrase again to accept the restore. Only a coordinator can "
                "accept it, and it is recorded in the audit log.",
            )
        )
        self.passphrase.setFocus()

    def _done(self, session: MemberServices) -> None:
        self.failures = 0
        self.restore_button.hide()
        self._set_busy(False)
        self.unlocked.emit(session)

    def _failed(self, exc: InfohusError) -> None:
        if isinstance(exc, CryptoUnavailable):
            self.refused.emit(exc)  # nothing was opened: the services are not even loaded
            return
        # Loaded already: the vault was opened through them (on the worker).
        from infohus_desktop.services.accounts.rollback import VaultRolledBack
        from infohus_desktop.services.accounts.vault import unlock_delay

        self._set_busy(False)
        if isinstance(exc, RootNotPinned):
            # Raised by the unlock, so the vault behind the door is open.
            self.trust_needed.emit(self.door.vault, exc.fingerprint)
            return
        text = exc.message(language())
        self.restore_button.setVisible(isinstance(exc, VaultRolledBack))
        if isinstance(exc, WrongPassphrase):
            self.failures += 1
            wait = unlock_delay(self.failures)
            if wait:
                text += " " + tr(
                    f"Næste forsøg venter {wait:.0f} sekunder.",
                    f"The next attempt waits {wait:.0f} seconds.",
                )
        self._say(text)
        self.passphrase.setFocus()

    def _say(self, text: str) -> None:
        """Show ``text`` under the form, whole: a word-wrapped label does not ask its layout
        for the height its lines need, so the card is told here."""
        self.status.setText(text)
        width = self.status.width() if self.status.isVisible() else 400
        needed = self.status.heightForWidth(max(width, 200)) + 8
        self.status.setMinimumHeight(max(self._status_floor, needed))

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy.setVisible(busy)
        self.button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.login.setEnabled(not busy)
        self._say(text)


class _AfterFirstPaint(QObject):
    """Calls ``then`` from the event loop once ``widget`` has been painted, then stops
    watching: a Python paint handler for the page's whole life would take the GIL at every
    frame of its busy bar, while the worker derives the key and lists the cases."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
        return False
