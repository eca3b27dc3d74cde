"""Insight report benchmark: a person with 3 cases and 2,000 log lines, in a log of N entries.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_insight                  # 2,000 lines, 3 repeats
    .venv/bin/python -m tests.benchmarks.bench_insight --other 20000    # plus 20,000 other entries

A SQLite vault in a temporary directory (key derivation at the tests' cheap floor: unlocking
is not measured). The coordinator opens three full cases about one person (every part, see
``tests/integration/case_fixtures.fill_case``) and a fourth about someone else, then reads the
person's cases until their log holds ``--lines`` entries, and the other case ``--other`` times
(log entries the report must open and pass over: the object of an entry is sealed, so the
whole log is walked). Measured, as the median of ``--repeats`` runs (``time.perf_counter``):
``session.insight.build`` (find, read, audit, walk the log) and ``session.insight.report``
(the same and the PDF). Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from infohus_desktop.crypto import kdf
from infohus_desktop.reports.insight import render_insight
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import fill_case, new_case
from tests.integration.conftest import TEST_FLOOR, new_vault

CPR = "0101901234"


def _log_entries(session: MemberServices) -> int:
    return len(session.audit.list(limit=10_000_000))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--other", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    kdf._set_floor_for_tests(TEST_FLOOR)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INFOHUS_HOME"] = str(Path(tmp) / "home")
        lars = new_vault(f"sqlite+pysqlite:///{tmp}/vault.sqlite")
        lars.groups.add_municipality("Aarhus Kommune", "AAR")
        numbers = [fill_case(lars, "Ali Ærø", CPR, "Aarhus Kommune").number for _ in range(3)]
        other = lars.cases.open_case(new_case("Anden Person", "0202801234"), True).number
        made = len(lars.insight.build(cpr=CPR).log)
        start = time.perf_counter()
        for n in range(max(0, args.lines - made)):
            lars.cases.show(numbers[n % 3])
        for _ in range(args.other):
            lars.cases.show(other)
        setup = time.perf_counter() - start
        builds, reports, lines, size = [], [], 0, 0
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            lines = len(lars.insight.build(cpr=CPR).log)
            builds.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            size = len(render_insight(lars.insight.build(cpr=CPR)))
            reports.append(time.perf_counter() - t0)
        total = _log_entries(lars)
        lars.lock()
        lars.vault.close()
    print(f"setup (reads to fill the log): {setup:.1f} s")
    print(f"log entries in the vault: {total}; the person's log lines: {lines}")
    print(f"insight.build  (find, read 3 cases, walk the log): {statistics.median(builds):.2f} s")
    print(
        f"insight.report (the same and the PDF, {size // 1024} KiB): "
        f"{statistics.median(reports):.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
