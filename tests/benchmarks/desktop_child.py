"""The GUI child of the desktop benchmarks (``tests.benchmarks.bench_desktop``, figures 2 to
4): a fresh process per run, started as ``python -m tests.benchmarks.bench_desktop --child``
with its configuration as JSON on stdin, that opens the real window, unlocks as a user would,
types into the case search and reads its own memory, then prints its marks as one JSON line.

Its own module because it is the part that runs in another process, inside Qt: the parent only
starts it (:func:`run_child`) and reads what it prints. Only the standard library is imported
at module level (PySide6 and the app where they are used), so what the child imports and holds
is the app's own. The command stays ``bench_desktop --child``, so that :func:`run_child` can
start the child of another source tree (``--also-tree``), one older than this module too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.benchmarks.desktop_vaults import Json, VaultSpec, child_env, log

#: The source tree whose app a child runs unless told another (its working directory).
ROOT = Path(__file__).resolve().parents[2]
#: Seconds any one wait in a child may take before the benchmark gives up.
CHILD_WAIT_S = 600.0
POLL_MS = 10


def run_child(spec: VaultSpec, config: Json, tree: Path = ROOT) -> Json:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.bench_desktop", "--child"],
        input=json.dumps({**config, "url": spec.url, "n": spec.n}),
        stdout=subprocess.PIPE,
        text=True,
        env=child_env(spec.home),
        cwd=tree,
        timeout=CHILD_WAIT_S * 2,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"a GUI child failed (exit {proc.returncode}); see its output above")
    result: Json = json.loads(lines[-1])
    return result


def proc_status() -> dict[str, float]:
    """VmRSS and VmHWM of this process, MiB."""
    out: dict[str, float] = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) / 1024
    return out


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux ``clear_refs`` 5)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


class GuiChild:
    """One app in this process, driven as a user would: start, unlock, type."""

    def __init__(self, config: Json) -> None:
        from PySide6.QtWidgets import QApplication

        from infohus_desktop.local_state import LocalState
        from infohus_desktop.ui.shell import MainWindow

        self.config = config
        self.n: int = config["n"]
        app = QApplication.instance() or QApplication(["infohus-desktop"])
        assert isinstance(app, QApplication)
        self.app = app
        app.setApplicationName("Infohus Desktop")
        app.setOrganizationName("Infohus")
        self.window = MainWindow(LocalState())
        self.window.show()
        self.window.start(config["url"])

    # -- waiting ------------------------------------------------------------------------------

    def wait_until(self, predicate: Callable[[], bool], what: str) -> None:
        """Run the event loop (sleeping, not spinning) until ``predicate`` holds."""
        from PySide6.QtCore import QEventLoop, QTimer

        if predicate():
            return
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(POLL_MS)

        def check() -> None:
            if predicate():
                loop.quit()

        poll.timeout.connect(check)
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        deadline.start(int(CHILD_WAIT_S * 1000))
        poll.start()
        loop.exec()
        poll.stop()
        deadline.stop()
        if not predicate():
            raise TimeoutError(f"timed out waiting for {what}")

    def drain(self) -> None:
        """Process what is queued (posted events, zero timers, the paints they cause)."""
        for _ in range(3):
            self.app.processEvents()

    def unlock_screen_ready(self) -> bool:
        from infohus_desktop.ui.pages.unlock import UnlockPage

        page = self.window.page
        return (
            isinstance(page, UnlockPage)
            and page.login.count() > 0
            and page.login.isEnabled()
            and self.window.vault is not None  # opened behind the page, after its paint
            and not self.window.runner.busy
        )

    # -- 2. unlock ----------------------------------------------------------------------------

    def timed_unlock(self, memory: bool, trace: bool) -> Json:
        """Click unlock; return marks (seconds since the click) until the list is usable."""
        import tracemalloc

        from PySide6.QtCore import QEventLoop, QTimer

        from infohus_desktop.crypto import kdf
        from infohus_desktop.services.front_door import MemberServices as MemberSession
        from infohus_desktop.ui.pages.unlock import UnlockPage
        from infohus_desktop.ui.views.overview.view import OverviewView
        from infohus_desktop.ui.work_area import WorkArea

        window, n = self.window, self.n
        page = window.page
        assert isinstance(page, UnlockPage) and window.vault is not None
        marks: dict[str, float] = {}
        extra: Json = {}
        state: dict[str, Any] = {"ws": None, "finishing": False}
        loop = QEventLoop()

        def mark(name: str) -> None:
            marks.setdefault(name, time.perf_counter())

        # Worker-side timestamps: wrappers around the calls, nothing else changes.
        vault = window.vault
        real_unlock = vault.unlock

        def unlock(*args: Any, **kwargs: Any) -> Any:
            mark("unlock_start")
            try:
                return real_unlock(*args, **kwargs)
            finally:
                mark("unlock_end")
                if memory:
                    extra["peak_during_unlock_mib"] = proc_status()["VmHWM"]
                    reset_peak()

        vault.unlock = unlock  # type: ignore[method-assign]
        real_derive = kdf.derive_key

        def derive_key(*args: Any, **kwargs: Any) -> bytes:
            mark("kdf_start")
            try:
                return real_derive(*args, **kwargs)
            finally:
                mark("kdf_end")

        kdf.derive_key = derive_key  # vault.py calls it as kdf.derive_key
        cases_property = MemberSession.cases

        def cases(session: MemberSession) -> Any:
            service = cases_property.fget(session)  # type: ignore[attr-defined]
            real_list = service.list

            def listing(*args: Any, **kwargs: Any) -> Any:
                mark("list_start")
                try:
                    return real_list(*args, **kwargs)
                finally:
                    mark("list_end")

            service.list = listing
            return service

        MemberSession.cases = property(cases)  # type: ignore[method-assign,assignment]
        # Imported behind the unlock screen already (work_area.load_views, before it is
        # ready): wrapping it here moves no import out of the timed click.
        real_show_overview = OverviewView.show_overview

        def show_overview(view: OverviewView, overview: Any) -> None:
            real_show_overview(view, overview)
            mark("start_page_filled")  # the first page a member sees, its sections filled

        OverviewView.show_overview = show_overview  # type: ignore[method-assign,assignment]

        def finish() -> None:
            self.drain()
            mark("usable")
            loop.quit()

        def check(*_args: object) -> None:
            ws = state["ws"]
            if ws is None or state["finishing"]:
                return
            if (
                ws.model.rowCount() == n
                and ws.proxy.rowCount() == n
                and not ws._loading
                and not window.runner.busy
            ):
                state["finishing"] = True
                QTimer.singleShot(0, finish)

        def page_changed(index: int) -> None:
            widget = window.stack.widget(index)  # window.page is set just after this signal
            if not isinstance(widget, WorkArea) or state["ws"] is not None:
                return
            mark("workarea_shown")
            ws: Any = widget.areas["cases"]
            state["ws"] = ws
            ws.model.modelAboutToBeReset.connect(lambda: mark("model_reset_start"))

            def reset() -> None:
                if ws.model.rowCount() == n:
                    mark("model_reset_end")
                check()

            ws.model.modelReset.connect(reset)

        window.stack.currentChanged.connect(page_changed)
        window.runner.busy_changed.connect(check)
        poll = QTimer()
        poll.setInterval(POLL_MS)
        poll.timeout.connect(check)
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)

        page.login.setCurrentText(self.config["login"])
        page.passphrase.setText(self.config["passphrase"])
        if memory:
            extra["before_click"] = proc_status()
            extra["peak_reset"] = reset_peak()
        if trace:
            tracemalloc.start()
        self.drain()
        started = time.perf_counter()
        page.submit()
        poll.start()
        deadline.start(int(CHILD_WAIT_S * 1000))
        loop.exec()
        poll.stop()
        deadline.stop()
        window.stack.currentChanged.disconnect(page_changed)
        window.runner.busy_changed.disconnect(check)
        MemberSession.cases = cases_property  # type: ignore[method-assign]
        OverviewView.show_overview = real_show_overview  # type: ignore[method-assign]
        del vault.unlock
        kdf.derive_key = real_derive
        if "usable" not in marks:
            ws = state["ws"]
            rows = ws.model.rowCount() if ws is not None else None
            raise TimeoutError(f"the list never became usable: marks {marks}, model rows {rows}")
        if trace:
            current, peak = tracemalloc.get_traced_memory()
            snapshot = tracemalloc.take_snapshot()
            tracemalloc.stop()
            extra["traced_current_mib"] = current / 2**20
            extra["traced_peak_mib"] = peak / 2**20
            extra["traced_top"] = [
                {
                    "where": _short(stat.traceback[0].filename) + f":{stat.traceback[0].lineno}",
                    "mib": stat.size / 2**20,
                    "count": stat.count,
                }
                for stat in snapshot.statistics("lineno")[:12]
            ]
        if memory:
            extra["list_loaded"] = proc_status()  # VmHWM: the peak while the list loaded
            reset_peak()
        return {"marks": {k: v - started for k, v in marks.items()}, **extra}

    # -- 3. typing ----------------------------------------------------------------------------

    def typing(self, repeats: int) -> Json:
        from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
        from PySide6.QtTest import QTest

        from infohus_desktop.ui.views.cases.workspace import LARGE_LIST
        from infohus_desktop.ui.work_area import WorkArea

        work = self.window.page
        assert isinstance(work, WorkArea)
        ws: Any = work.areas["cases"]
        box, proxy, model = ws.filters.search, ws.proxy, ws.model
        self.window.activateWindow()
        box.setFocus()
        self.drain()

        spans: dict[str, float] = {}
        real_set = proxy.set_search_text

        def set_search_text(text: str) -> None:
            spans["start"] = time.perf_counter()
            real_set(text)
            spans["end"] = time.perf_counter()

        proxy.set_search_text = set_search_text
        # A QSortFilterProxyModel re-filters in invalidate() (filterAcceptsRow per row); the
        # index-backed proxy has none, its filter_s is the whole re-filter.
        real_invalidate = getattr(proxy, "invalidate", None)

        def invalidate() -> None:
            spans["invalidate_start"] = time.perf_counter()
            assert real_invalidate is not None
            real_invalidate()
            spans["invalidate_end"] = time.perf_counter()

        if real_invalidate is not None:
            proxy.invalidate = invalidate

        class PaintCounter(QObject):
            paints = 0

            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    self.paints += 1
                return False

        counter = PaintCounter()
        ws.table.viewport().installEventFilter(counter)
        waiting: dict[str, QEventLoop] = {}
        debounce = {"ms": 0}

        def fired() -> None:  # connected after the workspace's own slot: the filter ran
            if "loop" in waiting:
                waiting["loop"].quit()

        ws.search_timer.timeout.connect(fired)

        def keystroke(press: Callable[[], None]) -> Json:
            spans.clear()
            paints = counter.paints
            cpu, started = time.thread_time(), time.perf_counter()
            press()
            pressed = time.perf_counter()
            if ws.search_timer.isActive():
                debounce["ms"] = ws.search_timer.interval()
                waiting["loop"] = QEventLoop()
                waiting["loop"].exec()
                del waiting["loop"]
            self.drain()
            ended = time.perf_counter()
            return {
                "latency_s": ended - started,
                "gui_cpu_s": time.thread_time() - cpu,
                "key_s": pressed - started,
                "filter_s": spans["end"] - spans["start"] if "end" in spans else 0.0,
                "invalidate_s": spans["invalidate_end"] - spans["invalidate_start"]
                if "invalidate_end" in spans
                else 0.0,
                "painted": counter.paints > paints,
                "rows": proxy.rowCount(),
                "text": box.text(),
            }

        def type_char(ch: str) -> Callable[[], None]:
            return lambda: QTest.keyClicks(box, ch)

        cpr = next(c.person_cpr for c in model.cases if c.person_cpr)
        cpr_typed = f"{cpr[:6]}-{cpr[6:8]}"
        number = model.cases[len(model.cases) // 2].number
        words = (
            ("name 'jensen'", "jensen"),
            ("two words 'ali han'", "ali han"),
            (f"CPR '{cpr_typed}'", cpr_typed),
            (f"case number '{number}'", number),
        )
        groups: dict[str, list[Json]] = {}
        for rep in range(repeats):
            log(f"  typing, repetition {rep + 1}/{repeats}")
            for label, text in words:
                for ch in text:
                    groups.setdefault(label, []).append(keystroke(type_char(ch)))
                if text == "jensen":
                    for _ in text:
                        groups.setdefault("backspace 'jensen' to empty", []).append(
                            keystroke(lambda: QTest.keyClick(box, Qt.Key.Key_Backspace))
                        )
                else:
                    QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                    groups.setdefault("clear (select all + backspace)", []).append(
                        keystroke(lambda: QTest.keyClick(box, Qt.Key.Key_Backspace))
                    )
                if box.text():
                    raise RuntimeError(f"the search box was not cleared: {box.text()!r}")
        ws.search_timer.timeout.disconnect(fired)
        del proxy.set_search_text
        if real_invalidate is not None:
            del proxy.invalidate
        # Let the search audits the clears started finish before anything else is measured.
        self.wait_until(lambda: not self.window.runner.busy, "the search audits")
        return {
            "large_list": LARGE_LIST,
            "debounce_ms": debounce["ms"],
            "rows": model.rowCount(),
            "groups": groups,
        }

    # -- run ----------------------------------------------------------------------------------

    def run(self) -> Json:
        config = self.config
        self.wait_until(self.unlock_screen_ready, "the unlock screen")
        result: Json = {"unlock_screen": proc_status(), "unlocks": []}
        for i in range(config["unlocks"]):
            if i:
                self.window.lock()
                self.wait_until(self.unlock_screen_ready, "the unlock screen after the lock")
            log(f"  unlock {i + 1}/{config['unlocks']} of {self.n:,} cases")
            result["unlocks"].append(
                self.timed_unlock(memory=config["memory"] and i == 0, trace=config["trace"])
            )
        if config["typing"]:
            result["typing"] = self.typing(config["typing"])
            if config["memory"]:
                result["after_typing"] = proc_status()  # VmHWM: the peak while typing
        self.window.close()
        return result


def _short(filename: str) -> str:
    for prefix in (str(ROOT) + os.sep, sys.prefix + os.sep):
        if filename.startswith(prefix):
            filename = filename[len(prefix) :]
    return re.sub(r"^lib/python[\d.]+/site-packages/", "", filename)


def child_main() -> int:
    config = json.loads(sys.stdin.read())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = GuiChild(config).run()
    print(json.dumps(result), flush=True)
    os._exit(0)  # skip the interpreter's teardown of Qt objects; everything is written
