"""What every screen of the unlocked app is given: the member's session, the background
runner, the clipboard guard and a way to report errors. Screens never reach for globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.lock import ClipboardGuard
from infohus_desktop.ui.tasks import TaskRunner

T = TypeVar("T")


@dataclass
class AppContext:
    session: MemberServices
    runner: TaskRunner
    clipboard: ClipboardGuard
    #: The window that owns dialogs and messages.
    window: QWidget
    #: Called with the case numbers of cases that changed, so open lists refresh.
    case_changed_listeners: list[Callable[[str], None]] = field(default_factory=list)

    def run(
        self,
        fn: Callable[[MemberServices], T],
        on_done: Callable[[T], None],
        owner: QObject | None = None,
        on_error: Callable[[InfohusError], None] | None = None,
    ) -> int:
        """Call ``fn(session)`` on the worker thread; ``on_done`` gets the result on the GUI
        thread. Expected errors are shown as a message unless ``on_error`` handles them."""
        session = self.session
        return self.runner.submit(
            lambda: fn(session),
            on_done,
            on_error or (lambda exc: show_error(self.window, exc)),
            owner,
        )

    def case_changed(self, number: str) -> None:
        for listener in list(self.case_changed_listeners):
            listener(number)
