"""Trend notes and meetings through the widgets: the agenda's "Nyt punkt …" dialog offers the
readable trend notes (title, theme, period) and adds one; the agenda and the item panel show
its title, or withhold it; the opened trend note lists the meetings that discussed it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infohus_desktop.domain.meetings import ItemKind, MeetingKind, NewAgendaItem, NewMeeting
from infohus_desktop.domain.trends import TrendNote
from infohus_desktop.ui.dialogs.meetings.meeting_items import AgendaItemDialog
from infohus_desktop.ui.views.trends.workspace import TrendWorkspace
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world
from tests.integration.test_trends import note
from tests.ui.test_meetings_agenda import agenda_rows
from tests.ui.test_meetings_helpers import MakeCtx, open_meeting, settle, visible_dialog

TITLE = "Flere unge deler voldsforherligende memes"


@pytest.fixture
def world(district: District) -> MeetingWorld:
    return meeting_world(district)


def network_meeting(world: MeetingWorld, title: str = "Netværksmøde november") -> object:
    return world.lars.meetings.plan(
        NewMeeting(
            MeetingKind.NETWORK,
            title,
            datetime(2026, 11, 24, 13, 0, tzinfo=UTC),
            chair_id=world.lars.member.id,
        )
    ).id


def trend_note(world: MeetingWorld, title: str = TITLE) -> TrendNote:
    return world.mette.trends.create(note(title=title))


def test_a_trend_item_is_added_through_the_dialog(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    trend = trend_note(world)
    trend_note(world, "Nye grupper på Telegram")
    meeting_id = network_meeting(world)
    view = open_meeting(qtbot, make_ctx(world.lars), meeting_id)
    view.agenda.add_button.click()
    dialog = visible_dialog(qtbot, view, AgendaItemDialog)
    # A network meeting's first kind is the trend note; its picker is what shows.
    assert dialog.kind.currentData() == ItemKind.TREND
    assert dialog.trend.isVisibleTo(dialog) and not dialog.case.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.trend.count() == 2, timeout=10000)
    offered = [dialog.trend.itemText(i) for i in range(dialog.trend.count())]
    assert f"{TITLE} · Højreekstremisme · 01.07.2026 – 30.09.2026" in offered
    assert dialog.trend.hint.text() == "2 tendensnotater du kan læse"
    dialog.ok_button.click()  # no note chosen
    assert dialog.error.text() == "Vælg tendensnotatet."
    assert world.lars.meetings.get(meeting_id).items == ()

    assert dialog.trend.select(trend.id)
    dialog.title_edit.setText("Status fra skolerne")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot, view.ctx)
    assert agenda_rows(view) == [f"1. Tendensnotat: {TITLE} – Status fra skolerne"]
    stored = world.lars.meetings.get(meeting_id).items[0]
    assert (stored.kind, stored.subject_id) == (ItemKind.TREND, trend.id)
    view.agenda.select_row(0)
    assert view.agenda.panel.title.text() == f"1. Tendensnotat: {TITLE} – Status fra skolerne"

    # The note on the agenda is no longer offered.
    view.agenda.add_button.click()
    again = visible_dialog(qtbot, view, AgendaItemDialog)
    qtbot.waitUntil(lambda: again.trend.count() == 1, timeout=10000)
    assert again.trend.itemText(0).startswith("Nye grupper på Telegram")
    again.reject()


def test_outside_the_notes_group_the_item_is_withheld(
    qtbot, make_ctx: MakeCtx, world: MeetingWorld
) -> None:
    trend = trend_note(world)
    meeting_id = network_meeting(world)
    world.lars.meetings.add_item(meeting_id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    world.lars.trends.set_access_group(trend.id, "Særlig kreds")
    view = open_meeting(qtbot, make_ctx(world.gitte), meeting_id)
    assert agenda_rows(view) == ["1. Tendensnotat: Indhold tilbageholdt"]
    view.agenda.select_row(0)
    panel = view.agenda.panel
    assert panel.stack.currentWidget() is panel.withheld
    assert "tendensnotatets adgangskreds" in panel.withheld.text()


def test_the_opened_note_lists_its_meetings(qtbot, make_ctx: MakeCtx, world: MeetingWorld) -> None:
    trend, other = trend_note(world), trend_note(world, "Nye grupper på Telegram")
    meeting_id = network_meeting(world)
    world.lars.meetings.add_item(meeting_id, NewAgendaItem(ItemKind.TREND, trend_note=trend.id))
    ctx = make_ctx(world.jens)  # Randers: reads the note and the network meeting
    workspace = TrendWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 700)
    workspace.show()
    settle(qtbot, ctx)
    workspace.open_note(trend.id)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    meetings = workspace.view.meetings
    assert [meetings.item(i).text() for i in range(meetings.count())] == [
        "24.11.2026  Netværksmøde november"
    ]
    assert meetings.isVisible() and not workspace.view.meetings_empty.isVisible()

    workspace.open_note(other.id)
    qtbot.waitUntil(lambda: workspace.opened().id == other.id, timeout=10000)  # type: ignore[union-attr]
    assert meetings.count() == 0 and workspace.view.meetings_empty.isVisible()
