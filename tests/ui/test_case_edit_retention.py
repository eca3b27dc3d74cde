"""The case edit dialog's retention under four eyes: a class that deletes the case sooner
opens the approval box, saves nothing until the DPO or another coordinator types their
passphrase there, and then saves with them named in the log."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from infohus_desktop.domain.cases import RetentionClass
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.case_edit import CaseEditDialog
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]


def _shot(widget: object, name: str) -> None:
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        widget.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / name))  # type: ignore[attr-defined]


def _opened(qtbot, ctx: AppContext, session: MemberServices, number: str) -> CaseEditDialog:  # type: ignore[no-untyped-def]
    """The case edit dialog as the member opens it, its pickers loaded."""
    dialog = CaseEditDialog(ctx, session.cases.show(number))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    return dialog


@pytest.fixture
def mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def test_a_shorter_class_asks_for_the_second_person_in_the_dialog(
    qtbot, make_ctx: MakeCtx, district: District, mette: MemberServices
) -> None:
    case = mette.cases.open_case(new_case("Klasse Klausen", None))
    mette.cases.change_status(case.number, CaseStatus.CLOSED, "Flyttet", ClosingReason.MOVED_AWAY)
    dialog = _opened(qtbot, make_ctx(mette), mette, case.number)
    assert not dialog.approval.isVisible()  # most edits never need it

    dialog.retention.setCurrentIndex(dialog.retention.findData(RetentionClass.MINIMAL))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.approval.isVisible)
    assert "»Minimal« giver sagen en kortere opbevaring" in dialog.approval.why.text()
    assert dialog.error.text() == "Opbevaringen skal godkendes; se til højre."
    assert dialog.isVisible()
    assert mette.cases.show(case.number).retention is RetentionClass.STANDARD
    _shot(dialog, "case-edit-retention-approval-da.png")

    # Empty, the box is said to be incomplete; the save does not start.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text().startswith("Godkenderen skal skrive sin bruger")

    qtbot.keyClicks(dialog.approval.login, "lars")
    qtbot.keyClicks(dialog.approval.secret, district.passphrases["lars"])
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.approval.secret.text() == ""  # never left in the field
    assert mette.cases.show(case.number).retention is RetentionClass.MINIMAL
    [entry] = [b for _, b in opened_since(district.coordinator) if b.action == "case.edit"][-1:]
    assert entry.detail == "fields=['retention'] retention=minimal approved_by=lars"


def test_a_longer_class_saves_without_the_box(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    case = mette.cases.open_case(new_case("Klasse Klausen", None))
    dialog = _opened(qtbot, make_ctx(mette), mette, case.number)
    dialog.retention.setCurrentIndex(dialog.retention.findData(RetentionClass.EXTENDED))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert not dialog.approval.isVisible()
    assert mette.cases.show(case.number).retention is RetentionClass.EXTENDED


def test_another_class_hides_the_box_asked_for_the_first(
    qtbot, make_ctx: MakeCtx, mette: MemberServices
) -> None:
    """The box's text names the class it was asked for; choosing another hides it, and the
    passphrase typed for the first is gone (review)."""
    case = mette.cases.open_case(new_case("Klasse Klausen", None))
    dialog = _opened(qtbot, make_ctx(mette), mette, case.number)
    dialog.retention.setCurrentIndex(dialog.retention.findData(RetentionClass.MINIMAL))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.approval.isVisible)
    qtbot.keyClicks(dialog.approval.secret, "halvt skrevet")
    dialog.retention.setCurrentIndex(dialog.retention.findData(RetentionClass.EXTENDED))
    assert not dialog.approval.isVisible() and dialog.approval.secret.text() == ""
    assert not dialog.error.isVisible()


def test_a_conflicts_merged_save_asks_for_the_second_person_too(
    qtbot, make_ctx: MakeCtx, district: District, mette: MemberServices
) -> None:
    """Someone saved the case meanwhile: the merge keeps the shorter class, and the conflict
    dialog asks for the approval itself; before, it could only refuse (review)."""
    from infohus_desktop.services.cases.editing import CaseEdit
    from infohus_desktop.ui.dialogs.cases.conflict import ConflictDialog

    case = mette.cases.open_case(new_case("Klasse Klausen", None))
    dialog = _opened(qtbot, make_ctx(mette), mette, case.number)
    lars = district.coordinator
    lars.cases.edit(case.number, case.version, CaseEdit(title="Lars' overskrift"))
    dialog.retention.setCurrentIndex(dialog.retention.findData(RetentionClass.MINIMAL))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.conflict is not None)
    conflict = dialog.conflict
    assert isinstance(conflict, ConflictDialog)
    qtbot.waitUntil(conflict.ok_button.isEnabled)
    qtbot.mouseClick(conflict.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(conflict.approval.isVisible)
    assert "»Minimal«" in conflict.approval.why.text()
    qtbot.keyClicks(conflict.approval.login, "lars")
    qtbot.keyClicks(conflict.approval.secret, district.passphrases["lars"])
    qtbot.mouseClick(conflict.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    saved = mette.cases.show(case.number)
    assert saved.retention is RetentionClass.MINIMAL and saved.title == "Lars' overskrift"
