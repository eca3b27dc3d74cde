"""Case dialogs whose save meets a lost connection (ui/dialogs/saving.py): the shared path of
every case dialog keeps what was typed, and never saves twice.

The services raise here what the unit of work raises on a server outage
(vault/server_link.py); the outage itself, on a real server, is in
test_server_outage_ui.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt

from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.editing import CaseEditing
from infohus_desktop.services.cases.intake import CaseIntake
from infohus_desktop.services.cases.records import CaseRecords
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.case_edit import CaseEditDialog
from infohus_desktop.ui.dialogs.cases.intake import IntakeDialog
from infohus_desktop.ui.dialogs.cases.journal import JournalDialog
from infohus_desktop.vault.server_link import nothing_saved, unknown_if_saved
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.ui.test_dialogs import _fill_intake

MakeCtx = Callable[[MemberServices], AppContext]


@pytest.fixture
def mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def _fail_first(
    monkeypatch: pytest.MonkeyPatch,
    owner: type,
    name: str,
    error: Callable[[], Exception],
    save_first: bool = False,
) -> list[int]:
    """The first call of ``owner.name`` raises ``error()`` (after saving, if ``save_first``:
    a COMMIT that landed while its answer was lost); later calls go through."""
    original = getattr(owner, name)
    calls: list[int] = []

    def patched(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            if save_first:
                original(self, *args, **kwargs)
            raise error()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, patched)
    return calls


def test_intake_keeps_everything_typed_and_opens_one_case_when_saved_again(
    qtbot, make_ctx: MakeCtx, mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_first(monkeypatch, CaseIntake, "open_case", nothing_saved)
    dialog = IntakeDialog(make_ctx(mette))
    qtbot.addWidget(dialog)
    dialog.show()
    _fill_intake(qtbot, dialog, "Bo Jensen", "")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Intet blev gemt" in dialog.error.text(), timeout=10000)
    assert dialog.isVisible()
    assert dialog.person.name.text() == "Bo Jensen"
    assert dialog.observed.toPlainText() == "Eleven har delt voldsforherligende materiale."
    assert mette.cases.list() == []

    with qtbot.waitSignal(dialog.created, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert [c.person_name for c in mette.cases.list()] == ["Bo Jensen"]


def test_case_edit_keeps_the_edit_when_the_save_fails(
    qtbot, make_ctx: MakeCtx, mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = mette.cases.open_case(new_case("Anna Hansen")).number
    _fail_first(monkeypatch, CaseEditing, "edit", nothing_saved)
    dialog = CaseEditDialog(make_ctx(mette), mette.cases.show(number))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.ok_button.isEnabled)
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Ny overskrift")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Intet blev gemt" in dialog.error.text(), timeout=10000)
    assert dialog.isVisible() and dialog.title_edit.text() == "Ny overskrift"

    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert mette.cases.show(number).title == "Ny overskrift"


@pytest.mark.parametrize("landed", [True, False], ids=["landed", "did-not-land"])
def test_after_an_unanswered_save_the_next_save_asks_first_and_never_saves_twice(
    qtbot,
    make_ctx: MakeCtx,
    mette: MemberServices,
    monkeypatch: pytest.MonkeyPatch,
    landed: bool,
) -> None:
    number = mette.cases.open_case(new_case("Anna Hansen")).number
    marker = uuid.uuid4()
    _fail_first(
        monkeypatch,
        CaseRecords,
        "add_journal",
        lambda: unknown_if_saved(marker),
        save_first=landed,
    )
    asked: list[object] = []

    def commit_landed(self: MemberServices, asked_for: uuid.UUID) -> bool:
        asked.append(asked_for)
        return landed

    monkeypatch.setattr(MemberServices, "commit_landed", commit_landed)
    dialog = JournalDialog(make_ctx(mette), number)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.text, "Samtale med skolen")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "uvist" in dialog.error.text(), timeout=10000)
    assert dialog.isVisible() and dialog.text.toPlainText() == "Samtale med skolen"

    if landed:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Det blev gemt" in dialog.error.text(), timeout=10000)
        assert dialog.ok_button.text() == "&Luk"
        with qtbot.waitSignal(dialog.accepted, timeout=10000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    else:
        with qtbot.waitSignal(dialog.accepted, timeout=10000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert asked == [marker]
    texts = [e.text for e in mette.cases.show(number).journal]
    assert texts.count("Samtale med skolen") == 1
