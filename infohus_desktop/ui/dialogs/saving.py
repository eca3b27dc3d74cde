"""The common shape of a case dialog that saves through the worker.

Every such dialog behaves alike: the form, a red line for what is wrong, a busy bar while
the worker saves, and OK/Cancel at the bottom. Enter presses OK (Ctrl+Enter too, from a
multi-line field), Escape cancels; while a save runs the buttons are disabled and Escape does
nothing, so a result never arrives for a dialog the user thinks is gone. Expected errors from
the services are shown in the dialog itself, never as a second message box. Nothing typed is
written anywhere but to the service: on lock the shell rejects open dialogs and the input is
discarded.

When the connection to a shared server is lost during a save (vault/server_link.py) the
dialog stays open with everything typed, and says what became of the save:

* *nothing saved*: when the connection is back the same save runs again by itself, unless
  the member has typed or clicked in the dialog since (then the form is theirs, and they press
  Save). A save that failed before it committed can never land later, so this cannot save twice;
* *unknown whether saved* (the answer to COMMIT was lost and the server could not be asked):
  the next save, by hand or when the connection is back, first asks whether the first one
  landed. If it did, the dialog says so and only closes; if not, it saves.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import ConnectionLost, InfohusError
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import language, tr

T = TypeVar("T")
Retry = tuple[Callable[[MemberServices], object], Callable[[object], None], object]
#: Input that makes the form the member's again (no automatic save once they touch it).
_TOUCHING = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.InputMethod,
        QEvent.Type.Drop,
        QEvent.Type.Wheel,
    }
)


def text_area(name: str, accessible: str, height: int = 80) -> QPlainTextEdit:
    """A multi-line field where Tab moves on (as in every other field) instead of typing a
    tab character."""
    area = QPlainTextEdit()
    area.setObjectName(name)
    area.setAccessibleName(accessible)
    area.setTabChangesFocus(True)
    area.setMinimumHeight(height)
    return area


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Tab goes through ``widgets`` in this order (the order a person fills the form)."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialogError")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setAccessibleName(tr("Fejl", "Error"))
    label.hide()
    return label


class SavingDialog(QDialog):
    """Base of the case dialogs. Subclasses build their form into :attr:`body`, call
    :meth:`finish` once, and implement :meth:`submit` (validate, then :meth:`save`)."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        object_name: str,
        ok_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else ctx.window)
        self.ctx = ctx
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.saving = False
        self.body = QVBoxLayout()
        self.error = error_label()
        self.busy = QProgressBar()
        self.busy.setObjectName("dialogBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(10)
        self.busy.setAccessibleName(tr("Gemmer", "Saving"))
        self.busy.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.ok_button.setAutoDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Annuller", "Cancel"))
        cancel.setObjectName("cancelButton")
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        #: The save that met a lost connection, to run again when it is back.
        self._retry: Retry | None = None
        #: The marker of a save whose COMMIT went unanswered (ask before saving again).
        self._unsure: object | None = None
        self._touched = False
        self._saved_before = False
        self._watching_input = False
        if ctx.connection is not None:
            ctx.connection.changed.connect(self._connection_changed)

    def finish(self) -> None:
        """Put the form, the error line, the busy bar and the buttons together."""
        outer = QVBoxLayout(self)
        outer.addLayout(self.body, 1)
        outer.addWidget(self.error)
        outer.addWidget(self.busy)
        outer.addWidget(self.buttons)
        # Enter saves, whichever field has focus; other buttons in the form are not default.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(button is self.ok_button)
        self.ok_button.setDefault(True)

    # -- to implement ------------------------------------------------------------------------

    def submit(self) -> None:
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------------

    def show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        if text:
            self.grow_to_fit()

    def grow_to_fit(self, shrink: bool = False) -> None:
        """Make the dialog as tall as its content now needs, after rows, hints or an error
        line appeared in a dialog already shown: a window does not grow for a word-wrapped
        label on its own, and the rows above were squeezed until their letters were cut
        (the user trial read "Østivlland" in the import dialog). ``shrink`` also takes away
        the room of rows now hidden (a dialog switched to a shorter form)."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return  # before it is shown, Qt sizes it from its content anyway
        layout.activate()
        needed = self.sizeHint().height()
        if layout.hasHeightForWidth():
            needed = max(needed, layout.totalHeightForWidth(self.width()))
        screen = self.screen()
        if screen is not None:  # never taller than the screen: the buttons stay reachable
            needed = min(needed, screen.availableGeometry().height())
        if needed > self.height() or (shrink and needed < self.height()):
            self.resize(self.width(), needed)

    def set_busy(self, busy: bool) -> None:
        self.saving = busy
        self.busy.setVisible(busy)
        self.buttons.setEnabled(not busy)

    def save(
        self,
        fn: Callable[[MemberServices], T],
        on_done: Callable[[T], None],
        on_error: Callable[[InfohusError], None] | None = None,
    ) -> None:
        """Run ``fn`` on the worker with the dialog busy; an expected error is shown in the
        dialog (or handed to ``on_error``) and the form stays as the user left it."""
        if self._unsure is not None:
            self._ask_first(fn, on_done, on_error)
            return
        self._stop_waiting()
        self.show_problem("")
        self.set_busy(True)

        def done(result: T) -> None:
            self.set_busy(False)
            on_done(result)

        def failed(exc: InfohusError) -> None:
            self.set_busy(False)
            if on_error is not None:
                on_error(exc)
            else:
                self.show_problem(exc.message(language()))
            if isinstance(exc, ConnectionLost):
                self._wait_for_connection(exc, (fn, on_done, on_error))  # type: ignore[arg-type]

        self.ctx.run(fn, done, owner=self, on_error=failed)

    # -- a lost connection ---------------------------------------------------------------------

    def _wait_for_connection(self, exc: ConnectionLost, retry: Retry) -> None:
        self._retry = retry
        self._unsure = exc.marker if exc.saved is None else None
        self._touched = False
        if not self._watching_input:
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
                self._watching_input = True
        watch = self.ctx.connection
        if watch is None:
            return
        if watch.up:  # back already (a short break): the member saves again
            more = tr("Forbindelsen er tilbage; gem igen.", "The connection is back; save again.")
        elif exc.saved is False:
            more = tr(
                "Det gemmes af sig selv, når forbindelsen er tilbage, hvis du ikke ændrer mere.",
                "It is saved by itself when the connection is back, unless you change more.",
            )
        else:
            more = tr(
                "Når forbindelsen er tilbage, undersøges det først, før noget gemmes igen.",
                "When the connection is back, that is checked first, before anything is "
                "saved again.",
            )
        self.show_problem(f"{self.error.text()} {more}")

    def _stop_waiting(self) -> None:
        self._retry = None
        if self._watching_input:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._watching_input = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            event.type() in _TOUCHING
            and isinstance(watched, QWidget)
            and (watched is self or self.isAncestorOf(watched))
        ):
            self._touched = True
        return False

    def _connection_changed(self, up: bool) -> None:
        if not up or self._retry is None or self.saving:
            return
        if self._touched:
            self.show_problem(
                tr(
                    "Forbindelsen til serveren er tilbage. Gem igen, når du er klar.",
                    "The connection to the server is back. Save again when you are ready.",
                )
            )
            return
        fn, on_done, on_error = self._retry
        self.save(fn, on_done, on_error)  # type: ignore[arg-type]

    def _ask_first(
        self,
        fn: Callable[[MemberServices], T],
        on_done: Callable[[T], None],
        on_error: Callable[[InfohusError], None] | None,
    ) -> None:
        """Before saving again after an unanswered COMMIT: did the first save land?"""
        marker = self._unsure
        self.show_problem("")
        self.set_busy(True)

        def answered(landed: bool | None) -> None:
            self.set_busy(False)
            if landed is None:
                self.show_problem(
                    tr(
                        "Serveren kan stadig ikke svare på, om det første forsøg blev gemt. "
                        "Prøv igen om lidt.",
                        "The server still cannot tell whether the first attempt was saved. "
                        "Try again shortly.",
                    )
                )
                return
            self._unsure = None
            if landed:
                self._already_saved()
            else:
                self.save(fn, on_done, on_error)

        def failed(exc: InfohusError) -> None:
            self.set_busy(False)
            self.show_problem(exc.message(language()))

        self.ctx.run(lambda s: s.commit_landed(marker), answered, self, failed)  # type: ignore[arg-type]

    def _already_saved(self) -> None:
        """The first attempt landed: say so, and let OK only close (never save twice)."""
        self._stop_waiting()
        self._saved_before = True
        message = tr(
            "Det blev gemt, før forbindelsen blev afbrudt, og gemmes ikke igen. Luk vinduet.",
            "It was saved before the connection was lost and is not saved again. Close the window.",
        )
        if self._touched:  # what was typed since went nowhere: never let that pass unsaid
            message += " " + tr(
                "Det, du har ændret i vinduet siden, er ikke gemt: gør det igen bagefter.",
                "What you changed in the window since was not saved: do it again afterwards.",
            )
        self.show_problem(message)
        self.ok_button.setText(tr("&Luk", "&Close"))

    def _ok(self) -> None:
        if self._saved_before:
            super().accept()
        else:
            self.submit()

    def done(self, result: int) -> None:
        self._stop_waiting()
        super().done(result)

    def finish_saved(self) -> None:
        """Close as accepted after a successful save."""
        super().accept()

    def accept(self) -> None:
        # Enter in a single-line field lands here: route it through validation and saving.
        if not self.saving:
            self._ok()

    def reject(self) -> None:
        # While a save runs, Escape waits for it. On lock the shell first drops pending
        # results (the runner is no longer busy), then rejects: that must close the dialog.
        if self.saving and self.ctx.runner.busy:
            return
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.saving:
                return
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                # Ctrl+Enter saves from a multi-line field, where Enter starts a new line.
                if self.ok_button.isEnabled():
                    self._ok()
                return
        super().keyPressEvent(event)
