"""The *Til sletning* area as a coordinator uses it: the due case in the list without a
name, the deletion dialog that names the case, the tombstone afterwards; an early deletion
asks for the second person."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.retention import add_months
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.retention.delete_case import DeleteCaseDialog
from infohus_desktop.ui.dialogs.retention.delete_due import DeleteDueDialog
from infohus_desktop.ui.dialogs.retention.hold import HoldDialog
from infohus_desktop.ui.dialogs.retention.rules import RulesDialog
from infohus_desktop.ui.views.retention.view import RetentionView
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.sql_tamper import edit_stored_rules, tamper

MakeCtx = Callable[[MemberServices], AppContext]


def _shot(widget: object, name: str) -> None:
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        widget.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / name))  # type: ignore[attr-defined]


def _closed(lars: MemberServices, name: str) -> str:
    number = lars.cases.open_case(new_case(name), accept_duplicate=True).number
    lars.cases.change_status(number, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED)
    return number


def test_a_due_case_is_deleted_from_the_list_and_leaves_its_tombstone(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    number = _closed(lars, "Personen Navnesen")
    view = RetentionView(make_ctx(lars))
    later = add_months(date.today(), 7)
    view.today = lambda: later
    qtbot.addWidget(view)
    view.resize(1000, 520)
    view.show()
    qtbot.waitUntil(lambda: view.due_table.rowCount() == 1, timeout=20000)
    cells = [view.due_table.item(0, c).text() for c in range(view.due_table.columnCount())]
    assert cells[0] == number and cells[-1] == "Til sletning"
    assert cells[3] == "Standard"  # the retention class, which sets the deadline with the reason
    assert "Personen" not in " ".join(cells)  # no name in the list
    assert view.notice.isVisible()  # the shipped rules say they are only a starting point
    _shot(view, "retention-due-da.png")
    view.due_table.selectRow(0)
    assert view.delete_button.isEnabled()
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(DeleteCaseDialog)
    assert dialog is not None and number in dialog.windowTitle()
    assert number in dialog.ok_button.text()
    assert not dialog.early
    reason = (
        "Slettefristen er udløbet, og sagen er gennemgået af koordinatoren sammen med DPO'en, "
        "som har set, at ingen blokering eller klage står åben, og at intet skal gemmes af "
        "hensyn til en verserende sag hos politiet eller en anden myndighed i kredsen"
    )
    dialog.reason.setPlainText(reason)
    _shot(dialog, "retention-delete-dialog-da.png")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.deleted_table.rowCount() == 1, timeout=20000)
    assert view.due_table.rowCount() == 0
    assert view.deleted_table.item(0, 0).text() == number
    stone = [view.deleted_table.item(0, c).text() for c in range(1, 8)]
    assert stone[0] == "Aarhus Kommune" and stone[1] == "Ubegrundet"
    assert stone[4:] == ["lars", "", reason]
    # Filled while its tab was hidden, the row is measured again once shown: it was several
    # lines too tall, measured against a column the width of its header.
    view.tabs.setCurrentIndex(1)
    deleted = view.deleted_table
    qtbot.waitUntil(lambda: deleted.rowHeight(0) <= deleted.sizeHintForRow(0), timeout=5000)
    _shot(view, "retention-deleted-da.png")


def test_an_early_deletion_asks_for_the_second_person(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    _closed(lars, "Tidlig Tidligsen")
    view = RetentionView(make_ctx(lars))
    soon = add_months(date.today(), 6) - timedelta(days=10)  # due in ten days
    view.today = lambda: soon
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.due_table.rowCount() == 1, timeout=20000)
    assert view.due_table.item(0, 6).text() == "Om 10 dage"
    view.due_table.selectRow(0)
    qtbot.mouseClick(view.delete_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(DeleteCaseDialog)
    assert dialog is not None and dialog.early
    dialog.reason.setPlainText("Borgeren har bedt om det")
    dialog.ok_button.click()
    assert "Godkenderen skal skrive" in dialog.error.text()
    _shot(dialog, "retention-early-delete-da.png")


def test_every_due_case_is_deleted_at_once(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    numbers = [_closed(lars, f"Forfalden {n}") for n in range(3)]
    view = RetentionView(make_ctx(lars))
    later = add_months(date.today(), 7)
    view.today = lambda: later
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.due_table.rowCount() == 3, timeout=20000)
    assert view.delete_due_button.isEnabled()
    qtbot.mouseClick(view.delete_due_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(DeleteDueDialog)
    assert dialog is not None and "3" in dialog.ok_button.text()
    assert all(n in dialog.findChild(QLabel, "deleteDueText").text() for n in numbers)
    _shot(dialog, "retention-delete-due-da.png")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: view.deleted_table.rowCount() == 3, timeout=30000)
    assert view.due_table.rowCount() == 0 and not view.delete_due_button.isEnabled()


def test_shorter_rules_ask_for_the_second_person_in_the_dialog(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    approval = district.approval()
    view = RetentionView(make_ctx(lars))
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.rules_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.findChild(RulesDialog) is not None, timeout=20000)
    rules = view.findChild(RulesDialog)
    assert rules is not None
    box = rules.approval
    assert box.isHidden()  # not asked for what lengthens or keeps the periods
    rules.by_reason[ClosingReason.MOVED_AWAY].setValue(3)
    rules.ok_button.click()
    assert box.isVisible() and "»Fraflyttet«" in box.why.text()
    assert "godkendes" in rules.error.text()
    rules.ok_button.click()  # nobody typed: still asked, nothing saved
    assert "bruger og adgangsfrase" in rules.error.text()
    _shot(rules, "retention-rules-approval-da.png")
    box.login.setText(approval.login)
    box.secret.setText(approval.passphrase)
    with qtbot.waitSignal(rules.accepted, timeout=20000):
        rules.ok_button.click()
    assert box.secret.text() == ""
    assert lars.retention.rules.get().by_reason[ClosingReason.MOVED_AWAY] == 3


def test_the_rules_dialog_saves_unchanged_rules_without_asking_and_asks_for_stale_ones(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """Review: rules without class periods came back from the dialog with 24-month classes
    of their own, a shortening to approve for a save that changed nothing; and rules another
    coordinator lengthened after the dialog opened were refused again and again."""
    lars = district.coordinator
    approval = district.approval()
    reasons = {r.value: 36 for r in ClosingReason}
    lars.retention.rules.set({"closing_reasons": reasons}, approval)  # no class periods
    view = RetentionView(make_ctx(lars))
    qtbot.addWidget(view)
    view.show()

    def opened() -> RulesDialog:
        qtbot.mouseClick(view.rules_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: any(d.isVisible() for d in view.findChildren(RulesDialog)), timeout=20000
        )
        [dialog] = [d for d in view.findChildren(RulesDialog) if d.isVisible()]
        return dialog

    rules = opened()
    with qtbot.waitSignal(rules.finished, timeout=20000):
        rules.ok_button.click()  # nothing changed: saved as it was, nobody asked
    assert rules.result() == RulesDialog.DialogCode.Accepted
    assert lars.retention.rules.get().by_class == {}

    stale = opened()
    lars.retention.rules.set({"closing_reasons": {**reasons, "fraflyttet": 48}})
    stale.ok_button.click()  # would take »Fraflyttet« back from 48 to 36 months
    qtbot.waitUntil(stale.approval.isVisible, timeout=20000)
    assert "»Fraflyttet«" in stale.approval.why.text()
    assert lars.retention.rules.get().by_reason[ClosingReason.MOVED_AWAY] == 48
    stale.approval.login.setText(approval.login)
    stale.approval.secret.setText(approval.passphrase)
    with qtbot.waitSignal(stale.finished, timeout=20000):
        stale.ok_button.click()
    assert lars.retention.rules.get().by_reason[ClosingReason.MOVED_AWAY] == 36


def test_the_rules_dialog_and_a_hold_from_the_list(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    number = _closed(lars, "Blokeret Blokeretsen")
    view = RetentionView(make_ctx(lars))
    later = add_months(date.today(), 7)
    view.today = lambda: later
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.due_table.rowCount() == 1, timeout=20000)

    qtbot.mouseClick(view.rules_button, Qt.MouseButton.LeftButton)
    # The rules are read on the worker before the dialog opens.
    qtbot.waitUntil(lambda: view.findChild(RulesDialog) is not None, timeout=20000)
    rules = view.findChild(RulesDialog)
    assert rules is not None
    rules.by_reason[ClosingReason.UNFOUNDED].setValue(12)  # no longer due after 7 months
    _shot(rules, "retention-rules-da.png")
    rules.ok_button.click()
    qtbot.waitUntil(lambda: view.due_table.rowCount() == 0, timeout=20000)
    assert lars.retention.rules.get().by_reason[ClosingReason.UNFOUNDED] == 12
    assert not view.notice.isVisible()  # the Infohus has set its own rules now

    view.today = lambda: add_months(date.today(), 12)
    view.reload()
    qtbot.waitUntil(lambda: view.due_table.rowCount() == 1, timeout=20000)
    view.due_table.selectRow(0)
    qtbot.mouseClick(view.hold_button, Qt.MouseButton.LeftButton)
    hold = view.findChild(HoldDialog)
    assert hold is not None and number in hold.windowTitle()
    hold.reason.setPlainText("Klage til Datatilsynet")
    hold.until.set_value(add_months(date.today(), 24))
    hold.ok_button.click()
    qtbot.waitUntil(
        lambda: view.due_table.item(0, 6).text().startswith("Blokeret til"), timeout=20000
    )
    view.due_table.selectRow(0)
    assert not view.delete_button.isEnabled() and view.release_button.isEnabled()


def test_the_dpo_sees_the_rules_and_the_deleted_cases_and_changes_nothing(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """The DPO supervises deletion but reads no case: the area shows the rules in force and
    the tombstones, with who approved an early deletion; no due list, no action."""
    lars = district.coordinator
    approval = district.approval()  # enrols the DPO vibeke
    number = _closed(lars, "Tidlig Tidligsen")
    lars.retention.delete(number, "Borgeren har bedt om sletning", approval)
    vibeke = district.unlock("vibeke")
    view = RetentionView(make_ctx(vibeke))
    qtbot.addWidget(view)
    view.resize(1000, 520)
    view.show()
    qtbot.waitUntil(lambda: view.deleted_table.rowCount() == 1, timeout=20000)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "Slettede",
        "Sletteregler",
    ]
    stone = [view.deleted_table.item(0, c).text() for c in range(8)]
    assert stone[0] == number and stone[5:] == ["lars", "vibeke", "Borgeren har bedt om sletning"]
    for button in (view.delete_button, view.hold_button, view.delete_due_button):
        assert not button.isVisible()
    assert not view.rules_button.isVisible()
    assert "En koordinator sætter dem efter aftale med dig" in view.notice.text()
    rules = {
        view.rules_table.item(r, 0).text(): view.rules_table.item(r, 1).text()
        for r in range(view.rules_table.rowCount())
    }
    assert rules["Ubegrundet"] == "6 måneder" and rules["Fraflyttet"] == "24 måneder"
    assert rules["Opbevaring »Minimal«"] == "6 måneder"
    assert rules["Revisionsloggen"] == "13 måneder"
    view.tabs.setCurrentIndex(1)
    _shot(view, "retention-dpo-rules-da.png")


def test_the_state_of_a_case_due_soon_reads_as_a_day() -> None:
    """ "Om 1 dage" (user trial): tomorrow is said so; more days are counted."""
    import uuid

    from infohus_desktop.domain.cases import RetentionClass
    from infohus_desktop.domain.retention import DueCase
    from infohus_desktop.ui.views.retention.view import state_text

    today = date(2026, 12, 8)

    def due_in(days: int) -> DueCase:
        return DueCase(
            uuid.uuid4(),
            "AAR-2026-0001",
            "Aarhus Kommune",
            ClosingReason.UNFOUNDED,
            RetentionClass.STANDARD,
            today - timedelta(days=200),
            today + timedelta(days=days),
        )

    assert state_text(due_in(1), today) == "I morgen"
    assert state_text(due_in(2), today) == "Om 2 dage"
    assert state_text(due_in(0), today) == "Til sletning"


def test_the_dpo_sees_the_deleted_cases_over_rules_changed_outside_the_program(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """The rules no longer verify: the whole area failed to load, tombstones too, when the
    DPO's supervision matters most (review). The tombstones show, with the notice."""

    lars = district.coordinator
    approval = district.approval()
    lars.retention.rules.set(
        {
            "closing_reasons": {r.value: 12 for r in ClosingReason},
            "classes": {"minimal": 3, "forlaenget": 48},
            "audit_months": 24,
        },
        approval,
    )
    number = _closed(lars, "Tidlig Tidligsen")
    lars.retention.delete(number, "Borgeren har bedt om sletning", approval)
    tamper(district.url, edit_stored_rules("closing_reasons", "ubegrundet", 1))
    view = RetentionView(make_ctx(district.unlock("vibeke")))
    qtbot.addWidget(view)
    view.resize(1000, 520)
    view.show()
    qtbot.waitUntil(lambda: view.deleted_table.rowCount() == 1, timeout=20000)
    assert view.deleted_table.item(0, 0).text() == number
    assert view.notice.isVisible()
    assert "ændret uden om programmet" in view.notice.text()
