"""The case dialogs, driven as a user drives them: typing, clicking, choosing.

Intake with the duplicate warning, an edit that meets someone else's newer save (the
conflict dialog, choosing per field, nothing lost), and a status change that offers only
what the workflow allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import event

from infohus_desktop.domain.cases import Case, CaseSummary
from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import TRANSITIONS, CaseStatus, ClosingReason
from infohus_desktop.services.cases.editing import CaseEdit, editable_values
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.case_edit import CaseEditDialog
from infohus_desktop.ui.dialogs.cases.conflict import ConflictDialog
from infohus_desktop.ui.dialogs.cases.intake import IntakeDialog
from infohus_desktop.ui.dialogs.cases.journal import JournalDialog
from infohus_desktop.ui.dialogs.cases.measure import MeasureDialog
from infohus_desktop.ui.dialogs.cases.status import StatusDialog
from infohus_desktop.ui.dialogs.merge import conflicts, edited_values, merged_edit
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]


@pytest.fixture
def mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def _texts(widget: object) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]  # type: ignore[attr-defined]


# -- intake -----------------------------------------------------------------------------------


def _fill_intake(qtbot, dialog: IntakeDialog, name: str, cpr: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(dialog.ok_button.isEnabled)  # the pickers are loaded
    qtbot.keyClicks(dialog.person.name, name)
    qtbot.keyClicks(dialog.person.cpr, cpr)
    qtbot.keyClicks(dialog.reporter_org, "Testskolen")
    qtbot.keyClicks(dialog.observed, "Eleven har delt voldsforherligende materiale.")
    qtbot.keyClicks(dialog.answers[2], "Flere gange om ugen")
    dialog.category.setCurrentIndex(dialog.category.findData("militant_islamisme"))


def test_intake_warns_of_a_known_person_and_opens_only_when_told(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    known = mette.cases.open_case(new_case("Anna Hansen", "0101101234")).number
    ctx = make_ctx(mette)
    told: list[Changes] = []
    ctx.changes.subscribe(ctx.window, [Area.CASES], told.append)
    dialog = IntakeDialog(ctx, parent=ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_intake(qtbot, dialog, "anna  hansen", "010110-1234")
    assert dialog.person.cpr_info.text() == "Født 01.01.1910 · Kvinde"

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.duplicate.isVisible)
    assert dialog.duplicate_text.text() == f"Personen er allerede kendt i {known}."
    assert dialog.isVisible()

    # The plain button does not pass the warning by.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Opret alligevel" in dialog.error.text()
    assert [c.number for c in mette.cases.list()] == [known]

    with qtbot.waitSignal(dialog.created, timeout=10000) as created:
        qtbot.mouseClick(dialog.create_anyway, Qt.MouseButton.LeftButton)
    summary = created.args[0]
    assert isinstance(summary, CaseSummary)
    assert summary.number != known
    assert [c.touches(Area.CASES, summary.id) for c in told] == [True]
    qtbot.waitUntil(lambda: not dialog.isVisible())
    case = mette.cases.show(summary.number)
    assert (case.person.name, case.person.cpr) == ("anna hansen", "0101101234")
    assert case.intake.reporter_organisation == "Testskolen"
    assert case.intake.answers == (("Hvor ofte?", "Flere gange om ugen"),)


def test_a_new_person_is_checked_once_and_the_check_was_ready_before_the_click(  # type: ignore[no-untyped-def]
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    """The dialog readies the duplicate check while the person is typed in, and "Opret
    sag" is one call: one check (one audit entry) and the case, no count of the cases."""
    mette.cases.open_case(new_case("Anna Hansen", None))
    mette.cases.list()  # the case list, shown before the dialog opens
    ctx = make_ctx(mette)
    dialog = IntakeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_intake(qtbot, dialog, "Bo Jensen", "")
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(mette.vault.engine, "before_cursor_execute", note)
    try:
        with qtbot.waitSignal(dialog.created, timeout=10000) as created:
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    finally:
        event.remove(mette.vault.engine, "before_cursor_execute", note)
    assert mette.cases.show(created.args[0].number).person.name == "Bo Jensen"
    entries = [s for s in seen if s.startswith("INSERT INTO audit_entries")]
    assert len(entries) == 2, seen  # the check's and the new case's
    assert not [s for s in seen if "count(" in s.lower()], seen


def test_changing_the_name_after_the_warning_checks_again(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    mette.cases.open_case(new_case("Anna Hansen", None))
    ctx = make_ctx(mette)
    dialog = IntakeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_intake(qtbot, dialog, "Anna Hansen", "")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.duplicate.isVisible)

    dialog.person.name.clear()
    qtbot.keyClicks(dialog.person.name, "Bo Jensen")
    assert not dialog.duplicate.isVisible()
    with qtbot.waitSignal(dialog.created, timeout=10000) as created:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert mette.cases.show(created.args[0].number).person.name == "Bo Jensen"


def test_intake_checks_the_cpr_number_as_typed_and_asks_for_guardians_of_a_minor(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    dialog = IntakeDialog(make_ctx(mette))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    assert not dialog.person.guardian_box.isVisible()
    qtbot.keyClicks(dialog.person.cpr, "310210-1234")  # 31 February
    assert "ikke gyldigt" in dialog.person.cpr_info.text()
    qtbot.keyClicks(dialog.person.name, "Ali Hassan")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.person.cpr.accessibleDescription().startswith("CPR-nummer:")
    assert "ikke gyldigt" in dialog.person.cpr_info.text()  # said once, under the field
    assert dialog.person.cpr.hasFocus()  # the first field to fix

    dialog.person.cpr.clear()
    qtbot.keyClicks(dialog.person.cpr, "0101124123")  # born 2012: a minor, male
    assert dialog.person.cpr_info.text() == "Født 01.01.2012 · Mand"
    assert not dialog.person.birth_date.isEnabled()
    assert dialog.person.guardian_box.isVisible()
    qtbot.mouseClick(dialog.person.guardians.add_button, Qt.MouseButton.LeftButton)
    dialog.person.guardians.table.item(0, 0).setText("Fatima Hassan")
    dialog.person.guardians.table.item(0, 1).setText("mor")
    assert dialog.person.person().guardians[0].name == "Fatima Hassan"
    assert dialog.person.person().birth_date == date(2012, 1, 1)


def test_an_anonymous_reporter_needs_no_contact(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    dialog = IntakeDialog(make_ctx(mette))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    qtbot.keyClicks(dialog.person.name, "Ukendt Person")
    qtbot.keyClicks(dialog.observed, "Opringning til hotline.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    # Each problem beside its field; the bottom line counts them.
    assert dialog.error.text() == "Ret de 2 markerede felter."
    assert "anonym" in dialog.marks.message(dialog.reporter_org)
    assert dialog.marks.message(dialog.category) == "Vælg en bekymringstype."
    assert dialog.category.hasFocus() or dialog.reporter_org.hasFocus()
    dialog.anonymous.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Ret det markerede felt."
    assert dialog.marks.message(dialog.reporter_org) == ""
    assert dialog.marks.message(dialog.category) == "Vælg en bekymringstype."
    dialog.category.setCurrentIndex(1)
    dialog.anonymous.setChecked(True)
    assert not dialog.reporter_contact.isEnabled()
    with qtbot.waitSignal(dialog.created, timeout=10000) as created:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    intake = mette.cases.show(created.args[0].number).intake
    assert intake.anonymous
    assert intake.reporter_contact == ""


# -- editing with a conflict ------------------------------------------------------------------


def test_an_edit_that_meets_a_newer_save_is_resolved_per_field_and_loses_nothing(
    qtbot, make_ctx: MakeCtx, district: District, mette: MemberServices
) -> None:
    jens = district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    number = mette.cases.open_case(new_case("Anna Hansen", "0101101234")).number
    jens_view = jens.cases.show(number)
    ctx = make_ctx(jens)
    dialog = CaseEditDialog(ctx, jens_view)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    assert "Anna" not in dialog.windowTitle()

    # Mette saves first: a new heading and a new phone number.
    mettes = mette.cases.show(number)
    mette.cases.edit(
        number,
        mettes.summary.version,
        CaseEdit(title="Mettes overskrift", person=replace(mettes.person, phone="11112222")),
    )

    # Jens, on the old version: another heading and a new address.
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Jens' overskrift")
    dialog.person.address.clear()
    qtbot.keyClicks(dialog.person.address, "Jensvej 9, 8000 Aarhus C")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: dialog.conflict is not None)
    conflict = dialog.conflict
    assert isinstance(conflict, ConflictDialog)
    qtbot.waitUntil(conflict.ok_button.isEnabled)
    shown = _texts(conflict)
    for text in ("Din version", "Gemt af en anden", "Jens' overskrift", "Mettes overskrift"):
        assert text in shown
    assert "12345678" in shown and "11112222" in shown  # the phone: only Mette changed it
    assert set(conflict.groups) == {"title", "person.phone"}
    assert conflict.picks() == {"title": True, "person.phone": False}
    assert "Adresse" in conflict.kept.text()  # Jens' own change nobody else touched

    conflict.pick("title", mine=False)  # Mette's heading is the better one
    qtbot.mouseClick(conflict.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert dialog.result() == dialog.DialogCode.Accepted

    saved = mette.cases.show(number)
    assert saved.title == "Mettes overskrift"
    assert saved.person.phone == "11112222"
    assert saved.person.address == "Jensvej 9, 8000 Aarhus C"
    assert saved.person.name == "Anna Hansen"


def _values(case: Case, **changes: object) -> dict[str, object]:
    values = editable_values(case)
    values.update(changes)
    return values


def test_the_merge_takes_each_side_only_where_it_changed(mette: MemberServices) -> None:
    number = mette.cases.open_case(new_case("Anna Hansen", None)).number
    base = mette.cases.show(number)
    mine_edit = CaseEdit(
        title="Min", person=replace(base.person, address="Ny adresse", phone="1"), retention=None
    )
    mine = edited_values(base, mine_edit)
    theirs = _values(base, title="Deres", person=replace(base.person, phone="2", email="x@y.dk"))
    choices, kept = conflicts(editable_values(base), mine, theirs, ["person", "title"])
    # Offered: what both changed (phone, title) and what only they changed (e-mail), each
    # preselected to the side that changed it; kept without asking: what only I changed.
    assert [(c.key, c.changed_by_me) for c in choices] == [
        ("person.phone", True),
        ("person.email", False),
        ("title", True),
    ]
    assert kept == ["person.address"]
    edit = merged_edit(editable_values(base), mine, theirs, {"person.phone": True, "title": False})
    assert edit.title is None  # theirs stays
    assert edit.person == replace(base.person, address="Ny adresse", phone="1", email="x@y.dk")


# -- status -----------------------------------------------------------------------------------


def test_the_status_dialog_offers_only_allowed_transitions_and_needs_reasons(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    summary = mette.cases.open_case(new_case("Anna Hansen", None))
    dialog = StatusDialog(make_ctx(mette), summary)
    qtbot.addWidget(dialog)
    dialog.show()
    assert set(dialog.allowed()) == set(TRANSITIONS[CaseStatus.RECEIVED])
    assert [b.text() for b in dialog.choices.buttons()] == ["Screening", "Afsluttet"]
    assert not dialog.closing.isVisible()

    dialog.choose(CaseStatus.CLOSED)
    assert dialog.closing.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Vælg hvorfor sagen afsluttes."
    dialog.closing.setCurrentIndex(dialog.closing.findData(ClosingReason.UNFOUNDED))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Skriv hvorfor status ændres."
    qtbot.keyClicks(dialog.reason, "Intet at komme efter")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    case = mette.cases.show(summary.number)
    assert case.summary.status == CaseStatus.CLOSED
    assert case.closing_reason == ClosingReason.UNFOUNDED
    assert case.history[-1].reason == "Intet at komme efter"

    reopen = StatusDialog(make_ctx(mette), case.summary)
    qtbot.addWidget(reopen)
    assert set(reopen.allowed()) == set(TRANSITIONS[CaseStatus.CLOSED])


def test_a_status_change_on_a_stale_version_reloads_and_saves_nothing(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    summary = mette.cases.open_case(new_case("Anna Hansen", None))
    dialog = StatusDialog(make_ctx(mette), summary)
    qtbot.addWidget(dialog)
    dialog.show()
    mette.cases.change_status(summary.number, CaseStatus.SCREENING, "Forhåndstjek")
    dialog.choose(CaseStatus.SCREENING)
    qtbot.keyClicks(dialog.reason, "Til screening")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "ændret af en anden" in dialog.error.text())
    assert set(dialog.allowed()) == set(TRANSITIONS[CaseStatus.SCREENING])
    assert len(mette.cases.show(summary.number).history) == 2  # intake + Mette's own change


# -- keyboard ---------------------------------------------------------------------------------


def test_enter_saves_ctrl_enter_saves_from_text_and_escape_cancels(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    number = mette.cases.open_case(new_case("Anna Hansen", None)).number
    ctx = make_ctx(mette)

    journal = JournalDialog(ctx, number)
    qtbot.addWidget(journal)
    journal.show()
    assert journal.windowTitle() == f"Nyt journalnotat i {number}"
    qtbot.keyClicks(journal.text, "Telefonsamtale med skolen")
    with qtbot.waitSignal(journal.accepted, timeout=10000):
        qtbot.keyClick(journal.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [e.text for e in mette.cases.show(number).journal] == ["Telefonsamtale med skolen"]

    measure = MeasureDialog(ctx, number)
    qtbot.addWidget(measure)
    measure.show()
    qtbot.keyClick(measure.owner, Qt.Key.Key_Return)  # nothing typed yet: refused, stays open
    assert measure.error.text() == "Angiv den ansvarlige myndighed."
    qtbot.keyClicks(measure.owner, "Aarhus Kommune")
    with qtbot.waitSignal(measure.accepted, timeout=10000):
        qtbot.keyClick(measure.owner, Qt.Key.Key_Return)
    assert [m.owner for m in mette.cases.show(number).measures] == ["Aarhus Kommune"]

    cancelled = JournalDialog(ctx, number)
    qtbot.addWidget(cancelled)
    cancelled.show()
    qtbot.keyClicks(cancelled.text, "Kasseres")
    with qtbot.waitSignal(cancelled.rejected):
        qtbot.keyClick(cancelled, Qt.Key.Key_Escape)
    assert len(mette.cases.show(number).journal) == 1


def test_the_intake_form_is_filled_in_reading_order(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    dialog = IntakeDialog(make_ctx(mette))
    qtbot.addWidget(dialog)
    person = dialog.person

    def next_stop(widget: QWidget) -> QWidget:
        following = widget.nextInFocusChain()
        while not following.focusPolicy() & Qt.FocusPolicy.TabFocus:
            following = following.nextInFocusChain()
        return following

    assert next_stop(person.name) is person.cpr
    assert next_stop(person.cpr) is person.birth_date
    assert next_stop(person.school_or_work) is person.guardians.table
    assert next_stop(dialog.observed) is dialog.title_edit
    assert person.name.accessibleName() == "Navn"
    assert dialog.observed.tabChangesFocus()
