"""Statistics benchmark: one year's statistics and the PDF/CSV exports on a vault of N cases.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_statistics                  # N = 100,000
    .venv/bin/python -m tests.benchmarks.bench_statistics --cases 10000

The vault is built as ``bench_cases`` builds it (services for the district, the N case rows in
large transactions exactly as ``open_case`` writes them, received over 2023-2026). Then:

- every case gets its statistics codes through :meth:`StatisticsService.refresh_codes` (the
  backfill a member runs after migration 0006: decrypt each person, seal age group and sex to
  the casework key), timed, since it is the one step that touches every case;
- about 80 % of the cases get a screening, 50 % an assessment and 30 % a measure, inserted in
  bulk with payloads sealed under a throw-away key (the statistics never read those payloads,
  only the clear codes);
- measured (median of ``--repeats``): ``compute(2025-01-01, 2025-12-31)`` in a freshly
  unlocked session (cold: the casework key not yet unwrapped) and again (warm), the PDF and the
  CSV export for that year.

The process exits non-zero if the year's count differs from the count of the synthetic cases
received in 2025, or the age/sex sections do not add up to it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from infohus_desktop.crypto.aead import FieldContext, FieldKey
from infohus_desktop.domain.assessment import ConcernLevel
from infohus_desktop.domain.cases import MeasureStatus, MeasureType, ScreeningOutcome
from infohus_desktop.domain.statistics import SectionKey
from infohus_desktop.vault.case_schema import AssessmentRow, CaseRow, MeasureRow, ScreeningRow
from infohus_desktop.vault.engine import url_for_path
from tests.benchmarks.bench_cases import (
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


def add_parts(url: str, seed: int = 7) -> dict[str, int]:
    """Screenings, assessments and measures for a share of the cases, in bulk."""
    rng = random.Random(seed)
    junk = FieldKey(uuid.uuid4(), os.urandom(32))
    session = unlock(url)
    counts = {"screenings": 0, "assessments": 0, "measures": 0}
    try:
        with session.vault.uow() as s:
            ids = list(s.scalars(select(CaseRow.id)))
            at = datetime.now(UTC)
            member = session.member.id

            def sealed(table: str, row_id: uuid.UUID, case_id: uuid.UUID) -> Any:
                return junk.encrypt(b"{}", FieldContext(table, "payload", row_id, case_id))

            screenings, assessments, measures = [], [], []
            for case_id in ids:
                if rng.random() < 0.8:
                    row_id = uuid.uuid4()
                    screenings.append(
                        {
                            "id": row_id,
                            "case_id": case_id,
                            "at": at,
                            "by_member": member,
                            "outcome": rng.choice(list(ScreeningOutcome)).value,
                            "payload": sealed("case_screenings", row_id, case_id),
                        }
                    )
                if rng.random() < 0.5:
                    row_id = uuid.uuid4()
                    assessments.append(
                        {
                            "id": row_id,
                            "case_id": case_id,
                            "at": at,
                            "by_member": member,
                            "level": rng.choice(list(ConcernLevel)).value,
                            "payload": sealed("case_assessments", row_id, case_id),
                        }
                    )
                if rng.random() < 0.3:
                    row_id = uuid.uuid4()
                    measures.append(
                        {
                            "id": row_id,
                            "case_id": case_id,
                            "at": at,
                            "by_member": member,
                            "type": rng.choice(list(MeasureType)).value,
                            "status": MeasureStatus.RUNNING.value,
                            "start": None,
                            "end": None,
                            "version": 1,
                            "payload": sealed("case_measures", row_id, case_id),
                        }
                    )
            for table, rows in (
                (ScreeningRow, screenings),
                (AssessmentRow, assessments),
                (MeasureRow, measures),
            ):
                for start in range(0, len(rows), 10_000):
                    s.execute(insert(table), rows[start : start + 10_000])
            counts = {
                "screenings": len(screenings),
                "assessments": len(assessments),
                "measures": len(measures),
            }
    finally:
        close(session)
    return counts


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
    parts = add_parts(url)
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
        "parts": parts,
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
