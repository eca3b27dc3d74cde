"""Desktop benchmarks: cold start, unlock to a usable case list, filter as you type, memory.

Run from the project root (no display needed; every Qt process runs offscreen)::

    .venv/bin/python -m tests.benchmarks.bench_desktop                        # 10,000 + 100,000
    .venv/bin/python -m tests.benchmarks.bench_desktop --cases 2000 --big 5000
    .venv/bin/python -m tests.benchmarks.bench_desktop --workdir /tmp/bd     # keep the vaults
    .venv/bin/python -m tests.benchmarks.bench_desktop --json

**The vaults** are built with ``bench_cases``' builder (services for the district, the member
mette and Aarhus Kommune; the N cases by bulk insert with real encryption; the integration
tests' cheap KDF floor). The member whose unlock is timed, ``bent`` (Aarhus Kommune, role
member, so every case is readable), is then enrolled by the coordinator *under the production
KDF floor* (``kdf._set_floor_for_tests(kdf.PRODUCTION_FLOOR)``, so :func:`kdf.calibrate` runs
as on a real enrolment on this machine) and changes the first passphrase, also under the
production floor. Every Qt process below runs with the production floor, as the app does.

**What is measured.** Every GUI figure comes from a fresh subprocess, so that imports, caches
and the peak RSS are those of an app that has only done that:

1. *Cold start to the unlock screen*: ``python -c DRIVER VAULT`` where the driver imports
   PySide6 and the app, wraps (does not change) a few methods to print wall-clock marks, and
   calls :func:`infohus_desktop.app.main` with ``--vault``, the real entry point. The figure is
   from just before ``Popen`` to the first paint of the unlock page's login list holding the
   members, in the window (an event filter on that list: the members are on screen). Before,
   it stopped when the list was filled, which could be before any paint of the page; the
   bare window's reference likewise stops at its first paint now. ``INFOHUS_HOME`` is the
   benchmark's home, where the vault's root is pinned.
2. *Unlock to a usable case list*: in a fresh app (same start as 1), the login and passphrase
   are set and :meth:`UnlockPage.submit` is called; the figure ends when the cases
   workspace's model and proxy hold all N rows, no background task is pending, and the event
   queue has been drained (layout and paint of the filled table). ``Vault.unlock`` and
   ``CaseService.list`` are wrapped to timestamp their start and end on the worker thread.
   Each process unlocks twice: the first unlock of the process, then, after a lock, again.
   The KDF alone is :func:`kdf.derive_key` with the member's stored parameters.
3. *Filter as you type* on the big vault, through the real workspace: ``QTest.keyClicks`` into
   the search box one character at a time; after each key the event loop runs until the
   workspace's coalescing timer has fired (above ``LARGE_LIST`` rows it waits 60 ms) and the
   events it caused (the table's layout and paint) are processed. *Latency* is wall time
   from the key press to then; *GUI CPU* is the GUI thread's CPU time over the same span
   (``time.thread_time``), i.e. the work without the timer's wait.
4. *Memory* with the big vault unlocked in the real window: ``VmRSS`` at the unlock screen,
   the peak (``VmHWM``, reset through ``/proc/self/clear_refs``) during the unlock (which
   includes Argon2's memory) and during the list's load, ``VmRSS`` with the list shown; and in
   a second process, ``tracemalloc``'s current and peak of Python allocations from the click
   to the usable list (tracemalloc slows that process; its times are not reported).

Nothing here asserts on time. The process exits non-zero if a child fails or a list does not
show every case.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from tests.benchmarks.desktop_child import ROOT, child_main, run_child
from tests.benchmarks.desktop_report import machine, median, ms, render, unlock_segments
from tests.benchmarks.desktop_vaults import (
    BENCH_LOGIN,
    BENCH_PASS,
    Json,
    VaultSpec,
    child_env,
    kdf_times,
    log,
    prepare_vaults,
    work_directory,
)

# -- 1. cold start (parent + a `python -c` driver) ---------------------------------------------

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=10_000, help="unlock vault (10000)")
    parser.add_argument("--big", type=int, default=100_000, help="typing/memory vault (100000)")
    parser.add_argument("--repeats", type=int, default=3, help="cold starts, unlocks, words (3)")
    parser.add_argument("--batch", type=int, default=10_000, help="cases per build transaction")
    parser.add_argument("--workdir", help="keep (and reuse) the vaults here")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="only figure 1 (--cases vault) against a bare PySide6 window, interleaved",
    )
    parser.add_argument(
        "--also-tree",
        action="append",
        default=[],
        metavar="DIR",
        help="with --cold-only: also time the app of this source tree (e.g. a main checkout)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main()
    if min(args.cases, args.big, args.repeats, args.batch) < 1:
        parser.error("counts must be at least 1")

    started = time.perf_counter()
    report: Json = {"machine": machine()}
    with work_directory(args.workdir) as workdir:
        home = workdir / "home"
        if args.cold_only:
            (small,) = prepare_vaults(workdir, home, [args.cases], args.batch)
            trees = [ROOT, *(Path(tree).resolve() for tree in args.also_tree)]
            print(cold_only(small, args.repeats, trees))
            return 0
        small, big = prepare_vaults(workdir, home, [args.cases, args.big], args.batch)
        report["vaults"] = {"small": asdict(small), "big": asdict(big)}
        log("KDF alone ...")
        report["kdf_s"] = {
            "small": kdf_times(small, args.repeats),
            "big": kdf_times(big, args.repeats),
        }
        report["cold_start"] = cold_start(small, args.repeats)
        secret = {"login": BENCH_LOGIN, "passphrase": BENCH_PASS}
        first, again = [], []
        for i in range(args.repeats):
            log(f"unlock, {small.n:,} cases: process {i + 1}/{args.repeats}")
            child = run_child(
                small, {**secret, "unlocks": 2, "memory": False, "trace": False, "typing": 0}
            )
            first.append(child["unlocks"][0])
            again.append(child["unlocks"][1])
        report["unlock_small"] = {"first": first, "again": again}
        log(f"unlock, typing and RSS, {big.n:,} cases ...")
        report["big"] = run_child(
            big, {**secret, "unlocks": 1, "memory": True, "trace": False, "typing": args.repeats}
        )
        log(f"tracemalloc, {big.n:,} cases ...")
        report["traced"] = run_child(
            big, {**secret, "unlocks": 1, "memory": False, "trace": True, "typing": 0}
        )
        report["wall_s"] = time.perf_counter() - started
        report["machine"]["load_end"] = os.getloadavg()[0]
        print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
