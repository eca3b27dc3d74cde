"""Render the app icon (``resources/icons/app.svg``) to a 512 px PNG for the frozen build:
PyInstaller turns it into the Windows ``.ico`` and the macOS ``.icns`` (with Pillow).

Run by ``infohus.spec`` with the building interpreter: ``python render_icon.py OUT.png``.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from infohus_desktop.resources import resource_path


def main(out: str, size: int = 512) -> None:
    app = QGuiApplication([])  # noqa: F841 - QPainter on an image needs the GUI module set up
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(resource_path("icons", "app.svg"))).render(painter)
    painter.end()
    if not image.save(out):
        raise SystemExit(f"could not write {out}")


if __name__ == "__main__":
    main(sys.argv[1])
