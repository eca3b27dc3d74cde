"""The *Tilsyn* area as the DPO uses it: the log opened newest first a page at a time,
filtered by member and case number, verified in the background with the result in words,
and exported as CSV for Danish Excel."""

from __future__ import annotations

import csv
import io
import os
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from infohus_desktop.crypto import aead, signing
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import add_months
from infohus_desktop.services.audit import pruning
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui import i18n
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.models.audit_log import (
    COL_ACTION,
    COL_DETAIL,
    COL_OBJECT,
    COL_TIME,
    COL_USER,
)
from infohus_desktop.ui.views.supervision.insight import InsightDialog
from infohus_desktop.ui.views.supervision.prune import PruneLogDialog
from infohus_desktop.ui.views.supervision.spot_check import COL_NOTE, COL_OUTCOME
from infohus_desktop.ui.views.supervision.view import PAGE, SupervisionView
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]


def _column(view: SupervisionView, column: int) -> list[str]:
    model = view.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_dpo_reads_filters_verifies_and_exports_the_log(
    qtbot: QtBot, make_ctx: MakeCtx, district: District, tmp_path: Path
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    numbers = [mette.cases.open_case(new_case(f"Person {n}")).number for n in range(3)]
    for _ in range(PAGE + 10):  # more than a page of entries
        mette.cases.show(numbers[0])
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    view = SupervisionView(make_ctx(dorte))
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() == PAGE, timeout=20000)
    ModelTester(None).check(view.model, force_py=True)  # type: ignore[arg-type]
    assert not view.model.exhausted  # the first page only; more on scrolling
    view.model.fetchMore()
    qtbot.waitUntil(lambda: view.model.rowCount() > PAGE, timeout=20000)

    view.login.setText("mette")
    view.case.setText(numbers[1])
    view.apply_filters()
    qtbot.waitUntil(lambda: view.model.exhausted and view.model.rowCount() > 0, timeout=20000)
    assert set(_column(view, COL_USER)) == {"mette"}
    assert "Oprettelse af sagen" in _column(view, COL_ACTION)  # in words, the code in the tip
    model = view.model
    tips = {
        model.index(r, COL_ACTION).data(Qt.ItemDataRole.ToolTipRole)
        for r in range(model.rowCount())
    }
    assert "case.create" in tips
    assert set(_column(view, COL_OBJECT)) == {numbers[1]}  # named by its number
    # The action as the table names it, in words: "Opslag" finds the reads, not only
    # the code case.read (it found nothing: user trial).
    view.case.setText("")
    view.action.setText("opslag")
    view.apply_filters()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20000)
    assert set(_column(view, COL_ACTION)) <= {"Opslag", "Opslag i vurderinger"}
    assert "Opslag" in _column(view, COL_ACTION)
    view.action.setText("case.create")  # a code as it is
    view.apply_filters()
    qtbot.waitUntil(lambda: view.model.exhausted and view.model.rowCount() > 0, timeout=20000)
    assert set(_column(view, COL_ACTION)) == {"Oprettelse af sagen"}
    view.action.setText("")
    view.case.setText(numbers[1])
    view.apply_filters()
    qtbot.waitUntil(lambda: view.model.exhausted and view.model.rowCount() > 0, timeout=20000)
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        view.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "supervision-da.png"))

    view.verify()
    qtbot.waitUntil(lambda: view.verify_button.isEnabled(), timeout=30000)
    assert view.status.text().startswith("Loggen er hel:")

    target = tmp_path / "log.csv"
    view.choose_csv_file = lambda: target  # type: ignore[method-assign]
    view.export_csv()
    qtbot.waitUntil(lambda: "gemt som log.csv" in view.status.text(), timeout=20000)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Danish Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["nr", "tidspunkt", "bruger"]
    assert {r[2] for r in rows[1:]} == {"mette"} and len(rows) == view.model.rowCount() + 1
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    view.tabs.setCurrentWidget(view.counters)
    view.counters.compute()
    qtbot.waitUntil(lambda: view.counters.reads.rowCount() > 0, timeout=20000)
    [reads] = [
        int(view.counters.reads.item(r, 2).text())
        for r in range(view.counters.reads.rowCount())
        if view.counters.reads.item(r, 0).text() == "mette"
    ]
    assert reads == PAGE + 10
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        view.grab().save(
            str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "supervision-figures-da.png")
        )
    assert view.counters.values["outputs"].text() == "0"  # the CSV of the log is not counted


def test_the_dpo_reads_each_detail_in_words_with_the_stored_detail_in_its_tip(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """``search='Person 1'`` and ``within=30`` are read as words, in Danish and in English;
    the tooltip keeps the detail as the entry stores it."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    number = mette.cases.open_case(new_case("Person 1")).number
    mette.cases.list(search="Person 1")
    mette.cases.show(number)
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    view = SupervisionView(make_ctx(dorte))
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    qtbot.waitUntil(lambda: view.model.exhausted and view.model.rowCount() > 0, timeout=20000)
    qtbot.wait(50)  # the count label laid out, as the window shows it
    model = view.model
    row = next(r for r in range(model.rowCount()) if model.entry(r).action == "case.search")
    assert model.index(row, COL_DETAIL).data() == "Søgt efter »Person 1«"
    tip = model.index(row, COL_DETAIL).data(Qt.ItemDataRole.ToolTipRole)
    assert "Søgt efter »Person 1«" in tip and "search='Person 1'" in tip
    created = next(r for r in range(model.rowCount()) if model.entry(r).action == "case.create")
    assert model.index(created, COL_DETAIL).data() == f"Sagsnummer {number}"
    shots = os.environ.get("INFOHUS_SCREENSHOTS")
    if shots:
        view.grab().save(str(Path(shots) / "supervision-details-da.png"))
    i18n.set_language("en")
    assert model.index(row, COL_DETAIL).data() == 'Searched for "Person 1"'
    if shots:
        english = SupervisionView(make_ctx(dorte))
        qtbot.addWidget(english)
        english.resize(1100, 500)
        english.show()
        qtbot.waitUntil(lambda: english.model.exhausted, timeout=20000)
        english.grab().save(str(Path(shots) / "supervision-details-en.png"))
    # Filtered, emptied and filled again: the short columns still fit what they hold (the
    # second user trial read "08.12.2…" after a filter).
    view.login.setText("mette")
    view.apply_filters()
    qtbot.waitUntil(lambda: view.model.exhausted and view.model.rowCount() > 0, timeout=20000)
    for column in (COL_TIME, COL_USER):
        assert view.table.columnWidth(column) >= view.table.sizeHintForColumn(column), column


def test_the_dpo_draws_a_spot_check_and_notes_the_outcome(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    number = mette.cases.open_case(new_case("Person Stikprøvesen")).number
    for _ in range(12):
        mette.cases.show(number)
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    view = SupervisionView(make_ctx(dorte))
    qtbot.addWidget(view)
    view.resize(1100, 650)
    view.show()
    view.tabs.setCurrentWidget(view.spot_check)
    pane = view.spot_check
    pane.sample_size.setValue(5)
    pane.draw()
    qtbot.waitUntil(lambda: pane.sample_table.rowCount() == 5, timeout=20000)
    assert {pane.sample_table.item(r, 2).text() for r in range(5)} == {"Opslag"}
    assert {pane.sample_table.item(r, 3).text() for r in range(5)} == {number}
    outcome = pane.sample_table.cellWidget(0, COL_OUTCOME)
    note = pane.sample_table.cellWidget(0, COL_NOTE)
    assert isinstance(outcome, QComboBox) and isinstance(note, QLineEdit)
    outcome.setCurrentIndex(outcome.findData("afvigelse"))
    note.setText("Ingen møde eller opgave på sagen den dag")
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        view.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "spot-check-da.png"))
    pane.save()
    qtbot.waitUntil(lambda: pane.done_table.rowCount() == 1, timeout=20000)
    assert pane.done_table.item(0, 1).text() == "Afvigelse"
    assert pane.done_table.item(0, 3).text() == "dorte"
    [check] = dorte.spot_checks.list()
    assert check.note == "Ingen møde eller opgave på sagen den dag"


def test_a_coordinator_makes_the_insight_report_in_the_app(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    number = lars.cases.open_case(new_case("Indsigt Indsigtsen")).number
    view = SupervisionView(make_ctx(lars))
    qtbot.addWidget(view)
    view.show()
    assert view.insight_button.isVisible()
    view.insight()
    dialog = view.findChild(InsightDialog)
    assert dialog is not None
    dialog.by_case.setChecked(True)
    dialog.value.setText(number)
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        dialog.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "insight-dialog-da.png"))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30000)
    assert dialog.value.text() == ""  # the number is not left in the field
    preview = dialog.preview
    assert preview is not None
    assert preview.findChild(QMessageBox, "insightElsewhere") is None  # nothing unseen
    preview.close()
    actions = [b.action for _, b in opened_since(lars)]
    assert "insight.report" in actions


def test_the_dpo_is_not_offered_the_insight_report(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    view = SupervisionView(make_ctx(dorte))
    qtbot.addWidget(view)
    view.show()
    assert not view.insight_button.isVisible()


def test_a_coordinator_prunes_the_old_log_from_tilsyn(
    qtbot: QtBot, make_ctx: MakeCtx, district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fourteen months on, the dialog names the entries that may go; pruning them leaves the
    log verifiable and says so; the DPO is not offered the button."""
    lars = district.coordinator
    lars.cases.open_case(new_case("Gammel Log"))
    view = SupervisionView(make_ctx(lars))
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    assert view.prune_button.isVisible()

    view.prune()  # today: nothing is old enough
    dialog = _wait_for(qtbot, view, PruneLogDialog)
    assert "intet at beskære" in dialog.findChild(QLabel, "pruneText").text()
    assert not dialog.ok_button.isVisible()
    dialog.reject()
    dialog.deleteLater()
    qtbot.waitUntil(lambda: view.findChild(PruneLogDialog) is None, timeout=5000)

    later = add_months(date.today(), 14)
    monkeypatch.setattr(pruning, "utc_today", lambda: later)
    view.prune()
    dialog = _wait_for(qtbot, view, PruneLogDialog)
    text = dialog.findChild(QLabel, "pruneText").text()
    assert "erstattes af én opsummering" in text and "kan ikke fortrydes" in text
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        dialog.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "prune-dialog-da.png"))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "erstattet af en underskrevet" in view.status.text(), timeout=30000)
    assert dialog.pruned is not None and dialog.pruned.first_seq == 1
    view.verify()
    qtbot.waitUntil(lambda: "Loggen er hel" in view.status.text(), timeout=30000)
    assert "beskåret efter opbevaringstiden" in view.status.text()
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        view.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "tilsyn-pruned-da.png"))

    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)
    dpo_view = SupervisionView(make_ctx(dorte))
    qtbot.addWidget(dpo_view)
    dpo_view.show()
    assert not dpo_view.prune_button.isVisible()


def _wait_for(qtbot: QtBot, view: SupervisionView, kind: type[PruneLogDialog]) -> PruneLogDialog:
    qtbot.waitUntil(lambda: view.findChild(kind) is not None, timeout=10000)
    found = view.findChild(kind)
    assert found is not None
    return found


def test_the_gui_thread_never_queries_decrypts_or_verifies_in_tilsyn(
    qtbot: QtBot, make_ctx: MakeCtx, district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages, filters, the figures, the verification and the pruning plan all run on the
    worker: the GUI thread sees no SQL, no AES-GCM open and no signature check."""
    lars = district.coordinator
    number = lars.cases.open_case(new_case("Tråd Trådsen")).number
    on_gui: list[str] = []
    real_decrypt, real_verify = aead.FieldKey.decrypt, signing.verify

    def decrypt(self: aead.FieldKey, *args: object, **kwargs: object) -> bytes:
        if threading.current_thread() is threading.main_thread():
            on_gui.append("decrypt")
        return real_decrypt(self, *args, **kwargs)  # type: ignore[arg-type]

    def verify(*args: object) -> bool:
        if threading.current_thread() is threading.main_thread():
            on_gui.append("verify")
        return real_verify(*args)  # type: ignore[arg-type]

    def on_query(*_args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            on_gui.append("query")

    monkeypatch.setattr(aead.FieldKey, "decrypt", decrypt)
    # Every signature check goes through a member's SignKeys, which calls signing.verify.
    monkeypatch.setattr(signing, "verify", verify)
    event.listen(lars.vault.engine, "before_cursor_execute", on_query)
    try:
        view = SupervisionView(make_ctx(lars))
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20000)
        view.case.setText(number)
        view.apply_filters()
        qtbot.waitUntil(lambda: view.model.exhausted and view.model.rowCount() > 0, timeout=20000)
        view.verify()
        qtbot.waitUntil(lambda: "Loggen er hel" in view.status.text(), timeout=20000)
        view.tabs.setCurrentWidget(view.counters)
        view.counters.compute()
        view.prune()
        dialog = _wait_for(qtbot, view, PruneLogDialog)
        dialog.reject()
        view.ctx.runner.wait_for_done()
    finally:
        event.remove(lars.vault.engine, "before_cursor_execute", on_query)
    assert on_gui == []


def test_the_coordinator_is_told_before_the_report_goes_out_that_a_case_may_be_unseen(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """The person may be in a case of a group the issuer is not in: the PDF says so lower
    down; the window says it at once, over the preview."""
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars.groups.add("Kun Mette", ["mette"])
    mette.cases.open_case(new_case("Skjult Skjulsen", "010190-1234", group="Kun Mette"))
    view = SupervisionView(make_ctx(lars))
    qtbot.addWidget(view)
    view.show()
    view.insight()
    dialog = view.findChild(InsightDialog)
    assert dialog is not None
    dialog.value.setText("010190-1234")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=30000)
    preview = dialog.preview
    assert preview is not None
    box = preview.findChild(QMessageBox, "insightElsewhere")
    assert box is not None and box.isVisible()
    assert "adgangskreds, du ikke er med i" in box.text()
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        box.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "insight-elsewhere-da.png"))
    box.close()
    preview.close()
