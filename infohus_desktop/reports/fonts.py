"""The embedded font. PDF's built-in Helvetica has no reliable æøå in every viewer and no ☐/☒;
DejaVu Sans (shipped in the package's ``resources/fonts``) has both and is embedded (subset) in
every PDF."""

from __future__ import annotations

import functools

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from infohus_desktop.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"


@functools.cache
def register_fonts() -> None:
    """Register the family once per process; ``<b>`` and ``<i>`` in markup map onto it."""
    for name in (REGULAR, BOLD, ITALIC):
        path = resource_path("fonts", f"{name}.ttf")
        if not path.is_file():
            raise FileNotFoundError(f"font {name} is missing from {path.parent}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
