"""The referral screens driven as a member drives them: fill the form with a mistake, fix it,
send, preview the PDF, export the encrypted bundle and import it in the receiving vault; the
workflow steps; the minor-consent rule in the form."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from infohus_desktop.ui.dialogs.referrals.bundle_export import BundleExportDialog
from infohus_desktop.ui.dialogs.referrals.bundle_import import BundleImportDialog
from infohus_desktop.ui.dialogs.referrals.referral_form import ReferralFormDialog
from infohus_desktop.ui.dialogs.referrals.referral_status import ReferralStatusDialog
from infohus_desktop.ui.views.referrals.referral_pane import ReferralPane
from infohus_desktop.ui.views.referrals.workspace import ReferralWorkspace
from tests.integration import bundle_fixtures
from tests.integration.bundle_fixtures import Pair
from tests.integration.case_fixtures import fill_case
from tests.integration.conftest import District
from tests.integration.referral_fixtures import case_with_draft

MakeCtx = Callable[[MemberServices], AppContext]
pair = bundle_fixtures.pair  # two vaults that pinned each other's keys
MINOR_CPR = "0101154234"  # born 1 January 2015 (seventh digit 4: 2000s)


def choose(combo: QComboBox, code: str) -> None:
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)


def open_form(qtbot, ctx: AppContext, number: str) -> ReferralFormDialog:  # type: ignore[no-untyped-def]
    dialog = ReferralFormDialog(ctx, number, None, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.data is not None, timeout=10000)
    qtbot.waitUntil(lambda: all(e.isVisible() for e in dialog.editors.values()))
    return dialog


def test_fill_fix_send_preview_export_and_import(
    qtbot,
    make_ctx: MakeCtx,
    pair: Pair,
    tmp_path: Path,
) -> None:
    sender = pair.sender
    ctx = make_ctx(sender)
    number = pair.referral.summary.case_number
    dialog = open_form(qtbot, ctx, number)
    e = dialog.editors
    # Prefilled by the service from the case.
    assert e["person_name"].value() == "Ali Ærø"
    assert e["concern"].value() and e["risk_factors"].value()
    assert dialog.findChild(type(dialog.summary), "label_reason").text().endswith("*")
    choose(e["programme"].input, "pet_exit")  # type: ignore[arg-type]
    choose(e["person_informed"].input, "ja")  # type: ignore[arg-type]
    choose(e["person_consent"].input, "ja")  # type: ignore[arg-type]
    choose(e["legal_basis"].input, "samtykke")  # type: ignore[arg-type]
    attachments = e["attachments"].input
    assert attachments.count() == 3  # the case's own and the two extra files
    for i in range(attachments.count()):
        attachments.item(i).setCheckState(Qt.CheckState.Checked)
    # The reason is left empty: sending is refused, next to the field and above the form.
    assert dialog.send_button.isEnabled()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert e["reason"].error.isVisibleTo(dialog)
    assert e["reason"].error.text() == "Skal udfyldes."
    assert dialog.summary.isVisibleTo(dialog)
    assert "Begrundelse for henvisningen" in dialog.summary.text()
    assert dialog.focusWidget() is e["reason"].input
    assert sender.referrals.for_case(number) == [pair.referral.summary]  # nothing saved
    # Fixed: the mark goes as the user types, and the referral is saved.
    qtbot.keyClicks(e["reason"].input, "Ønsker selv at komme ud af miljøet.")
    assert not e["reason"].error.isVisibleTo(dialog)
    assert not dialog.summary.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10000)
    assert dialog.send_next
    saved = dialog.saved
    assert saved.status is ReferralStatus.DRAFT
    assert saved.values["reason"] == "Ønsker selv at komme ud af miljøet."
    assert len(saved.values["attachments"]) == 3

    # The pane shows it; preview the PDF.
    pane = ReferralPane(ctx)
    qtbot.addWidget(pane)
    pane.show()
    # Before a referral is chosen, no step button at all (not nine disabled ones).
    assert not any(button.isVisible() for button in pane.step_buttons.values())
    pane.show_referral(saved.id)
    qtbot.waitUntil(lambda: pane.referral is not None, timeout=10000)
    assert pane.edit_button.isEnabled()
    assert pane.step_buttons[ReferralStatus.SENT].isEnabled()
    assert not pane.step_buttons[ReferralStatus.ACCEPTED].isVisible()
    pane.preview_pdf()
    qtbot.waitUntil(lambda: pane.findChild(PdfPreviewDialog) is not None, timeout=15000)
    preview = pane.findChild(PdfPreviewDialog)
    qtbot.waitUntil(lambda: len(preview.pages) >= 1, timeout=15000)
    text = pypdf.PdfReader(io.BytesIO(preview._pdf)).pages[0].extract_text()
    assert "FORTROLIGT" in text and "Ali" in text
    pdf_file = tmp_path / "henvisning.pdf"
    preview.choose_file = lambda: pdf_file  # type: ignore[method-assign]
    preview.save_document()
    qtbot.waitUntil(pdf_file.exists, timeout=10000)
    assert pdf_file.read_bytes() == preview._pdf
    actions = [e.action for e in sender.audit.list(limit=20)]
    assert "referral.pdf" in actions and "referral.save" in actions
    preview.close()

    # Export the bundle: recipient from the register with its fingerprint, the file only
    # where the user saved it.
    export = BundleExportDialog(ctx, pane.referral, pane)
    qtbot.addWidget(export)
    export.show()
    qtbot.waitUntil(lambda: export.recipients.count() == 1, timeout=10000)
    assert pair.receiver_fp in export.recipients.item(0).text()
    assert len(export.chosen_attachments()) == 3
    target = tmp_path / "out" / "henvisning.infohus"
    target.parent.mkdir()
    export.choose_file = lambda: target  # type: ignore[method-assign]
    qtbot.mouseClick(export.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: export.written is not None, timeout=20000)
    assert [p.name for p in target.parent.iterdir()] == ["henvisning.infohus"]
    assert export.saved.status is ReferralStatus.SENT  # a draft is sent by bundle
    assert export.saved.history[-1].how is SendMethod.BUNDLE

    # The receiver imports it: inspect, confirm, and it is listed as incoming.
    rctx = make_ctx(pair.receiver)
    importer = BundleImportDialog(rctx, target, rctx.window)
    qtbot.addWidget(importer)
    importer.show()
    qtbot.waitUntil(lambda: importer.ok_button.isEnabled(), timeout=10000)
    assert importer.fingerprint.text() == pair.sender_fp
    assert importer.sender_label.text().startswith("Infohus Nordjylland")
    qtbot.mouseClick(importer.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: importer.imported is not None, timeout=20000)
    assert importer.imported.attachments == 3
    area = ReferralWorkspace(rctx)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=10000)
    assert area.model.row_at(0).is_incoming
    assert area.model.index(0, 0).data() == "Indgående"
    area.table.selectRow(0)
    qtbot.waitUntil(lambda: area.pane.incoming is not None, timeout=10000)
    files = area.pane.incoming_files
    assert files.table.rowCount() == 3 and not area.pane.action_bar.isVisible()
    row = next(r for r in range(3) if files.table.item(r, 0).text() == "udtalelse.pdf")
    files.table.selectRow(row)
    copy = tmp_path / "kopi.pdf"
    files.save_copy(files.current(), copy)
    qtbot.waitUntil(lambda: area.pane.notice.isVisible(), timeout=10000)
    assert copy.read_bytes() == pair.files["udtalelse.pdf"]
    assert area.pane.notice.text() == "Kopien er gemt: kopi.pdf"


def test_a_second_import_of_the_same_bundle_shows_one_clear_message(
    qtbot,
    make_ctx: MakeCtx,
    pair: Pair,
    tmp_path: Path,
) -> None:
    data = pair.sender.bundles.export_referral(pair.referral.id, pair.exit_id)
    path = tmp_path / "pakke.infohus"
    path.write_bytes(data)
    pair.receiver.bundles.import_bundle(data)
    ctx = make_ctx(pair.receiver)
    dialog = BundleImportDialog(ctx, path, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=10000)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10000)
    assert dialog.error.text().startswith("Pakken er afvist:")
    assert dialog.imported is None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()


def test_a_minor_cannot_be_sent_until_the_guardians_consent_is_answered(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    session = district.coordinator
    case = fill_case(session, "Lille Ærø", MINOR_CPR, "Aarhus Kommune")
    dialog = open_form(qtbot, make_ctx(session), case.number)
    assert dialog.consent_needed()
    assert not dialog.send_button.isEnabled()
    assert dialog.minor_hint.isVisibleTo(dialog)
    assert "under 18" in dialog.minor_hint.text()
    choose(dialog.editors["guardians_consent"].input, "ukendt")  # type: ignore[arg-type]
    assert not dialog.send_button.isEnabled()  # "unknown" is no answer
    choose(dialog.editors["guardians_consent"].input, "nej")  # type: ignore[arg-type]
    assert dialog.send_button.isEnabled()
    assert not dialog.minor_hint.isVisibleTo(dialog)


def test_the_service_message_shows_when_sending_a_minor_from_the_pane(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    _case, draft = case_with_draft(district.coordinator, cpr=MINOR_CPR)
    ctx = make_ctx(district.coordinator)
    dialog = ReferralStatusDialog(ctx, draft.summary, ReferralStatus.SENT, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.how, SendMethod.SECURE_MAIL.value)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10000)
    assert "Udfyld de påkrævede felter" in dialog.error.text() or "under 18" in dialog.error.text()
    assert district.coordinator.referrals.show(draft.id).status is ReferralStatus.DRAFT


def test_workflow_steps_through_the_pane(qtbot, make_ctx: MakeCtx, pair: Pair) -> None:
    ctx = make_ctx(pair.sender)
    pane = ReferralPane(ctx)
    qtbot.addWidget(pane)
    pane.show()
    pane.show_referral(pair.referral.id)
    qtbot.waitUntil(lambda: pane.referral is not None, timeout=10000)

    def current() -> ReferralStatusDialog:
        shown = [d for d in pane.findChildren(ReferralStatusDialog) if d.isVisible()]
        assert len(shown) == 1
        return shown[0]

    def step(target: ReferralStatus, text: str = "", how: SendMethod | None = None) -> None:
        pane.step_buttons[target].click()
        dialog = current()
        if how is not None:
            choose(dialog.how, how.value)
        if text:
            qtbot.keyClicks(dialog.reason, text)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: pane.referral.status is target, timeout=10000)

    # Declining without a reason is refused in the dialog.
    step(ReferralStatus.SENT, how=SendMethod.SECURE_MAIL)
    assert not pane.edit_button.isEnabled()
    step(ReferralStatus.RECEIVED)
    pane.step_buttons[ReferralStatus.DECLINED].click()
    dialog = current()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Skriv hvorfor henvisningen er afvist."
    dialog.reject()
    step(ReferralStatus.ACCEPTED)
    step(ReferralStatus.CLOSED, "Forløbet er gennemført.")
    assert pane.history.rowCount() == 5
    assert pane.history.item(4, 3).text() == "Forløbet er gennemført."
    assert pane.history.item(1, 2).text() == "Sikker mail"
    # Who took each step, by name (not login).
    assert pane.history.item(4, 4).text() == ctx.session.member.name
    assert not any(b.isEnabled() for b in pane.step_buttons.values())


def test_the_case_tab_makes_a_referral_and_goes_on_to_sending(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    from infohus_desktop.ui.views.cases.case_view import CaseView

    session = district.coordinator
    case = fill_case(session, "Ali Ærø", "0101901234", "Aarhus Kommune")
    ctx = make_ctx(session)
    view = CaseView(ctx, case.number)
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    view.tabs.setCurrentWidget(view.referrals)
    tab = view.referrals
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10000)
    assert tab.model.rowCount() == 0
    assert tab.pane.notice.text() == "Sagen har ingen henvisninger."
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(ReferralFormDialog)
    qtbot.waitUntil(lambda: dialog.data is not None, timeout=10000)
    e = dialog.editors
    choose(e["programme"].input, "kriminalforsorgen")  # type: ignore[arg-type]
    for key in ("person_informed", "person_consent"):
        choose(e[key].input, "ja")  # type: ignore[arg-type]
    choose(e["legal_basis"].input, "samtykke")  # type: ignore[arg-type]
    qtbot.keyClicks(e["reason"].input, "Motiveret for forløb.")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in tab.findChildren(ReferralStatusDialog)), timeout=10000
    )
    send = next(d for d in tab.findChildren(ReferralStatusDialog) if d.isVisible())
    assert send.target is ReferralStatus.SENT
    choose(send.how, SendMethod.POST.value)
    qtbot.mouseClick(send.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10000)
    qtbot.waitUntil(
        lambda: tab.pane.referral is not None and tab.pane.referral.status is ReferralStatus.SENT,
        timeout=10000,
    )
    qtbot.waitUntil(lambda: tab.model.index(0, 4).data() == "Sendt", timeout=10000)
    assert session.referrals.for_case(case.number)[0].status is ReferralStatus.SENT
    # The case went to "Henvist" with the referral; the view shows it without reopening.
    qtbot.waitUntil(lambda: view.status.text() == "Henvist", timeout=10000)
    status = view.history.tables["status"]
    assert [status.item(0, c).text() for c in (1, 2)] == ["I Infohus", "Henvist"]
    assert status.item(0, 4).text().startswith("Henvist til Kriminalforsorgen (sendt ")


def test_an_edit_that_meets_a_newer_save_keeps_the_input_and_says_so(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    session = district.coordinator
    case, draft = case_with_draft(session)
    ctx = make_ctx(session)
    dialog = ReferralFormDialog(ctx, case.number, draft.id, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.data is not None, timeout=10000)
    session.referrals.edit(draft.id, draft.version, {"reason": "Deres begrundelse"})
    qtbot.keyClicks(dialog.editors["reason"].input, "Min begrundelse")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10000)
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.editors["reason"].value() == "Min begrundelse"
    assert session.referrals.show(draft.id).values["reason"] == "Deres begrundelse"
    qtbot.waitUntil(lambda: "gem igen" in dialog.error.text(), timeout=10000)
    # Saving again is the explicit choice to replace their version.
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10000)
    assert session.referrals.show(draft.id).values["reason"] == "Min begrundelse"
