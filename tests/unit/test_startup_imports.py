"""Start-up stays light (issue 17): the modules that draw the welcome and unlock screens, and
``infohus --version``, load none of the heavy libraries. The check is on ``sys.modules`` of a
fresh interpreter, not on time: it fails the day someone imports one of them at module level
on that path again."""

from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Libraries of single features: a PDF (ReportLab with PIL, pdfium for the preview), an
#: invitation (.ics), a passphrase's strength, a PostgreSQL vault's live updates, a demo
#: vault, a migration. Loaded when that feature is first used, never by the unlock.
FEATURE_LIBRARIES = (
    "alembic",
    "reportlab",
    "PIL",
    "pypdfium2",
    "faker",
    "icalendar",
    "zxcvbn",
    "psycopg",
)

#: Loaded only when a vault is opened, a feature is used or a dialog needs them.
HEAVY = (
    *FEATURE_LIBRARIES,
    "sqlalchemy",
    "sqlalchemy.orm",
    "infohus_desktop.services",
    "infohus_desktop.ui.work_area",
)


def modules_after(code: str) -> tuple[set[str], str]:
    """Every module in ``sys.modules`` after ``code`` ran in a new interpreter, and what
    ``code`` printed before (so that a caller can check the code did its work)."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
        timeout=120,
    ).stdout
    *printed, last = out.strip().splitlines()
    return set(json.loads(last)), "\n".join(printed)


def loaded_after(code: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``watched`` modules in ``sys.modules`` after ``code`` ran in a new interpreter."""
    modules, _printed = modules_after(code)
    return [m for m in watched if m in modules]


def test_the_probe_sees_a_heavy_import() -> None:
    assert loaded_after("import sqlalchemy.orm") == ["sqlalchemy", "sqlalchemy.orm"]


def test_the_welcome_and_unlock_screens_import_no_heavy_library() -> None:
    assert (
        loaded_after(
            "import infohus_desktop.app, infohus_desktop.ui.shell, "
            "infohus_desktop.ui.pages.welcome, infohus_desktop.ui.pages.unlock, "
            "infohus_desktop.ui.vault_door"
        )
        == []
    )


def test_the_app_parses_its_options_without_a_heavy_library() -> None:
    assert loaded_after("from infohus_desktop.app import parse_args; parse_args([])") == []


def test_loading_the_features_and_views_behind_the_unlock_loads_no_feature_library() -> None:
    """``load_features`` and ``load_views`` run on the worker while the member types the
    passphrase; what they import stays in memory for the whole session. ReportLab, icalendar,
    zxcvbn, psycopg and pdfium cost about 47 MiB there and are imported by the function that
    builds a PDF or an invitation, rates a passphrase or starts a PostgreSQL listener."""
    code = (
        "from infohus_desktop.services.front_door import load_features\n"
        "from infohus_desktop.ui.work_area import load_views\n"
        "load_features()\n"
        "load_views()"
    )
    assert loaded_after(code, FEATURE_LIBRARIES) == []


def test_the_probe_sees_a_feature_library_once_its_feature_is_used() -> None:
    code = (
        "from infohus_desktop.services.front_door import load_features\n"
        "load_features()\n"
        "from infohus_desktop.crypto.passphrase_words import estimate_strength\n"
        "estimate_strength('hest stol bord vindue lampe')\n"
        "from infohus_desktop.reports.base import PrintStamp"
    )
    assert loaded_after(code, FEATURE_LIBRARIES) == ["reportlab", "PIL", "zxcvbn"]


def test_every_feature_service_is_loaded_behind_the_unlock_screen() -> None:
    """Each property of ``MemberServices`` imports its service's module when first used;
    ``load_features`` must name every one, or that feature's first use after the unlock
    waits for its imports."""
    import ast

    from infohus_desktop.services import front_door

    tree = ast.parse(Path(front_door.__file__).read_text(encoding="utf-8"))
    members = next(
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name == "MemberServices"
    )
    imported = {
        node.module
        for prop in members.body
        if isinstance(prop, ast.FunctionDef)
        for node in ast.walk(prop)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported and imported == set(front_door.FEATURE_MODULES)


def test_the_areas_made_at_unlock_are_loaded_behind_the_unlock_screen() -> None:
    """``work_area.load_views`` (run on the worker while the member types) must name the
    module of every area made at unlock, or the first unlock imports it on the GUI thread;
    and nothing more, so that a session holds only the areas it opens."""
    from infohus_desktop.ui import work_area

    at_unlock = {
        area.module
        for area in work_area._areas()
        if area.key in work_area.MADE_AT_UNLOCK or area.key == "overview"
    }
    assert set(work_area.VIEW_MODULES) == at_unlock


def test_the_other_areas_are_imported_when_first_shown_only() -> None:
    """Loading the features and the first areas behind the unlock screen imports no other
    area's module: each is imported when its area is first made (``Area.build``)."""
    from infohus_desktop.ui import work_area

    later = tuple(
        area.module for area in work_area._areas() if area.module not in work_area.VIEW_MODULES
    )
    assert len(later) == 7
    code = (
        "from infohus_desktop.services.front_door import load_features\n"
        "from infohus_desktop.ui.work_area import load_views\n"
        "load_features()\n"
        "load_views()"
    )
    assert loaded_after(code, later) == []


def test_every_area_names_a_view_that_exists() -> None:
    """An area names its view as text: a renamed class or module must fail here, not when a
    member first clicks the area."""
    from PySide6.QtWidgets import QWidget

    from infohus_desktop.ui import work_area

    areas = work_area._areas()
    assert len({area.key for area in areas}) == len(areas) == 9
    for area in areas:
        module, _, name = area.view.partition(":")
        view = getattr(importlib.import_module(module), name)
        assert isinstance(view, type) and issubclass(view, QWidget), area.view


#: Qt values that are safe to make on any thread (no pixmap, font, widget or other QObject).
THREAD_SAFE_QT_VALUES = {"QColor", "QDate", "QSize", "QMargins", "QPoint", "QRect", "QTime"}


def _import_time_calls(tree: ast.Module) -> Iterator[ast.Call]:
    """Calls that run when the module is imported: at module level and in class bodies,
    not inside functions."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            yield node
        pending.extend(ast.iter_child_nodes(node))


def test_the_work_areas_make_nothing_of_qt_when_imported_on_the_worker() -> None:
    """``load_views`` imports the work areas on the worker thread: no module they load may
    make a widget, a pixmap, an icon or a font while it is imported (Qt allows those on the
    GUI thread only); plain values such as colours are fine."""
    modules, _printed = modules_after(
        "from infohus_desktop.ui.work_area import load_views\nload_views()"
    )
    files = [
        str(path)
        for name in sorted(modules)
        if name.startswith("infohus_desktop.ui")
        for path in (
            ROOT / f"{name.replace('.', '/')}.py",
            ROOT / name.replace(".", "/") / "__init__.py",
        )
        if path.is_file()
    ]
    assert any(name.endswith("cases/workspace.py") for name in files)
    offending = []
    for name in files:
        tree = ast.parse(Path(name).read_text(encoding="utf-8"))
        for call in _import_time_calls(tree):
            func = call.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            unsafe = called == "icon" or (
                called[:1] == "Q" and called[1:2].isupper() and called not in THREAD_SAFE_QT_VALUES
            )
            if unsafe:
                offending.append(f"{Path(name).name}:{call.lineno} {called}")
    assert offending == []


def test_the_meeting_commands_print_their_tables_without_reportlab() -> None:
    """``infohus meeting list`` and ``meeting show`` print text; only ``meeting minutes`` and
    ``meeting agenda`` build a PDF, and they import ReportLab when they do."""
    code = "import infohus_desktop.cli.meeting_commands"
    assert loaded_after(code, ("reportlab", "PIL")) == []
