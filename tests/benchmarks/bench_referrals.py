"""Referral benchmarks: the referral form PDF, and the service steps around it.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_referrals
    .venv/bin/python -m tests.benchmarks.bench_referrals --repeats 20 --json

A temporary SQLite vault (the integration tests' cheap KDF: unlocking is not measured) with
Aarhus Kommune, a case filled with every part (``fill_case``) and two referrals: a *typical*
one (prefilled, completed, sent and received: 2 pages) and a *long* one whose reason, risk
factors and contact persons fill 8 pages. Measured with ``time.perf_counter``, median
and maximum of ``--repeats`` runs:

- ``referral_pdf`` end to end (find, audit entry committed, decrypt, form, reportlab build),
  in Danish, for both referrals; and the reportlab build alone (``ReferralFormRenderer``) on
  the already read referral, so the share of the service is visible;
- ``create`` with the prefill (reads the case and its assessments, audited), ``edit`` and
  ``show``, for scale;
- the peak of Python allocations (``tracemalloc``) while building the long PDF once.

Nothing here asserts on time; the process exits non-zero if a PDF is not a PDF.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf


def _timed(fn: Callable[[], Any], repeats: int) -> tuple[dict[str, float], Any]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(times), "max_ms": max(times)}, result


def run(repeats: int) -> dict[str, Any]:
    from infohus_desktop.crypto import kdf
    from infohus_desktop.domain.referral_workflow import ReferralStatus
    from infohus_desktop.reports.base import PrintStamp
    from infohus_desktop.reports.referral_form import ReferralFormRenderer
    from tests.integration.case_fixtures import fill_case
    from tests.integration.conftest import TEST_FLOOR, new_vault
    from tests.integration.referral_fixtures import COMPLETE

    kdf._set_floor_for_tests(TEST_FLOOR)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INFOHUS_HOME"] = str(Path(tmp) / "home")
        session = new_vault(f"sqlite:///{tmp}/bench.sqlite")
        session.groups.add_municipality("Aarhus Kommune", "AAR")
        case = fill_case(session, "Benchmark Ærø", "0101901234", "Aarhus Kommune")
        number = case.number
        figures["create_prefilled"], draft = _timed(
            lambda: session.referrals.create(number, "pet_exit"), repeats
        )
        typical = session.referrals.edit(draft.id, draft.version, COMPLETE)
        typical = session.referrals.change_status(typical.id, ReferralStatus.SENT, how="email")
        typical = session.referrals.change_status(typical.id, ReferralStatus.RECEIVED)
        long_values = {
            **COMPLETE,
            "reason": "En lang begrundelse med æøå og detaljer om forløbet. " * 370,
            "risk_factors": [f"Risikofaktor {n}: beskrivelse af tegnet" for n in range(60)],
            "contact_persons": [f"Kontakt {n}, rolle, 12345678" for n in range(40)],
        }
        long = session.referrals.create(number, "kommunal_exit", long_values)
        counter = iter(range(10**6))
        figures["edit"], _ = _timed(
            lambda: session.referrals.edit(
                long.id,
                session.referrals.show(long.id).version,
                {"recipient_unit": f"Enhed {next(counter)}"},
            ),
            repeats,
        )
        figures["show"], shown = _timed(lambda: session.referrals.show(typical.id), repeats)
        for name, ref in (("typical", typical.id), ("long", long.id)):
            timing, pdf = _timed(lambda ref=ref: session.referrals.referral_pdf(ref), repeats)
            if not pdf.startswith(b"%PDF"):
                raise SystemExit(f"{name}: not a PDF")
            pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
            figures[f"pdf_{name}"] = {**timing, "pages": pages, "bytes": len(pdf)}
        long_read = session.referrals.show(long.id)
        stamp = PrintStamp("Bench (bench)", datetime.now(UTC))
        figures["render_only_typical"], _ = _timed(
            lambda: ReferralFormRenderer(shown, stamp, "Østjylland").render(), repeats
        )
        figures["render_only_long"], _ = _timed(
            lambda: ReferralFormRenderer(long_read, stamp, "Østjylland").render(), repeats
        )
        tracemalloc.start()
        session.referrals.referral_pdf(long.id)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures["pdf_long_peak_python_mib"] = round(peak / 2**20, 1)
        session.lock()
        session.vault.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    figures = run(args.repeats)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for name, value in figures.items():
        if isinstance(value, dict):
            extra = "".join(
                f"  {k}={v}" for k, v in value.items() if k not in ("median_ms", "max_ms")
            )
            print(
                f"{name:24} median {value['median_ms']:8.1f} ms  max {value['max_ms']:8.1f} ms"
                + extra
            )
        else:
            print(f"{name:24} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
