"""Start-up stays light (issue 17): the modules that draw the welcome and unlock screens, and
``infohus --version``, load none of the heavy libraries. The check is on ``sys.modules`` of a
fresh interpreter, not on time: it fails the day someone imports one of them at module level
on that path again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Loaded only when a vault is opened, a feature is used or a dialog needs them.
HEAVY = (
    "alembic",
    "reportlab",
    "pypdfium2",
    "faker",
    "icalendar",
    "zxcvbn",
    "sqlalchemy",
    "sqlalchemy.orm",
    "infohus_desktop.services",
    "infohus_desktop.ui.work_area",
)


def loaded_after(code: str) -> list[str]:
    """The :data:`HEAVY` modules in ``sys.modules`` after ``code`` ran in a new interpreter."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
        timeout=120,
    ).stdout
    loaded: list[str] = json.loads(out.strip().splitlines()[-1])
    return loaded


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
