"""The opened case, driven through its tabs and actions as a member would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from infohus_desktop.domain.assessment import ConcernLevel, IndicatorState
from infohus_desktop.domain.cases import MeasureStatus, MeasureType
from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui import i18n
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.assessment import AssessmentDialog
from infohus_desktop.ui.dialogs.cases.journal import JournalDialog
from infohus_desktop.ui.dialogs.cases.measure import MeasureDialog
from infohus_desktop.ui.models.journal import JournalModel
from infohus_desktop.ui.views.cases.case_view import CaseView
from tests.integration.case_fixtures import assessment, fill_case, new_case
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]
NAME, CPR = "Anna Hansen", "0101101234"


@pytest.fixture
def mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def _open(qtbot, ctx: AppContext, number: str) -> CaseView:  # type: ignore[no-untyped-def]
    view = CaseView(ctx, number)
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    return view


def _dialog(qtbot, view: QWidget, kind: type) -> object:  # type: ignore[no-untyped-def]
    found: list[object] = []

    def visible() -> bool:
        found[:] = [d for d in view.findChildren(kind) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(visible)
    return found[0]


def test_the_view_shows_a_filled_case_without_the_name_in_titles(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    number = fill_case(mette, NAME, CPR, "Aarhus Kommune").number
    view = _open(qtbot, make_ctx(mette), number)
    assert view.title.text() == number
    assert view.status.text() == "I Infohus"
    assert "Militant islamisme · Aarhus Kommune" in view.facts.text()
    assert NAME not in view.facts.text() and NAME not in view.windowTitle()
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Overblik",
        "Person",
        "Vurdering (2)",
        "Indsatser (1)",
        "Journal (2)",
        "Bilag (1)",
        "Henvisninger",
        "Historik",
    ]
    overview = view.overview
    assert overview.values["reporter"].text() == "Testskolen, Lærer Lærersen"
    assert overview.values["lead"].text() == "Mette Fjord (Aarhus Kommune)"
    assert "Høj" in overview.level.text()
    assert overview.serious.text() == "Alvorlige tegn: Involveret i vold"
    assert "Mentor · Aarhus Kommune · Planlagt" in overview.measures.text()
    assert view.person.values["name"].text() == NAME
    assert view.person.values["cpr"].text() == "010110-1234"
    assert view.history.tables["status"].rowCount() == 3
    assert view.history.tables["disclosures"].item(0, 5).text() == "Oplysninger om bekymringen"


def test_the_view_is_in_english_when_the_app_is(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    number = fill_case(mette, NAME, CPR, "Aarhus Kommune").number
    i18n.set_language("en")
    view = _open(qtbot, make_ctx(mette), number)
    assert view.status.text() == "In the Infohus"
    assert view.tabs.tabText(5) == "Attachments (1)"
    assert view.overview.serious.text() == "Serious signs: Involved in violence"
    assert view.case_actions["status"].text() == "Change status …"


def test_copy_cpr_puts_it_on_the_clipboard_through_the_guard(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    number = mette.cases.open_case(new_case(NAME, CPR)).number
    ctx = make_ctx(mette)
    view = _open(qtbot, ctx, number)
    view.tabs.setCurrentWidget(view.person)
    qtbot.mouseClick(view.person.copy_cpr, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "010110-1234"
    ctx.clipboard.clear()  # as on lock
    assert QGuiApplication.clipboard().text() == ""


def test_a_new_assessment_shows_in_vurdering_with_what_changed(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    number = mette.cases.open_case(new_case(NAME, CPR)).number
    mette.case_records.assess(number, assessment(ConcernLevel.MEDIUM))
    ctx = make_ctx(mette)
    changed: list[Changes] = []
    ctx.changes.subscribe(ctx.window, [Area.CASES], changed.append)
    view = _open(qtbot, ctx, number)
    view.case_actions["assess"].trigger()
    dialog = _dialog(qtbot, view, AssessmentDialog)
    assert isinstance(dialog, AssessmentDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    # Prefilled from the latest assessment.
    assert dialog.rows["isolation"].state() == IndicatorState.PRESENT
    assert dialog.levels[ConcernLevel.MEDIUM].isChecked()
    qtbot.mouseClick(
        dialog.rows["vaaben_adgang"].buttons[IndicatorState.PRESENT], Qt.MouseButton.LeftButton
    )
    qtbot.keyClicks(dialog.rows["vaaben_adgang"].comment, "Far har jagtgevær")
    dialog.levels[ConcernLevel.HIGH].setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: view.tabs.tabText(2) == "Vurdering (2)", timeout=10000)
    case_id = next(c.id for c in mette.cases.list() if c.number == number)
    assert [c.touches(Area.CASES, case_id) for c in changed] == [True]
    view.tabs.setCurrentWidget(view.assessment)
    assert view.assessment.history.count() == 2
    assert view.assessment.history.currentItem().text().split(" · ")[1] == "Høj"
    heading = view.assessment.heading  # the level in bold, not the markup as text
    assert heading.textFormat() == Qt.TextFormat.RichText
    assert heading.text().startswith("<b>Bekymringsniveau: Høj</b>")
    lines = view.assessment.changes.text().splitlines()
    assert "Let adgang til våben: Ukendt → Til stede" in lines
    assert "Bekymringsniveau: Middel → Høj" in lines
    assert view.assessment.serious.text() == "Alvorlige tegn: Let adgang til våben"
    # The older one is still there, unchanged.
    view.assessment.history.setCurrentRow(1)
    assert view.assessment.changes.text() == "Første vurdering af sagen."


def test_a_journal_correction_keeps_the_original(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    number = fill_case(mette, NAME, CPR, "Aarhus Kommune").number
    view = _open(qtbot, make_ctx(mette), number)
    view.tabs.setCurrentWidget(view.journal)
    journal = view.journal
    original_row = next(
        r
        for r in range(journal.model.rowCount())
        if journal.model.entry(r).text == "Samtale med mor om bekymringen"
    )
    journal.select_row(original_row)
    assert journal.link.text().startswith("Rettet ved notatet af")
    # Who wrote it by name, as colleagues say it, not by login (found by trying it).
    assert journal.model.index(original_row, 2).data() == "Mette Fjord"
    assert journal.meta.text().endswith("· Mette Fjord")
    status_table = view.history.tables["status"]
    assert status_table.item(0, 3).text() == "Mette Fjord"
    qtbot.mouseClick(journal.correct_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, view, JournalDialog)
    assert isinstance(dialog, JournalDialog)
    assert dialog.original.isReadOnly()
    assert dialog.original.toPlainText() == "Samtale med mor om bekymringen"
    dialog.text.selectAll()
    qtbot.keyClicks(dialog.text, "Samtalen var med begge forældre")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: view.tabs.tabText(4) == "Journal (3)", timeout=10000)
    texts = [journal.model.entry(r).text for r in range(journal.model.rowCount())]
    assert texts[0] == "Samtalen var med begge forældre"  # newest first
    assert "Samtale med mor om bekymringen" in texts
    stored = {e.text: e for e in mette.cases.show(number).journal}
    original = stored["Samtale med mor om bekymringen"]
    assert stored["Samtalen var med begge forældre"].corrects == original.id
    journal.select_row(0)
    assert journal.link.isVisible()
    qtbot.mouseClick(journal.link, Qt.MouseButton.LeftButton)
    assert journal.current() == original


def test_attachment_add_save_copy_and_remove(
    qtbot, make_ctx: MakeCtx, mette: MemberServices, tmp_path: Path, monkeypatch
) -> None:
    number = mette.cases.open_case(new_case(NAME, CPR)).number
    view = _open(qtbot, make_ctx(mette), number)
    view.tabs.setCurrentWidget(view.attachments)
    source = tmp_path / "in" / "skolens notat.pdf"
    source.parent.mkdir()
    content = bytes(range(256)) * 5000  # more than one 1 MiB chunk
    source.write_bytes(content)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(source), ""))
    view.case_actions["attach"].trigger()
    table = view.attachments.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=10000)
    assert table.item(0, 0).text() == "skolens notat.pdf"
    assert view.tabs.tabText(5) == "Bilag (1)"

    out = tmp_path / "out"
    out.mkdir()
    target = out / "kopi.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    table.selectRow(0)
    qtbot.mouseClick(view.attachments.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10000)
    qtbot.waitUntil(lambda: view.notice.text() == "Kopien af bilaget er gemt.")
    assert target.read_bytes() == content
    assert [p.name for p in out.iterdir()] == ["kopi.pdf"]  # no temporary file left

    table.selectRow(0)
    qtbot.mouseClick(view.attachments.remove_button, Qt.MouseButton.LeftButton)
    question = view.attachments.findChild(QMessageBox, "removeAttachmentQuestion")
    assert question is not None and question.defaultButton().text() == "Annuller"
    confirm = question.findChild(QPushButton, "confirmButton")
    assert confirm.text() == "&Fjern bilaget"
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table.rowCount() == 0, timeout=10000)
    assert mette.cases.show(number).attachments == ()


def test_a_guest_cannot_reach_what_their_role_does_not_allow(
    qtbot, make_ctx: MakeCtx, district: District, mette: MemberServices
) -> None:
    number = mette.cases.open_case(new_case(NAME, CPR)).number
    view = _open(qtbot, make_ctx(mette), number)
    # A member may do everything but move a case to another group or hand it over to
    # another Infohus (coordinators only).
    coordinators_only = ("move", "transfer")
    assert all(a.isEnabled() for k, a in view.case_actions.items() if k not in coordinators_only)
    assert not any(view.case_actions[k].isEnabled() for k in coordinators_only)
    district.enrol("karl", "Karl Psyk", "Region Midtjylland", Role.GUEST, OrgKind.PSYCHIATRY)
    guest_ctx = make_ctx(district.sessions["karl"])
    guest_view = CaseView(guest_ctx, number)
    qtbot.addWidget(guest_view)
    qtbot.waitUntil(lambda: guest_view.notice.text() not in ("", "Henter sagen …"), timeout=10000)
    assert not guest_view.tabs.isEnabled()  # the case is not shared with the guest
    assert not guest_view.case_actions["journal"].isEnabled()
    # Even on a shared case a guest may write journal entries but never change the status.
    assert guest_view.case_actions["journal"].property("allowed") is True
    assert guest_view.case_actions["status"].property("allowed") is False


def test_the_journal_model_is_a_proper_model(qtmodeltester, mette: MemberServices) -> None:
    number = fill_case(mette, NAME, CPR, "Aarhus Kommune").number
    model = JournalModel()
    model.set_entries(mette.cases.show(number).journal)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0, 4).data().startswith("Rettelse af")
    assert model.index(1, 4).data().startswith("Rettet")


def test_a_measure_is_added_and_updated_from_the_measures_tab(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    number = mette.cases.open_case(new_case(NAME, CPR)).number
    view = _open(qtbot, make_ctx(mette), number)
    view.tabs.setCurrentWidget(view.measures)
    qtbot.mouseClick(view.measures.new_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, view, MeasureDialog)
    assert isinstance(dialog, MeasureDialog)
    dialog.type.setCurrentIndex(dialog.type.findData(MeasureType.CONCERN_CONVERSATION))
    # Typed text would open the completer's popup, which the offscreen platform cannot show.
    dialog.owner.setText("Aarhus Kommune")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    table = view.measures.table
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=10000)
    assert table.item(0, 0).text() == "Bekymringssamtale"

    table.selectRow(0)
    qtbot.mouseClick(view.measures.update_button, Qt.MouseButton.LeftButton)
    update = _dialog(qtbot, view, MeasureDialog)
    assert isinstance(update, MeasureDialog)
    assert update.owner.text() == "Aarhus Kommune"
    update.status.setCurrentIndex(update.status.findData(MeasureStatus.COMPLETED))
    qtbot.keyClicks(update.outcome, "Samtalen er holdt med mor og far")
    qtbot.mouseClick(update.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: table.item(0, 5).text() == "Afsluttet", timeout=10000)
    assert table.item(0, 6).text() == "Samtalen er holdt med mor og far"
    assert "Ingen åbne indsatser." in view.overview.measures.text()


def test_the_history_tab_shows_every_row_whole(
    qtbot, make_ctx: MakeCtx, mette: MemberServices, tmp_path: Path
) -> None:
    """The user trial: the Historik tab's tables were sized before they were shown, so a
    status change of three lines sat in a row one line high and the one screening lay under
    the horizontal scroll bar. Each table is now as tall as its rows, bar included."""
    number = fill_case(mette, NAME, CPR, "Aarhus Kommune").number
    long_reason = (
        "Overdrages ikke endnu: familien flytter først efter skoleårets afslutning, og "
        "skolen følger eleven tæt indtil da sammen med SSP-konsulenten og politiet"
    )
    from infohus_desktop.domain.workflow import CaseStatus

    mette.cases.change_status(number, CaseStatus.MEASURES, long_reason)
    view = _open(qtbot, make_ctx(mette), number)
    view.tabs.setCurrentWidget(view.history)
    qtbot.wait(200)
    view.resize(640, 720)  # a narrower pane: the reasons wrap to more lines
    qtbot.wait(200)  # the columns settle, the rows are measured again

    for key, table in view.history.tables.items():
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        assert table.viewport().height() >= rows, key  # nothing under a bar or cut off
        for r in range(table.rowCount()):
            assert table.rowHeight(r) >= table.sizeHintForRow(r), (key, r)
    if (shots := __import__("os").environ.get("INFOHUS_SCREENSHOTS")) is not None:
        view.grab().save(str(Path(shots) / "case-history-da.png"))
