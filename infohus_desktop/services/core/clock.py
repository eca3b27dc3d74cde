"""The moment a case part is stamped with: now, unless a demo plays a case's history.

The demo builds a year of cases in a minute; stamped with the build's own time, every status
change and journal entry of a case received in July would read "05.12.2026 12.14". The demo
sets :func:`played_at` around each case's life, so each step carries the day the story tells.
Nothing else sets it: the app and the command line always stamp the real time. The audit log
never uses this clock (its times are the real ones, in the order they were written).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

_PLAYED: ContextVar[Callable[[], datetime] | None] = ContextVar("infohus_played_at", default=None)


def now() -> datetime:
    """The moment to stamp a case part with (aware, UTC)."""
    played = _PLAYED.get()
    return played() if played is not None else datetime.now(UTC)


@contextlib.contextmanager
def played_at(moment: Callable[[], datetime]) -> Iterator[None]:
    """Stamp what happens inside with ``moment()`` instead of now (the demo only)."""
    token = _PLAYED.set(moment)
    try:
        yield
    finally:
        _PLAYED.reset(token)
