"""The coordinator's side of referrals in the app: the form configuration, the recipients
register (a key file pinned only with the confirmed fingerprint), the public-key export, and
the referrals area's status filter, driven through the widgets."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.referrals import FieldType
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.referrals.recipients import RecipientsDialog, export_public_key
from infohus_desktop.ui.dialogs.referrals.referral_form import ReferralFormDialog
from infohus_desktop.ui.dialogs.referrals.referral_form_config import (
    COL_DA,
    COL_REQUIRED,
    ReferralFormConfigDialog,
    key_from,
)
from infohus_desktop.ui.views.referrals.workspace import ReferralWorkspace
from tests.integration.bundle_fixtures import sender_vault
from tests.integration.conftest import District
from tests.integration.referral_fixtures import case_with_draft, ready_draft

MakeCtx = Callable[[MemberServices], AppContext]


def test_a_coordinator_adds_renames_reorders_and_requires_fields(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    session = district.coordinator
    ctx = make_ctx(session)
    dialog = ReferralFormConfigDialog(ctx, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 20, timeout=10000)
    keys = [f.key for f in dialog.fields]
    unit = keys.index("recipient_unit")
    dialog.table.item(unit, COL_DA).setText("Modtagende team")
    dialog.table.item(unit, COL_REQUIRED).setCheckState(Qt.CheckState.Checked)
    # Moving across a section border does nothing; within a section it swaps.
    dialog.table.selectRow(unit)
    dialog.move_field(+1)
    assert dialog.fields[unit].key == "recipient_unit"
    dialog.table.selectRow(unit)
    dialog.move_field(-1)
    assert [f.key for f in dialog.fields[:2]] == ["recipient_unit", "programme"]
    qtbot.keyClicks(dialog.new_da, "Tolk nødvendig")
    qtbot.keyClicks(dialog.new_en, "Interpreter needed")
    dialog.new_type.setCurrentIndex(dialog.new_type.findData(FieldType.YES_NO_UNKNOWN.value))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.fields[-1].key == "interpreter_needed"
    dialog.table.selectRow(0)
    assert not dialog.remove.isEnabled()  # a standard field stays
    qtbot.keyClicks(dialog.new_da, "Slettes")
    qtbot.keyClicks(dialog.new_en, "To be removed")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.fields[-1].key == "to_be_removed" and dialog.remove.isEnabled()
    qtbot.mouseClick(dialog.remove, Qt.MouseButton.LeftButton)
    assert dialog.fields[-1].key == "interpreter_needed"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)

    form = session.referrals.form()
    unit_field = form.get("recipient_unit")
    assert unit_field is not None and unit_field.label_da == "Modtagende team"
    assert unit_field.required
    assert [f.key for f in form.fields[:2]] == ["recipient_unit", "programme"]
    added = form.get("interpreter_needed")
    assert added is not None and added.type is FieldType.YES_NO_UNKNOWN and not added.builtin
    assert form.get("to_be_removed") is None

    # The referral form now draws the changed definition.
    case, _draft = case_with_draft(session)
    referral_form = ReferralFormDialog(ctx, case.number, None, ctx.window)
    qtbot.addWidget(referral_form)
    referral_form.show()
    qtbot.waitUntil(lambda: referral_form.data is not None, timeout=10000)
    assert list(referral_form.editors)[:2] == ["recipient_unit", "programme"]
    assert referral_form.findChild(QWidget, "label_recipient_unit").text() == "Modtagende team *"
    assert "interpreter_needed" in referral_form.editors

    # "Gendan standardskemaet" brings the shipped form back, saved with Gem.
    again = ReferralFormConfigDialog(ctx, ctx.window)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.table.rowCount() > 20, timeout=10000)
    qtbot.mouseClick(again.defaults, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=10000)
    restored = session.referrals.form()
    assert restored.get("interpreter_needed") is None
    unit_again = restored.get("recipient_unit")
    assert unit_again is not None and unit_again.label_da != "Modtagende team"


def test_key_from_a_label() -> None:
    assert key_from("Tolk nødvendig?", set()) == "tolk_noedvendig"
    assert key_from("Tolk nødvendig?", {"tolk_noedvendig"}) == "tolk_noedvendig_2"
    assert key_from("1. kontakt", set()) == "felt_1_kontakt"


def test_recipients_are_pinned_only_with_the_confirmed_fingerprint(
    qtbot, make_ctx: MakeCtx, district: District, tmp_path: Path, monkeypatch
) -> None:
    other = sender_vault(tmp_path / "nord.sqlite")
    try:
        card, fingerprint = other.bundles.export_public_key()
    finally:
        other.lock()
        other.vault.close()
    key_file = tmp_path / "nord.key"
    key_file.write_bytes(card)
    ctx = make_ctx(district.coordinator)
    dialog = RecipientsDialog(ctx, ctx.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10000)
    assert dialog.table.rowCount() == 0
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(key_file), ""))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(dialog, "confirm", None) is not None, timeout=10000)
    confirm = dialog.confirm
    assert confirm.card_fingerprint.text() == fingerprint
    confirm.name.setText("EXIT Nordjylland")
    qtbot.keyClicks(confirm.confirmed, "0000 1111 2222 3333 4444 5555 6666 7777")
    qtbot.mouseClick(confirm.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: confirm.error.isVisibleTo(confirm), timeout=10000)
    assert "Fingeraftrykket passer ikke" in confirm.error.text()
    assert district.coordinator.bundles.recipients() == []
    confirm.confirmed.setText(fingerprint.lower().replace(" ", ""))
    qtbot.mouseClick(confirm.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    assert dialog.table.item(0, 0).text() == "EXIT Nordjylland"
    assert dialog.table.item(0, 2).text() == fingerprint


def test_the_public_key_is_written_only_where_chosen(
    qtbot, make_ctx: MakeCtx, district: District, tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "keys" / "oestjylland.key"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    ctx = make_ctx(district.coordinator)
    export_public_key(ctx, ctx.window)
    qtbot.waitUntil(lambda: ctx.window.findChild(QMessageBox, "publicKeyExported") is not None)
    box = ctx.window.findChild(QMessageBox, "publicKeyExported")
    _card, fingerprint = district.coordinator.bundles.export_public_key()
    assert fingerprint in box.text()
    assert [p.name for p in target.parent.iterdir()] == ["oestjylland.key"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    box.close()


def test_the_area_filters_by_status_and_shows_the_chosen_referral(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    session = district.coordinator
    sent = ready_draft(session)
    session.referrals.change_status(sent.id, ReferralStatus.SENT, how=SendMethod.POST)
    _case, draft = case_with_draft(session, "Bo Berg")
    ctx = make_ctx(session)
    area = ReferralWorkspace(ctx)
    qtbot.addWidget(area)
    area.resize(1024, 700)
    area.show()
    qtbot.waitUntil(lambda: area.model.rowCount() == 2, timeout=10000)
    assert area.count.text() == "2 henvisninger"
    area.status.setCurrentIndex(area.status.findData(ReferralStatus.SENT.value))
    assert area.proxy.rowCount() == 1
    assert area.count.text() == "1 af 2 henvisninger"
    area.status.setCurrentIndex(area.status.findData("open"))
    assert area.proxy.rowCount() == 2
    area.direction.setCurrentIndex(area.direction.findData("in"))
    assert area.proxy.rowCount() == 0
    area.direction.setCurrentIndex(0)
    qtbot.keyClicks(area.search, "bo berg")
    assert area.proxy.rowCount() == 1
    area.table.selectRow(0)
    qtbot.waitUntil(lambda: area.pane.referral is not None, timeout=10000)
    assert area.pane.referral.id == draft.id
    assert area.pane.edit_button.isEnabled()


def test_a_guest_sees_the_area_without_bundles_or_keys(
    qtbot, make_ctx: MakeCtx, district: District
) -> None:
    ready_draft(district.coordinator)  # in a case not shared with the guest
    guest = district.enrol(
        "karl", "Karl Psyk", "Region Midtjylland", Role.GUEST, OrgKind.PSYCHIATRY
    )
    ctx = make_ctx(guest)
    area = ReferralWorkspace(ctx)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitUntil(lambda: area.count.text() == "0 henvisninger", timeout=10000)
    for button in (area.import_button, area.recipients_button, area.key_button, area.form_button):
        assert not button.isVisible()
