"""Planning a meeting through the dialog, as a coordinator does, and what the list and the
opened meeting then show."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QFileDialog

from infohus_desktop.domain.meetings import MeetingKind, MeetingStatus, NewMeeting
from infohus_desktop.domain.organisations import Role
from infohus_desktop.ui.dialogs.meetings.meeting_plan import MeetingPlanDialog, index_of
from infohus_desktop.ui.models.meetings import MeetingListModel
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world, plan_case_meeting
from tests.ui.test_meetings_helpers import (
    MakeCtx,
    open_meeting,
    open_workspace,
    settle,
    visible_dialog,
)


@pytest.fixture
def world(district: District) -> MeetingWorld:
    return meeting_world(district)


def test_a_coordinator_plans_a_case_meeting_with_members_and_a_guest(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    ctx = make_ctx(world.lars)
    workspace = open_workspace(qtbot, ctx)
    assert workspace.new_button.isVisible()
    assert workspace.model.rowCount() == 0
    assert workspace.count.text() == "0 møder"

    workspace.new_button.click()
    dialog = visible_dialog(qtbot, workspace, MeetingPlanDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    assert dialog.windowTitle() == "Planlæg møde"
    dialog.kind.setCurrentIndex(dialog.kind.findData(MeetingKind.CASE))
    dialog.local.setCurrentIndex(dialog.local.findText("Aarhus Kommune"))
    dialog.title_edit.setText("Infohusmøde december")
    dialog.date.set_value(date(2026, 12, 7))
    dialog.starts.setTime(QTime(14, 30))
    dialog.ends.setTime(QTime(16, 0))
    dialog.place.setText("Rådhuset, lokale 2")
    dialog.chair.setCurrentIndex(index_of(dialog.chair, world.lars.member.id))
    dialog.minute_taker.setCurrentIndex(index_of(dialog.minute_taker, world.mette.member.id))
    for row in range(dialog.invited.count()):
        item = dialog.invited.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == world.mette.member.id:
            item.setCheckState(Qt.CheckState.Checked)
    # A guest half typed is not silently dropped: the dialog says to add or clear it.
    dialog.guest_box.name.setText("Dr. Åse Møller")
    dialog.ok_button.click()
    assert "Tilføj gæst" in dialog.error.text()
    dialog.guest_box.organisation.setText("Psykiatrien Region Midt")
    dialog.guest_box.add_button.click()
    assert dialog.guest_box.list.item(0).text() == "Dr. Åse Møller (Psykiatrien Region Midt)"
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, ctx)

    assert workspace.model.rowCount() == 1
    cells = [workspace.model.index(0, c).data() for c in range(workspace.model.columnCount())]
    assert cells == [
        "07.12.2026",
        "14.30",
        "Infohusmøde",
        "Aarhus Kommune",
        "Infohusmøde december",
        "Planlagt",
        "0",
    ]
    view = workspace.view
    assert view is not None and workspace.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.meeting is not None, timeout=10000)
    assert view.title.text() == "Infohusmøde december"
    assert view.status.text() == "Planlagt"
    assert "07.12.2026 kl. 14.30–16.00" in view.facts.text()
    assert "Rådhuset, lokale 2" in view.facts.text()
    assert "Mødeleder: Lars Holm Sørensen" in view.facts.text()
    assert "Referent: Mette Fjord" in view.facts.text()
    people = view.participants.table
    names = {people.item(r, 1).text(): people.item(r, 2).text() for r in range(people.rowCount())}
    assert names["Dr. Åse Møller"] == "Psykiatrien Region Midt"
    assert "Mette Fjord" in names
    stored = world.lars.meetings.get(view.meeting.id)
    assert stored.summary.status is MeetingStatus.PLANNED
    assert {p.name for p in stored.participants} >= {"Mette Fjord", "Dr. Åse Møller"}

    view.back.click()
    assert workspace.stack.currentIndex() == 0 and workspace.view is None


def test_planning_refuses_an_end_before_the_start_and_keeps_the_input(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    ctx = make_ctx(world.lars)
    workspace = open_workspace(qtbot, ctx)
    workspace.new_meeting()
    dialog = visible_dialog(qtbot, workspace, MeetingPlanDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    dialog.title_edit.setText("Netværksmøde")
    dialog.kind.setCurrentIndex(dialog.kind.findData(MeetingKind.NETWORK))
    assert not dialog.local.isEnabled()  # a network meeting belongs to no Infohus Kommune
    dialog.starts.setTime(QTime(15, 0))
    dialog.ends.setTime(QTime(14, 0))
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.error.text() == "Sluttiden skal ligge efter starttiden."
    assert dialog.title_edit.text() == "Netværksmøde"
    assert world.lars.meetings.list() == []
    dialog.reject()


def test_members_see_no_plan_button_and_the_list_shows_their_meetings(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    plan_case_meeting(world)
    assert world.mette.member.role is Role.MEMBER
    workspace = open_workspace(qtbot, make_ctx(world.mette))
    assert not workspace.new_button.isVisible()
    assert workspace.model.rowCount() == 1
    assert workspace.model.index(0, MeetingListModel.COL_FORUM).data() == "Aarhus Kommune"
    workspace.table.setFocus()
    workspace.table.selectRow(0)
    qtbot.keyClick(workspace.table, Qt.Key.Key_Return)
    assert workspace.view is not None
    qtbot.waitUntil(lambda: workspace.view.meeting is not None, timeout=10000)
    # Mette is the minute taker: she writes the agenda, but does not edit the plan.
    assert workspace.view.agenda.add_button.isVisibleTo(workspace.view)
    assert not workspace.view.meeting_actions["edit"].isEnabled()


def test_the_invitation_is_written_only_where_the_user_chooses(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, tmp_path: Path, monkeypatch
) -> None:
    meeting_id = plan_case_meeting(world)
    ctx = make_ctx(world.lars)
    view = open_meeting(qtbot, ctx, meeting_id)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: ("", ""))
    view.meeting_actions["ics"].trigger()
    settle(qtbot, ctx)
    assert not any(p.suffix == ".ics" for p in tmp_path.rglob("*"))  # cancelled: no file

    target = tmp_path / "invitation"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    view.meeting_actions["ics"].trigger()
    settle(qtbot, ctx)
    written = tmp_path / "invitation.ics"
    data = written.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR")
    assert "Infohusmøde Aarhus".encode() in data and "Rådhuset".encode() in data
    assert (written.stat().st_mode & 0o777) == 0o600
    assert str(written) in view.notice.text()


def test_shortcuts_reach_the_meetings_area_not_the_hidden_cases_area(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    """Ctrl+N plans a meeting while the meetings area is shown (the cases area has its own
    Ctrl+N); F5 fetches the list; in a meeting, Alt+Left goes back to the list."""
    from PySide6.QtWidgets import QDialog

    from infohus_desktop.ui.dialogs.cases.intake import IntakeDialog
    from infohus_desktop.ui.work_area import WorkArea

    meeting_id = plan_case_meeting(world)
    ctx = make_ctx(world.lars)
    area = WorkArea(ctx)
    qtbot.addWidget(area)
    area.resize(1024, 700)
    area.show()
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    workspace = area.areas["meetings"]
    settle(qtbot, ctx)
    assert workspace.model.rowCount() == 0  # nothing read before the area is shown
    area.show_area("meetings")
    settle(qtbot, ctx)
    assert workspace.model.rowCount() == 1
    workspace.table.setFocus()
    qtbot.keyClick(workspace.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = visible_dialog(qtbot, area, QDialog)
    assert isinstance(dialog, MeetingPlanDialog) and not isinstance(dialog, IntakeDialog)
    dialog.reject()
    settle(qtbot, ctx)

    world.lars.meetings.plan(
        NewMeeting(
            kind=MeetingKind.NETWORK,
            title="Netværksmøde",
            starts_at=datetime(2026, 12, 9, 12, 0, tzinfo=UTC),
        )
    )
    area.activateWindow()  # shortcuts work in the active window; the dialog had it
    qtbot.waitUntil(area.isActiveWindow)
    workspace.table.setFocus()
    qtbot.keyClick(workspace.table, Qt.Key.Key_F5)
    settle(qtbot, ctx)
    assert workspace.model.rowCount() == 2

    view = workspace.open_meeting(meeting_id)
    qtbot.waitUntil(lambda: view.meeting is not None, timeout=10000)
    settle(qtbot, ctx)
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    view.agenda.table.setFocus()
    qtbot.keyClick(view.agenda.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: workspace.view is None)  # a button's shortcut clicks after 100 ms
    assert workspace.view is None and workspace.stack.currentIndex() == 0


def test_editing_the_plan_changes_time_place_and_who_is_invited(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    meeting_id = plan_case_meeting(world)  # lars, mette and gitte invited
    ctx = make_ctx(world.lars)
    view = open_meeting(qtbot, ctx, meeting_id)
    view.meeting_actions["edit"].trigger()
    dialog = visible_dialog(qtbot, view, MeetingPlanDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    assert dialog.windowTitle() == "Redigér møde"
    assert not dialog.kind.isEnabled() and not dialog.local.isEnabled()
    assert dialog.title_edit.text() == "Infohusmøde Aarhus"
    dialog.starts.setTime(QTime(13, 15))
    dialog.ends.setTime(QTime(15, 0))
    dialog.place.setText("Politigården")
    for row in range(dialog.invited.count()):
        item = dialog.invited.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == world.gitte.member.id:
            item.setCheckState(Qt.CheckState.Unchecked)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, ctx)
    assert "01.12.2026 kl. 13.15–15.00 · Politigården" in view.facts.text()
    people = view.participants.table
    names = {people.item(r, 1).text() for r in range(people.rowCount())}
    assert names == {"Lars Holm Sørensen", "Mette Fjord"}
    assert "Gitte Ørsted" not in {p.name for p in world.lars.meetings.get(meeting_id).participants}


def test_a_network_meeting_offers_no_case_items(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    from infohus_desktop.ui.dialogs.meetings.meeting_items import AgendaItemDialog

    network = world.lars.meetings.plan(
        NewMeeting(
            kind=MeetingKind.NETWORK,
            title="Netværksmøde",
            starts_at=datetime(2026, 12, 9, 12, 0, tzinfo=UTC),
        )
    )
    view = open_meeting(qtbot, make_ctx(world.lars), network.id)
    assert "Netværksmøde" in view.facts.text()
    view.agenda.add_item()
    dialog = visible_dialog(qtbot, view, AgendaItemDialog)
    kinds = [dialog.kind.itemText(i) for i in range(dialog.kind.count())]
    assert kinds == ["Tendensnotat", "Orientering", "Eventuelt"]
    assert not dialog.case.isVisibleTo(dialog)
    dialog.reject()


def test_a_coordinator_takes_a_guest_off_the_list(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    from infohus_desktop.domain.meetings import GuestInput

    meeting_id = plan_case_meeting(world)
    world.lars.meetings.add_guest(meeting_id, GuestInput("Åse Møller", "Psykiatrien"))
    view = open_meeting(qtbot, make_ctx(world.lars), meeting_id)
    people = view.participants.table
    row = next(r for r in range(people.rowCount()) if people.item(r, 1).text() == "Åse Møller")
    assert people.item(row, 3).text() == "Gæst"
    people.selectRow(row)
    view.participants.remove_button.click()
    settle(qtbot, view.ctx)
    shown = {people.item(r, 1).text() for r in range(people.rowCount())}
    assert "Åse Møller" not in shown
    assert view.tabs.tabText(1) == "De&ltagere (3)"
