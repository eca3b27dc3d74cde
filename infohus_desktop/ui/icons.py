"""SVG icons from ``resources/icons``: vector, so they stay sharp at 150 % and 200 %."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"


@functools.cache
def icon(name: str) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"icon {name} is missing from {ICON_DIR}")
    return QIcon(str(path))
