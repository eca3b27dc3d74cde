"""The referral screens rendered in Danish and English: the area (with an incoming
referral), a case's "Henvisninger" tab, the form, each workflow step, the bundle export and
import, the recipients register and the form configuration. English chrome holds no Danish
letter (the check of ``tests/ui/test_screens.py``), and nothing is cut off at 1024×700."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.services.referrals.bundle_keys import BundleKeys
from infohus_desktop.ui import i18n
from infohus_desktop.ui.dialogs.referrals.bundle_export import BundleExportDialog
from infohus_desktop.ui.dialogs.referrals.bundle_import import BundleImportDialog
from infohus_desktop.ui.dialogs.referrals.recipients import AddRecipientDialog, RecipientsDialog
from infohus_desktop.ui.dialogs.referrals.referral_form import ReferralFormDialog
from infohus_desktop.ui.dialogs.referrals.referral_form_config import ReferralFormConfigDialog
from infohus_desktop.ui.dialogs.referrals.referral_status import ReferralStatusDialog
from infohus_desktop.ui.views.cases.case_view import CaseView
from infohus_desktop.ui.views.referrals.workspace import ReferralWorkspace
from infohus_desktop.ui.work_area import WorkArea
from tests.integration import bundle_fixtures
from tests.integration.bundle_fixtures import Pair
from tests.ui import test_screens
from tests.ui.test_screens import check

pair = bundle_fixtures.pair
lang = test_screens.lang  # the fixture: once in Danish, once in English


def show(qtbot, widget: QWidget, width: int = 1024, height: int = 700) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    return widget


def fits(widget: QWidget) -> None:
    """The window's minimum size fits a 1024×700 screen."""
    hint = widget.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700, (type(widget).__name__, hint)


def test_referral_screens_render_in_both_languages(
    qtbot,
    lang: str,
    pair: Pair,
    make_ctx,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    i18n.set_language(lang)
    data = pair.sender.bundles.export_referral(pair.referral.id, pair.exit_id)
    bundle = tmp_path / "pakke.infohus"
    bundle.write_bytes(data)
    pair.receiver.bundles.import_bundle(data)
    ctx = make_ctx(pair.receiver)
    area = show(qtbot, ReferralWorkspace(ctx))
    qtbot.waitUntil(lambda: area.model.rowCount() == 1, timeout=10000)
    area.table.selectRow(0)
    qtbot.waitUntil(lambda: area.pane.incoming is not None, timeout=10000)
    check(area, lang, "referral_area_incoming", tmp_path, qtbot, ctx.runner)
    fits(area)

    sctx = make_ctx(pair.sender)
    work = show(qtbot, WorkArea(sctx))
    work.nav.setCurrentRow(list(work.areas).index("referrals"))
    qtbot.waitUntil(lambda: work.areas["referrals"].model.rowCount() == 1, timeout=10000)
    work.areas["referrals"].table.selectRow(0)
    qtbot.waitUntil(lambda: work.areas["referrals"].pane.referral is not None, timeout=10000)
    check(work, lang, "work_area_referrals", tmp_path, qtbot, sctx.runner)
    fits(work)
    number = pair.referral.summary.case_number
    view = show(qtbot, CaseView(sctx, number), 1024 - 180, 700)
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    view.tabs.setCurrentWidget(view.referrals)
    qtbot.waitUntil(lambda: view.referrals.pane.referral is not None, timeout=10000)
    check(view, lang, "case_referrals_tab", tmp_path, qtbot, sctx.runner)
    view.referrals.pane.tabs.setCurrentIndex(1)
    check(view, lang, "case_referrals_history", tmp_path, qtbot, sctx.runner)

    sarea = show(qtbot, ReferralWorkspace(sctx))
    qtbot.waitUntil(lambda: sarea.model.rowCount() == 1, timeout=10000)
    sarea.table.selectRow(0)
    qtbot.waitUntil(lambda: sarea.pane.referral is not None, timeout=10000)
    check(sarea, lang, "referral_area", tmp_path, qtbot, sctx.runner)

    referral = pair.sender.referrals.show(pair.referral.id)
    card, _fp = pair.receiver.bundles.export_public_key()
    dialogs: list[tuple[str, QDialog]] = [
        ("referral_form", ReferralFormDialog(sctx, number, None, sctx.window)),
        ("referral_form_edit", ReferralFormDialog(sctx, number, referral.id, sctx.window)),
        ("bundle_export", BundleExportDialog(sctx, referral, sctx.window)),
        ("bundle_import", BundleImportDialog(ctx, bundle, ctx.window)),
        ("recipients", RecipientsDialog(sctx, sctx.window)),
        ("add_recipient", AddRecipientDialog(sctx, card, BundleKeys.read_card(card), sctx.window)),
        ("form_config", ReferralFormConfigDialog(sctx, sctx.window)),
    ]
    for step in ReferralStatus:
        if step is not ReferralStatus.DRAFT:
            dialogs.append(
                (
                    f"step_{step.value}",
                    ReferralStatusDialog(sctx, referral.summary, step, sctx.window),
                )
            )
    for name, dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        check(dialog, lang, name, tmp_path, qtbot, sctx.runner)
        check(dialog, lang, name, tmp_path, qtbot, ctx.runner)
        fits(dialog)
        if name == "referral_form":  # the problems as the user sees them, at the form's end
            assert not dialog.check(sending=True)
            dialog.form_area.verticalScrollBar().setValue(
                dialog.form_area.verticalScrollBar().maximum()
            )
            check(dialog, lang, "referral_form_problems", tmp_path, qtbot, sctx.runner)
        dialog.reject()
