"""*Overblik*, the first view after unlock: my follow-ups (overdue marked), my open tasks,
meetings in the next 14 days, referrals waiting for an answer and, for a coordinator, the
cases due for deletion; no person's name; a line opens its object in its own area."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.meetings import MeetingKind, NewMeeting
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.settings import UiSettings, save_settings
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.views.cases.case_view import CaseView
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ADULT_CPR, COMPLETE

MakeCtx = Callable[[MemberServices], AppContext]
NAME = "Overblik Overbliksen"


def _start_page(qtbot: QtBot, make_ctx: MakeCtx, member: MemberServices) -> tuple[WorkArea, Any]:
    """``member``'s window body and its start page, once the page has been read."""
    area = WorkArea(make_ctx(member))
    qtbot.addWidget(area)
    area.resize(1300, 820)
    area.show()
    view = area.areas["overview"]
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)
    return area, view


def _lines(view: object, section: str) -> list[str]:
    widget = getattr(view, section).list
    return [widget.item(r).text() for r in range(widget.count())]


def test_the_start_page_lists_what_needs_attention_and_opens_it(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    case = lars.cases.open_case(new_case(NAME, ADULT_CPR))
    shown = lars.cases.show(case.number)
    yesterday = date.today() - timedelta(days=1)
    lars.cases.edit(
        case.number,
        shown.summary.version,
        CaseEdit(follow_up=yesterday, lead_member_id=lars.member.id),
    )
    soon = datetime.now(UTC) + timedelta(days=3)
    lars.meetings.plan(
        NewMeeting(
            kind=MeetingKind.CASE,
            title="Infohusmøde om tre dage",
            starts_at=soon,
            place="Rådhuset",
            local_infohus="Aarhus Kommune",
            chair_id=lars.member.id,
            minute_taker_id=lars.member.id,
        )
    )
    referral = lars.referrals.create(case.number, "pet_exit", COMPLETE)
    lars.referrals.change_status(referral.id, ReferralStatus.SENT, how=SendMethod.SECURE_MAIL)

    area = WorkArea(make_ctx(lars))
    qtbot.addWidget(area)
    area.resize(1300, 820)
    area.show()
    view = area.areas["overview"]
    assert area.stack.currentWidget() is view  # the first view after unlock
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)
    [follow_up] = _lines(view, "follow_ups")
    assert follow_up.startswith(case.number) and "(overskredet)" in follow_up
    assert any("Infohusmøde om tre dage" in line for line in _lines(view, "meetings"))
    [waiting] = _lines(view, "referrals")
    assert waiting.startswith(case.number)
    page = "\n".join(
        line for s in ("follow_ups", "tasks", "meetings", "referrals", "others")
        for line in _lines(view, s)
    )  # fmt: skip
    assert NAME not in page and "Overblik" not in page.split(case.number)[0]
    qtbot.wait(50)  # the sections settle to their lines
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        area.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "overview-da.png"))

    # Work done in another screen shows at once; names only when the member chose them.
    save_settings(LocalState(), UiSettings(overview_names=True))
    second = lars.cases.open_case(new_case("Anden Opfølgning", ADULT_CPR), accept_duplicate=True)
    seen = lars.cases.show(second.number).summary.version
    tomorrow = date.today() + timedelta(days=1)
    view.ctx.run(
        lambda s: s.cases.edit(
            second.number, seen, CaseEdit(follow_up=tomorrow, lead_member_id=s.member.id)
        ),
        lambda _r: None,
    )
    qtbot.waitUntil(lambda: len(_lines(view, "follow_ups")) == 2, timeout=20000)
    assert any(line.endswith("· Anden Opfølgning") for line in _lines(view, "follow_ups"))

    item = view.follow_ups.list.item(0)
    view.follow_ups.list.itemActivated.emit(item)
    cases = area.areas["cases"]
    assert area.stack.currentWidget() is cases
    qtbot.waitUntil(lambda: isinstance(cases.case_view, CaseView), timeout=10000)
    qtbot.waitUntil(lambda: cases.case_view.data is not None, timeout=10000)
    assert cases.case_view.data.case.summary.number == case.number


def test_a_guest_sees_no_deletions_and_no_meetings(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    guest = district.enrol("karl", "Karl Gæst", "Kriminalforsorgen", Role.GUEST)
    area = WorkArea(make_ctx(guest))
    qtbot.addWidget(area)
    area.show()
    view = area.areas["overview"]
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)
    assert view.overview.due_now is None and not view.others.isVisible()
    assert view.overview.meetings is None and not view.meetings.isVisible()


def test_a_coordinator_sees_who_waits_for_a_groups_key(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """Mette is added to a group whose key lars does not hold: she waits until a member of
    the group unlocks, and the coordinator's start page says so."""
    lars = district.coordinator
    district.enrol("gitte", "Gitte Lund", "Aarhus Kommune", Role.MEMBER)
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars.groups.add("Gittes kreds", ["gitte"])  # lars leaves it: he holds no key
    assert not lars.groups.add_member("Gittes kreds", "mette").done_now
    area = WorkArea(make_ctx(lars))
    qtbot.addWidget(area)
    area.show()
    view = area.areas["overview"]
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)
    assert view.overview.waiting == (("Gittes kreds", ("mette",)),)
    assert any(
        line.startswith("Venter på nøglen til Gittes kreds: mette")
        for line in _lines(view, "others")
    )
    district.unlock("gitte")  # shares it
    view.refresh()
    qtbot.waitUntil(lambda: view.overview is not None and not view.overview.waiting, timeout=20000)


def test_a_vault_waiting_for_its_upgrade_says_so_and_a_coordinator_upgrades_it(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    from infohus_desktop.services.accounts.vault_upgrade import upgrade_due
    from tests.integration.old_form import put_back_into_the_old_form

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.cases.open_case(new_case(NAME))
    put_back_into_the_old_form(district)

    _, member_view = _start_page(qtbot, make_ctx, district.unlock("mette"))
    assert member_view.upgrade.isVisible() and not member_view.upgrade.button.isVisible()

    lars = district.unlock("lars")
    area, view = _start_page(qtbot, make_ctx, lars)
    assert view.upgrade.isVisible() and view.upgrade.button.isVisible()
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        area.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "overview-upgrade-da.png"))
    view.upgrade.run()  # what "Ja" in the question does
    qtbot.waitUntil(lambda: not view.upgrade.isVisible(), timeout=20000)
    assert not upgrade_due(lars)
    assert [c.person_name for c in lars.cases.list()] == [NAME]


def test_cases_sealed_without_the_listing_are_shown_to_a_coordinator_who_upgrades_them(
    qtbot: QtBot, make_ctx: MakeCtx, district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies an earlier version sealed without the listing (issue 17): the coordinator's
    start page says how many and offers the upgrade; a member's says nothing."""
    from infohus_desktop.services.core import case_meta

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    with monkeypatch.context() as earlier_version:
        earlier_version.setattr(case_meta, "person_listing", lambda _row, _key: None)
        mette.cases.open_case(new_case(NAME))
        mette.cases.open_case(new_case("Anden Overbliksen"))

    _, member_view = _start_page(qtbot, make_ctx, district.unlock("mette"))
    assert not member_view.upgrade.isVisible()

    lars = district.unlock("lars")
    area, view = _start_page(qtbot, make_ctx, lars)
    assert view.upgrade.isVisible() and view.upgrade.button.isVisible()
    assert view.upgrade.title() == "Boksen bør opgraderes"
    assert view.upgrade.text.text().startswith("2 sager har en forseglet kopi")
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        area.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "overview-listing-da.png"))
    view.upgrade.run()  # what "Ja" in the question does
    qtbot.waitUntil(lambda: not view.upgrade.isVisible(), timeout=20000)
    # The page read again after the upgrade finds none left.
    qtbot.waitUntil(
        lambda: view.overview is not None and view.overview.unlisted == 0, timeout=20000
    )
    assert not view.upgrade.isVisible()
    assert sorted(c.person_name for c in lars.cases.list()) == ["Anden Overbliksen", NAME]


def test_follow_ups_beyond_the_listed_are_counted_and_open_my_cases(
    qtbot: QtBot, make_ctx: MakeCtx, district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member who leads more follow-ups than the page lists sees the nearest, a line that
    counts the rest, and that line opens the case list filtered to their own open cases,
    the nearest follow-up first."""
    monkeypatch.setattr("infohus_desktop.services.overview.service.FOLLOW_UPS_LISTED", 2)
    lars = district.coordinator
    numbers = []
    for days in (5, 1, 3):
        case = lars.cases.open_case(
            new_case(f"Opfølgning Om {days} Dage", ADULT_CPR), accept_duplicate=True
        )
        version = lars.cases.show(case.number).summary.version
        follow_up = date.today() + timedelta(days=days)
        lars.cases.edit(
            case.number, version, CaseEdit(follow_up=follow_up, lead_member_id=lars.member.id)
        )
        numbers.append(case.number)
    none_due = lars.cases.open_case(new_case("Uden Opfølgning", ADULT_CPR), accept_duplicate=True)

    area, view = _start_page(qtbot, make_ctx, lars)
    in_five, in_one, in_three = numbers
    first, second, more = _lines(view, "follow_ups")
    assert first.startswith(in_one) and second.startswith(in_three)
    assert more == "… og 1 mere: vis mine sager"
    assert view.overview.follow_ups_more == 1
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        qtbot.wait(50)  # the sections settle to their lines
        area.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "overview-more-da.png"))

    view.follow_ups.list.itemActivated.emit(view.follow_ups.list.item(2))
    cases = area.areas["cases"]
    assert area.stack.currentWidget() is cases
    assert cases.filters.lead.currentData() == str(lars.member.id)
    qtbot.waitUntil(lambda: cases.proxy.rowCount() == 4, timeout=20000)
    shown = [cases.proxy.index(row, 0).data() for row in range(4)]
    assert shown == [in_one, in_three, in_five, none_due.number]  # no follow-up: last


def test_one_incoming_referral_and_one_case_due_are_counted_in_the_singular(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """ "1 modtagne henvisninger" and "1 sager til sletning" read wrong to a Danish user."""
    from dataclasses import replace

    _area, view = _start_page(qtbot, make_ctx, district.coordinator)
    view.show_overview(replace(view.overview, incoming=1, due_now=1, due_soon=0))
    assert _lines(view, "others")[:2] == [
        "1 modtaget henvisning fra andre",
        "1 sag til sletning nu, 0 inden for 30 dage",
    ]
    view.show_overview(replace(view.overview, incoming=3, due_now=2, due_soon=1))
    assert _lines(view, "others")[:2] == [
        "3 modtagne henvisninger fra andre",
        "2 sager til sletning nu, 1 inden for 30 dage",
    ]


def test_until_the_page_is_read_its_sections_say_loading_not_nothing(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """At unlock the start page shows before its read is done: "Intet lige nu." in every
    section then would be taken for the answer."""
    area = WorkArea(make_ctx(district.coordinator))
    qtbot.addWidget(area)
    area.show()
    view = area.areas["overview"]
    assert view.overview is None  # not read yet: the worker's answer waits for the loop
    for section in ("follow_ups", "tasks", "meetings", "referrals"):
        part = getattr(view, section)
        assert part.empty.text() == "Henter …" and not part.list.isVisible()
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)
    assert view.tasks.empty.text() == "Intet lige nu."  # a new district has no tasks


def test_a_read_that_fails_is_told_and_the_page_stops_saying_it_is_loading(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """The server gone at unlock: a message, and sections that say they were not read,
    not "Henter …" for ever; the next refresh fills them."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from infohus_desktop.domain.errors import VaultUnavailable
    from infohus_desktop.services.overview.service import OverviewService

    def unavailable(*_args: object, **_kwargs: object) -> None:
        raise VaultUnavailable("Serveren svarer ikke.", "The server does not answer.")

    ctx = make_ctx(district.coordinator)
    area = WorkArea(ctx)
    qtbot.addWidget(area)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(OverviewService, "build", unavailable)
        area.show()
        view = area.areas["overview"]
        qtbot.waitUntil(lambda: view.status.text() != "Henter …", timeout=20000)
    assert view.status.text() == "Overblikket kunne ikke hentes."
    assert all(
        getattr(view, s).empty.text() == "Ikke hentet."
        for s in ("follow_ups", "tasks", "meetings", "referrals", "others")
    )
    boxes = [b for b in ctx.window.findChildren(QMessageBox) if b.objectName() == "errorBox"]
    assert boxes and boxes[0].text() == "Serveren svarer ikke."
    qtbot.mouseClick(view.findChild(QPushButton, "refreshOverview"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.overview is not None, timeout=20000)
    assert view.status.text() == "" and view.tasks.empty.text() == "Intet lige nu."
