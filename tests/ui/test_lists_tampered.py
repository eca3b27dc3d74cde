"""A meeting, trend note or referral changed outside the program is shown in its list for
what it is (the warning text, the warning colour, nothing of its values), among the others."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from infohus_desktop.domain.cases import TAMPERED_TEXT
from infohus_desktop.domain.meetings import MeetingKind, NewMeeting
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.models.referral_list import COL_NAME as REFERRAL_NAME
from infohus_desktop.ui.models.referral_list import COL_STATUS as REFERRAL_STATUS
from infohus_desktop.ui.models.tampered import TAMPERED_COLOUR
from infohus_desktop.ui.models.trend_list import COL_THEME, COL_TITLE
from infohus_desktop.ui.views.meetings.workspace import MeetingWorkspace
from infohus_desktop.ui.views.referrals.workspace import ReferralWorkspace
from infohus_desktop.ui.views.trends.workspace import TrendWorkspace
from infohus_desktop.vault.engine import create_vault_engine
from infohus_desktop.vault.meeting_schema import MeetingRow
from infohus_desktop.vault.referral_schema import ReferralRow
from infohus_desktop.vault.trend_schema import TrendNoteRow
from tests.integration.conftest import District
from tests.integration.referral_fixtures import ready_draft
from tests.integration.test_row_tamper import NOTE

MakeCtx = Callable[[MemberServices], AppContext]


def _sql(district: District, statement: object) -> None:
    engine = create_vault_engine(district.url)
    with engine.begin() as connection:
        connection.execute(statement)  # type: ignore[call-overload]
    engine.dispose()


def _move_copy(district: District, model: Any, source: uuid.UUID, target: uuid.UUID) -> None:
    """Another row's sealed copy written onto this one: its codes are no columns (issue 20)."""
    engine = create_vault_engine(district.url)
    with engine.begin() as connection:
        meta = connection.scalar(select(model.meta).where(model.id == source))
        connection.execute(update(model).where(model.id == target).values(meta=meta))
    engine.dispose()


def _shot(widget: object, name: str) -> None:
    if os.environ.get("INFOHUS_SCREENSHOTS"):
        widget.grab().save(str(Path(os.environ["INFOHUS_SCREENSHOTS"]) / name))  # type: ignore[attr-defined]


def test_the_meeting_list_names_the_tampered_meeting(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    lars = district.coordinator
    changed, kept = (
        lars.meetings.plan(
            NewMeeting(MeetingKind.NETWORK, title, datetime(2027, 1, day, 9, tzinfo=UTC))
        )
        for title, day in (("Netværksmøde januar", 12), ("Netværksmøde marts", 19))
    )
    _move_copy(district, MeetingRow, kept.id, changed.id)  # the status is sealed
    ws = MeetingWorkspace(make_ctx(district.unlock("lars")))
    qtbot.addWidget(ws)
    ws.resize(1100, 500)
    ws.show()
    model = ws.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=20000)
    rows = {model.summary(r).id: r for r in range(model.rowCount())}
    bad, good = rows[changed.id], rows[kept.id]
    assert model.index(bad, model.COL_TITLE).data() == TAMPERED_TEXT[0]
    assert model.index(bad, model.COL_STATUS).data() == ""  # the forged status is not shown
    assert model.index(bad, model.COL_TITLE).data(Qt.ItemDataRole.ForegroundRole) == (
        TAMPERED_COLOUR
    )
    assert "revisionsloggen" in model.index(bad, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(good, model.COL_TITLE).data() == "Netværksmøde marts"
    _shot(ws, "tampered-meeting-da.png")


def test_the_trend_list_names_the_tampered_note(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    changed, kept = mette.trends.create(NOTE), mette.trends.create(NOTE)
    _move_copy(district, TrendNoteRow, kept.id, changed.id)  # the follow-up is sealed
    ws = TrendWorkspace(make_ctx(district.unlock("mette")))
    qtbot.addWidget(ws)
    ws.resize(1100, 500)
    ws.show()
    model = ws.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=20000)
    titles = [model.index(r, COL_TITLE).data() for r in range(2)]
    assert sorted(titles) == sorted([NOTE.title, TAMPERED_TEXT[0]])
    bad = titles.index(TAMPERED_TEXT[0])
    assert model.index(bad, COL_THEME).data() == ""
    assert kept.id != changed.id
    _shot(ws, "tampered-trend-da.png")


def test_the_referral_list_names_the_tampered_referral(
    qtbot: QtBot, make_ctx: MakeCtx, district: District
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    changed, kept = ready_draft(mette, cpr=None), ready_draft(mette, cpr=None)
    _move_copy(district, ReferralRow, kept.summary.id, changed.summary.id)
    ws = ReferralWorkspace(make_ctx(district.unlock("mette")))
    qtbot.addWidget(ws)
    ws.resize(1100, 500)
    ws.show()
    model = ws.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=20000)
    rows = {model.row_at(r).id: r for r in range(2)}
    bad, good = rows[changed.summary.id], rows[kept.summary.id]
    assert model.index(bad, REFERRAL_NAME).data() == TAMPERED_TEXT[0]
    assert model.index(bad, REFERRAL_STATUS).data() == ""
    assert model.index(good, REFERRAL_NAME).data() == kept.summary.person_name
    _shot(ws, "tampered-referral-da.png")
