"""Helpers for the meeting UI tests: open the area or a meeting, find a dialog, wait for the
worker."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.views.meetings.meeting_view import MeetingView
from infohus_desktop.ui.views.meetings.workspace import MeetingWorkspace

MakeCtx = Callable[[MemberServices], AppContext]


def settle(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    """Wait until the worker has delivered everything asked of it so far."""
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=15000)
    qtbot.wait(10)


def open_workspace(qtbot, ctx: AppContext) -> MeetingWorkspace:  # type: ignore[no-untyped-def]
    workspace = MeetingWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1024 - 180, 700)
    workspace.show()
    settle(qtbot, ctx)
    return workspace


def open_meeting(qtbot, ctx: AppContext, meeting_id: uuid.UUID) -> MeetingView:  # type: ignore[no-untyped-def]
    view = MeetingView(ctx, meeting_id)
    qtbot.addWidget(view)
    view.resize(1024 - 180, 700)
    view.show()
    qtbot.waitUntil(lambda: view.meeting is not None, timeout=15000)
    settle(qtbot, ctx)
    return view


def visible_dialog(qtbot, root: QWidget, kind: type) -> object:  # type: ignore[no-untyped-def]
    found: list[object] = []

    def visible() -> bool:
        found[:] = [d for d in root.findChildren(kind) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible, timeout=10000)
    return found[0]
