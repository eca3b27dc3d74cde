"""Statistics benchmark: one year's statistics and the PDF/CSV exports on a vault of N cases.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_statistics                  # N = 100,000
    .venv/bin/python -m tests.benchmarks.bench_statistics --cases 10000

The vault is built as ``bench_cases`` builds it (services for the district, the N case rows in
large transactions exactly as ``open_case`` writes them, received over 2023-2026). Then:

- every case gets its statistics record through :meth:`StatisticsService.refresh_codes`
  (what ``vault upgrade`` does for a vault of the previous form: open each case's sealed
  copy and person, seal the record to the casework key), timed, since it is the one step that
  touches every case. (Parts are not added: the statistics read the records only, whose size
  does not depend on them.)
- measured (median of ``--repeats``): ``compute(2025-01-01, 2025-12-31)`` in a freshly
  unlocked session (cold: the casework key not yet unwrapped) and again (warm), the PDF and the
  CSV export for that year.

The process exits non-zero if the year's count differs from the count of the synthetic cases
received in 2025, or the age/sex sections do not add up to it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from infohus_desktop.domain.statistics import SectionKey
from infohus_desktop.vault.engine import url_for_path
from tests.benchmarks.cases_vault import (
    CHEAP_FLOOR,
    build_district,
    bulk_open_cases,
    close,
    kdf_floor,
    log,
    private_home,
    synthetic_cases,
    unlock,
)

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench(root: Path, n: int, repeats: int, batch: int) -> dict[str, Any]:
    url = url_for_path(root / f"stats-{n}.sqlite")
    local_id, group_id = build_district(url)
    cases = synthetic_cases(n)
    expected = sum(YEAR[0] <= c.intake.received <= YEAR[1] for c in cases)
    member = unlock(url)
    try:
        bulk_open_cases(member, local_id, group_id, cases, batch)
    finally:
        close(member)
    member = unlock(url)
    try:
        refresh_s, refreshed = timed(member.statistics.refresh_codes)
    finally:
        close(member)
    log(f"  codes for {refreshed:,} cases in {refresh_s:.1f} s")
    samples: dict[str, list[float]] = {"cold": [], "warm": [], "pdf": [], "csv": []}
    ok = True
    pdf_bytes = 0
    for _ in range(repeats):
        member = unlock(url)
        try:
            cold, stats = timed(lambda m=member: m.statistics.compute(*YEAR))
            warm, _ = timed(lambda m=member: m.statistics.compute(*YEAR))
            pdf_s, pdf = timed(lambda m=member: m.statistics.statistics_pdf(*YEAR))
            csv_s, _ = timed(lambda m=member: m.statistics.statistics_csv(*YEAR))
        finally:
            close(member)
        for key, value in (("cold", cold), ("warm", warm), ("pdf", pdf_s), ("csv", csv_s)):
            samples[key].append(value)
        pdf_bytes = len(pdf)
        for key in (SectionKey.AGE_GROUP, SectionKey.SEX):
            section = stats.section(key)
            ok &= section is not None and section.total == expected
        ok &= stats.new_cases == expected
    return {
        "n": n,
        "year_cases": expected,
        "refreshed": refreshed,
        "refresh_s": refresh_s,
        "pdf_bytes": pdf_bytes,
        **{f"{k}_s": statistics.median(v) for k, v in samples.items()},
        "ok": ok,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, nargs="+", default=[100_000], metavar="N")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="infohus-bench-stats-") as tmp:
        root = Path(tmp)
        with private_home(root / "home"), kdf_floor(CHEAP_FLOOR):
            for n in args.cases:
                results.append(bench(root, n, args.repeats, args.batch))
    for r in results:
        print(
            f"N={r['n']:,}: {r['year_cases']:,} cases in 2025; "
            f"compute cold {r['cold_s'] * 1000:.0f} ms, warm {r['warm_s'] * 1000:.0f} ms; "
            f"PDF {r['pdf_s'] * 1000:.0f} ms ({r['pdf_bytes'] / 1024:.0f} KiB); "
            f"CSV {r['csv_s'] * 1000:.0f} ms; backfill of codes {r['refresh_s']:.1f} s "
            f"for {r['refreshed']:,} cases; parts {r['parts']}; ok={r['ok']}"
        )
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
