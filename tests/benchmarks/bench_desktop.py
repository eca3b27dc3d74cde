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

The vaults are prepared in :mod:`tests.benchmarks.desktop_vaults`, figure 1 is timed in
:mod:`tests.benchmarks.desktop_cold_start`, figures 2 to 4 in the GUI child of
:mod:`tests.benchmarks.desktop_child` (started as this module with ``--child``), and the table
is written by :mod:`tests.benchmarks.desktop_report`; this module runs them and prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from tests.benchmarks.desktop_child import ROOT, child_main, run_child
from tests.benchmarks.desktop_cold_start import cold_only, cold_start
from tests.benchmarks.desktop_report import machine, render
from tests.benchmarks.desktop_vaults import (
    BENCH_LOGIN,
    BENCH_PASS,
    Json,
    kdf_times,
    log,
    prepare_vaults,
    work_directory,
)

#: main, and what compare_figures.py reads through this module as ``bd.NAME``.
__all__ = ["main"]


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
