"""The trends screens, rendered in Danish and in English: the list with an opened note, the
editor with personal-data findings, the conflict dialog, the link and access dialogs.

As in ``test_screens.py``, Qt warnings fail the test and the English chrome holds no Danish
letter. ``INFOHUS_SCREENS_DIR`` keeps the PNGs for a person to look at.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.trends import AreaKind, Development, SourceKind, TrendContent
from infohus_desktop.services.trends.rules import TrendConflict
from infohus_desktop.ui import i18n
from infohus_desktop.ui.dialogs.trends.trend_conflict import TrendConflictDialog
from infohus_desktop.ui.dialogs.trends.trend_links import AccessGroupDialog, LinkNoteDialog
from infohus_desktop.ui.dialogs.trends.trend_note import TrendNoteDialog
from infohus_desktop.ui.views.trends.workspace import TrendWorkspace
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.ui.test_screens import check, lang

__all__ = ["lang"]  # the fixture

NOTES = [
    TrendContent(
        title="Flere unge deler voldsforherligende memes i lukkede grupper",
        period_from=date(2026, 7, 1),
        period_to=date(2026, 9, 30),
        area_kind=AreaKind.MUNICIPALITY,
        area="Aarhus Kommune",
        theme="hoejreekstremisme",
        description="Skolerne i Aarhus Vest melder om flere elever i 8.-9. klasse, der deler "
        "memes med nazistisk symbolik i lukkede grupper.\n\nSSP følger op på skolerne.",
        source_kinds=(SourceKind.SCHOOL, SourceKind.SSP, SourceKind.SOCIAL_MEDIA),
        development=Development.RISING,
        follow_up=date(2026, 12, 15),
    ),
    TrendContent(
        title="Konspirationskanaler på Telegram",
        period_from=date(2026, 4, 1),
        period_to=date(2026, 6, 30),
        area_kind=AreaKind.ONLINE,
        area="Telegram",
        theme="konspiration",
        description="Antiautoritære kanaler deler opfordringer til ikke at betale skat.",
        source_kinds=(SourceKind.OPEN_SOURCES,),
        development=Development.STABLE,
    ),
    TrendContent(
        title="Færre klistermærker fra venstreautonome grupper",
        period_from=date(2026, 1, 1),
        period_to=date(2026, 3, 31),
        area_kind=AreaKind.DISTRICT,
        area="Østjyllands Politi",
        theme="venstreekstremisme",
        description="Politiet fjerner færre klistermærker end sidste år.",
        source_kinds=(SourceKind.POLICE,),
        development=Development.FALLING,
    ),
]


def _save(widget: QWidget, lang: str, name: str, tmp_path: Path, qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    check(widget, lang, name, tmp_path, qtbot, runner)
    keep = os.environ.get("INFOHUS_SCREENS_DIR")
    if keep:
        widget.grab().save(str(Path(keep) / f"trends_{name}_{lang}.png"))


def test_trend_screens_render_in_both_languages(  # type: ignore[no-untyped-def]
    qtbot, lang: str, district: District, make_ctx, tmp_path: Path
) -> None:
    i18n.set_language(lang)
    lars = district.coordinator
    lars.cases.open_case(new_case("Søren Ærbø Østergaard", "070761-4285"))
    notes = [lars.trends.create(c) for c in NOTES]
    lars.trends.link(notes[0].id, notes[1].id)
    ctx = make_ctx(lars)
    runner = ctx.runner

    workspace = TrendWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1280, 760)
    workspace.show()
    qtbot.waitUntil(lambda: workspace.model.rowCount() == 3, timeout=10000)
    _save(workspace, lang, "list", tmp_path, qtbot, runner)
    workspace.open_note(notes[0].id)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    _save(workspace, lang, "opened", tmp_path, qtbot, runner)

    workspace.new_note()
    dialog = workspace.findChild(TrendNoteDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10000)
    dialog.title_edit.setText("Unge samles om gaming-servere med ekstrem musik")
    dialog.area.setText("Discord")
    dialog.area_kind.setCurrentIndex(dialog.area_kind.findData(AreaKind.ONLINE.value))
    dialog.theme.setCurrentIndex(0)
    dialog.development.setCurrentIndex(0)
    dialog.description.setPlainText(
        "Flere unge mødes på servere med voldsforherligende musik.\n"
        "En lærer nævnte 070761-4285 og Søren Østergaard som eksempel."
    )
    dialog.run_check()
    assert len(dialog.panel.findings) == 2
    _save(dialog, lang, "editor", tmp_path, qtbot, runner)
    dialog.submit()
    assert dialog.confirm_box is not None
    _save(dialog.confirm_box, lang, "confirm", tmp_path, qtbot, runner)
    dialog.confirm_box.reject()
    dialog.reject()

    workspace.link_note()
    link = workspace.findChild(LinkNoteDialog)
    _save(link, lang, "link", tmp_path, qtbot, runner)
    link.reject()
    workspace.narrow_access()
    access = workspace.findChild(AccessGroupDialog)
    _save(access, lang, "access", tmp_path, qtbot, runner)
    access.reject()

    note = notes[0]
    theirs = lars.trends.edit(note.id, 1, _retitled(NOTES[0], "En andens titel"))
    conflict = TrendConflictDialog(
        ctx,
        note.content,
        _retitled(NOTES[0], "Min titel"),
        TrendConflict(note.id, 1, theirs.version, ["title"]),
        False,
        None,
        workspace,
    )
    conflict.show()
    qtbot.waitUntil(conflict.ok_button.isEnabled, timeout=10000)
    _save(conflict, lang, "conflict", tmp_path, qtbot, runner)
    conflict.reject()
    assert not [d for d in workspace.findChildren(QDialog) if d.isVisible()]


def _retitled(content: TrendContent, title: str) -> TrendContent:
    return replace(content, title=title)


def test_a_member_sees_no_access_button(  # type: ignore[no-untyped-def]
    qtbot, district: District, make_ctx
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    note = mette.trends.create(NOTES[1])
    workspace = TrendWorkspace(make_ctx(mette))
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.open_note(note.id)
    qtbot.waitUntil(lambda: workspace.opened() is not None, timeout=10000)
    assert workspace.view.edit_button.isVisible()
    assert not workspace.view.access_button.isVisible()
