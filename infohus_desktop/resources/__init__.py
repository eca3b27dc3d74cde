"""The files the program reads at run time: the Danish word list, the common-password list,
the icons and the PDF fonts.

They live inside the package and are read through :mod:`importlib.resources`, never through a
path computed from ``__file__`` up into the source tree: that is how an installed wheel came
to start without its icons and refuse every passphrase (issue 16). The same names then work in
the source tree, an editable install, a wheel in ``site-packages`` and a frozen build.
"""

from __future__ import annotations

import atexit
from contextlib import ExitStack
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

#: Files copied out of a package that is not a directory (a zip import) stay until exit:
#: Qt and reportlab open them by path whenever they need them, not just once.
_extracted = ExitStack()
atexit.register(_extracted.close)


def resource(*parts: str) -> Traversable:
    """The shipped file ``parts`` (e.g. ``"icons", "app.svg"``); it may not exist."""
    return files(__name__).joinpath(*parts)


def read_text(*parts: str) -> str:
    """The text of a shipped UTF-8 file; :class:`OSError` when it is missing."""
    return resource(*parts).read_text(encoding="utf-8")


def resource_path(*parts: str) -> Path:
    """A file-system path to a shipped file, for the libraries that open files by name (Qt's
    SVG icon engine, reportlab's TrueType reader). In every install we make the package is a
    directory, so this is the file itself; otherwise it is a copy that lives until exit."""
    ref = resource(*parts)
    if isinstance(ref, Path):
        return ref
    return _extracted.enter_context(as_file(ref))
