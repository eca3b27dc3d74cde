"""What the Administration tabs share: a named button, and a dialog that reloads the tab
when it saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QPushButton

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon


def action_button(name: str, icon_name: str, text: tuple[str, str]) -> QPushButton:
    button = QPushButton(icon(icon_name), tr(*text))
    button.setObjectName(name)
    return button


def open_then(dialog: QDialog, reload: Callable[[], None]) -> None:
    """Open ``dialog``; ``reload`` runs after it saved."""
    dialog.accepted.connect(reload)
    dialog.open()
