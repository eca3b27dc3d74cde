"""The cases workspace on a real vault: the list arrives from the worker, filters as the user
types, audits a search once per pause, refreshes when a case changes, and never touches the
database from the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.changes import Changes
from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui import i18n
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.intake import IntakeDialog
from infohus_desktop.ui.models.case_columns import COL_CATEGORY, COL_NAME
from infohus_desktop.ui.views.cases.case_view import CaseView
from infohus_desktop.ui.views.cases.workspace import CaseWorkspace
from tests.integration.conftest import District
from tests.ui.case_list_data import open_case, summary

TODAY = date.today()
MakeCtx = Callable[[MemberServices], AppContext]


@dataclass
class Cases:
    lars: MemberServices
    numbers: dict[str, str]  # first name -> case number


@pytest.fixture
def cases(district: District) -> Cases:
    """Four cases by lars (police coordinator), one by mette (Aarhus member)."""
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    day = timedelta(days=1)
    made = {
        "Jens": open_case(
            lars, "Jens Peter Andersen", "1203054123", "Aarhus Kommune", TODAY - 10 * day,
            follow_up=TODAY - day,
        ),
        "Søren": open_case(
            lars, "Søren Østergaard", None, "Randers Kommune", TODAY - 20 * day,
            "hoejreekstremisme", CaseStatus.IN_INFOHUS,
        ),
        "Åse": open_case(
            lars, "Åse Ærø Hansen", "0101991234", "Aarhus Kommune", TODAY - 30 * day,
            status=CaseStatus.CLOSED,
        ),
        "Ida": open_case(
            lars, "Ida Andersen-Holm", "2507074567", "Randers Kommune", TODAY - 40 * day,
            status=CaseStatus.MEASURES,
        ),
        "Karl": open_case(mette, "Karl Bæk", None, "Aarhus Kommune", TODAY - 5 * day),
    }  # fmt: skip
    return Cases(lars, {name: s.number for name, s in made.items()})


def idle(qtbot: QtBot, ws: CaseWorkspace) -> None:
    qtbot.waitUntil(lambda: not ws.ctx.runner.busy and not ws._loading, timeout=20000)


@pytest.fixture
def workspace(qtbot: QtBot, make_ctx: MakeCtx, cases: Cases) -> Iterator[CaseWorkspace]:
    ctx: AppContext = make_ctx(cases.lars)
    ws = CaseWorkspace(ctx)
    qtbot.addWidget(ws)
    ws.resize(1000, 600)
    ws.show()
    qtbot.waitUntil(lambda: ws.model.rowCount() == 5, timeout=20000)
    idle(qtbot, ws)
    yield ws
    idle(qtbot, ws)


def shown_numbers(ws: CaseWorkspace) -> set[str]:
    return {ws.proxy.index(r, 0).data() for r in range(ws.proxy.rowCount())}


def search_entries(lars: MemberServices) -> list[str | None]:
    return [e.detail for e in lars.audit.list(limit=50, action="case.search")]


def case_changed(ws: CaseWorkspace, number: str) -> None:
    """What the feed says when another session changed the case (as the server's live
    updates will)."""
    ws.ctx.changes.publish(Changes.of([("case.edit", number)]))


def test_the_list_arrives_and_filters_as_you_type(
    qtbot: QtBot, workspace: CaseWorkspace, cases: Cases
) -> None:
    ws, n = workspace, cases.numbers
    # All open cases by default: Åse's case is closed.
    assert shown_numbers(ws) == {n["Jens"], n["Søren"], n["Ida"], n["Karl"]}
    assert ws.count.text() == "4 af 5 sager"
    assert ws.filters.search.placeholderText() == "Søg på sagsnr., navn eller CPR"
    assert ws.table.isEnabled() and ws.busy.isHidden()
    # The categories and the lead choices came from the worker too.
    assert ws.filters.category.findData("hoejreekstremisme") > 0
    assert ws.filters.lead.findText("Mette Fjord") > 0

    qtbot.keyClicks(ws.filters.search, "ande")
    qtbot.waitUntil(lambda: ws.count.text() == "2 af 5 sager")
    assert shown_numbers(ws) == {n["Jens"], n["Ida"]}
    ws.filters.search.clear()
    qtbot.keyClicks(ws.filters.search, "østerg")
    qtbot.waitUntil(lambda: shown_numbers(ws) == {n["Søren"]})
    for typed in ("120305-41", "1203054123", n["Ida"][-4:]):
        ws.filters.search.clear()
        qtbot.keyClicks(ws.filters.search, typed)
        qtbot.waitUntil(lambda: ws.count.text() == "1 af 5 sager")
    ws.filters.search.clear()
    qtbot.keyClicks(ws.filters.search, "zzz")
    qtbot.waitUntil(lambda: ws.list_stack.currentIndex() == 1)
    assert ws.empty_text.text() == "Ingen sager matcher filteret"
    qtbot.mouseClick(ws.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ws.count.text() == "4 af 5 sager")
    assert ws.list_stack.currentIndex() == 0 and ws.filters.search.text() == ""


def test_the_rows_arrive_with_their_categories_in_words(
    qtbot: QtBot, make_ctx: MakeCtx, cases: Cases
) -> None:
    """The categories are asked for before the list, so the rows never show a code first
    (and the worker reads them while the window waits, not while it fills the model)."""
    ws = CaseWorkspace(make_ctx(cases.lars))
    qtbot.addWidget(ws)
    first_shown: list[str] = []

    def reset() -> None:
        if ws.model.rowCount() and not first_shown:
            rows = range(ws.model.rowCount())
            first_shown.extend(ws.model.index(r, COL_CATEGORY).data() for r in rows)

    ws.model.modelReset.connect(reset)
    qtbot.waitUntil(lambda: bool(first_shown), timeout=20000)
    idle(qtbot, ws)
    assert "Højreekstremisme" in first_shown
    assert "hoejreekstremisme" not in first_shown


def test_a_search_is_audited_once_per_pause(
    qtbot: QtBot, workspace: CaseWorkspace, cases: Cases
) -> None:
    ws = workspace
    before = len(search_entries(cases.lars))
    qtbot.keyClicks(ws.filters.search, "Andersen")
    qtbot.waitUntil(lambda: ws.count.text() == "2 af 5 sager")
    idle(qtbot, ws)
    # Eight keystrokes, nothing logged yet: the pause has not come.
    assert ws.search_audit_timer.isActive()
    assert ws.search_audit_timer.interval() == 1500
    assert len(search_entries(cases.lars)) == before
    ws.search_audit_timer.timeout.emit()  # the pause
    idle(qtbot, ws)
    entries = search_entries(cases.lars)
    assert len(entries) == before + 1
    assert "search='Andersen'" in (entries[0] or "")
    assert not ws.search_audit_timer.isActive()
    # The same text again is not a new search; a new text after a pause is.
    ws.audit_search()
    qtbot.keyClicks(ws.filters.search, " I")
    ws.search_audit_timer.timeout.emit()
    idle(qtbot, ws)
    entries = search_entries(cases.lars)
    assert len(entries) == before + 2
    assert "search='Andersen I'" in (entries[0] or "")
    # Typed and cleared before the pause: still one search, logged when the box is cleared.
    ws.filters.search.clear()
    qtbot.keyClicks(ws.filters.search, "Bæk")
    qtbot.waitUntil(lambda: ws.count.text() == "1 af 5 sager")
    ws.filters.search.clear()
    idle(qtbot, ws)
    assert not ws.search_audit_timer.isActive()
    entries = search_entries(cases.lars)
    assert len(entries) == before + 3
    assert "search='Bæk'" in (entries[0] or "")
    # The same words again later are a new search.
    qtbot.keyClicks(ws.filters.search, "Bæk")
    ws.search_audit_timer.timeout.emit()
    idle(qtbot, ws)
    assert len(search_entries(cases.lars)) == before + 4


def test_the_filter_bar(qtbot: QtBot, workspace: CaseWorkspace, cases: Cases) -> None:
    ws, n = workspace, cases.numbers
    ws.filters.status.every.trigger()
    assert ws.count.text() == "5 af 5 sager"
    assert ws.filters.status.text() == "Status: Alle"
    ws.filters.status.actions_by_status[CaseStatus.CLOSED].setChecked(False)
    ws.filters.status.actions_by_status[CaseStatus.TRANSFERRED].setChecked(False)
    assert ws.filters.status.text() == "Status: Alle åbne"
    ws.filters.status.set_statuses({CaseStatus.CLOSED, CaseStatus.MEASURES})
    assert shown_numbers(ws) == {n["Åse"], n["Ida"]}
    ws.filters.status.every.trigger()
    ws.filters.municipality.setCurrentIndex(ws.filters.municipality.findText("Randers Kommune"))
    assert shown_numbers(ws) == {n["Søren"], n["Ida"]}
    ws.filters.municipality.setCurrentIndex(0)
    ws.filters.category.setCurrentIndex(ws.filters.category.findData("hoejreekstremisme"))
    assert shown_numbers(ws) == {n["Søren"]}
    ws.filters.category.setCurrentIndex(0)
    ws.filters.lead.setCurrentIndex(ws.filters.lead.findText("Mine sager"))
    assert shown_numbers(ws) == {n["Jens"], n["Søren"], n["Åse"], n["Ida"]}
    ws.filters.lead.setCurrentIndex(ws.filters.lead.findText("Mette Fjord"))
    assert shown_numbers(ws) == {n["Karl"]}
    ws.filters.lead.setCurrentIndex(0)
    qtbot.mouseClick(ws.filters.due, Qt.MouseButton.LeftButton)
    assert shown_numbers(ws) == {n["Jens"]}  # follow-up yesterday, open
    row = ws.proxy.index(0, 7)
    assert row.data(Qt.ItemDataRole.FontRole).bold()
    ws.filters.reset()
    assert ws.count.text() == "4 af 5 sager"


def test_a_changed_case_refreshes_the_list_keeping_the_selection(
    qtbot: QtBot, workspace: CaseWorkspace, cases: Cases
) -> None:
    ws, n = workspace, cases.numbers
    assert ws.select_number(n["Jens"])
    cases.lars.cases.change_status(
        n["Søren"], CaseStatus.CLOSED, "Ubegrundet", ClosingReason.UNFOUNDED
    )
    case_changed(ws, n["Søren"])
    qtbot.waitUntil(lambda: ws.count.text() == "3 af 5 sager", timeout=20000)
    idle(qtbot, ws)
    assert n["Søren"] not in shown_numbers(ws)
    assert ws.selected_number() == n["Jens"]
    # Two changes while a fetch runs make one more fetch, not two.
    case_changed(ws, n["Jens"])
    case_changed(ws, n["Ida"])
    assert ws._reload_again
    idle(qtbot, ws)
    assert not ws._reload_again and ws.selected_number() == n["Jens"]


def close_soeren(qtbot: QtBot, ws: CaseWorkspace, cases: Cases) -> object:
    """Søren's case closed in the session, as a save announces it; it leaves the open cases.
    Returns its id."""
    number = cases.numbers["Søren"]
    saved = cases.lars.cases.change_status(
        number, CaseStatus.CLOSED, "Ubegrundet", ClosingReason.UNFOUNDED
    )
    ws.ctx.changes.publish(Changes.of([("case.status", saved.id)]))
    qtbot.waitUntil(lambda: ws.count.text() == "3 af 5 sager", timeout=20000)
    idle(qtbot, ws)
    assert number not in shown_numbers(ws)
    return saved.id


def test_a_save_updates_its_one_row_without_fetching_the_list(
    qtbot: QtBot, workspace: CaseWorkspace, cases: Cases
) -> None:
    ws, n = workspace, cases.numbers
    assert ws.select_number(n["Jens"])
    resets: list[bool] = []
    ws.model.modelReset.connect(lambda: resets.append(True))
    lists_before = len(cases.lars.audit.list(limit=500, action="case.list"))
    saved_id = close_soeren(qtbot, ws, cases)
    assert resets == []  # the rows stayed; Søren's alone changed
    assert ws.selected_number() == n["Jens"]
    # The row update is audited as a list of the changed case, not of every case (the
    # session's own change reaches the feed once more after the worker's call: the same row).
    entries = cases.lars.audit.list(limit=500, action="case.list")
    new = entries[: len(entries) - lists_before]
    assert new and all(f"changed=['{saved_id}']" in (e.detail or "") for e in new)


def test_a_selected_case_that_leaves_the_list_leaves_no_other_row_selected(
    qtbot: QtBot, workspace: CaseWorkspace, cases: Cases
) -> None:
    """The selected case is closed (or handed over) and leaves "open cases": the row that
    slides into its place must not stand selected beside the case still open on the right."""
    ws, n = workspace, cases.numbers
    assert ws.select_number(n["Søren"])
    close_soeren(qtbot, ws, cases)
    assert ws.selected_number() is None
    assert not ws.table.selectionModel().currentIndex().isValid()


def test_refresh_keeps_the_scroll_position(qtbot: QtBot, workspace: CaseWorkspace) -> None:
    ws = workspace
    many = [summary(f"AAR-2026-{i:04d}", f"Person {i}") for i in range(1, 301)]
    ws._loaded(many)
    bar = ws.table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100)
    ws.select_number("AAR-2026-0150")
    bar.setValue(bar.maximum() // 2)
    position = bar.value()
    ws._loaded(list(reversed(many)))  # the same cases, fetched again
    assert bar.value() == position
    assert ws.selected_number() == "AAR-2026-0150"


def test_sorting_by_clicking_a_header(qtbot: QtBot, workspace: CaseWorkspace) -> None:
    ws = workspace
    ws.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    shown = [ws.proxy.index(r, COL_NAME).data() for r in range(ws.proxy.rowCount())]
    assert shown == ["Ida Andersen-Holm", "Jens Peter Andersen", "Karl Bæk", "Søren Østergaard"]


def test_opening_a_case(qtbot: QtBot, workspace: CaseWorkspace, cases: Cases) -> None:
    ws = workspace
    assert ws.case_pane.isHidden()
    ws.select_number(cases.numbers["Jens"])
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_Return)
    assert ws.opened_number == cases.numbers["Jens"]
    assert not ws.case_pane.isHidden()
    assert isinstance(ws.case_view, CaseView)
    idle(qtbot, ws)
    # Enter in the search box opens the only match.
    qtbot.keyClicks(ws.filters.search, "Østergaard")
    qtbot.waitUntil(lambda: ws.proxy.rowCount() == 1)
    qtbot.keyClick(ws.filters.search, Qt.Key.Key_Return)
    assert ws.opened_number == cases.numbers["Søren"]
    idle(qtbot, ws)


def test_shortcuts(qtbot: QtBot, workspace: CaseWorkspace) -> None:
    ws = workspace
    keys = {a.objectName(): a.shortcut() for a in ws.actions() if isinstance(a, QAction)}
    assert keys["focusSearch"] == QKeySequence(QKeySequence.StandardKey.Find)
    assert keys["newCaseAction"] == QKeySequence("Ctrl+N")
    assert QKeySequence("F5") in QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh)
    ws.table.setFocus()
    ws.findChild(QAction, "focusSearch").trigger()
    assert ws.filters.search.hasFocus() or ws.focusWidget() is ws.filters.search


def test_new_case_opens_the_intake_dialog(qtbot: QtBot, workspace: CaseWorkspace) -> None:
    ws = workspace
    assert ws.new_button.isVisible()
    ws.findChild(QAction, "newCaseAction").trigger()
    dialog = ws.findChild(IntakeDialog)
    assert dialog is not None and dialog.isVisible()
    idle(qtbot, ws)
    dialog.created.emit(ws.model.case_at(0))  # as after a save: the new case opens
    assert ws.opened_number == ws.model.case_at(0).number
    idle(qtbot, ws)
    dialog.reject()


def test_english(qtbot: QtBot, make_ctx: MakeCtx, cases: Cases) -> None:
    i18n.set_language("en")
    ws = CaseWorkspace(make_ctx(cases.lars))
    qtbot.addWidget(ws)
    qtbot.waitUntil(lambda: ws.model.rowCount() == 5, timeout=20000)
    idle(qtbot, ws)
    assert ws.count.text() == "4 of 5 cases"
    assert ws.filters.search.placeholderText() == "Search by case no., name or CPR"
    assert ws.filters.status.text() == "Status: All open"
    assert ws.new_button.text() == "&New case"
    headers = [ws.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == [
        "Case no.", "Status", "Category", "Municipality", "Name", "CPR", "Received", "Follow-up"
    ]  # fmt: skip


def test_the_gui_thread_never_queries_the_database(
    qtbot: QtBot, make_ctx: MakeCtx, cases: Cases
) -> None:
    on_main: list[bool] = []

    def record(*_args: object) -> None:
        on_main.append(threading.current_thread() is threading.main_thread())

    engine = cases.lars.vault.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        ws = CaseWorkspace(make_ctx(cases.lars))
        qtbot.addWidget(ws)
        ws.show()
        qtbot.waitUntil(lambda: ws.model.rowCount() == 5, timeout=20000)
        idle(qtbot, ws)
        qtbot.keyClicks(ws.filters.search, "ande")
        qtbot.waitUntil(lambda: ws.proxy.rowCount() == 2)
        ws.filters.status.every.trigger()
        ws.filters.due.setChecked(True)
        ws.table.sortByColumn(COL_NAME, Qt.SortOrder.DescendingOrder)
        ws.search_audit_timer.timeout.emit()
        case_changed(ws, cases.numbers["Jens"])
        idle(qtbot, ws)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert on_main.count(False) > 10  # the list, categories, members, audit, refresh
    assert True not in on_main


def test_beside_an_opened_case_columns_give_way_and_filters_wrap(
    qtbot: QtBot, workspace: CaseWorkspace, cases: Cases
) -> None:
    ws = workspace
    table = ws.table
    ws.resize(1400, 600)
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in range(8)))
    ws.resize(700, 600)
    # Number, name and follow-up stay; the municipality goes first.
    qtbot.waitUntil(lambda: table.isColumnHidden(3))
    assert not any(table.isColumnHidden(c) for c in (0, 4, 7))
    # The filter row wraps instead of cutting texts: every filter lies inside the bar.
    bar = ws.filters
    qtbot.waitUntil(lambda: bar.due.geometry().bottom() < bar.height())
    for widget in (bar.status, bar.category, bar.municipality, bar.lead, bar.due):
        assert widget.width() >= widget.sizeHint().width()
    ws.open_case(cases.numbers["Ida"])
    assert not ws.case_pane.isHidden()
    idle(qtbot, ws)
    ws.findChild(QAction, "closeCaseAction").trigger()
    assert ws.case_pane.isHidden() and ws.opened_number is None and ws.case_view is None
    ws.resize(1400, 600)
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in range(8)))


def test_leaving_the_area_logs_a_pending_search_even_on_lock(
    qtbot: QtBot, workspace: CaseWorkspace, cases: Cases, district: District
) -> None:
    ws = workspace
    bugs: list[BaseException] = []
    ws.ctx.runner.on_bug = bugs.append
    before = len(search_entries(cases.lars))
    qtbot.keyClicks(ws.filters.search, "Ida")
    ws.hide()  # another area, before the pause
    idle(qtbot, ws)
    assert len(search_entries(cases.lars)) == before + 1
    ws.show()
    qtbot.keyClicks(ws.filters.search, " A")
    # On lock the shell hides the work area first, then locks: the pending search is logged
    # before the keys go.
    ws.hide()
    idle(qtbot, ws)
    ws.ctx.session.lock()
    assert not bugs
    assert not ws.ctx.window.findChildren(QMessageBox)
    assert "search='Ida A'" in (search_entries(district.unlock("lars"))[0] or "")
    with pytest.raises(AccessDenied):  # a locked session writes nothing more
        ws.ctx.session.audited_read("case.search", None, Purpose.CASEWORK, "x")
