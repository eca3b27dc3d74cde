"""What every screen of the unlocked app is given: the member's session, the background
runner, the clipboard guard and a way to report errors. Screens never reach for globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from infohus_desktop.domain.changes import Changes
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.changes import ChangeFeed
from infohus_desktop.ui.connection import ConnectionWatch
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.lock import ClipboardGuard
from infohus_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from infohus_desktop.services.core.live_updates import ChangeListener

T = TypeVar("T")


@dataclass
class AppContext:
    session: MemberServices
    runner: TaskRunner
    clipboard: ClipboardGuard
    #: The window that owns dialogs and messages.
    window: QWidget
    #: What every call changed, for the open screens to refresh from.
    changes: ChangeFeed = field(default_factory=ChangeFeed)
    #: Other workstations' changes on a district server, published to :attr:`changes`
    #: (None on SQLite, and until :meth:`start_live_updates`).
    live: ChangeListener | None = None
    #: The connection to a shared server (lost/back), for dialogs waiting to save again;
    #: None where no window watches it (tests of a single screen).
    connection: ConnectionWatch | None = None

    def __post_init__(self) -> None:
        # What the session did before the screens existed (unlock, earlier calls) is already
        # in what they will load; only what comes after is news.
        self.session.take_changes()

    def start_live_updates(self) -> None:
        """Listen for other workstations' changes (a thread of its own: neither this thread
        nor the worker waits for them)."""
        if self.live is None:
            self.live = self.session.live_updates.listen(self.changes.publish_from_worker)

    def stop_live_updates(self, wait: float = 0.0) -> None:
        """Stop listening; the thread ends within a fraction of a second. ``wait`` > 0
        waits that long for it (at exit), never longer."""
        live, self.live = self.live, None
        if live is not None:
            live.stop()
            if wait > 0:
                live.join(wait)

    def run(
        self,
        fn: Callable[[MemberServices], T],
        on_done: Callable[[T], object],
        owner: QObject | None = None,
        on_error: Callable[[InfohusError], None] | None = None,
    ) -> int:
        """Call ``fn(session)`` on the worker thread; ``on_done`` gets the result on the GUI
        thread. Expected errors are shown as a message unless ``on_error`` handles them.

        What the call changed goes to :attr:`changes` right after ``on_done``, so the screen
        that asked sees its own result first and every other screen then refreshes."""
        session, feed = self.session, self.changes

        def work() -> tuple[T, Changes]:
            try:
                result = fn(session)
            except BaseException:
                feed.publish_from_worker(session.take_changes())  # committed before the error
                raise
            return result, session.take_changes()

        def done(told: tuple[T, Changes]) -> None:
            result, changes = told
            try:
                on_done(result)
            finally:
                feed.publish(changes)

        return self.runner.submit(
            work,
            done,
            on_error or (lambda exc: show_error(self.window, exc)),
            owner,
        )
