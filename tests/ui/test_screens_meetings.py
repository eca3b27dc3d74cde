"""Every meeting screen and dialog rendered in Danish and English at the smallest supported
window (1024×700): no Danish letter in English chrome, no button narrower than its text.

The PNGs land in the test's tmp_path (``--basetemp`` to keep them) for a human to look at.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTabBar,
    QWidget,
)

from infohus_desktop.domain.meetings import (
    DecisionKind,
    ItemKind,
    MeetingKind,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.ui import i18n
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.views.meetings.workspace import MeetingWorkspace
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import MeetingWorld, meeting_world, plan_case_meeting
from tests.ui.test_meetings_helpers import MakeCtx, settle
from tests.ui.test_screens import check, untranslated

SMALLEST = (1024, 700)


@pytest.fixture(params=["da", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("da")


def clipped(root: QWidget) -> list[str]:
    """Visible buttons narrower than their text needs."""
    out = []
    for button in root.findChildren(QAbstractButton):
        shown = button.isVisibleTo(root) and bool(button.text())
        if shown and button.width() < button.minimumSizeHint().width() - 1:
            out.append(f"{button.objectName()}: {button.text()!r} {button.width()}")
    return out


def mnemonics(root: QWidget) -> list[str]:
    """The Alt+letter keys of the visible buttons, labels, group boxes and tabs, with
    repeats: two texts with the same underlined letter make one of them unreachable."""
    texts: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QAbstractButton | QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
    keys = []
    for text in texts:
        found = re.search(r"&([^&\s])", text.replace("&&", ""))
        if found:
            keys.append(found.group(1).lower())
    return keys


def mnemonic_clashes(root: QWidget) -> list[str]:
    keys = mnemonics(root)
    return sorted({k for k in keys if keys.count(k) > 1})


def held_meeting(world: MeetingWorld) -> uuid.UUID:
    """A case meeting with an item of each kind, notes, a decision and action items, and a
    carried-over action item from an earlier meeting."""
    service = world.lars.meetings
    earlier = service.plan(
        NewMeeting(
            kind=MeetingKind.CASE,
            title="Infohusmøde november",
            starts_at=datetime(2026, 11, 3, 13, 0, tzinfo=UTC),
            local_infohus="Aarhus Kommune",
            chair_id=world.lars.member.id,
        )
    ).id
    old = service.add_item(earlier, NewAgendaItem(ItemKind.OTHER, title="Opfølgning"))
    service.add_action_item(
        old.id, NewActionItem("Indhent skoleudtalelse", date(2026, 11, 1), world.mette.member.id)
    )
    meeting_id = plan_case_meeting(world, "Infohusmøde december – Aarhus Kommune")
    case = service.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, case=world.open_case.number))
    service.add_item(
        meeting_id,
        NewAgendaItem(ItemKind.ORIENTATION, title="Skoleåret", organisation="SSP Aarhus"),
    )
    service.add_item(meeting_id, NewAgendaItem(ItemKind.CASE, case=world.secret_case.number))
    service.add_item(meeting_id, NewAgendaItem(ItemKind.OTHER, title="Eventuelt"))
    service.record_notes(case.id, "Skolen oplever en forværring siden sommerferien.", case.version)
    service.add_decision(
        case.id, DecisionKind.RECOMMENDATION, "Mentorforløb tilbydes", "Aarhus Kommune"
    )
    service.add_action_item(
        case.id, NewActionItem("Kontakt familien", date(2026, 12, 15), world.mette.member.id)
    )
    return meeting_id


def _check(widget: QWidget, lang: str, name: str, tmp_path, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    check(widget, lang, name, tmp_path, qtbot, ctx.runner)
    assert clipped(widget) == [], name
    assert mnemonic_clashes(widget) == [], name
    if isinstance(widget, WorkArea):  # the screen fits the smallest window, never widens it
        assert (widget.width(), widget.height()) == SMALLEST, name


def test_every_meeting_screen_renders_in_both_languages(
    qtbot, make_ctx: MakeCtx, district: District, language: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    world = meeting_world(district)
    meeting_id = held_meeting(world)
    ctx = make_ctx(world.lars)
    area = WorkArea(ctx)
    qtbot.addWidget(area)
    area.resize(*SMALLEST)
    area.show()
    keys = [area.nav.item(r).text() for r in range(area.nav.count())]
    assert keys[:3] == (
        ["Overblik", "Sager", "Møder"] if language == "da" else ["Overview", "Cases", "Meetings"]
    )
    area.show_area("meetings")
    workspace = area.areas["meetings"]
    assert isinstance(workspace, MeetingWorkspace)
    settle(qtbot, ctx)
    _check(area, language, "meeting_list", tmp_path, qtbot, ctx)

    workspace.tabs.setCurrentIndex(1)
    settle(qtbot, ctx)
    workspace.action_items.all.click()
    settle(qtbot, ctx)
    _check(area, language, "action_items", tmp_path, qtbot, ctx)
    workspace.tabs.setCurrentIndex(0)

    view = workspace.open_meeting(meeting_id)
    qtbot.waitUntil(lambda: view.meeting is not None, timeout=15000)
    settle(qtbot, ctx)
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        _check(area, language, f"meeting_tab{index}", tmp_path, qtbot, ctx)

    view.tabs.setCurrentIndex(0)
    panel = view.agenda.panel
    for name, opener in (
        ("plan_edit", view.edit),
        ("agenda_item", view.agenda.add_item),
        ("decision", lambda: panel.edit_decision(False)),
        ("action_item", lambda: panel.edit_action(False)),
        ("plan_new", workspace.new_meeting),
    ):
        opener()
        dialogs = [d for d in area.findChildren(QDialog) if d.isVisible()]
        assert len(dialogs) == 1, name
        settle(qtbot, ctx)
        _check(dialogs[0], language, name, tmp_path, qtbot, ctx)
        dialogs[0].reject()

    view.minutes_with_names()
    warning = next(d for d in area.findChildren(QMessageBox) if d.isVisible())
    check(warning, language, "names_warning", tmp_path)
    if language == "en":
        assert untranslated(warning) == []
        assert "names" in warning.text()
    warning.reject()

    # A member outside the secret case's group: that item is withheld.
    gitte_ctx = make_ctx(world.gitte)
    gitte_area = WorkArea(gitte_ctx)
    qtbot.addWidget(gitte_area)
    gitte_area.resize(*SMALLEST)
    gitte_area.show()
    gitte_area.show_area("meetings")
    settle(qtbot, gitte_ctx)
    gitte_view = gitte_area.areas["meetings"].open_meeting(meeting_id)
    qtbot.waitUntil(lambda: gitte_view.meeting is not None, timeout=15000)
    gitte_view.agenda.select_row(2)
    assert gitte_view.agenda.panel.stack.currentWidget() is gitte_view.agenda.panel.withheld
    _check(gitte_area, language, "meeting_withheld", tmp_path, qtbot, gitte_ctx)

    # Held and approved: the read-only view and the addendum dialog.
    meeting = world.lars.meetings.get(meeting_id)
    meeting = world.lars.meetings.mark_held(meeting_id, meeting.version)
    world.lars.meetings.approve(meeting_id, meeting.version)
    view.reload()
    settle(qtbot, ctx)
    _check(area, language, "meeting_approved", tmp_path, qtbot, ctx)
    view.add_addendum()
    dialog = next(d for d in area.findChildren(QDialog) if d.isVisible())
    _check(dialog, language, "addendum", tmp_path, qtbot, ctx)
    dialog.reject()


def test_the_clipping_check_can_fail(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    widget = QWidget()
    qtbot.addWidget(widget)
    button = QPushButton("Et meget langt knapnavn der ikke er plads til", widget)
    button.setObjectName("tooLong")
    button.resize(40, 30)
    widget.show()
    assert clipped(widget) == ["tooLong: 'Et meget langt knapnavn der ikke er plads til' 40"]


def test_the_mnemonic_check_can_fail(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    widget = QWidget()
    qtbot.addWidget(widget)
    box = QVBoxLayout(widget)
    box.addWidget(QPushButton("&Tilføj"))
    box.addWidget(QLabel("&Tekst"))
    box.addWidget(QPushButton("Rock && &roll"))
    assert mnemonic_clashes(widget) == ["t"]
