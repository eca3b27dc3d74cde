"""The unlocked window's body makes a work area when it is first shown: the start page and
the case list (whose list loads at unlock) at once, the others when the member goes there."""

from __future__ import annotations

from collections.abc import Callable

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
