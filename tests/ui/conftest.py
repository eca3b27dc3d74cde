"""Fixtures for the desktop app's tests: pytest-qt on the offscreen platform, a vault on
SQLite (the engines are tested below the UI), and an AppContext as the shell builds it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget

from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui import heap, i18n
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.lock import ClipboardGuard
from infohus_desktop.ui.tasks import TaskRunner
from tests.integration.conftest import (  # noqa: F401 (fixtures)
    District,
    cheap_kdf,
    district,
    vault_templates,
)


@pytest.fixture
def db_engine() -> str:
    """UI tests run on SQLite only: the services below them are tested on both engines."""
    return "sqlite"


@pytest.fixture(autouse=True)
def danish() -> Iterator[None]:
    """Every test starts in Danish, the default, and leaves the language as it found it."""
    i18n.set_language("da")
    yield
    i18n.set_language("da")


@pytest.fixture(autouse=True)
def collector_given_back() -> Iterator[None]:
    """A window runs the garbage collector on its GUI thread until it closes (ui/heap.py):
    once every window of a test has closed, Python collects on its own again. A window left
    open would leave every later test of the process without it."""
    yield
    assert gc.isenabled(), "a window did not give the collector back: was it closed?"


class FakeClock:
    """Monotonic seconds that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_ctx(qtbot, request) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """``make_ctx(session)`` gives an AppContext whose runner is waited for at teardown.
    While the test runs, the garbage collector runs on the GUI thread, as the app's window
    has it (ui/heap.py): left to Python, a collection set off on the worker frees whatever
    widget a reference cycle holds there, and Qt may crash later on the GUI thread. A full
    run of the suite once ended in a segmentation fault inside a test's event loop (a test
    of this fixture's); this rules out that cause.

    The runner is also waited for before any fixture is torn down: a fixture set up after
    this one (``district``) is torn down before it, and its teardown locks the session; a
    task still running on the worker (a view reloading after the test's last click) then
    shared the session with the lock, which the app never does (one worker thread)."""
    runners: list[TaskRunner] = []
    collections: list[heap.GuiThreadCollection] = []

    def make(session: MemberServices) -> AppContext:
        window = QWidget()
        qtbot.addWidget(window)
        runner = TaskRunner()
        runners.append(runner)
        # Registered during the test, so it runs before every fixture's teardown.
        request.node.addfinalizer(runner.wait_for_done)
        # Parented to the runner, which outlives the window: pytest-qt deletes the window
        # before the fixtures are torn down.
        collections.append(heap.GuiThreadCollection(runner, lambda: runner.busy))
        return AppContext(session, runner, ClipboardGuard(15), window)

    yield make
    for runner in runners:
        runner.wait_for_done()
    for collection in collections:
        collection.stop()


__all__ = ["District"]
