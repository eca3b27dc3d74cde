"""The action items across meetings ("Mine åbne opgaver" / "Alle åbne opgaver"), closing one,
and the list models under qtmodeltester."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from infohus_desktop.domain.meetings import (
    ActionItem,
    ActionStatus,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    MeetingSummary,
    MeetingType,
    NewActionItem,
    NewAgendaItem,
)
from infohus_desktop.ui import i18n
from infohus_desktop.ui.models.meetings import (
    OVERDUE_COLOUR,
    ActionItemModel,
    MeetingListModel,
)
from infohus_desktop.ui.views.meetings.action_items import ActionItemsView
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world, plan_case_meeting
from tests.ui.test_meetings_helpers import MakeCtx, settle

TODAY = date(2026, 12, 10)


@pytest.fixture
def world(district: District) -> MeetingWorld:
    return meeting_world(district)


@pytest.fixture
def actions(world: MeetingWorld) -> uuid.UUID:
    meeting_id = plan_case_meeting(world)
    service = world.lars.meetings
    item = service.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER, title="Eventuelt"))
    service.add_action_item(
        item.id, NewActionItem("Ring til skolen", date(2026, 12, 5), world.mette.member.id)
    )
    service.add_action_item(
        item.id, NewActionItem("Send materiale", date(2026, 12, 20), world.lars.member.id)
    )
    return meeting_id


def texts(view: ActionItemsView, column: int) -> list[str]:
    return [view.model.index(r, column).data() for r in range(view.model.rowCount())]


def test_mine_and_all_open_items_with_overdue_marked(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, actions: uuid.UUID
) -> None:
    ctx = make_ctx(world.mette)
    view = ActionItemsView(ctx, lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(844, 600)
    view.show()
    settle(qtbot, ctx)
    assert view.mine.isChecked()
    assert texts(view, ActionItemModel.COL_TEXT) == ["Ring til skolen"]
    deadline = view.model.index(0, ActionItemModel.COL_DEADLINE)
    # Overdue: said in words, with an icon, and in colour (never colour alone).
    assert deadline.data() == "05.12.2026 – overskredet"
    assert deadline.data(Qt.ItemDataRole.DecorationRole) is not None
    assert deadline.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR
    assert view.count.text() == "1 åbne, 1 overskredet"

    view.all.click()
    settle(qtbot, ctx)
    assert sorted(texts(view, ActionItemModel.COL_TEXT)) == ["Ring til skolen", "Send materiale"]
    later = texts(view, ActionItemModel.COL_DEADLINE)
    assert "20.12.2026" in later  # not overdue: the date alone

    view.table.setCurrentIndex(view.model.index(later.index("20.12.2026"), 0))
    assert view.close_button.isEnabled()
    view.close_button.click()
    settle(qtbot, ctx)
    assert texts(view, ActionItemModel.COL_TEXT) == ["Ring til skolen"]
    assert view.message.text().startswith("Lukket: Send materiale – af Mette Fjord ")
    closed = next(
        a
        for i in world.lars.meetings.get(actions).items
        for a in i.action_items
        if a.text == "Send materiale"
    )
    assert closed.status is ActionStatus.DONE and closed.closed_by_name == "Mette Fjord"


def _summary(n: int) -> MeetingSummary:
    return MeetingSummary(
        id=uuid.UUID(int=n),
        kind=MeetingKind.CASE if n % 2 else MeetingKind.NETWORK,
        meeting_type=MeetingType.EXTRAORDINARY if n == 3 else MeetingType.ORDINARY,
        status=MeetingStatus.PLANNED,
        title=f"Møde {n}",
        place="",
        starts_at=datetime(2026, 11, 23, 13, 30, tzinfo=UTC),
        ends_at=None,
        forum="Aarhus Kommune",
        local_infohus_id=None,
        item_count=n,
        version=1,
    )


def _action(n: int, deadline: date | None, withheld: bool = False) -> ActionItem:
    return ActionItem(
        id=uuid.UUID(int=100 + n),
        meeting_id=uuid.UUID(int=1),
        item_id=uuid.UUID(int=2),
        text="" if withheld else f"Opgave {n}",
        owner_id=None,
        owner_name="" if withheld else "SSP",
        deadline=deadline,
        status=ActionStatus.OPEN,
        closed_by_id=None,
        closed_by_name="",
        closed_at=None,
        version=1,
        withheld=withheld,
        meeting_date=date(2026, 11, 23),
        meeting_title="Infohusmøde",
        case_number=None if withheld else "AAR-2026-0001",
    )


def test_list_models_pass_the_model_tester_and_show_danish_dates(qtbot) -> None:
    meetings = MeetingListModel()
    ModelTester(qtbot).check(meetings, force_py=True)
    meetings.set_rows([_summary(n) for n in range(1, 5)])
    row = [meetings.index(2, c).data() for c in range(meetings.columnCount())]
    assert row == [
        "23.11.2026",
        "14.30",
        "Infohusmøde (ekstraordinært)",
        "Aarhus Kommune",
        "Møde 3",
        "Planlagt",
        "3",
    ]
    i18n.set_language("en")
    assert meetings.index(2, 2).data() == "Case meeting (extraordinary)"
    assert meetings.headerData(0, Qt.Orientation.Horizontal) == "Date"

    actions = ActionItemModel(today=lambda: TODAY)
    ModelTester(qtbot).check(actions, force_py=True)
    actions.set_rows([_action(1, date(2026, 12, 1)), _action(2, None), _action(3, None, True)])
    assert actions.index(0, 0).data() == "01.12.2026 – overdue"
    assert actions.index(1, 0).data() == "No deadline"
    assert actions.index(2, ActionItemModel.COL_TEXT).data() == "Content withheld"
    assert actions.index(2, ActionItemModel.COL_CASE).data() == ""


def test_rights_follow_the_service_rules(world: MeetingWorld) -> None:
    """Only the chair approves; the minute taker writes but does not plan; a plain member
    reads; after approval nobody writes and the writers may add addenda."""
    from infohus_desktop.ui.views.meetings.meeting_rights import MeetingRights

    meeting_id = plan_case_meeting(world)
    meeting = world.lars.meetings.get(meeting_id)
    lars, mette, gitte = (s.member.id for s in (world.lars, world.mette, world.gitte))
    chair = MeetingRights.of(meeting, lars, coordinator=True)
    taker = MeetingRights.of(meeting, mette, coordinator=False)
    member = MeetingRights.of(meeting, gitte, coordinator=False)
    assert (chair.can_plan, chair.can_write, chair.actions["hold"]) == (True, True, True)
    assert (taker.can_plan, taker.can_write, taker.actions["hold"]) == (False, True, True)
    assert (member.can_write, member.actions["hold"], member.actions["agendaPdf"]) == (
        False,
        False,
        True,
    )
    assert not chair.actions["minutesPdf"]  # no minutes before the meeting is held
    held = world.lars.meetings.mark_held(meeting_id, meeting.version)
    assert MeetingRights.of(held, lars, True).actions["approve"]
    assert not MeetingRights.of(held, mette, False).actions["approve"]
    approved = world.lars.meetings.approve(meeting_id, held.version)
    for who, coordinator in ((lars, True), (mette, False)):
        rights = MeetingRights.of(approved, who, coordinator)
        assert not rights.can_write and not rights.can_plan and rights.can_add_addendum
    assert not MeetingRights.of(approved, gitte, False).can_add_addendum
