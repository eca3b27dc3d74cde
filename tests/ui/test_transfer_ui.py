"""Handing a case over in the window (issue 13): the sender's coordinator uses the case view's
"Overdrag sagen …", after which the view is read-only; the receiving Infohus imports the file
under Henvisninger → Importér pakke …, choosing the Infohus Kommune, and is told the new
case's number."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.workflow import TRANSITIONS, CaseStatus
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.status import StatusDialog
from infohus_desktop.ui.dialogs.cases.transfer import TransferDialog
from infohus_desktop.ui.dialogs.referrals.bundle_import import BundleImportDialog
from infohus_desktop.ui.views.cases.case_view import CaseView
from infohus_desktop.ui.views.referrals.workspace import ReferralWorkspace
from tests.integration.bundle_fixtures import SENDER_APPROVAL, Pair, pair
from tests.integration.case_fixtures import fill_case, new_case
from tests.ui.test_meetings_helpers import settle, visible_dialog

__all__ = ["pair"]
MakeCtx = Callable[[MemberServices], AppContext]


def _shot(widget: object, name: str) -> None:
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        widget.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / name))  # type: ignore[attr-defined]


def test_a_case_is_handed_over_and_taken_in_from_the_window(
    qtbot: QtBot, make_ctx: MakeCtx, pair: Pair, tmp_path: Path
) -> None:
    p = pair
    number = fill_case(p.sender, "Tove Flytning", "150190-1234", "Aarhus Kommune").number
    view = CaseView(make_ctx(p.sender), number)
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    assert view.case_actions["transfer"].isEnabled()
    view.case_actions["transfer"].trigger()
    dialog = visible_dialog(qtbot, view, TransferDialog)
    assert isinstance(dialog, TransferDialog)
    [offered] = [dialog.recipient.itemText(i) for i in range(dialog.recipient.count())]
    assert offered.startswith("EXIT")
    out = tmp_path / "overdragelse.ihb"
    dialog.path.setText(str(out))
    dialog.reason.setText("Personen er flyttet")
    # Nobody is chosen for the coordinator: the whole case goes to whoever they pick.
    assert dialog.recipient.currentIndex() == -1
    dialog.ok_button.click()
    assert dialog.error.isVisible() and "Vælg det Infohus" in dialog.error.text()
    assert not out.exists()
    dialog.recipient.setCurrentIndex(0)
    # The second person approves the handover in the dialog's box.
    qtbot.keyClicks(dialog.approval.login, SENDER_APPROVAL.login)
    qtbot.keyClicks(dialog.approval.secret, SENDER_APPROVAL.passphrase)
    _shot(dialog, "transfer-dialog-da.png")
    dialog.ok_button.click()
    settle(qtbot, view.ctx)
    assert out.is_file()
    qtbot.waitUntil(lambda: view.data is not None and view.notice.isVisible(), timeout=10000)
    assert view.data.case.summary.status is CaseStatus.TRANSFERRED  # type: ignore[union-attr]
    assert "kan kun læses her" in view.notice.text()
    # Where the file went and until when it can be imported, as the command line says.
    sent = view.findChild(QMessageBox, "transferSentBox")
    assert sent is not None and "overdraget til EXIT" in sent.text()
    assert str(out) in sent.informativeText() and "importeres indtil" in sent.informativeText()
    _shot(sent, "transfer-sent-da.png")
    sent.close()
    assert not any(a.isEnabled() for a in view.case_actions.values())
    _shot(view, "transferred-case-da.png")

    workspace = ReferralWorkspace(make_ctx(p.receiver))
    qtbot.addWidget(workspace)
    workspace.resize(1100, 720)
    workspace.show()
    settle(qtbot, workspace.ctx)
    workspace.open_import(out)
    dialog2 = visible_dialog(qtbot, workspace, BundleImportDialog)
    assert isinstance(dialog2, BundleImportDialog)
    qtbot.waitUntil(dialog2.ok_button.isEnabled, timeout=10000)
    assert dialog2.municipality.isVisible()
    assert dialog2.municipality.currentText() == "Aarhus Kommune"
    # Every line the member checks is whole: the rows came in after the dialog was shown,
    # and were squeezed until the sender's name read "Østivlland" (user trial).
    _shot(dialog2, "transfer-import-da.png")
    for line in (dialog2.file, dialog2.sender_label, dialog2.fingerprint, dialog2.created):
        needed = line.heightForWidth(line.width()) if line.wordWrap() else line.sizeHint().height()
        assert line.height() >= needed, line.objectName()
    dialog2.ok_button.click()
    settle(qtbot, workspace.ctx)
    box = visible_dialog(qtbot, workspace, QMessageBox)
    assert isinstance(box, QMessageBox)
    [case] = p.receiver.cases.list()
    assert f"oprettet som {case.number}" in box.text() and number in box.text()
    box.close()


def test_a_case_the_workflow_cannot_hand_over_offers_no_handover(
    qtbot: QtBot, make_ctx: MakeCtx, pair: Pair
) -> None:
    """A case just received (not yet taken up by the Infohus) cannot go to "Overdraget":
    the action is not offered, rather than refused once the form is filled in."""
    p = pair
    number = p.sender.cases.open_case(new_case("Nyt Modtaget")).number
    view = CaseView(make_ctx(p.sender), number)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    assert view.data.case.summary.status is CaseStatus.RECEIVED  # type: ignore[union-attr]
    assert view.case_actions["status"].isEnabled()
    assert not view.case_actions["transfer"].isEnabled()
    # … and says why, and what comes first (user trial: no hint).
    assert "når Infohuset har taget den op" in view.case_actions["transfer"].toolTip()


def test_a_handover_made_outside_is_recorded_from_the_dialog(
    qtbot: QtBot, make_ctx: MakeCtx, pair: Pair
) -> None:
    """*Overdraget* is no longer offered as a status: the handover dialog records one made
    outside the program, with no file and no pinned recipient, approved by a second
    person."""
    p = pair
    approval = SENDER_APPROVAL
    number = fill_case(p.sender, "Tove Flytning", "150190-1234", "Aarhus Kommune").number
    ctx = make_ctx(p.sender)
    status = StatusDialog(ctx, p.sender.cases.show(number).summary)
    qtbot.addWidget(status)
    assert CaseStatus.TRANSFERRED in TRANSITIONS[CaseStatus.IN_INFOHUS]  # the workflow's
    assert CaseStatus.TRANSFERRED not in status.allowed()
    assert status.allowed()  # the others are still there

    dialog = TransferDialog(ctx, number, [])  # no recipient pinned: a bundle cannot go
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok_button.isEnabled() and not dialog.outside_to.isVisible()
    dialog.outside.setChecked(True)
    assert dialog.ok_button.isEnabled() and dialog.ok_button.text() == "&Registrér overdragelsen"
    assert dialog.outside_to.isVisible()
    assert not dialog.path.isVisible() and not dialog.recipient.isVisible()
    dialog.ok_button.click()
    assert "Skriv hvilket Infohus" in dialog.error.text()
    qtbot.keyClicks(dialog.outside_to, "Infohus Fyn")
    qtbot.keyClicks(dialog.reason, "Sendt med sikker post")
    assert dialog.approval.isVisible()  # a second person approves an outside handover
    dialog.ok_button.click()
    assert dialog.error.text().startswith("Godkenderen skal skrive sin bruger")
    qtbot.keyClicks(dialog.approval.login, "vibeke")
    qtbot.keyClicks(dialog.approval.secret, approval.passphrase)
    qtbot.wait(50)  # the layout after the mode switch, as the window shows it
    _shot(dialog, "transfer-outside-da.png")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
    assert dialog.result() == dialog.DialogCode.Accepted
    case = p.sender.cases.show(number)
    assert case.summary.status is CaseStatus.TRANSFERRED
    assert case.disclosures[-1].to_party == "Infohus Fyn"
