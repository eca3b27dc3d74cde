"""SVG icons from the package's ``resources/icons``: vector, so they stay sharp at 150 % and
200 %."""

from __future__ import annotations

import functools

from PySide6.QtGui import QIcon

from infohus_desktop.resources import resource_path


@functools.cache
def icon(name: str) -> QIcon:
    path = resource_path("icons", f"{name}.svg")
    if not path.is_file():
        raise FileNotFoundError(f"icon {name} is missing from {path.parent}")
    return QIcon(str(path))
