"""What the Administration tabs share: a dialog that reloads the tab when it saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog


def open_then(dialog: QDialog, reload: Callable[[], None]) -> None:
    """Open ``dialog``; ``reload`` runs after it saved."""
    dialog.accepted.connect(reload)
    dialog.open()
