"""Building the agenda through the widgets: items of each kind, reordering by keyboard, by the
buttons and by drag and drop (the model's mimeData/dropMimeData, as the view calls them), and
the agenda model under qtmodeltester."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from infohus_desktop.domain.meetings import ItemKind, NewAgendaItem
from infohus_desktop.ui.dialogs.meetings.meeting_items import AgendaItemDialog
from infohus_desktop.ui.models.meeting_agenda import AgendaModel
from infohus_desktop.ui.views.meetings.meeting_view import MeetingView
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world, plan_case_meeting
from tests.ui.test_meetings_helpers import MakeCtx, open_meeting, settle, visible_dialog


@pytest.fixture
def world(district: District) -> MeetingWorld:
    return meeting_world(district)


def agenda_rows(view: MeetingView) -> list[str]:
    model = view.agenda.model
    return [
        f"{model.index(r, 0).data()} {model.index(r, 1).data()}: {model.index(r, 2).data()}"
        for r in range(model.rowCount())
    ]


def stored_order(world: MeetingWorld, meeting_id: uuid.UUID) -> list[str]:
    items = world.lars.meetings.get(meeting_id).items
    return [i.case_number or i.title for i in sorted(items, key=lambda i: i.position)]


def add_item(qtbot, view: MeetingView, kind: ItemKind, **fields: str) -> None:  # type: ignore[no-untyped-def]
    view.agenda.add_button.click()
    dialog = visible_dialog(qtbot, view, AgendaItemDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    if kind is ItemKind.CASE:
        qtbot.waitUntil(lambda: dialog.case.count() > 0, timeout=10000)
        dialog.case.setCurrentIndex(dialog.case.findText(fields["case"]))
    dialog.title_edit.setText(fields.get("title", ""))
    dialog.organisation.setText(fields.get("organisation", ""))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, view.ctx)


def test_the_coordinator_builds_the_agenda_of_each_kind(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    meeting_id = plan_case_meeting(world)
    view = open_meeting(qtbot, make_ctx(world.lars), meeting_id)
    assert agenda_rows(view) == []
    view.agenda.add_button.click()
    dialog = visible_dialog(qtbot, view, AgendaItemDialog)
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert kinds == ["Sag", "Tendensnotat", "Orientering", "Eventuelt"]
    qtbot.waitUntil(lambda: dialog.case.count() > 0, timeout=10000)
    # The picker shows numbers only, never the person's name.
    offered = [dialog.case.itemText(i) for i in range(dialog.case.count())]
    assert world.open_case.number in offered and world.secret_case.number in offered
    assert not any("Åge" in text or "Bjørk" in text for text in offered)
    dialog.ok_button.click()  # a case item without a case
    assert dialog.error.text() == "Vælg sagen (sagsnummer)."
    dialog.reject()

    add_item(qtbot, view, ItemKind.CASE, case=world.open_case.number)
    add_item(qtbot, view, ItemKind.ORIENTATION, title="Skoleåret", organisation="SSP Aarhus")
    add_item(qtbot, view, ItemKind.OTHER, title="Eventuelt")
    assert agenda_rows(view) == [
        f"1. Sag: {world.open_case.number}",
        "2. Orientering: Skoleåret – ved SSP Aarhus",
        "3. Eventuelt: Eventuelt",
    ]
    assert stored_order(world, meeting_id) == [world.open_case.number, "Skoleåret", "Eventuelt"]


@pytest.fixture
def three_items(world: MeetingWorld) -> uuid.UUID:
    meeting_id = plan_case_meeting(world)
    for title in ("Første", "Anden", "Tredje"):
        world.lars.meetings.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER, title=title))
    return meeting_id


def test_reorder_by_keyboard_and_buttons(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, three_items: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), three_items)
    table = view.agenda.table
    view.agenda.select_row(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, view.ctx)
    assert stored_order(world, three_items) == ["Anden", "Første", "Tredje"]
    assert view.agenda.current_item().title == "Første"  # the moved item stays chosen
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, view.ctx)
    assert stored_order(world, three_items) == ["Anden", "Tredje", "Første"]
    assert agenda_rows(view)[2] == "3. Eventuelt: Første"
    view.agenda.up_button.click()
    settle(qtbot, view.ctx)
    assert stored_order(world, three_items) == ["Anden", "Første", "Tredje"]
    assert "Ctrl+Op" in view.agenda.up_button.toolTip()
    # At the top, up does nothing and stores nothing.
    view.agenda.select_row(0)
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, view.ctx)
    assert stored_order(world, three_items) == ["Anden", "Første", "Tredje"]


def test_reorder_by_drag_and_drop(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, three_items: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), three_items)
    model = view.agenda.model
    assert view.agenda.table.dragEnabled()
    # Drag "Tredje" and drop it before "Første", as the view does on a drop.
    data = model.mimeData([model.index(2, 0), model.index(2, 2)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    consumed = model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert consumed is False  # the model moved the row; the view must not remove one
    assert model.rowCount() == 3
    settle(qtbot, view.ctx)
    assert stored_order(world, three_items) == ["Tredje", "Første", "Anden"]
    # Dropped on empty space below the rows: to the end.
    data = model.mimeData([model.index(0, 0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    settle(qtbot, view.ctx)
    assert stored_order(world, three_items) == ["Første", "Anden", "Tredje"]
    assert [model.index(r, 0).data() for r in range(3)] == ["1.", "2.", "3."]


def test_a_member_outside_the_case_group_sees_the_item_withheld(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    meeting_id = plan_case_meeting(world)
    service = world.lars.meetings
    secret = service.add_item(
        meeting_id, NewAgendaItem(ItemKind.CASE, case=world.secret_case.number)
    )
    service.record_notes(secret.id, "Hemmelige noter om Bjørk", secret.version)
    view = open_meeting(qtbot, make_ctx(world.gitte), meeting_id)
    assert agenda_rows(view) == ["1. Sag: Indhold tilbageholdt"]
    panel = view.agenda.panel
    assert panel.stack.currentWidget() is panel.withheld
    assert "Indhold tilbageholdt" in panel.title.text()
    assert world.secret_case.number not in panel.title.text()
    assert panel.notes.toPlainText() == ""


def test_agenda_model_passes_the_model_tester(qtbot, world: MeetingWorld) -> None:
    meeting_id = plan_case_meeting(world)
    for title in ("A", "B", "C", "D"):
        world.lars.meetings.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER, title=title))
    items = world.lars.meetings.get(meeting_id).items
    model = AgendaModel()
    tester = ModelTester(qtbot)
    tester.check(model, force_py=True)
    model.set_items(items)
    assert model.move_item(0, 3)
    assert model.move_item(3, 1)
    assert [model.item(r).title for r in range(4)] == ["B", "A", "C", "D"]
    model.set_items(items, movable=False)
    assert not model.move_item(0, 1)
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled


def test_tab_order_runs_header_tab_bar_agenda_buttons_panel(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, three_items: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), three_items)
    chain: list[str] = []
    widget = view.back
    for _ in range(80):
        if widget.isVisibleTo(view) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget.objectName() or type(widget).__name__)
        widget = widget.nextInFocusChain()
        if widget is view.back:
            break
    wanted = [
        "backToMeetings",
        "editMeetingButton",
        "icsMeetingButton",
        "holdMeetingButton",
        "printMeetingButton",
        "reloadMeetingButton",
        "qt_tabwidget_tabbar",
        "agendaTable",
        "addAgendaItem",
        "removeAgendaItem",
        "moveItemUp",
        "moveItemDown",
        "carriedActionItems",
        "itemNotes",
    ]
    positions = [chain.index(name) for name in wanted]
    assert positions == sorted(positions), chain
    assert "meetingTabs" not in chain  # no stop that only sends the focus back


def test_a_reorder_of_a_stale_agenda_is_refused_and_the_stored_order_shown(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, three_items: uuid.UUID
) -> None:
    from PySide6.QtWidgets import QMessageBox

    ctx = make_ctx(world.lars)
    view = open_meeting(qtbot, ctx, three_items)
    # Meanwhile the minute taker adds an item: this agenda no longer names every item.
    world.mette.meetings.add_item(three_items, NewAgendaItem(ItemKind.OTHER, title="Fjerde"))
    view.agenda.select_row(0)
    view.agenda.down_button.click()
    settle(qtbot, ctx)
    errors = [b for b in ctx.window.findChildren(QMessageBox) if b.objectName() == "errorBox"]
    assert errors and errors[0].isVisible()
    assert stored_order(world, three_items) == ["Første", "Anden", "Tredje", "Fjerde"]
    assert [r.split(": ")[1] for r in agenda_rows(view)] == [
        "Første",
        "Anden",
        "Tredje",
        "Fjerde",
    ]
