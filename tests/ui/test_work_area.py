"""The unlocked window's body makes a work area when it is first shown: the start page and
the case list (whose list loads at unlock) at once, the others when the member goes there."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.views.meetings.workspace import MeetingWorkspace
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]


def test_an_area_is_made_when_first_shown_and_kept(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    area = WorkArea(make_ctx(district.coordinator))
    qtbot.addWidget(area)
    area.show()
    assert list(area.areas)[:3] == ["overview", "cases", "meetings"]
    assert area.areas.made("overview") is area.stack.currentWidget()
    assert area.areas.made("cases") is not None
    assert area.areas.made("meetings") is None and area.areas.made("trends") is None
    assert area.stack.count() == area.nav.count() == len(area.areas)

    area.nav.setCurrentRow(list(area.areas).index("meetings"))
    meetings = area.areas.made("meetings")
    assert isinstance(meetings, MeetingWorkspace)
    assert area.stack.currentWidget() is meetings and meetings.isVisible()
    assert area.current_area() == "meetings"
    assert area.stack.count() == area.nav.count()

    area.nav.setCurrentRow(0)
    area.nav.setCurrentRow(list(area.areas).index("meetings"))
    assert area.areas["meetings"] is meetings  # made once
    assert area.show_area("trends") is area.stack.currentWidget()
    assert area.current_area() == "trends"


def test_making_an_area_opens_no_window_of_its_own(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """A button made visible before it had its parent flashed up as a window of its own and
    took the keyboard focus from the main window: every area, made while the window is
    active, leaves it active and shows no other window."""
    area = WorkArea(make_ctx(district.coordinator))
    qtbot.addWidget(area)
    area.show()
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    shown: list[str] = []

    class Windows(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                event.type() == QEvent.Type.Show
                and isinstance(watched, QWidget)
                and watched.isWindow()
                and watched is not area
            ):
                shown.append(f"{type(watched).__name__} {watched.objectName()}")
            return False

    watcher = Windows()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watcher)
    try:
        for key in area.areas:
            assert area.show_area(key) is area.stack.currentWidget()
            qtbot.wait(20)
            assert area.isActiveWindow(), key
    finally:
        app.removeEventFilter(watcher)
    assert shown == []


def test_a_window_body_let_go_is_freed_at_once_not_by_the_collector(
    make_ctx: MakeCtx, district: District
) -> None:
    """On lock the window drops its body. In a reference cycle, the body would wait for a
    collection and keep its widgets (and what they show) until then. Freed by its last
    reference, it goes at once, on the GUI thread that drops it."""
    area = WorkArea(make_ctx(district.coordinator))
    area.show_area("meetings")
    gone = weakref.ref(area)
    gc.disable()
    try:
        del area
        assert gone() is None
    finally:
        gc.enable()


def test_the_start_page_reads_before_the_case_list_made_behind_it(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """At unlock the member sees the start page, and the case list is made behind it. The
    page shown is read first; its follow-ups read every summary, and the list, asked for
    next, finds them cached (at 100,000 cases the start page showed 0.7 s sooner). The
    list's categories and members come after the page too, and before the list."""
    ctx = make_ctx(district.coordinator)
    asked: list[str] = []
    run = ctx.run

    def noting(fn: Callable[..., object], on_done: Callable[..., object], *args: object) -> int:
        asked.append(getattr(on_done, "__name__", "?"))
        return run(fn, on_done, *args)  # type: ignore[arg-type]

    ctx.run = noting  # type: ignore[method-assign]
    area = WorkArea(ctx)
    qtbot.addWidget(area)
    area.show()
    cases = area.areas["cases"]
    qtbot.waitUntil(lambda: "_loaded" in asked and not ctx.runner.busy, timeout=20000)
    assert asked.index("show_overview") < asked.index("_categories_loaded"), asked
    assert asked.index("show_overview") < asked.index("_members_loaded"), asked
    assert asked.index("_categories_loaded") < asked.index("_loaded"), asked
    assert asked.index("_members_loaded") < asked.index("_loaded"), asked
    assert not cases._loading and cases.table.isEnabled()  # type: ignore[attr-defined]
