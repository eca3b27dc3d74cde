"""Holding a meeting through the widgets (attendance, notes, a recommendation with its
authority, an action item), approving it as the chair (the view becomes read-only), adding an
addendum, and the print previews with the explicit "with names" choice."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from infohus_desktop.domain.meetings import (
    ActionStatus,
    Attendance,
    DecisionKind,
    ItemKind,
    MeetingStatus,
    NewAgendaItem,
)
from infohus_desktop.ui.dialogs.meetings.meeting_items import (
    ActionItemDialog,
    AddendumDialog,
    DecisionDialog,
)
from infohus_desktop.ui.dialogs.meetings.meeting_plan import index_of
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from infohus_desktop.ui.views.meetings.meeting_view import MeetingView
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world, plan_case_meeting
from tests.ui.test_meetings_helpers import MakeCtx, open_meeting, settle, visible_dialog


@pytest.fixture
def world(district: District) -> MeetingWorld:
    return meeting_world(district)


@pytest.fixture
def agenda(world: MeetingWorld) -> uuid.UUID:
    meeting_id = plan_case_meeting(world)
    service = world.lars.meetings
    service.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, case=world.open_case.number))
    service.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER, title="Eventuelt"))
    return meeting_id


def hold_first_item(qtbot, view: MeetingView, world: MeetingWorld) -> None:  # type: ignore[no-untyped-def]
    """Attendance, notes, a recommendation and an action item on item 1, as the chair."""
    people = view.participants.table
    view.tabs.setCurrentWidget(view.participants)
    for row in range(people.rowCount()):
        if people.item(row, 1).text() in ("Lars Holm Sørensen", "Mette Fjord"):
            people.item(row, 0).setCheckState(Qt.CheckState.Checked)
    assert view.participants.summary.text() == "2 af 3 til stede (ikke gemt)"
    view.participants.save_button.click()
    settle(qtbot, view.ctx)

    view.tabs.setCurrentWidget(view.agenda)
    view.agenda.select_row(0)
    panel = view.agenda.panel
    assert not panel.notes.isReadOnly()
    panel.notes.setPlainText("Drøftet: skolen <b>oplever</b> & bekymring.")
    assert panel.save_notes_button.isEnabled()
    panel.save_notes_button.click()
    settle(qtbot, view.ctx)

    panel.add_decision_button.click()
    decision = visible_dialog(qtbot, view, DecisionDialog)
    decision.kind.setCurrentIndex(decision.kind.findData(DecisionKind.RECOMMENDATION))
    decision.text.setPlainText("Mentorforløb tilbydes")
    decision.ok_button.click()
    assert decision.error.text() == "Angiv den ansvarlige myndighed."
    decision.authority.setText("Aarhus Kommune, Børn og Unge")
    decision.ok_button.click()
    qtbot.waitUntil(lambda: not decision.isVisible(), timeout=15000)
    settle(qtbot, view.ctx)

    panel.add_action_button.click()
    action = visible_dialog(qtbot, view, ActionItemDialog)
    action.text.setPlainText("Kontakt skolen")
    action.owner.setCurrentIndex(index_of(action.owner, world.mette.member.id))
    action.deadline.set_value(date(2026, 12, 15))
    action.ok_button.click()
    qtbot.waitUntil(lambda: not action.isVisible(), timeout=15000)
    settle(qtbot, view.ctx)


def test_hold_approve_and_add_an_addendum(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, agenda: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), agenda)
    view.today = lambda: date(2026, 12, 1)
    assert view.action_buttons["hold"].isVisible()
    assert not view.action_buttons["approve"].isVisible()
    hold_first_item(qtbot, view, world)

    panel = view.agenda.panel
    assert panel.notes.toPlainText() == "Drøftet: skolen <b>oplever</b> & bekymring."
    assert [panel.decisions.item(0, c).text() for c in range(3)] == [
        "Anbefaling",
        "Aarhus Kommune, Børn og Unge",
        "Mentorforløb tilbydes",
    ]
    assert [panel.actions_table.item(0, c).text() for c in range(4)] == [
        "Kontakt skolen",
        "Mette Fjord",
        "15.12.2026",
        "Åben",
    ]
    stored = world.lars.meetings.get(agenda)
    present = {p.name: p.attendance for p in stored.participants}
    assert present["Mette Fjord"] is Attendance.PRESENT
    assert present["Gitte Ørsted"] is Attendance.ABSENT

    view.meeting_actions["hold"].trigger()
    settle(qtbot, view.ctx)
    assert view.status.text() == "Afholdt"
    assert view.action_buttons["approve"].isVisible()

    view.meeting_actions["approve"].trigger()
    question = visible_dialog(qtbot, view, QMessageBox)
    cancel = next(b for b in question.buttons() if b.objectName() == "cancelButton")
    cancel.click()
    settle(qtbot, view.ctx)
    assert view.status.text() == "Afholdt"
    view.meeting_actions["approve"].trigger()
    question = visible_dialog(qtbot, view, QMessageBox)
    next(b for b in question.buttons() if b.objectName() == "confirmButton").click()
    settle(qtbot, view.ctx)

    assert view.status.text() == "Referat godkendt"
    assert world.lars.meetings.get(agenda).status is MeetingStatus.APPROVED
    assert "godkendt af Lars Holm Sørensen" in view.notice.text()
    assert "låst" in view.notice.text()
    # Read-only everywhere: no agenda buttons, no drag, notes and attendance locked.
    agenda_tab = view.agenda
    assert not agenda_tab.add_button.isVisible()
    assert not agenda_tab.up_button.isVisible()
    assert not agenda_tab.table.dragEnabled()
    assert not agenda_tab.model.move_item(0, 1)
    agenda_tab.select_row(0)
    assert agenda_tab.panel.notes.isReadOnly()
    assert not agenda_tab.panel.add_decision_button.isVisible()
    assert not agenda_tab.panel.add_action_button.isVisible()
    assert not view.participants.save_button.isVisible()
    first = view.participants.table.item(0, 0)
    assert not first.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert not view.meeting_actions["edit"].isEnabled()
    assert not view.action_buttons["hold"].isVisible()

    assert view.action_buttons["addendum"].isVisible()
    view.action_buttons["addendum"].click()
    dialog = visible_dialog(qtbot, view, AddendumDialog)
    dialog.item.setCurrentIndex(1)
    dialog.text.setPlainText("Fristen er rettet til 20.12.2026.")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, view.ctx)
    assert view.tabs.currentWidget() is view.addenda
    assert view.tabs.tabText(2) == "T&illæg (1)"
    row = [view.addenda.table.item(0, c).text() for c in range(4)]
    assert row[1] == "Lars Holm Sørensen"
    assert " kl. " in row[0] and row[0][:2].isdigit()
    assert row[2].startswith("1. ")
    assert row[3] == "Fristen er rettet til 20.12.2026."
    # The minutes themselves are unchanged.
    assert world.lars.meetings.get(agenda).items[0].notes.startswith("Drøftet")


def test_an_overdue_action_item_is_marked_in_text_and_colour(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, agenda: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), agenda)
    hold_first_item(qtbot, view, world)
    view.agenda.panel.today = lambda: date(2026, 12, 20)
    view.today = lambda: date(2026, 12, 20)
    view.reload()
    settle(qtbot, view.ctx)
    cell = view.agenda.panel.actions_table.item(0, 2)
    assert cell.text() == "15.12.2026 – overskredet"
    assert not cell.icon().isNull()
    view.agenda.panel.actions_table.selectRow(0)
    view.agenda.panel.close_action_button.click()
    settle(qtbot, view.ctx)
    action = world.lars.meetings.get(agenda).items[0].action_items[0]
    assert action.status is ActionStatus.DONE and action.closed_by_name == "Lars Holm Sørensen"
    status = view.agenda.panel.actions_table.item(0, 3).text()
    assert status.startswith("Udført (Lars Holm Sørensen ")


def test_print_previews_and_names_only_after_the_warning(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, agenda: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), agenda)
    assert not view.meeting_actions["minutesPdf"].isEnabled()  # no minutes before the meeting
    view.meeting_actions["agendaPdf"].trigger()
    preview = visible_dialog(qtbot, view, PdfPreviewDialog)
    qtbot.waitUntil(lambda: len(preview.pages) >= 1, timeout=15000)
    assert preview.windowTitle() == "Vis udskrift: Dagsorden 01.12.2026"
    text = PdfReader(io.BytesIO(preview._pdf)).pages[0].extract_text()
    assert world.open_case.number in text and "Åge" not in text
    preview.close()

    hold_first_item(qtbot, view, world)
    view.meeting_actions["hold"].trigger()
    settle(qtbot, view.ctx)
    view.meeting_actions["minutesPdf"].trigger()
    preview = visible_dialog(qtbot, view, PdfPreviewDialog)
    qtbot.waitUntil(lambda: len(preview.pages) >= 1, timeout=15000)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview._pdf)).pages)
    assert "Mentorforløb tilbydes" in text and "Åge" not in text
    preview.close()
    settle(qtbot, view.ctx)

    # With names: a warning first; cancelling builds nothing.
    view.meeting_actions["minutesNames"].trigger()
    warning = visible_dialog(qtbot, view, QMessageBox)
    assert warning.objectName() == "namesWarning"
    assert "navne" in warning.text()
    next(b for b in warning.buttons() if b.objectName() == "cancelButton").click()
    settle(qtbot, view.ctx)
    assert not [d for d in view.findChildren(PdfPreviewDialog) if d.isVisible()]
    view.meeting_actions["minutesNames"].trigger()
    warning = visible_dialog(qtbot, view, QMessageBox)
    next(b for b in warning.buttons() if b.objectName() == "confirmButton").click()
    preview = visible_dialog(qtbot, view, PdfPreviewDialog)
    assert "med navne" in preview.windowTitle()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview._pdf)).pages)
    assert "Åge" in text
    preview.close()


def test_unsaved_notes_and_ticks_survive_a_reload_and_are_saved_on_leaving(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, agenda: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), agenda)
    view.agenda.select_row(0)
    panel = view.agenda.panel
    panel.notes.setPlainText("Skrevet, ikke gemt")
    people = view.participants.table
    people.item(0, 0).setCheckState(Qt.CheckState.Checked)
    view.reload()  # e.g. after a decision was added
    settle(qtbot, view.ctx)
    assert panel.notes.toPlainText() == "Skrevet, ikke gemt" and panel.notes_dirty
    assert view.participants.dirty
    assert people.item(0, 0).checkState() == Qt.CheckState.Checked
    leaving = []
    view.back_requested.connect(lambda: leaving.append(True))
    view.back.click()
    settle(qtbot, view.ctx)
    assert leaving == [True]
    stored = world.lars.meetings.get(agenda)
    assert stored.items[0].notes == "Skrevet, ikke gemt"
    assert stored.participants[0].attendance is Attendance.PRESENT


def test_choosing_another_item_saves_the_notes_typed(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, agenda: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), agenda)
    view.agenda.select_row(0)
    view.agenda.panel.notes.setPlainText("Noter til sagen")
    view.agenda.select_row(1)
    settle(qtbot, view.ctx)
    assert view.agenda.current_item().title == "Eventuelt"
    assert world.lars.meetings.get(agenda).items[0].notes == "Noter til sagen"


def test_marking_held_saves_pending_ticks_and_notes_first(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, agenda: uuid.UUID
) -> None:
    view = open_meeting(qtbot, make_ctx(world.lars), agenda)
    view.agenda.select_row(0)
    view.agenda.panel.notes.setPlainText("Sidste noter")
    view.participants.table.item(0, 0).setCheckState(Qt.CheckState.Checked)
    view.meeting_actions["hold"].trigger()
    qtbot.waitUntil(lambda: view.status.text() == "Afholdt", timeout=15000)
    settle(qtbot, view.ctx)
    stored = world.lars.meetings.get(agenda)
    assert stored.status is MeetingStatus.HELD
    assert stored.items[0].notes == "Sidste noter"
    assert stored.participants[0].attendance is Attendance.PRESENT


def test_saving_the_minutes_from_the_preview_is_audited_with_the_names_choice(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld, agenda: uuid.UUID, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    meeting = world.lars.meetings.get(agenda)
    world.lars.meetings.mark_held(agenda, meeting.version)
    view = open_meeting(qtbot, make_ctx(world.lars), agenda)
    view.meeting_actions["minutesNames"].trigger()
    warning = visible_dialog(qtbot, view, QMessageBox)
    next(b for b in warning.buttons() if b.objectName() == "confirmButton").click()
    preview = visible_dialog(qtbot, view, PdfPreviewDialog)
    target = tmp_path / "referat.pdf"
    preview.choose_file = lambda: target  # the save dialog, answered
    preview.save_button.click()
    settle(qtbot, view.ctx)
    assert target.read_bytes().startswith(b"%PDF")
    saves = world.lars.audit.list(action="meeting.save")
    assert len(saves) == 1 and saves[0].detail == "document=minutes names=yes"
    assert world.lars.audit.list(action="meeting.minutes.pdf.names")  # the preview itself
    preview.close()
