"""The main window's toolbar and status bar, rebuilt when the language changes.

Kept apart from the shell, which is about pages and the vault's life cycle: this is only the
furniture around them (the actions with their shortcuts, the busy indicator, who is signed in
and where).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QToolBar

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon


@dataclass(frozen=True)
class Chrome:
    lock_action: QAction
    settings_action: QAction
    passphrase_action: QAction
    about_action: QAction
    busy: QProgressBar
    who: QLabel
    where: QLabel


def build_chrome(
    window: QMainWindow,
    lock: Callable[[], None],
    settings: Callable[[], None],
    passphrase: Callable[[], None],
    about: Callable[[], None],
) -> Chrome:
    """Replace the window's toolbar and status-bar widgets with new ones in the current
    language, wired to the given slots."""
    for old in window.findChildren(QToolBar):
        window.removeToolBar(old)
        old.deleteLater()
    bar = QToolBar(tr("Værktøjer", "Tools"))
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setIconSize(QSize(20, 20))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    lock_action = QAction(icon("lock"), tr("&Lås", "&Lock"), window)
    lock_action.setObjectName("lockAction")
    lock_action.setShortcut(QKeySequence("Ctrl+L"))
    lock_action.setToolTip(tr("Lås (Ctrl+L)", "Lock (Ctrl+L)"))
    lock_action.triggered.connect(lock)
    settings_action = QAction(icon("settings"), tr("&Indstillinger", "&Settings"), window)
    settings_action.setObjectName("settingsAction")
    settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
    settings_action.triggered.connect(settings)
    passphrase_action = QAction(tr("Skift &adgangsfrase …", "Change &passphrase …"), window)
    passphrase_action.triggered.connect(passphrase)
    about_action = QAction(tr("&Om Infohus Desktop", "&About Infohus Desktop"), window)
    about_action.setObjectName("aboutAction")
    about_action.setMenuRole(QAction.MenuRole.AboutRole)
    about_action.triggered.connect(about)
    for action in (lock_action, settings_action, passphrase_action, about_action):
        bar.addAction(action)
        window.addAction(action)
    window.addToolBar(bar)
    status = window.statusBar()
    for child in status.findChildren(QLabel) + status.findChildren(QProgressBar):
        status.removeWidget(child)
        child.deleteLater()
    busy = QProgressBar()
    busy.setRange(0, 0)
    busy.setMaximumWidth(120)
    busy.setMaximumHeight(12)
    busy.setTextVisible(False)
    busy.setAccessibleName(tr("Arbejder", "Working"))
    busy.hide()
    who = QLabel()
    who.setObjectName("statusMember")
    where = QLabel()
    where.setObjectName("statusVault")
    status.addWidget(who)
    status.addPermanentWidget(busy)
    status.addPermanentWidget(where)
    return Chrome(lock_action, settings_action, passphrase_action, about_action, busy, who, where)
