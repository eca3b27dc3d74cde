"""What a restore says it cannot know of deletions made after the backup (review: it warned
only when this workstation had no register at all, whatever the vault and the files given)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from infohus_desktop.local_state import LocalState
from infohus_desktop.services.backups.register import register_path
from infohus_desktop.services.backups.restore import _deletions_note

VAULT = uuid.uuid4()


@pytest.fixture
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LocalState:
    monkeypatch.setenv("INFOHUS_HOME", str(tmp_path / "home"))
    return LocalState()


def _own_register(local: LocalState) -> None:
    path = register_path(local, VAULT)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")


def test_no_register_here_and_none_given(local: LocalState) -> None:
    assert _deletions_note(local, VAULT, "sqlite", []) == "none"
    assert _deletions_note(local, VAULT, "postgresql", []) == "none"


def test_a_server_vault_s_register_here_knows_only_what_this_workstation_saw(
    local: LocalState,
) -> None:
    _own_register(local)
    assert _deletions_note(local, VAULT, "postgresql", []) == "partial"
    assert _deletions_note(local, VAULT, "sqlite", []) == ""  # the whole story of a local vault


def test_a_given_register_that_names_no_deletion_of_this_vault(
    local: LocalState, tmp_path: Path
) -> None:
    empty = tmp_path / "tom.jsonl"
    empty.write_text("")
    other = tmp_path / "anden-boks.jsonl"
    other.write_text(f'{{"vault": "{uuid.uuid4()}", "case": "x"}}\n')
    assert _deletions_note(local, VAULT, "postgresql", [empty]) == "empty"
    assert _deletions_note(local, VAULT, "sqlite", [other]) == "empty"
