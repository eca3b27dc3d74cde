"""The trends area, driven as a user drives it: write a note, type a CPR number and the name
of a person in a case, see the warning where and why, confirm and save; filters and search;
an edit that meets someone else's save; links between notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester

from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.trends import (
    AreaKind,
    Development,
    SourceKind,
    TrendAction,
    TrendContent,
)
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.trends.personal_data_check import FindingKind
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.trends.trend_conflict import TrendConflictDialog
from infohus_desktop.ui.dialogs.trends.trend_links import LinkNoteDialog
from infohus_desktop.ui.dialogs.trends.trend_note import TrendNoteDialog
from infohus_desktop.ui.models.trend_list import COL_DEVELOPMENT, COL_TITLE, TrendListModel
from infohus_desktop.ui.views.trends.workspace import TrendWorkspace
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]


@pytest.fixture
def mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def content(title: str, **changes: object) -> TrendContent:
    base = TrendContent(
        title=title,
        period_from=date(2026, 7, 1),
        period_to=date(2026, 9, 30),
        area_kind=AreaKind.MUNICIPALITY,
        area="Aarhus Kommune",
        theme="hoejreekstremisme",
        description="Flere elever deler memes i lukkede grupper.",
        source_kinds=(SourceKind.SCHOOL,),
        development=Development.RISING,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def type_text(widget: object, text: str) -> None:
    """Typing with Danish letters (QTest's key clicks take ASCII only): inserted at the
    cursor, as typing does, so the same change signals fire."""
    if hasattr(widget, "insertPlainText"):
        widget.insertPlainText(text)  # type: ignore[attr-defined]
    else:
        widget.insert(text)  # type: ignore[attr-defined]
        widget.textEdited.emit(widget.text())  # type: ignore[attr-defined]


def _workspace(qtbot, ctx: AppContext) -> TrendWorkspace:  # type: ignore[no-untyped-def]
    workspace = TrendWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 700)
    workspace.show()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10000)
    return workspace


def _new_dialog(qtbot, workspace: TrendWorkspace) -> TrendNoteDialog:  # type: ignore[no-untyped-def]
    workspace.new_note()
    dialog = workspace.findChild(TrendNoteDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)  # themes and names loaded
    return dialog


def test_write_a_note_see_the_warning_confirm_and_save(
    qtbot, make_ctx: MakeCtx, mette: MemberServices, district: District
) -> None:
    mette.cases.open_case(new_case("Søren Ærbø Østergaard", "070761-4285"))
    ctx = make_ctx(mette)
    workspace = _workspace(qtbot, ctx)
    assert workspace.model.rowCount() == 0
    dialog = _new_dialog(qtbot, workspace)
    assert dialog.names is not None and len(dialog.names) == 1
    type_text(dialog.title_edit, "Flere klistermærker ved skoler")
    # No theme or development is suggested (either would read as a finding).
    assert dialog.theme.currentIndex() == -1 and dialog.development.currentIndex() == -1
    dialog.ok_button.click()
    assert dialog.error.text() == "Vælg et tema."
    dialog.theme.setCurrentIndex(dialog.theme.findData("hoejreekstremisme"))
    dialog.development.setCurrentIndex(dialog.development.findData("stigende"))
    type_text(dialog.area, "Aarhus Kommune")
    dialog.sources[SourceKind.SCHOOL].setChecked(True)
    type_text(dialog.description, "Klistermærker set ved tre skoler.")
    qtbot.wait(400)  # a pause in typing: the check ran
    assert dialog.panel.findings == []
    assert not dialog.panel.list.isVisible()
    type_text(dialog.description, "\nCPR 070761 4285 nævnt af søren østergaard.")
    qtbot.waitUntil(lambda: len(dialog.panel.findings) == 2, timeout=3000)
    kinds = [(f.kind, f.line) for f in dialog.panel.findings]
    assert kinds == [(FindingKind.CPR, 2), (FindingKind.NAME, 2)]
    assert dialog.panel.list.isVisible()
    items = [dialog.panel.list.item(i).text() for i in range(dialog.panel.list.count())]
    assert items[0].startswith("Beskrivelse, linje 2, tegn 5: ligner et CPR-nummer")
    assert "person i en sag" in items[1]
    marks = dialog.description.extraSelections()
    text = dialog.description.toPlainText()
    assert [text[m.cursor.selectionStart() : m.cursor.selectionEnd()] for m in marks] == [
        "070761 4285",
        "søren østergaard",
    ]
    # A name in the title is marked on the field itself.
    type_text(dialog.title_edit, " (Søren Østergaard)")
    qtbot.waitUntil(lambda: len(dialog.panel.findings) == 3, timeout=3000)
    assert "border" in dialog.title_edit.styleSheet()
    dialog.title_edit.setText("Flere klistermærker ved skoler")
    qtbot.waitUntil(lambda: len(dialog.panel.findings) == 2, timeout=3000)
    assert dialog.title_edit.styleSheet() == ""

    # Saving asks first; "Ret teksten" goes back to the text and saves nothing.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "tegn 5" in box.informativeText() and "4285" not in box.informativeText()
    box.findChild(type(dialog.ok_button), "backToText").click()
    qtbot.waitUntil(lambda: dialog.confirm_box is None)
    assert dialog.isVisible() and mette.trends.list() == []
    assert dialog.description.textCursor().selectedText() == "070761 4285"
    # Confirm and save.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog.confirm_box.findChild(type(dialog.ok_button), "confirmSave").click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert dialog.result_note is not None
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    assert workspace.view.title.text() == "Flere klistermærker ved skoler"
    lars = district.unlock("lars")
    actions = [e.action for e in lars.audit.list(limit=100)]
    assert TrendAction.PERSONAL_DATA_CONFIRMED in actions
    assert TrendAction.NAME_CHECK in actions


def test_filters_and_search_ask_the_service(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    mette.trends.create(content("Memes i skolegården"))
    mette.trends.create(
        content(
            "Konspirationskanaler",
            theme="konspiration",
            area_kind=AreaKind.ONLINE,
            area="Telegram",
            development=Development.FALLING,
        )
    )
    ctx = make_ctx(mette)
    workspace = _workspace(qtbot, ctx)
    assert workspace.model.rowCount() == 2
    ModelTester(None).check(workspace.model)  # type: ignore[arg-type]

    def titles() -> list[str]:
        model = workspace.model
        return [model.data(model.index(r, COL_TITLE)) for r in range(model.rowCount())]

    filters = workspace.filters
    filters.theme.setCurrentIndex(filters.theme.findData("konspiration"))
    qtbot.waitUntil(lambda: titles() == ["Konspirationskanaler"], timeout=10000)
    assert "↘" in workspace.model.data(workspace.model.index(0, COL_DEVELOPMENT))
    filters.reset()
    qtbot.waitUntil(lambda: len(titles()) == 2, timeout=10000)
    type_text(filters.search, "skolegården")
    qtbot.waitUntil(lambda: titles() == ["Memes i skolegården"], timeout=10000)
    type_text(filters.search, " ingenting")
    qtbot.waitUntil(lambda: titles() == [], timeout=10000)
    assert workspace.empty.isVisible() and "filteret" in workspace.empty.text()


def test_an_edit_that_meets_another_save_asks_per_field(
    qtbot, make_ctx: MakeCtx, mette: MemberServices, district: District
) -> None:
    note = mette.trends.create(content("Memes i skolegården"))
    ctx = make_ctx(mette)
    workspace = _workspace(qtbot, ctx)
    workspace.open_note(note.id)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    workspace.edit_note()
    dialog = workspace.findChild(TrendNoteDialog)
    qtbot.waitUntil(lambda: dialog.title_edit.text() == "Memes i skolegården", timeout=10000)
    # Meanwhile Jens changes the title and the development.
    jens = district.enrol("jens", "Jens Bo", "Randers Kommune", Role.MEMBER)
    jens.trends.edit(
        note.id,
        1,
        replace(note.content, title="Jens' titel", development=Development.STABLE),
    )
    dialog.title_edit.setText("Mettes titel")
    dialog.area.setText("Aarhus og omegn")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflict is not None, timeout=10000)
    conflict = dialog.conflict
    assert isinstance(conflict, TrendConflictDialog)
    qtbot.waitUntil(conflict.ok_button.isEnabled, timeout=10000)
    assert list(conflict.groups) == ["title"]  # only the field both changed
    assert "Område" in conflict.kept.text()
    conflict.pick_side("title", mine=False)
    qtbot.mouseClick(conflict.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    saved = mette.trends.get(note.id)
    assert (saved.content.title, saved.content.area) == ("Jens' titel", "Aarhus og omegn")
    assert saved.content.development == Development.STABLE
    assert saved.version == 3


def test_link_two_notes_from_the_opened_note(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    a = mette.trends.create(content("A-tendens"))
    mette.trends.create(content("B-tendens"))
    ctx = make_ctx(mette)
    workspace = _workspace(qtbot, ctx)
    workspace.open_note(a.id)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    assert workspace.view.related_empty.isVisible()
    workspace.link_note()
    picker = workspace.findChild(LinkNoteDialog)
    assert [picker.list.item(i).text()[-9:] for i in range(picker.list.count())] == ["B-tendens"]
    qtbot.mouseClick(picker.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.view.related.count() == 1, timeout=10000)
    assert [r.title for r in mette.trends.get(a.id).related] == ["B-tendens"]
    workspace.view.related.setCurrentRow(0)
    qtbot.mouseClick(workspace.view.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.view.related.count() == 0, timeout=10000)


def test_the_list_model(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = TrendListModel()
    tester = ModelTester(None)  # type: ignore[arg-type]
    tester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == 6


def test_the_area_reads_nothing_until_shown_and_an_unchanged_save_writes_nothing(
    qtbot, make_ctx: MakeCtx, mette: MemberServices, district: District
) -> None:
    note = mette.trends.create(content("Memes i skolegården"))
    ctx = make_ctx(mette)
    workspace = TrendWorkspace(ctx)  # built at unlock, with every other area
    qtbot.addWidget(workspace)
    qtbot.wait(50)
    lars = district.unlock("lars")

    def trend_reads() -> int:
        entries = lars.audit.list(limit=200)
        return sum(e.action == TrendAction.LIST and e.actor_login == "mette" for e in entries)

    assert trend_reads() == 0
    workspace.show()
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 1, timeout=10000)
    assert trend_reads() == 1
    workspace.open_note(note.id)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    workspace.edit_note()
    dialog = workspace.findChild(TrendNoteDialog)
    qtbot.waitUntil(lambda: dialog.title_edit.text() == "Memes i skolegården", timeout=10000)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert mette.trends.get(note.id).version == 1
