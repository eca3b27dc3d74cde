"""Open screens learn what changed from one feed: the caller sees its result first, then
every subscribed screen of a touched area; reads tell nobody; a closed screen is forgotten."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtWidgets import QWidget

from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.organisations import Role
from infohus_desktop.ui.context import AppContext
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

MakeCtx = Callable[[Any], AppContext]


def test_a_saved_case_reaches_the_cases_screens_after_the_caller(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    ctx = make_ctx(mette)
    seen: list[str] = []
    cases_screen, meetings_screen = QWidget(), QWidget()
    qtbot.addWidget(cases_screen)
    qtbot.addWidget(meetings_screen)
    told: list[Changes] = []
    ctx.changes.subscribe(
        cases_screen, [Area.CASES], lambda c: (seen.append("screen"), told.append(c))
    )
    ctx.changes.subscribe(meetings_screen, [Area.MEETINGS], lambda _c: seen.append("meetings"))

    ctx.run(lambda s: s.cases.open_case(new_case("Ali Testesen")), lambda _r: seen.append("caller"))
    qtbot.waitUntil(lambda: "screen" in seen)
    assert seen == ["caller", "screen"]
    case_id = mette.cases.list()[0].id
    assert told[0].touches(Area.CASES, case_id)

    seen.clear()
    ctx.run(lambda s: s.cases.list(), lambda _r: seen.append("caller"))
    qtbot.waitUntil(lambda: "caller" in seen)
    ctx.runner.wait_for_done()
    qtbot.wait(20)
    assert seen == ["caller"]  # a read tells no screen


def test_a_closed_screen_is_no_longer_told(qtbot, make_ctx: MakeCtx, district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    ctx = make_ctx(mette)
    calls: list[Changes] = []
    screen = QWidget()
    ctx.changes.subscribe(screen, [Area.CASES], calls.append)
    screen.deleteLater()
    qtbot.waitUntil(lambda: not _alive(screen))
    done: list[object] = []
    ctx.run(lambda s: s.cases.open_case(new_case("Ali Testesen")), done.append)
    qtbot.waitUntil(lambda: bool(done))
    qtbot.wait(20)
    assert calls == []


def _alive(widget: QWidget) -> bool:
    return shiboken6.isValid(widget)
