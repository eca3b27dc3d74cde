"""The one way an open screen learns that data changed: :class:`ChangeFeed`.

After every service call the worker takes the session's :class:`Changes` (areas and ids of
what the call committed, never content) and the feed hands it to every screen that
subscribed to one of its areas, on the GUI thread. A screen then decides for itself whether to
reload. On a district server the live-update listener publishes here too, from its own
thread, what other workstations committed (``AppContext.start_live_updates``); such a value
carries its ``origin``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QObject, Signal

from infohus_desktop.domain.changes import Area, Changes


class ChangeFeed(QObject):
    """Lives on the GUI thread; :meth:`publish_from_worker` may be called from the worker."""

    changed = Signal(object)  # Changes
    _queued = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A bound method of this GUI-thread object: an emit from the worker is queued to it.
        self._queued.connect(self.publish)

    def publish(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)

    def publish_from_worker(self, changes: Changes) -> None:
        if changes:
            self._queued.emit(changes)

    def subscribe(
        self, owner: QObject, areas: Iterable[Area], slot: Callable[[Changes], None]
    ) -> None:
        """Call ``slot(changes)`` while ``owner`` lives, whenever a change touches one of
        ``areas``."""
        wanted = frozenset(areas)

        def deliver(changes: Changes) -> None:
            if shiboken6.isValid(owner) and any(changes.touches(area) for area in wanted):
                slot(changes)

        self.changed.connect(deliver)

        def forget() -> None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.changed.disconnect(deliver)

        owner.destroyed.connect(forget)
