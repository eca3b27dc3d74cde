"""The common shape of a case dialog that saves through the worker.

Every such dialog behaves alike: the form, a red line for what is wrong, a busy bar while
the worker saves, and OK/Cancel at the bottom. Enter presses OK (Ctrl+Enter too, from a
multi-line field), Escape cancels; while a save runs the buttons are disabled and Escape does
nothing, so a result never arrives for a dialog the user thinks is gone. Expected errors from
the services are shown in the dialog itself, never as a second message box. Nothing typed is
written anywhere but to the service: on lock the shell rejects open dialogs and the input is
discarded.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import language, tr

T = TypeVar("T")


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
        cancel.setText(tr("Annullér", "Cancel"))
        cancel.setObjectName("cancelButton")
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

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

        self.ctx.run(fn, done, owner=self, on_error=failed)

    def finish_saved(self) -> None:
        """Close as accepted after a successful save."""
        super().accept()

    def accept(self) -> None:
        # Enter in a single-line field lands here: route it through validation and saving.
        if not self.saving:
            self.submit()

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
                    self.submit()
                return
        super().keyPressEvent(event)
