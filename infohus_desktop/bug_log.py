"""The bug log: where an unexpected exception is recorded, for the CLI and the desktop app.

Only the exception's type and the code locations are written, never its message, arguments or
local variables: those may hold a name, a CPR number or a sentence a user typed.
"""

from __future__ import annotations

import logging
import traceback

from infohus_desktop.local_state import home_dir
from infohus_desktop.private_files import ensure_private_file


def log_path() -> str:
    return str(home_dir() / "logs" / "infohus.log")


class _QuietFileHandler(logging.FileHandler):
    """A log line that cannot be written (a full disk) is dropped: logging's own report of
    it ("--- Logging error ---" and a traceback) would bury the user's one-line message."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        return


def log_bug(exc: BaseException, frames: traceback.StackSummary | None = None) -> None:
    """Write a bug to the log: type and code locations only, never messages or values."""
    if frames is None:
        frames = traceback.extract_tb(exc.__traceback__)
    path = home_dir() / "logs" / "infohus.log"
    try:
        ensure_private_file(path)  # logging would create it 0666 less the umask
        handler = _QuietFileHandler(path, encoding="utf-8")
    except OSError:
        return  # a full disk: the one line on the screen must still come, not a traceback
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("infohus.bugs")
    logger.addHandler(handler)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in frames)
    logger.error("bug %s at %s", type(exc).__name__, where)
    logger.removeHandler(handler)
    handler.close()
