"""Backup benchmark: create, verify, restore and drill a vault of N cases, side by side with
plain SQLite copying the same file.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_backups                  # N = 10,000
    .venv/bin/python -m tests.benchmarks.bench_backups --cases 1000 --json

The vault is built as in ``bench_cases`` (the district through the services, then N cases
written as ``open_case`` writes them, in large transactions), with a journal entry for every
tenth case and 10 MB of attachments spread over 20 cases, in a temporary directory; key
derivation at the tests' cheap floor (unlocking is not what is measured).

Figures (``time.perf_counter``, one run each; peak memory is Python's own allocations by
``tracemalloc``, SQLite's page cache not included):

* ``create``: ``session.backups.create`` whole — the consistent snapshot, every row encoded,
  encrypted and written, fsynced and renamed, the audit entry. Reference: ``sqlite3``'s online
  backup API into a new file (the floor for a consistent copy), and the file size of each.
* ``verify``: ``verify_file`` — the key derivation, every chunk, every row loaded into an
  in-memory database through the migrations, the manifest, the trust chain and the audit log.
* ``restore``: ``restore_file`` into a new file, with the finishing unlock and audit entry.
* ``drill``: ``session.backups.drill`` — restore, read every case, verify the audit log.

Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infohus_desktop.services.backups.restore import restore_file, verify_file
from infohus_desktop.vault.engine import url_for_path
from tests.benchmarks.cases_vault import (
    COORDINATOR,
    COORDINATOR_PASS,
    MEMBER_PASS,
    build_district,
    bulk_open_cases,
    close,
    kdf_floor,
    log,
    private_home,
    synthetic_cases,
    unlock,
)
from tests.integration.conftest import TEST_FLOOR


def measured(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds, peak MiB of Python allocations, and the result."""
    tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1_048_576, result


def sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def vault_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def bench(root: Path, n: int) -> dict[str, Any]:
    vault = root / "vault.sqlite"
    url = url_for_path(vault)
    log(f"building a vault of {n} cases …")
    local_id, group_id = build_district(url)
    member = unlock(url, MEMBER_PASS)
    try:
        bulk_open_cases(member, local_id, group_id, synthetic_cases(n), batch=2000)
        numbers = [c.number for c in member.cases.list()]
        for i, number in enumerate(numbers[::10]):
            member.case_records.add_journal(number, _note(), f"Samtale nummer {i} med familien")
        for number in numbers[:20]:
            member.attachments.add(number, "bilag.bin", io.BytesIO(os.urandom(512 * 1024)))
    finally:
        close(member)
    lars = unlock(url, COORDINATOR_PASS, COORDINATOR)
    figures: dict[str, Any] = {"cases": n, "vault_bytes": vault_bytes(vault)}
    try:
        copy = root / "plain-copy.sqlite"
        s, mib, _ = measured(lambda: sqlite_copy(vault, copy))
        figures["plain_copy"] = {"seconds": s, "peak_mib": mib, "bytes": copy.stat().st_size}
        backup = root / "kopi.ihk"
        s, mib, report = measured(lambda: lars.backups.create(backup))
        figures["create"] = {"seconds": s, "peak_mib": mib, "bytes": report.size}
        s, mib, _ = measured(lambda: verify_file(backup, COORDINATOR, COORDINATOR_PASS))
        figures["verify"] = {"seconds": s, "peak_mib": mib}
        target = url_for_path(root / "genskabt.sqlite")
        s, mib, _ = measured(lambda: restore_file(backup, target, COORDINATOR, COORDINATOR_PASS))
        figures["restore"] = {"seconds": s, "peak_mib": mib}
        s, mib, drilled = measured(lambda: lars.backups.drill(backup, COORDINATOR_PASS))
        figures["drill"] = {"seconds": s, "peak_mib": mib, "cases_read": drilled.cases_read}
    finally:
        close(lars)
    return figures


def _note() -> Any:
    from infohus_desktop.domain.cases import JournalKind

    return JournalKind.NOTE


def render(f: dict[str, Any]) -> str:
    plain = f["plain_copy"]
    lines = [
        f"{f['cases']:,} cases, vault {f['vault_bytes'] / 1e6:.1f} MB",
        f"{'':<10}{'seconds':>10}{'peak MiB':>10}{'MB':>8}{'× plain copy':>14}",
        f"{'plain':<10}{plain['seconds']:>10.2f}{plain['peak_mib']:>10.1f}"
        f"{plain['bytes'] / 1e6:>8.1f}{'1.0':>14}",
    ]
    for name in ("create", "verify", "restore", "drill"):
        row = f[name]
        size = f"{row['bytes'] / 1e6:>8.1f}" if "bytes" in row else f"{'':>8}"
        ratio = row["seconds"] / plain["seconds"] if plain["seconds"] else float("nan")
        lines.append(
            f"{name:<10}{row['seconds']:>10.2f}{row['peak_mib']:>10.1f}{size}{ratio:>14.1f}"
        )
    lines.append(f"backup file / vault file: {f['create']['bytes'] / f['vault_bytes']:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="infohus-bench-backups-") as tmp:
        root = Path(tmp)
        with private_home(root / "home"), kdf_floor(TEST_FLOOR):
            figures = bench(root, args.cases)
    print(json.dumps(figures, indent=2) if args.json else render(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
