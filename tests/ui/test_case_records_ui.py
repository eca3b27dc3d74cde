"""The case actions that were command-line only (issue 14): screening, information from an
authority, a disclosure with its legal basis and a move to another group, from the case
view's "Mere" menu, each saved and shown in the case."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from infohus_desktop.domain.cases import LegalBasis, ScreeningOutcome
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.records import (
    DisclosureDialog,
    InformationDialog,
    MoveDialog,
    ScreeningDialog,
)
from infohus_desktop.ui.views.cases.case_view import CaseView
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.ui.test_meetings_helpers import settle, visible_dialog

MakeCtx = Callable[[MemberServices], AppContext]


def _open(qtbot: QtBot, ctx: AppContext, number: str) -> CaseView:
    view = CaseView(ctx, number)
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    return view


def test_screening_information_disclosure_and_a_move_from_the_window(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    number = lars.cases.open_case(new_case("Ali Hansen")).number
    lars.groups.add("Kun politiet", member_logins=["lars"])
    view = _open(qtbot, make_ctx(lars), number)
    menu = [a.text() for a in view.more_menu.actions()]
    assert menu == [
        "Screening …",
        "Oplysninger fra myndighed …",
        "Videregivelse …",
        "Flyt til anden adgangskreds …",
        "Overdrag sagen til et andet Infohus …",
    ]
    # All but the handover: a case just received cannot go to "Overdraget" yet.
    enabled = {a.text(): a.isEnabled() for a in view.more_menu.actions()}
    assert enabled.pop("Overdrag sagen til et andet Infohus …") is False
    assert all(enabled.values())

    view.case_actions["screen"].trigger()
    screening = visible_dialog(qtbot, view, ScreeningDialog)
    assert isinstance(screening, ScreeningDialog)
    screening.outcome.setCurrentIndex(screening.outcome.findData(ScreeningOutcome.OTHER_AUTHORITY))
    screening.reason.setPlainText("Sagen hører under kriminalforsorgen.")
    screening.ok_button.click()
    settle(qtbot, view.ctx)
    assert "hjemlen" in screening.error.text().casefold()  # the rule is the service's
    screening.legal.setText("retsplejelovens § 115")
    screening.ok_button.click()
    settle(qtbot, view.ctx)

    view.case_actions["information"].trigger()
    info = visible_dialog(qtbot, view, InformationDialog)
    assert isinstance(info, InformationDialog)
    info.authority.setText("Aarhus Kommune, skoleforvaltningen")
    info.answer.setPlainText("Fravær 30 % siden august.")
    info.basis.setCurrentIndex(info.basis.findData(LegalBasis.RPL_115_1_1))
    info.ok_button.click()
    settle(qtbot, view.ctx)

    view.case_actions["disclose"].trigger()
    disclosure = visible_dialog(qtbot, view, DisclosureDialog)
    assert isinstance(disclosure, DisclosureDialog)
    disclosure.from_party.setText("Østjyllands Politi")
    disclosure.to_party.setText("Aarhus Kommune")
    disclosure.what.setPlainText("Bekymringen og politiets kendskab til personen.")
    disclosure.ok_button.click()
    settle(qtbot, view.ctx)

    case = lars.cases.show(number)
    assert case.screenings[-1].legal_reference == "retsplejelovens § 115"
    assert case.information[-1].authority == "Aarhus Kommune, skoleforvaltningen"
    assert case.disclosures[-1].to_party == "Aarhus Kommune"

    view.case_actions["move"].trigger()
    move = visible_dialog(qtbot, view, MoveDialog)
    assert isinstance(move, MoveDialog)
    targets = [move.group.itemText(i) for i in range(move.group.count())]
    assert "Kun politiet" in targets and "Aarhus Kommune og politiet" not in targets
    move.group.setCurrentText("Kun politiet")
    move.ok_button.click()
    settle(qtbot, view.ctx)
    assert lars.cases.show(number).summary.group_id == lars.cases.group_id("Kun politiet")


def test_a_guest_sees_no_more_menu(qtbot: QtBot, make_ctx: MakeCtx, district: District) -> None:
    from infohus_desktop.domain.organisations import OrgKind

    lars = district.coordinator
    guest = district.enrol(
        "gitte", "Gitte Lund", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN
    )
    lars.groups.add("Med Kriminalforsorgen", member_logins=["lars", "gitte"])
    number = lars.cases.open_case(new_case("Bo Berg", group="Med Kriminalforsorgen")).number
    view = _open(qtbot, make_ctx(guest), number)
    assert not view.findChild(object, "moreButton").isVisible()  # type: ignore[union-attr]


def test_the_intake_is_corrected_in_the_edit_dialog(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    from datetime import date

    from infohus_desktop.domain.cases import Source
    from infohus_desktop.ui.dialogs.cases.case_edit import CaseEditDialog

    lars = district.coordinator
    number = lars.cases.open_case(new_case("Ali Hansen")).number
    view = _open(qtbot, make_ctx(lars), number)
    view.case_actions["edit"].trigger()
    dialog = visible_dialog(qtbot, view, CaseEditDialog)
    assert isinstance(dialog, CaseEditDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    concern = dialog.concern
    assert concern.observed.toPlainText().startswith("Eleven har delt")
    concern.source.setCurrentIndex(concern.source.findData(Source.POLICE.value))
    concern.received.set_value(date(2026, 11, 18))
    concern.observed.setPlainText("Eleven har delt voldsforherligende materiale to gange.")
    dialog.ok_button.click()
    settle(qtbot, view.ctx)
    intake = lars.cases.show(number).intake
    assert (intake.source, intake.received) == (Source.POLICE, date(2026, 11, 18))
    assert intake.observed == "Eleven har delt voldsforherligende materiale to gange."
    assert intake.answers == (("Hvor ofte?", "Flere gange om ugen"),)  # kept as they were
    edits = [e for e in lars.audit.list(limit=30) if e.action == "case.edit"]
    assert edits and "intake" in (edits[0].detail or "")
