"""The command line's collector pause (cli/collector.py): rare collection while a process's own
command loads its modules, the defaults back once the vault is open, and nothing at all for
a caller that runs commands in its own process (these tests, the UI's parity checks)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from infohus_desktop.cli import collector, main


@pytest.fixture
def collector_restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)
    collector._loading = False


def test_loading_collects_rarely_until_the_vault_is_open(collector_restored: None) -> None:
    default = gc.get_threshold()
    collector.loading()
    assert gc.get_threshold() == (collector.LOADING_THRESHOLD, *default[1:])
    frozen = gc.get_freeze_count()
    collector.loaded()
    assert gc.get_threshold() == default
    assert gc.get_freeze_count() > frozen
    collector.loaded()  # once only
    assert gc.get_threshold() == default


def test_loaded_without_loading_changes_nothing(collector_restored: None) -> None:
    default, frozen = gc.get_threshold(), gc.get_freeze_count()
    collector.loaded()
    assert (gc.get_threshold(), gc.get_freeze_count()) == (default, frozen)


def test_a_command_run_in_process_leaves_the_collector_alone(
    collector_restored: None, capsys: pytest.CaptureFixture[str]
) -> None:
    default, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert main(["vault", "info", "--vault", "/nonexistent/vault.sqlite"]) != 0
    assert (gc.get_threshold(), gc.get_freeze_count()) == (default, frozen)


def test_infohus_gui_runs_the_window_with_the_usual_collection(
    collector_restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`infohus gui` starts like every command (rare collection while loading) but the window
    then lives for hours: it must not keep the loading threshold."""
    import sys

    from infohus_desktop import app

    default = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    def run(_args: object) -> int:
        seen.append(gc.get_threshold())
        return 0

    monkeypatch.setattr(app, "run", run)
    monkeypatch.setattr(sys, "argv", ["infohus", "gui"])
    assert main() == 0
    assert seen == [default]
