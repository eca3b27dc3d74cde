"""The screens of trend notes on agendas, in Danish and English at the smallest supported
window: the "Nyt punkt …" dialog with the trend picker, an agenda with a trend item, and an
opened trend note with the meetings that discussed it. No Danish letter in English chrome, no
clipped button, no two Alt+letter keys alike. ``INFOHUS_SCREENS_DIR`` keeps the PNGs."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QWidget

from infohus_desktop.domain.meetings import ItemKind, NewAgendaItem
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_items import AgendaItemDialog
from infohus_desktop.ui.views.trends.workspace import TrendWorkspace
from tests.integration.conftest import District
from tests.integration.meeting_fixtures import meeting_world
from tests.integration.test_trends import note
from tests.ui.test_meetings_helpers import MakeCtx, open_meeting, settle, visible_dialog
from tests.ui.test_meetings_trends_ui import network_meeting
from tests.ui.test_screens import check
from tests.ui.test_screens_meetings import clipped, language, mnemonic_clashes

__all__ = ["language"]  # the fixture


def _check(widget: QWidget, lang: str, name: str, tmp_path: Path, qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    check(widget, lang, name, tmp_path, qtbot, ctx.runner)
    assert clipped(widget) == [], name
    assert mnemonic_clashes(widget) == [], name
    keep = os.environ.get("INFOHUS_SCREENS_DIR")
    if keep:
        widget.grab().save(str(Path(keep) / f"meeting_trends_{name}_{lang}.png"))


def test_trend_item_screens_render_in_both_languages(  # type: ignore[no-untyped-def]
    qtbot, make_ctx: MakeCtx, district: District, language: str, tmp_path: Path
) -> None:
    world = meeting_world(district)
    first = world.mette.trends.create(
        note(title="Flere unge deler voldsforherligende memes i lukkede grupper på skolerne")
    )
    world.mette.trends.create(note(title="Konspirationskanaler på Telegram", theme="konspiration"))
    meeting_id = network_meeting(world)
    world.lars.meetings.add_item(
        meeting_id, NewAgendaItem(ItemKind.TREND, "Status fra SSP", trend_note=first.id)
    )
    ctx = make_ctx(world.lars)

    view = open_meeting(qtbot, ctx, meeting_id)
    view.agenda.select_row(0)
    _check(view, language, "agenda", tmp_path, qtbot, ctx)
    view.agenda.add_button.click()
    dialog = visible_dialog(qtbot, view, AgendaItemDialog)
    qtbot.waitUntil(lambda: dialog.trend.count() == 1, timeout=10000)
    dialog.trend.setCurrentIndex(0)
    _check(dialog, language, "item_dialog", tmp_path, qtbot, ctx)
    dialog.reject()

    workspace = TrendWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1024 - 180, 700)
    workspace.show()
    settle(qtbot, ctx)
    workspace.open_note(first.id)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    assert workspace.view.meetings.count() == 1
    _check(workspace, language, "note_meetings", tmp_path, qtbot, ctx)
