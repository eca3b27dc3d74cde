"""How the window reports trouble (ARCHITECTURE.md, "Errors").

An *expected* error (wrong passphrase, conflict, tampered data, locked database, full disk,
invalid input) is shown as its own calm message; nothing is lost and the app goes on. A *bug*
is logged (type and code locations only) and shown in a crash dialog; the app goes on too.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from infohus_desktop.bug_log import log_bug, log_path
from infohus_desktop.domain.errors import (
    Conflict,
    ConnectionLost,
    InfohusError,
    TamperedData,
    VaultUnavailable,
)
from infohus_desktop.ui.i18n import language, tr


def error_title(exc: InfohusError) -> str:
    if isinstance(exc, Conflict):
        return tr("Ændret af en anden", "Changed by someone else")
    if isinstance(exc, TamperedData):
        return tr("Data kan ikke læses", "Data cannot be read")
    if isinstance(exc, VaultUnavailable):
        return tr("Boksen kan ikke bruges lige nu", "The vault cannot be used right now")
    return tr("Kan ikke udføres", "Cannot be done")


def show_error(parent: QWidget | None, exc: InfohusError) -> None:
    window = parent.window() if parent is not None else None
    if isinstance(exc, ConnectionLost) and exc.saved is False and isinstance(window, QMainWindow):
        banner = window.findChild(QWidget, "connectionBanner")
        if banner is not None and banner.isVisible():
            # The window's bar already says the connection is lost, and nothing was saved:
            # a box for every list that could not load meanwhile would only be in the way.
            window.statusBar().showMessage(exc.message(language()), 15000)
            return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(error_title(exc))
    box.setText(exc.message(language()))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def show_bug(parent: QWidget | None, exc: BaseException) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setObjectName("crashDialog")
    box.setWindowTitle(tr("Uventet fejl", "Unexpected error"))
    box.setText(
        tr(
            "Der skete en uventet fejl. Infohus Desktop kører videre, men det, du var i gang "
            "med, er muligvis ikke gemt.",
            "An unexpected error happened. Infohus Desktop keeps running, but what you were "
            "doing may not have been saved.",
        )
    )
    box.setInformativeText(
        tr(
            f"Fejltype: {type(exc).__name__}. Detaljer uden persondata er skrevet i {log_path()}.",
            f"Error type: {type(exc).__name__}. Details without personal data were written "
            f"to {log_path()}.",
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def install_excepthook(parent_of_dialogs: QWidget | None) -> None:
    """An exception escaping a slot on the GUI thread is a bug: log it, show it, go on."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        if isinstance(exc, InfohusError):
            show_error(parent_of_dialogs, exc)
            return
        log_bug(exc, traceback.extract_tb(tb))
        show_bug(parent_of_dialogs, exc)

    sys.excepthook = hook
