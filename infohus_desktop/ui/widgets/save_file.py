"""Asking where to save a CSV: the platform's save dialog, and the ``.csv`` suffix added when
the user typed a name without it (a file Danish Excel opens by its suffix)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from infohus_desktop.ui.i18n import tr


def ask_csv_path(parent: QWidget, default_name: str) -> Path | None:
    """The chosen path, or None when the user cancelled."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, tr("Gem CSV", "Save CSV"), default_name, "CSV (*.csv)"
    )
    if not path:
        return None
    target = Path(path)
    return target if target.suffix.lower() == ".csv" else target.with_name(target.name + ".csv")
