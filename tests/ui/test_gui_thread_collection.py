"""ui/heap.py's GuiThreadCollection: while a window is open, garbage in reference cycles is
collected on the GUI thread, never on the worker, where a widget freed crashes the program;
the collector waits while the worker has a job, and Python collects on its own again once
the window has closed."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from infohus_desktop.local_state import LocalState
from infohus_desktop.ui import heap
from infohus_desktop.ui.shell import MainWindow


class _Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def window(qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(LocalState())
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: not win.runner.busy)
    yield win
    win.close()


def _cycles_made_on_a_thread(count: int) -> list[str]:
    """Make ``count`` cycles on another thread and drop them there; the list fills with the
    name of the thread that frees each one, when it is freed."""
    freed_on: list[str] = []

    def make() -> None:
        for _ in range(count):
            cycle = _Cycle()
            weakref.finalize(cycle, lambda: freed_on.append(threading.current_thread().name))
            del cycle

    worker = threading.Thread(target=make, name="worker")
    worker.start()
    worker.join()
    return freed_on


def test_cycles_made_on_the_worker_are_freed_on_the_gui_thread(window: MainWindow) -> None:
    assert not gc.isenabled()
    count = 3 * gc.get_threshold()[0]  # enough to set Python's own collector off thrice
    freed_on = _cycles_made_on_a_thread(count)
    assert freed_on == []  # nothing collected on the worker
    assert window.collection.look() is not None
    assert len(freed_on) == count
    assert set(freed_on) == {threading.main_thread().name}


def test_nothing_is_collected_while_the_worker_has_a_job(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    freed_on = _cycles_made_on_a_thread(2 * gc.get_threshold()[0])
    monkeypatch.setattr(type(window.runner), "busy", property(lambda _runner: True))
    assert window.collection.look() is None
    assert freed_on == []
    monkeypatch.undo()
    assert window.collection.look() is not None
    assert freed_on


def test_a_full_collection_at_most_every_few_minutes(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thresholds would start a full collection (which walks every object alive) after
    ten middle ones; the GUI thread starts one at most every FULL_EVERY_S seconds."""
    now = [1000.0]
    monkeypatch.setattr(heap, "monotonic", lambda: now[0])
    collection = heap.GuiThreadCollection(window, lambda: False)
    try:
        generations = []
        for _ in range(150):
            _cycles_made_on_a_thread(gc.get_threshold()[0] + 1)
            generations.append(collection.look())
        assert 1 in generations and 2 not in generations
        now[0] += heap.FULL_EVERY_S
        # Enough looks for the middle generation to pass its threshold twice over, wherever
        # the first loop left its count.
        for _ in range(2 * (gc.get_threshold()[1] + 1)):
            _cycles_made_on_a_thread(gc.get_threshold()[0] + 1)
            if collection.look() == 2:
                break
        else:
            pytest.fail("no full collection once FULL_EVERY_S had passed")
    finally:
        collection.stop()


def test_the_collector_is_pythons_again_once_the_windows_close(qtbot) -> None:  # type: ignore[no-untyped-def]
    first, second = MainWindow(LocalState()), MainWindow(LocalState())
    for win in (first, second):
        qtbot.addWidget(win)
    first.close()
    assert not gc.isenabled()  # the second window still runs it
    second.close()
    assert gc.isenabled()
    freed_on = _cycles_made_on_a_thread(3 * gc.get_threshold()[0])
    assert "worker" in freed_on  # Python's own collector, on the thread that allocates


def test_a_collector_turned_on_again_is_turned_off_at_the_next_look(
    window: MainWindow,
) -> None:
    """A bulk load that paused the collector before the window opened turns it on when it
    ends (summary_index.collector_paused): the window's next look takes it back."""
    gc.enable()
    try:
        window.collection.look()
        assert not gc.isenabled()
        freed_on = _cycles_made_on_a_thread(3 * gc.get_threshold()[0])
        assert freed_on == []  # nothing collected on the worker
    finally:
        window.collection.look()
