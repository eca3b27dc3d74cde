"""Figure 1 of the desktop benchmarks (``tests.benchmarks.bench_desktop``): the cold start to
the unlock screen, timed by a ``python -c`` driver in a fresh interpreter that runs the app's
own ``main()``, and its reference, a bare PySide6 window shown by another driver;
``--cold-only`` runs the two interleaved, one column per source tree.

Its own module because the two drivers are programs of their own, kept here as text for a
fresh interpreter; the comparison (``tests.benchmarks.compare_figures``) times the same start
against the same window.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.desktop_child import ROOT, run_child
from tests.benchmarks.desktop_report import median, ms, unlock_segments
from tests.benchmarks.desktop_vaults import (
    BENCH_LOGIN,
    BENCH_PASS,
    Json,
    VaultSpec,
    child_env,
    log,
)

#: Runs in a fresh interpreter: imports timed, then the app's own ``main()`` with ``--vault``.
#: The wrappers only print wall-clock marks around the wrapped calls.
COLD_START_DRIVER = r"""
import sys
import time

# One write per line: the self-test's marks come from the worker thread, and two print()s
# at once could put two marks on one line.
_write = sys.stdout.write


def mark(name):
    _write(f"MARK {name} {time.time():.6f}\n")
    sys.stdout.flush()


mark("driver")
import os

import PySide6.QtWidgets

mark("qt_imported")
import infohus_desktop.app as app_module
from infohus_desktop.ui.pages.unlock import UnlockPage
from infohus_desktop.ui.shell import MainWindow

mark("app_imported")
real_selftest = app_module.run_selftest
real_init = MainWindow.__init__
real_start = MainWindow.start
real_show_unlock = MainWindow.show_unlock
real_page_init = UnlockPage.__init__
real_got_logins = UnlockPage._got_logins


def selftest():
    mark("selftest_start")
    real_selftest()
    mark("selftest_end")


def init(self, *args, **kwargs):
    mark("window_init_start")
    real_init(self, *args, **kwargs)
    mark("window_init_end")


def start(self, *args, **kwargs):
    mark("start_called")
    real_start(self, *args, **kwargs)


def show_unlock(self, *args, **kwargs):
    real_show_unlock(self, *args, **kwargs)
    mark("unlock_page")


def got_logins(self, logins):
    real_got_logins(self, logins)
    mark("logins_filled")


from PySide6.QtCore import QEvent, QObject, QTimer


class MembersPainted(QObject):
    # The login list painted with the members in it, in the window: the end of the figure.

    def eventFilter(self, watched, event):
        if (
            event.type() == QEvent.Type.Paint
            and watched.count() > 0
            and isinstance(watched.window(), MainWindow)
        ):
            mark("logins_shown")
            with open("/proc/self/status") as status:
                rss = [line.split()[1] for line in status if line.startswith("VmRSS:")]
            _write(f"RSS_KIB {rss[0] if rss else 0}\n")

            def drained():
                mark("drained")
                sys.stdout.flush()
                os._exit(0)

            QTimer.singleShot(0, drained)
            watched.removeEventFilter(self)
        return False


painted = MembersPainted()


def page_init(self, *args, **kwargs):
    real_page_init(self, *args, **kwargs)
    self.login.installEventFilter(painted)


app_module.run_selftest = selftest
MainWindow.__init__ = init
MainWindow.start = start
MainWindow.show_unlock = show_unlock
UnlockPage.__init__ = page_init
UnlockPage._got_logins = got_logins
sys.exit(app_module.main(["--vault", sys.argv[1]]))
"""

#: (label, from mark, to mark); consecutive, so they add up to the total. The crypto self-test
#: ran inside "main()" until it moved to the worker behind the unlock screen (its own marks,
#: ``selftest_start``/``_end``, are kept in ``runs`` when the process got that far).
COLD_PHASES = (
    ("interpreter start (venv site, -c)", "popen", "driver"),
    ("import PySide6.QtWidgets", "driver", "qt_imported"),
    ("import the app (shell, services, vault, crypto)", "qt_imported", "app_imported"),
    ("main(): args, QApplication, LocalState", "app_imported", "window_init_start"),
    ("MainWindow()", "window_init_start", "window_init_end"),
    ("window.show()", "window_init_end", "start_called"),
    ("the peek on the worker + UnlockPage", "start_called", "unlock_page"),
    ("members listed and painted", "unlock_page", "logins_shown"),
)


def cold_start(spec: VaultSpec, repeats: int, tree: Path = ROOT) -> Json:
    """``tree``: the source tree whose ``infohus_desktop`` the child imports (its working
    directory comes first on ``sys.path``); another checkout gives a before/after pair."""
    runs: list[Json] = []
    for i in range(repeats):
        log(f"cold start {i + 1}/{repeats} ({tree}) ...")
        popen = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-c", COLD_START_DRIVER, spec.path],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(spec.home),
            cwd=tree,
        )
        try:
            out, err = proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise SystemExit(f"cold start timed out:\n{out}\n{err[-3000:]}") from None
        marks = {"popen": 0.0}
        rss_kib = 0
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "MARK":
                marks[parts[1]] = float(parts[2]) - popen
            elif len(parts) == 2 and parts[0] == "RSS_KIB":
                rss_kib = int(parts[1])
        if "logins_shown" not in marks:
            raise SystemExit(f"cold start did not reach the unlock screen:\n{out}\n{err[-3000:]}")
        runs.append({"marks": marks, "rss_mib": rss_kib / 1024})
    phases = {label: [r["marks"][b] - r["marks"][a] for r in runs] for label, a, b in COLD_PHASES}
    return {
        "runs": runs,
        "phases_s": phases,
        "total_s": [r["marks"]["logins_shown"] for r in runs],
        "drained_s": [r["marks"].get("drained", float("nan")) for r in runs],
        "rss_mib": [r["rss_mib"] for r in runs],
    }


#: The floor for start-up: a bare QApplication with one QWidget shown, in a fresh interpreter;
#: the clock stops at the window's first paint (as the app's stops at its members' paint).
BARE_WINDOW_DRIVER = r"""
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget


class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"MARK shown {time.time():.6f}", flush=True)
            os._exit(0)
        return False


app = QApplication(sys.argv[:1])
window = QWidget()
painted = Painted()
window.installEventFilter(painted)
window.resize(1200, 780)
window.show()
sys.exit(app.exec())
"""


def bare_window(repeats: int, home: str) -> list[float]:
    """Seconds from ``Popen`` to a bare PySide6 window shown (the reference of figure 1)."""
    times: list[float] = []
    for i in range(repeats):
        log(f"bare PySide6 window {i + 1}/{repeats} ...")
        popen = time.time()
        out = subprocess.run(
            [sys.executable, "-c", BARE_WINDOW_DRIVER],
            capture_output=True,
            text=True,
            env=child_env(home),
            cwd=tempfile.gettempdir(),
            timeout=120,
            check=True,
        ).stdout
        marks = [float(line.split()[2]) for line in out.splitlines() if line.startswith("MARK")]
        if not marks:
            raise SystemExit(f"the bare window did not show:\n{out}")
        times.append(marks[0] - popen)
    return times


def cold_only(spec: VaultSpec, repeats: int, trees: list[Path]) -> str:
    """Figure 1 alone against its reference, interleaved run by run so that the machine's
    load falls on both alike; one column per source tree (e.g. this one and ``main``)."""
    bare: list[float] = []
    totals: dict[Path, list[float]] = {tree: [] for tree in trees}
    phases: dict[Path, list[Json]] = {tree: [] for tree in trees}
    unlocks: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    secret = {"login": BENCH_LOGIN, "passphrase": BENCH_PASS}
    for _ in range(repeats):
        bare += bare_window(1, spec.home)
        for tree in trees:
            one = cold_start(spec, 1, tree)
            totals[tree] += one["total_s"]
            phases[tree].append(one["phases_s"])
            # The first unlock of a fresh app: what start-up no longer imports must not
            # come back here (the vault opens and the services load while one types).
            config = {**secret, "unlocks": 1, "memory": False, "trace": False, "typing": 0}
            child = run_child(spec, config, tree)
            unlocks[tree].append(unlock_segments(child["unlocks"][0]["marks"]))
    lines = [
        f"Cold start to the unlock screen with its logins listed ({spec.n:,}-case vault), "
        f"{repeats} runs each, interleaved",
        f"   {'':<52} {'median ms':>10} {'min':>7} {'max':>7} {'ratio':>7}",
        f"   {'bare PySide6 window shown (reference)':<52} {ms(median(bare)):>10}"
        f" {ms(min(bare)):>7} {ms(max(bare)):>7} {1.0:>7.2f}",
    ]
    for tree in trees:
        t = totals[tree]
        lines.append(
            f"   {'infohus ' + str(tree):<52} {ms(median(t)):>10} {ms(min(t)):>7}"
            f" {ms(max(t)):>7} {median(t) / median(bare):>7.2f}"
        )
        for label, _a, _b in COLD_PHASES:
            values = [p[label][0] for p in phases[tree]]
            lines.append(f"     {label:<50} {ms(median(values)):>10}")
    lines.append("   first unlock of a fresh app, click -> usable list (ms, median)")
    for tree in trees:
        segments = unlocks[tree]
        total = median([u["TOTAL click -> usable list"] for u in segments])
        beyond = median([u["TOTAL without the KDF"] for u in segments])
        lines.append(
            f"   {'infohus ' + str(tree):<52} {ms(total):>10}  beyond the KDF {ms(beyond)}"
        )
    return "\n".join(lines)
