"""Deletion benchmark: one case with 20 journal entries and 5 MB of attachments, and N due cases
deleted at once, side by side with plain SQLite deleting the same rows.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_deletion               # 1 big case, 100 small
    .venv/bin/python -m tests.benchmarks.bench_deletion --many 1000

A SQLite vault in a temporary directory (key derivation at the tests' cheap floor: unlocking is
not measured). The product's figure is ``session.retention.delete`` whole: finding and checking
the case, the deletion date, every row of the case and its key in one transaction, the signed
tombstone, the audit entry, and the WAL checkpoint after it; for the N cases
``session.retention.delete_due`` (the due list, then each case in its own transaction, one
checkpoint at the end). The reference deletes the same
rows of a copy of the vault with plain SQL in one transaction and runs the same checkpoint: the
floor for the storage work. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

from infohus_desktop.crypto import kdf
from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.retention import add_months
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import COORDINATOR_PASS, TEST_FLOOR, new_vault

LATER = add_months(date.today(), 30)  # every case is due by then
PART_TABLES = (
    "case_status_changes", "case_screenings", "case_information", "case_assessments",
    "case_measures", "case_journal", "case_disclosures", "case_holds", "case_statistics",
)  # fmt: skip


def _closed(lars: MemberServices, name: str, journal: int = 0, megabytes: int = 0) -> str:
    number = lars.cases.open_case(new_case(name), accept_duplicate=True).number
    for n in range(journal):
        lars.case_records.add_journal(number, JournalKind.NOTE, f"Notat nummer {n} om samtalen")
    for n in range(megabytes):
        lars.attachments.add(number, f"bilag-{n}.bin", io.BytesIO(os.urandom(1024 * 1024)))
    lars.cases.change_status(number, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED)
    return number


def _plain_delete(path: Path, numbers: list[str]) -> float:
    """The same rows gone by hand, in one transaction per case, then the checkpoint."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA secure_delete=ON")
    db.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    for number in numbers:
        db.execute("BEGIN IMMEDIATE")
        (case_id, key_id) = db.execute(
            "SELECT id, data_key_id FROM cases WHERE number = ?", (number,)
        ).fetchone()
        items = "SELECT id FROM meeting_items WHERE case_id = ?"
        db.execute(f"UPDATE meeting_items SET case_id = NULL WHERE id IN ({items})", (case_id,))
        db.execute(
            "DELETE FROM case_attachment_chunks WHERE attachment_id IN "
            "(SELECT id FROM case_attachments WHERE case_id = ?)",
            (case_id,),
        )
        db.execute("DELETE FROM case_attachments WHERE case_id = ?", (case_id,))
        for table in PART_TABLES:
            db.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))
        db.execute("DELETE FROM cases WHERE id = ?", (case_id,))
        db.execute("DELETE FROM data_keys WHERE id = ?", (key_id,))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--many", type=int, default=100, help="small due cases (default 100)")
    args = parser.parse_args(argv)
    kdf._set_floor_for_tests(TEST_FLOOR)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INFOHUS_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "vault.sqlite"
        lars = new_vault(f"sqlite+pysqlite:///{path}")
        lars.groups.add_municipality("Aarhus Kommune", "AAR")
        big = _closed(lars, "Stor Sagsen", journal=20, megabytes=5)
        small = [_closed(lars, f"Lille Sagsen {n}") for n in range(args.many)]
        lars.lock()
        lars.vault.engine.dispose()
        copy = Path(tmp) / "copy.sqlite"
        shutil.copy2(path, copy)
        plain_big = _plain_delete(copy, [big])
        plain_many = _plain_delete(copy, small)

        lars = lars.vault.unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)
        start = time.perf_counter()
        lars.retention.delete(big, "Slettefristen er udløbet", today=LATER)
        product_big = time.perf_counter() - start
        start = time.perf_counter()
        result = lars.retention.delete_due("Slettefristen er udløbet", today=LATER)
        product_many = time.perf_counter() - start
        assert len(result.deleted) == args.many and not result.skipped
        lars.lock()
    print(
        f"one case, 20 journal entries, 5 MB: {product_big * 1000:.0f} ms "
        f"(plain SQLite {plain_big * 1000:.0f} ms, ratio {product_big / plain_big:.1f})"
    )
    print(
        f"{args.many} due cases at once (retention.delete_due): {product_many:.2f} s, "
        f"{product_many / args.many * 1000:.1f} ms each "
        f"(plain SQLite {plain_many:.2f} s, ratio {product_many / plain_many:.1f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
