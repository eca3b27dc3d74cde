"""Background work for the window: the GUI thread never derives a key, queries the database,
decrypts or builds a PDF.

:class:`TaskRunner` runs a callable on a worker thread and hands its result (or its expected
error) back to the GUI thread. It uses ONE worker thread: every service call of the app goes
through the same unlocked :class:`MemberServices` (its key cache, its case-summary cache), and
running those calls one after another is what keeps that object safe without locks. The work
is short (a list, a save) except the KDF, and a second task waits behind it, never the window.

A result whose owner widget has gone (a dialog closed, the window locked) is dropped:
:meth:`TaskRunner.cancel_pending` is called on lock, so no decrypted value reaches a new screen.

A runner may be given a *gate*: the crypto self-test (``app.py``). It runs on the worker before
the first task that is not submitted ``ungated`` and, once passed, is never run again; once it
failed, every later gated task fails with the same error without running. So the window can be
shown before the self-test has run, while no key is derived, no vault opened and nothing
decrypted until it has passed: only the unlock screen's light read (which passes the gate
itself before it falls back to a full open) and closing a vault are submitted ungated.
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


class _Gate:
    """A check run once, on the first gated task; its failure is kept and raised again."""

    def __init__(self, check: Callable[[], None]) -> None:
        self._check = check
        self._lock = threading.Lock()
        self._passed = False
        self._failure: InfohusError | None = None

    def __call__(self) -> None:
        with self._lock:
            if self._passed:
                return
            if self._failure is not None:
                raise self._failure
            try:
                self._check()
            except InfohusError as exc:
                self._failure = exc
                raise
            self._passed = True


class _Relay(QObject):
    """Lives in the GUI thread; a signal emitted from the worker is queued to it."""

    finished = Signal(int, object, object)  # task id, result, error


class _Job(QRunnable):
    def __init__(
        self, task_id: int, fn: Callable[[], Any], relay: _Relay, gate: _Gate | None
    ) -> None:
        super().__init__()
        self.task_id, self.fn, self.relay, self.gate = task_id, fn, relay, gate
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            if self.gate is not None:
                self.gate()
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
        gate: Callable[[], None] | None = None,
        on_lock: ErrorHandler | None = None,
    ) -> None:
        """``gate``: see the module; it raises an :class:`InfohusError` to refuse.
        ``on_lock``: takes an error that locks the window (``locks_window``, e.g. the
        member's role changed meanwhile) in place of whoever asked: whatever screen's task
        met it first, the window locks once, with no message box per screen."""
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
        self.on_lock = on_lock
        self._gate = _Gate(gate) if gate is not None else None

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: ErrorHandler | None = None,
        owner: QObject | None = None,
        ungated: bool = False,
    ) -> int:
        """Run ``fn`` on the worker. ``on_done(result)`` or ``on_error(expected_error)`` runs
        on the GUI thread, unless ``owner`` was deleted meanwhile. A bug goes to ``on_bug``.
        ``ungated``: ``fn`` runs even before the gate has passed (see the module); it must
        derive no key, decrypt nothing and open no vault, or call :meth:`pass_gate` first."""
        self._next_id += 1
        task_id = self._next_id
        was_busy = self.busy
        self._pending[task_id] = (on_done, on_error, owner)
        if not was_busy:
            self.busy_changed.emit(True)
        self._pool.start(_Job(task_id, fn, self._relay, None if ungated else self._gate))
        return task_id

    def pass_gate(self) -> None:
        """Worker: run the gate now if it has not passed (an ungated task that turns out to
        need it); raises its error. Without a gate, nothing."""
        if self._gate is not None:
            self._gate()

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
            if error.locks_window and self.on_lock is not None:
                handler = self.on_lock
            if handler is not None:
                handler(error)
        else:
            log_bug(error, traceback.extract_tb(error.__traceback__))
            if self.on_bug is not None:
                self.on_bug(error)


def on_gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
