"""The *Administration* area as a coordinator uses it (issue 14): a member added in the window
unlocks with the first passphrase the window showed, changes it and reads the cases of their
groups; a removal gives their groups new keys; a reset member regains their groups; the
groups tab names who waits for a key; the DPO reads the lists and can press nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.administration.members import (
    FirstPassphraseDialog,
    NewMemberDialog,
)
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from infohus_desktop.ui.views.administration.view import AdministrationView
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.ui.test_meetings_helpers import settle, visible_dialog

MakeCtx = Callable[[MemberServices], AppContext]


#: The work areas of the open views: a WorkArea without a Python reference is deleted.
_KEPT: list[WorkArea] = []


def _open(qtbot: QtBot, make_ctx: MakeCtx, session: MemberServices) -> AdministrationView:
    area = WorkArea(make_ctx(session))
    _KEPT[:] = [area]
    qtbot.addWidget(area)
    area.resize(1440, 900)
    area.show()
    view = area.show_area("administration")
    assert isinstance(view, AdministrationView)
    settle(qtbot, view.ctx)
    return view


def _select(table: object, text: str) -> None:
    for row in range(table.rowCount()):  # type: ignore[attr-defined]
        for column in range(table.columnCount()):  # type: ignore[attr-defined]
            cell = table.item(row, column)  # type: ignore[attr-defined]
            if cell is not None and cell.text() == text:
                table.selectRow(row)  # type: ignore[attr-defined]
                return
    raise AssertionError(f"{text} is not in the table")


def _confirm(qtbot: QtBot, view: AdministrationView) -> None:
    box = visible_dialog(qtbot, view, QMessageBox)
    next(b for b in box.buttons() if b.objectName() == "confirmButton").click()  # type: ignore[attr-defined]
    settle(qtbot, view.ctx)


def _shot(widget: object, name: str) -> None:
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        widget.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / name))  # type: ignore[attr-defined]


def test_a_member_added_in_the_window_unlocks_and_reads_their_groups_cases(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    case = lars.cases.open_case(new_case("Ali Hansen"))
    view = _open(qtbot, make_ctx, lars)
    members = view.members
    assert "Lars Holm Sørensen" in [
        members.table.item(r, 0).text() for r in range(members.table.rowCount())
    ]
    _shot(view, "administration-members-da.png")

    members.add_button.click()
    dialog = visible_dialog(qtbot, view, NewMemberDialog)
    assert isinstance(dialog, NewMemberDialog)
    dialog.name.setText("Mette Fjord")
    assert dialog.login.text() == "mette.fjord"
    dialog.organisation.setCurrentText("Aarhus Kommune")
    assert not dialog.kind.isVisible()
    _shot(dialog, "administration-new-member-da.png")
    dialog.ok_button.click()
    settle(qtbot, view.ctx)
    shown = visible_dialog(qtbot, view, FirstPassphraseDialog)
    assert isinstance(shown, FirstPassphraseDialog)
    passphrase = shown.findChild(object, "firstPassphrase").text()  # type: ignore[union-attr]
    _shot(shown, "administration-first-passphrase-da.png")
    shown.letter_button.click()
    settle(qtbot, view.ctx)
    letter = visible_dialog(qtbot, shown, PdfPreviewDialog)
    assert isinstance(letter, PdfPreviewDialog)
    letter.close()
    shown.reject()
    settle(qtbot, view.ctx)
    assert "mette.fjord" in [
        members.table.item(r, 1).text() for r in range(members.table.rowCount())
    ]

    mette = district.unlock("mette.fjord", passphrase)
    assert mette.member.must_change_passphrase
    mette.accounts.change_passphrase(passphrase, "mettes egen lange frase")
    assert case.number in {c.number for c in mette.cases.list()}

    # Removing her gives her groups new keys.
    epochs = {g.name: g.epoch for g in lars.groups.list()}
    _select(members.table, "mette.fjord")
    members.remove_button.click()
    question = visible_dialog(qtbot, view, QMessageBox)
    # A sentence a line, not five narrow lines under two short buttons (window trial).
    label = question.findChild(QLabel, "qt_msgbox_informativelabel")  # type: ignore[attr-defined]
    assert label.width() >= 26 * QFontInfo(label.font()).pixelSize()
    _confirm(qtbot, view)
    after = {g.name: g.epoch for g in lars.groups.list()}
    assert after["Aarhus Kommune og politiet"] == epochs["Aarhus Kommune og politiet"] + 1
    members.show_removed.setChecked(True)
    row = next(
        r
        for r in range(members.table.rowCount())
        if members.table.item(r, 1).text() == "mette.fjord"
    )
    assert members.table.item(row, 4).text() == "Fjernet"


def test_a_reset_member_regains_access_and_the_groups_tab_names_who_waits(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    district.enrol("jens", "Jens Bak", "Aarhus Kommune", Role.MEMBER)
    lars = district.coordinator
    lars.groups.add("Kun Aarhus", member_logins=["mette", "jens"])
    private = district.sessions["mette"].cases.open_case(new_case("Bo Berg", group="Kun Aarhus"))
    view = _open(qtbot, make_ctx, lars)

    _select(view.members.table, "mette")
    view.members.reset_button.click()
    _confirm(qtbot, view)
    shown = visible_dialog(qtbot, view, FirstPassphraseDialog)
    passphrase = shown.findChild(object, "firstPassphrase").text()  # type: ignore[attr-defined]
    shown.reject()  # type: ignore[attr-defined]

    view.tabs.setCurrentWidget(view.groups)
    settle(qtbot, view.ctx)
    rows = {
        view.groups.table.item(r, 0).text(): view.groups.table.item(r, 5).text()
        for r in range(view.groups.table.rowCount())
    }
    assert rows["Kun Aarhus"] == "Mette Fjord"  # waits for jens to unlock
    _shot(view, "administration-groups-da.png")

    mette = district.unlock("mette", passphrase)
    mette.accounts.change_passphrase(passphrase, "mettes nye lange frase")
    assert private.number not in {c.number for c in mette.cases.list()}
    district.unlock("jens").lock()
    again = district.unlock("mette", "mettes nye lange frase")
    assert private.number in {c.number for c in again.cases.list()}


def test_the_dpo_reads_and_presses_nothing(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    from infohus_desktop.domain.organisations import OrgKind

    district.enrol("dorte", "Dorte Lind", "Datatilsynet-rådgivning", Role.DPO, OrgKind.OTHER)
    view = _open(qtbot, make_ctx, district.sessions["dorte"])
    assert view.members.table.rowCount() == 2
    assert not view.members.add_button.isVisible()
    view.tabs.setCurrentWidget(view.groups)
    settle(qtbot, view.ctx)
    assert view.groups.table.rowCount() >= 5
    assert not view.groups.new_button.isVisible()
    view.tabs.setCurrentWidget(view.settings)
    settle(qtbot, view.ctx)
    assert view.settings.root.text() == view.settings.pinned.text()
    assert not view.settings.save_categories.isVisible()


def test_groups_municipalities_and_categories_change_from_the_window(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    from infohus_desktop.ui.dialogs.administration.groups import (
        NewGroupDialog,
        NewMunicipalityDialog,
        TextDialog,
        checked,
    )
    from infohus_desktop.ui.dialogs.administration.members import RoleDialog

    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars = district.coordinator
    view = _open(qtbot, make_ctx, lars)

    _select(view.members.table, "mette")
    view.members.role_button.click()
    role = visible_dialog(qtbot, view, RoleDialog)
    assert isinstance(role, RoleDialog)
    role.role.setCurrentIndex(role.role.findData(Role.COORDINATOR))
    role.ok_button.click()
    settle(qtbot, view.ctx)
    assert {m.login: m.role for m in lars.accounts.list()}["mette"] is Role.COORDINATOR

    view.tabs.setCurrentWidget(view.groups)
    settle(qtbot, view.ctx)
    view.groups.new_button.click()
    new = visible_dialog(qtbot, view, NewGroupDialog)
    assert isinstance(new, NewGroupDialog)
    new.name.setText("Kun politiet")
    police = new.organisations.findItems("Østjylland – politiet", Qt.MatchFlag.MatchExactly)[0]
    police.setCheckState(Qt.CheckState.Checked)
    assert checked(new.organisations) == ["Østjylland – politiet"]
    _shot(new, "administration-new-group-da.png")
    new.ok_button.click()
    settle(qtbot, view.ctx)
    _select(view.groups.table, "Kun politiet")
    view.groups.rename_button.click()
    rename = visible_dialog(qtbot, view, TextDialog)
    assert isinstance(rename, TextDialog)
    rename.field.setText("Politiets kreds")
    rename.ok_button.click()
    settle(qtbot, view.ctx)
    assert "Politiets kreds" in {g.name for g in lars.groups.list()}

    view.tabs.setCurrentWidget(view.municipalities)
    settle(qtbot, view.ctx)
    view.municipalities.new_button.click()
    muni = visible_dialog(qtbot, view, NewMunicipalityDialog)
    assert isinstance(muni, NewMunicipalityDialog)
    muni.name.setText("Silkeborg Kommune")
    assert muni.prefix.text() == "SIL"
    muni.ok_button.click()
    settle(qtbot, view.ctx)
    assert view.municipalities.table.rowCount() == 3
    _shot(view, "administration-municipalities-da.png")
    _select(view.municipalities.table, "Randers Kommune")
    view.municipalities.prefix_button.click()
    prefix = visible_dialog(qtbot, view, TextDialog)
    assert isinstance(prefix, TextDialog) and prefix.field.text() == "RAN"
    prefix.field.setText("rnd")
    prefix.ok_button.click()
    settle(qtbot, view.ctx)
    assert {i.name: i.case_prefix for i in lars.groups.local_infohuse()}["Randers Kommune"] == "RND"

    view.tabs.setCurrentWidget(view.settings)
    settle(qtbot, view.ctx)
    settings = view.settings
    before = settings.categories.rowCount()
    settings.add_category.click()
    row = settings.categories.rowCount() - 1
    for column, text in enumerate(("hadforbrydelse", "Hadforbrydelse", "Hate crime")):
        settings.categories.item(row, column).setText(text)
    settings.save_categories.click()
    settle(qtbot, view.ctx)
    assert lars.case_settings.categories()["hadforbrydelse"] == ("Hadforbrydelse", "Hate crime")
    assert settings.categories.rowCount() == before + 1
    _shot(view, "administration-settings-da.png")


def test_a_new_organisations_kind_is_chosen_not_preselected(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    """A new psychiatry was saved as Kriminalforsorgen, the first kind in the list, when the
    coordinator did not look (user trial): the kind is asked for."""
    from infohus_desktop.domain.organisations import OrgKind

    view = _open(qtbot, make_ctx, district.coordinator)
    view.members.add_button.click()
    dialog = visible_dialog(qtbot, view, NewMemberDialog)
    assert isinstance(dialog, NewMemberDialog)
    dialog.name.setText("Pia Krog")
    dialog.organisation.setCurrentText("Region Midtjylland Psykiatri")
    assert dialog.kind.isVisible() and dialog.kind.currentIndex() == -1
    dialog.ok_button.click()
    assert dialog.error.isVisible() and "Vælg hvilken type organisation" in dialog.error.text()
    _shot(dialog, "administration-new-organisation-kind-da.png")
    dialog.kind.setCurrentIndex(dialog.kind.findData(OrgKind.PSYCHIATRY))
    dialog.ok_button.click()
    settle(qtbot, view.ctx)
    [psychiatry] = [
        o
        for o in district.coordinator.accounts.organisations()
        if o.name == "Region Midtjylland Psykiatri"
    ]
    assert psychiatry.kind is OrgKind.PSYCHIATRY
