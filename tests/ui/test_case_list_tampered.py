"""A case row changed outside the program is shown in the list for what it is, among the
others, and cannot be opened."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from infohus_desktop.domain.cases import TAMPERED_TEXT
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui import i18n
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.models.case_columns import COL_NAME, COL_STATUS
from infohus_desktop.ui.views.cases.workspace import CaseWorkspace
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]


def test_the_list_names_the_tampered_row_and_shows_the_others(
    qtbot: QtBot, make_ctx: MakeCtx, district: District, tmp_path: Path
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    kept = mette.cases.open_case(new_case("Bodil Prøvesen")).number
    changed = mette.cases.open_case(new_case("Ali Testesen")).number
    engine = create_vault_engine(district.url)
    with engine.begin() as connection:  # the other case's sealed values moved onto this row
        meta = connection.scalar(select(CaseRow.meta).where(CaseRow.number == kept))
        connection.execute(update(CaseRow).where(CaseRow.number == changed).values(meta=meta))
    engine.dispose()

    fresh = district.unlock("mette")
    ws = CaseWorkspace(make_ctx(fresh))
    qtbot.addWidget(ws)
    ws.resize(1000, 500)
    ws.show()
    qtbot.waitUntil(lambda: ws.model.rowCount() == 2, timeout=20000)

    def row_of(number: str) -> int:
        return next(r for r in range(ws.proxy.rowCount()) if ws.proxy.index(r, 0).data() == number)

    bad, good = row_of(changed), row_of(kept)
    assert ws.proxy.index(bad, COL_NAME).data() == TAMPERED_TEXT[0]
    assert ws.proxy.index(bad, COL_STATUS).data() == ""  # the moved values are not shown
    assert ws.proxy.index(good, COL_NAME).data() == "Bodil Prøvesen"
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        ws.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / "tampered-row-da.png"))
    i18n.set_language("en")
    ws.model.layoutChanged.emit()
    assert ws.proxy.index(bad, COL_NAME).data() == TAMPERED_TEXT[1]
