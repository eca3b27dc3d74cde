"""Trend note benchmark: the personal-data check against a large register, and the service's
name register, create, list and search on a vault of N cases and M notes.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_trends                    # N = 100,000, M = 300
    .venv/bin/python -m tests.benchmarks.bench_trends --cases 10000 --notes 100

The vault is built as ``bench_cases`` builds it (the district and mette through the services,
N cases written as ``open_case`` writes them). Measured, median of ``--repeats``:

- ``NameRegister`` built from N names, and one check of a 3,000-word note against it: what the
  editor does once on the worker, and on every pause in typing on the GUI thread;
- ``session.trends.name_register()`` cold (a fresh session: every case person decrypted) and
  warm (the session's case summaries reused);
- ``create`` of one note (check included, register passed), ``list()`` of M notes and a
  ``list(search=...)``, each in a session that has already unwrapped the network key.

Nothing asserts on time; the process exits non-zero if a count is wrong.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from infohus_desktop.domain.trends import AreaKind, Development, SourceKind, TrendContent
from infohus_desktop.services.trends.personal_data_check import NameRegister, find_in_text
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

WORDS = [
    "flere",
    "unge",
    "i",
    "Aarhus",
    "deler",
    "materiale",
    "i",
    "lukkede",
    "grupper",
    "og",
    "skolerne",
    "melder",
    "om",
    "en",
    "stigende",
    "tendens",
    "blandt",
    "elever",
    "i",
    "udskolingen",
    "hvor",
    "SSP",
    "følger",
    "op",
    "med",
    "samtaler",
    "og",
    "forældremøder",
]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def note(i: int) -> TrendContent:
    start = date(2026, 1, 1) + timedelta(days=i % 300)
    return TrendContent(
        title=f"Tendens nr. {i}: memes i lukkede grupper",
        period_from=start,
        period_to=start + timedelta(days=30),
        area_kind=AreaKind.MUNICIPALITY,
        area="Aarhus Kommune",
        theme="hoejreekstremisme" if i % 2 else "konspiration",
        description=" ".join(WORDS[(i + k) % len(WORDS)] for k in range(300)),
        source_kinds=(SourceKind.SCHOOL,),
        development=Development.RISING,
    )


def run(root: Path, n: int, m: int, repeats: int) -> dict[str, float]:
    cases = synthetic_cases(n)
    names = [c.person.name for c in cases]
    figures: dict[str, list[float]] = {}

    def sample(name: str, fn: Callable[[], Any]) -> Any:
        seconds, result = timed(fn)
        figures.setdefault(name, []).append(seconds)
        return result

    text = " ".join(WORDS[k % len(WORDS)] for k in range(3000)) + " " + names[n // 2]
    for _ in range(repeats):
        register = sample("register_build", lambda: NameRegister(names))
        found = sample("check_3000_words", lambda: find_in_text(text, register))  # noqa: B023
        if len(found) != 1:
            raise SystemExit(f"expected one name in the text, found {len(found)}")

    url = url_for_path(root / f"trends-{n}.sqlite")
    log(f"N = {n:,}: building the vault ...")
    local_id, group_id = build_district(url)
    builder = unlock(url)
    try:
        bulk_open_cases(builder, local_id, group_id, cases, 2000)
        register = builder.trends.name_register()
        for i in range(m):
            builder.trends.create(note(i), names=register)
    finally:
        close(builder)
    log(f"N = {n:,}: measuring ...")
    for _ in range(repeats):
        session = unlock(url)
        try:
            register = sample("name_register_cold", session.trends.name_register)
            sample("name_register_warm", session.trends.name_register)
            if len(register) != n:
                raise SystemExit(f"register holds {len(register)} names, not {n}")
            listed = sample("list", session.trends.list)
            if len(listed) < m:
                raise SystemExit(f"listed {len(listed)} notes, not {m}")
            hits = sample("search", lambda: session.trends.list(search="nr. 7"))  # noqa: B023
            if not hits:
                raise SystemExit("the search found nothing")
            sample("create", lambda: session.trends.create(note(m), names=register))  # noqa: B023
        finally:
            close(session)
    return {name: statistics.median(values) for name, values in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.workdir or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        with private_home(root / "home"), kdf_floor(CHEAP_FLOOR):
            figures = run(root, args.cases, args.notes, args.repeats)
    print(f"N = {args.cases:,} cases, M = {args.notes} notes (median of {args.repeats})")
    for name, seconds in figures.items():
        print(f"  {name:<22} {seconds * 1000:10.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
