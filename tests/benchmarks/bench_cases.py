"""Case benchmarks: list, search and save in an encrypted vault of N cases, against plain SQLite.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_cases                    # N = 10,000 and 100,000
    .venv/bin/python -m tests.benchmarks.bench_cases --cases 10000      # one size
    .venv/bin/python -m tests.benchmarks.bench_cases --json             # the figures as JSON

Everything happens in a temporary directory (the SQLite files and ``INFOHUS_HOME``). The key
derivation runs under the integration tests' cheap floor: unlocking is not what is measured.

**Building the vault.** The vault, the municipality (Aarhus Kommune, its access group) and the
member (mette, Aarhus Kommune, role member, first passphrase changed) are made through the
services. Opening N cases with :meth:`CaseService.open_case` one by one would take hours (its
duplicate check decrypts every readable case), so the N case rows are written in a few large
transactions by :func:`bulk_open_cases`, with the row contents made exactly as ``open_case``
makes them: a fresh data key per case from :meth:`Keyring.new_data_key`, the person through
the same validation (``checked_person``: CPR parsed, birth date and sex derived), the person,
intake and details sealed with :meth:`CaseHandle.seal_case` from ``person_to_json`` /
``intake_to_json``, the CPR blind index with ``cpr_index`` under the network lookup key, the
first status change sealed in ``case_status_changes``, and the number counters advanced. Only
the per-case audit entry is left out. Every case is in the member's group, so every one is
decrypted by a list (the worst case for one member).

**What is measured** (``time.perf_counter``, median of ``--repeats`` repetitions; each
repetition does every measurement once, vault and plain side by side, so that a change in the
machine's load hits both alike):

(a) ``session.cases.list()``: *cold* in a freshly unlocked session (every data key unwrapped,
    every person decrypted); *decrypt* with ``session.case_cache`` cleared but the data keys
    already unwrapped in the keyring (the same session, again); *warm* with the case cache full.
(b) ``session.cases.list(search=...)``: cold cache (``case_cache`` cleared) and warm.
(c) One save: ``open_case(..., accept_duplicate=True)`` (duplicate check, new data key, encrypt,
    write, status row, audit entry, commit) with the case cache warm and cleared, and
    ``edit`` of the title (find, decrypt, re-seal, write, audit, commit).

Each is compared with the same work on a plain SQLite table with the same columns in clear
(person, intake and details as JSON text), on a second file with the vault's pragmas (WAL,
``synchronous=FULL``): select all of the group + build dicts (parsing the person JSON); a
``LIKE`` search and a Python filter over the dicts; a single insert + commit and a single update
+ commit. The ratio is vault / plain. An extra line, ORM rows without decrypting, shows how
much of the list is SQLAlchemy rather than cryptography.

Nothing here asserts on time. The process exits non-zero only if a list does not return every
case, or the search finds other cases than the plain filter (which would mean the build or the
decryption is wrong).

The synthetic cases and the vault's build are in :mod:`tests.benchmarks.cases_vault`, the plain
table and the work done on it in :mod:`tests.benchmarks.cases_plain`; this module measures the
two side by side and prints.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import cryptography
import sqlalchemy
from sqlalchemy import select

from infohus_desktop.domain.cases import Intake
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.services.core.access import readable_group_ids
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.engine import create_vault_engine, url_for_path
from tests.benchmarks.cases_plain import (
    build_plain,
    plain_filter,
    plain_like,
    plain_save,
    plain_summaries,
)
from tests.benchmarks.cases_vault import (
    CHEAP_FLOOR,
    Json,
    build_district,
    bulk_open_cases,
    close,
    kdf_floor,
    log,
    private_home,
    synthetic_cases,
    unlock,
)

#: main, and what compare_figures.py and compare_references.py read through this module as
#: ``bc.NAME``.
__all__ = ["NEW_CASE_RECEIVED", "main"]

SEARCH = "jensen"
NEW_CASE_RECEIVED = date(2026, 11, 20)


# -- measuring -----------------------------------------------------------------------------------


def file_bytes(path: Path) -> int:
    """An SQLite database's size with its write-ahead log."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def median(values: list[float]) -> float:
    return statistics.median(values)


SAMPLES = (
    "list_cold",
    "list_decrypt",
    "list_warm",
    "orm_rows",
    "plain_list",
    "search_decrypt",
    "search_warm",
    "plain_filter",
    "plain_like",
    "duplicate_check",
    "open_case_warm",
    "open_case_decrypt",
    "edit",
    "plain_insert",
    "plain_update",
)


def orm_rows(session: MemberServices) -> int:
    """What the list loads before decrypting: the member's groups and every case row."""
    with session.vault.uow() as db:
        groups = readable_group_ids(session, db)
        return len(db.scalars(select(CaseRow).where(CaseRow.group_id.in_(groups))).all())


@dataclass
class Figure:
    label: str
    vault_s: float
    plain_s: float | None
    per_case: bool  # per-case µs = seconds / N (lists) or the one case (saves)
    plain_label: str = ""


def bench_size(root: Path, n: int, repeats: int, saves: int, batch: int) -> Json:
    log(f"N = {n:,}: generating synthetic cases ...")
    cases = synthetic_cases(n)
    url = url_for_path(root / f"vault-{n}.sqlite")
    plain_url = url_for_path(root / f"plain-{n}.sqlite")

    log(f"N = {n:,}: building the encrypted vault ...")
    build_started = time.perf_counter()
    local_id, group_id = build_district(url)
    builder = unlock(url)
    try:
        bulk_open_cases(builder, local_id, group_id, cases, batch)
        member_id = str(builder.member.id)
    finally:
        close(builder)
    build_s = time.perf_counter() - build_started
    vault_bytes = file_bytes(root / f"vault-{n}.sqlite")

    log(f"N = {n:,}: building the plain table ...")
    plain_engine = create_vault_engine(plain_url)
    plain_started = time.perf_counter()
    build_plain(plain_engine, cases, str(group_id), member_id)
    plain_build_s = time.perf_counter() - plain_started
    plain_bytes = file_bytes(root / f"plain-{n}.sqlite")

    new = cases[0]
    new_case = NewCase(
        person=new.person,
        intake=Intake(new.intake.source, NEW_CASE_RECEIVED, observed=new.intake.observed),
        category=new.category,
        title="Ny sag",
    )
    group = str(group_id)
    samples: dict[str, list[float]] = {name: [] for name in SAMPLES}
    counts: Json = {}

    def sample(name: str, fn: Callable[[], Any]) -> Any:
        seconds, result = timed(fn)
        samples[name].append(seconds)
        return result

    # Every repetition does every measurement once, vault and plain side by side, so a change
    # in the machine's load during the run hits them alike.
    saved = 0
    for r in range(repeats):
        log(f"N = {n:,}: repetition {r + 1}/{repeats}")
        session = unlock(url)
        try:
            # (a) list: cold session, then case cache cleared (keys unwrapped), then warm.
            listed = sample("list_cold", session.cases.list)
            if r == 0:  # later repetitions also see the cases the saves below opened
                counts["listed"] = len(listed)
            session.case_cache.clear()
            sample("list_decrypt", session.cases.list)
            sample("list_warm", session.cases.list)
            sample("orm_rows", lambda session=session: orm_rows(session))
            summaries = sample("plain_list", lambda: plain_summaries(plain_engine, group))
            counts["plain_listed"] = len(summaries)

            # (b) search, case cache cleared and warm.
            session.case_cache.clear()
            hits = sample(
                "search_decrypt", lambda session=session: session.cases.list(search=SEARCH)
            )
            if r == 0:
                counts["search_hits"] = len(hits)
            sample("search_warm", lambda session=session: session.cases.list(search=SEARCH))
            counts["plain_filter_hits"] = len(
                sample(
                    "plain_filter",
                    lambda: plain_filter(plain_summaries(plain_engine, group), SEARCH),
                )
            )
            counts["plain_like_hits"] = len(
                sample("plain_like", lambda: plain_like(plain_engine, group, SEARCH))
            )

            # (c) one save: the duplicate check alone, open_case (cache warm, then cleared),
            # edit; against one insert + commit and one update + commit.
            sample(
                "duplicate_check",
                lambda session=session: session.cases.check_duplicates(
                    new.person.name, new.person.cpr
                ),
            )
            opened = sample(
                "open_case_warm",
                lambda session=session: session.cases.open_case(new_case, accept_duplicate=True),
            )
            for i in range(saves):
                edit = CaseEdit(title=f"Rettet titel {r}.{i}")
                opened = sample(
                    "edit",
                    lambda session=session, opened=opened, edit=edit: session.cases.edit(
                        opened.number, opened.version, edit
                    ),
                )
            session.case_cache.clear()
            sample(
                "open_case_decrypt",
                lambda session=session: session.cases.open_case(new_case, accept_duplicate=True),
            )
            saved += 2
            for i in range(saves):
                plain_insert, plain_update = plain_save(
                    plain_engine, new, f"AAR-2026-{90_000 + r * saves + i}", group, member_id
                )
                samples["plain_insert"].append(plain_insert)
                samples["plain_update"].append(plain_update)
        finally:
            close(session)
    session = unlock(url)
    try:
        counts["after_saves"] = len(session.cases.list())
    finally:
        close(session)
    plain_engine.dispose()
    counts["saved"] = saved

    m = {name: median(values) for name, values in samples.items()}
    figures = [
        Figure("list, cold session", m["list_cold"], m["plain_list"], True, "select + dicts"),
        Figure("list, case cache cleared", m["list_decrypt"], m["plain_list"], True),
        Figure("list, case cache warm", m["list_warm"], m["plain_list"], True),
        Figure("  ORM rows only, no decrypt", m["orm_rows"], m["plain_list"], True),
        Figure(
            f"search '{SEARCH}', cache cleared",
            m["search_decrypt"],
            m["plain_filter"],
            True,
            "select + dicts + filter",
        ),
        Figure(
            f"search '{SEARCH}', cache cleared", m["search_decrypt"], m["plain_like"], True, "LIKE"
        ),
        Figure(
            f"search '{SEARCH}', cache warm",
            m["search_warm"],
            m["plain_filter"],
            True,
            "select + dicts + filter",
        ),
        Figure(
            "open_case, case cache warm",
            m["open_case_warm"],
            m["plain_insert"],
            False,
            "insert + commit",
        ),
        Figure("  of which the duplicate check", m["duplicate_check"], None, False),
        Figure(
            "open_case, case cache cleared",
            m["open_case_decrypt"],
            m["plain_insert"],
            False,
            "insert + commit",
        ),
        Figure("edit (title)", m["edit"], m["plain_update"], False, "update + commit"),
    ]
    return {
        "n": n,
        "repeats": repeats,
        "saves": saves,
        "build_s": build_s,
        "plain_build_s": plain_build_s,
        "vault_mb": vault_bytes / 1e6,
        "plain_mb": plain_bytes / 1e6,
        "counts": counts,
        "figures": [
            {
                "label": f.label,
                "vault_s": f.vault_s,
                "plain_s": f.plain_s,
                "per_case": f.per_case,
                "plain_label": f.plain_label,
            }
            for f in figures
        ],
        "samples_s": samples,
    }


# -- report --------------------------------------------------------------------------------------


def load() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0


def machine() -> Json:
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        nproc = os.cpu_count() or 0
    return {
        "nproc": nproc,
        "load_start": load(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cryptography": cryptography.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
    }


def render(report: Json) -> str:
    m = report["machine"]
    lines = [
        "Infohus Desktop case benchmarks (SQLite; median of the repetitions)",
        f"machine: nproc={m['nproc']}, load {m['load_start']:.2f} -> {m['load_end']:.2f}, "
        f"{m['platform']}, Python "
        f"{m['python']}, cryptography {m['cryptography']}, SQLAlchemy {m['sqlalchemy']}, "
        f"SQLite {m['sqlite']}",
        f"wall time: {report['wall_s']:.0f} s",
    ]
    for size in report["sizes"]:
        n, c = size["n"], size["counts"]
        lines += [
            "",
            f"N = {n:,} cases, all readable by the member "
            f"(build {size['build_s']:.1f} s, {size['vault_mb']:.1f} MB; plain table "
            f"{size['plain_build_s']:.1f} s, {size['plain_mb']:.1f} MB)",
            f"  listed {c['listed']:,} (plain {c['plain_listed']:,}); search '{SEARCH}': "
            f"{c['search_hits']:,} hits (plain filter {c['plain_filter_hits']:,}, LIKE "
            f"{c['plain_like_hits']:,}); {size['repeats']} repetitions, "
            f"{size['repeats'] * size['saves']} edits and plain saves",
        ]
        header = (
            f"  {'operation':<32} {'vault s':>9} {'µs/case':>11}   {'plain SQLite':<24}"
            f" {'plain s':>9} {'µs/case':>11} {'ratio':>8}"
        )
        lines += [header, "  " + "-" * (len(header) - 2)]
        for f in size["figures"]:
            divisor = n if f["per_case"] else 1
            vault_us = f["vault_s"] * 1e6 / divisor
            row = f"  {f['label']:<32} {f['vault_s']:>9.4f} {vault_us:>11,.1f}"
            if f["plain_s"] is not None:
                plain_us = f["plain_s"] * 1e6 / divisor
                ratio = f["vault_s"] / f["plain_s"]
                row += (
                    f"   {f['plain_label'] or '(as above)':<24} {f['plain_s']:>9.4f}"
                    f" {plain_us:>11,.1f} {ratio:>7.1f}x"
                )
            lines.append(row)
    lines += [
        "",
        "µs/case: seconds / N for lists and searches; for a save, the one case.",
        "ratio: vault / plain. 'cold session': a fresh unlock, every data key unwrapped; "
        "'case cache cleared': keys already unwrapped,",
        "every person decrypted again; 'warm': session.case_cache full.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--cases",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        metavar="N",
        help="vault sizes (default 10000 100000)",
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="repetitions of every measurement (default 3)"
    )
    parser.add_argument(
        "--saves", type=int, default=3, help="edits and plain saves per repetition (default 3)"
    )
    parser.add_argument("--batch", type=int, default=10_000, help="cases per build transaction")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    if min(*args.cases, args.repeats, args.saves, args.batch) < 1:
        parser.error("counts must be at least 1")

    started = time.perf_counter()
    report: Json = {"machine": machine(), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="infohus-bench-cases-") as tmp:
        root = Path(tmp)
        with private_home(root / "home"), kdf_floor(CHEAP_FLOOR):
            for n in args.cases:
                report["sizes"].append(bench_size(root, n, args.repeats, args.saves, args.batch))
    report["wall_s"] = time.perf_counter() - started
    report["machine"]["load_end"] = load()
    print(json.dumps(report, indent=2, default=str) if args.json else render(report))
    ok = all(
        s["counts"]["listed"] == s["n"]
        and s["counts"]["plain_listed"] == s["n"]
        and s["counts"]["after_saves"] == s["n"] + s["counts"]["saved"]
        and s["counts"]["search_hits"] == s["counts"]["plain_filter_hits"]
        for s in report["sizes"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
