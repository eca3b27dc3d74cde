"""Background work for the window: the GUI thread never derives a key, queries the database,
decrypts or builds a PDF.

:class:`TaskRunner` runs a callable on a worker thread and hands its result (or its expected
error) back to the GUI thread. It uses ONE worker thread: every service call of the app goes
through the same unlocked :class:`MemberServices` (its key cache, its case-summary cache), and
running those calls one after another is what keeps that object safe without locks. The work
is short (a list, a save) except the KDF, and a second task waits behind it, never the window.

A result whose owner widget has gone (a dialog closed, the window locked) is dropped:
:meth:`TaskRunner.cancel_pending` is called on lock, so no decrypted value reaches a new screen.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from infohus_desktop.bug_log import log_bug
from infohus_desktop.domain.errors import InfohusError

T = TypeVar("T")
ErrorHandler = Callable[[InfohusError], None]
BugHandler = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives in the GUI thread; a signal emitted from the worker is queued to it."""

    finished = Signal(int, object, object)  # task id, result, error


class _Job(QRunnable):
    def __init__(self, task_id: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.task_id, self.fn, self.relay = task_id, fn, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread; nothing is lost
            self.relay.finished.emit(self.task_id, None, exc)
        else:
            self.relay.finished.emit(self.task_id, result, None)


class TaskRunner(QObject):
    """Run service calls off the GUI thread; deliver results on it."""

    busy_changed = Signal(bool)

    def __init__(
        self,
        on_error: ErrorHandler | None = None,
        on_bug: BugHandler | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._next_id = 0
        self._pending: dict[
            int, tuple[Callable[[Any], None], ErrorHandler | None, QObject | None]
        ] = {}
        self.on_error = on_error
        self.on_bug = on_bug

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        owner: QObject | None = None,
    ) -> int:
        """Run ``fn`` on the worker. ``on_done(result)`` or ``on_error(expected_error)`` runs
        on the GUI thread, unless ``owner`` was deleted meanwhile. A bug goes to ``on_bug``."""
        self._next_id += 1
        task_id = self._next_id
        was_busy = self.busy
        self._pending[task_id] = (on_done, on_error, owner)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Job(task_id, fn, self._relay))
        return task_id

    def cancel_pending(self) -> None:
        """Forget every callback not yet delivered (on lock): running work finishes, its
        result is dropped."""
        had = self.busy
        self._pending.clear()
        if had:
            self.busy_changed.emit(False)

    def wait_for_done(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (for shutdown and tests, never in normal use)."""
        return self._pool.waitForDone(msecs)

    def _deliver(self, task_id: int, result: object, error: BaseException | None) -> None:
        entry = self._pending.pop(task_id, None)
        if not self._pending and entry is not None:
            self.busy_changed.emit(False)
        if entry is None:
            return
        on_done, on_error, owner = entry
        if owner is not None and not shiboken6.isValid(owner):
            return
        if error is None:
            on_done(result)
        elif isinstance(error, InfohusError):
            handler = on_error or self.on_error
            if handler is not None:
                handler(error)
        else:
            log_bug(error, traceback.extract_tb(error.__traceback__))
            if self.on_bug is not None:
                self.on_bug(error)


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
