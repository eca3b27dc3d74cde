"""Audit verification and append benchmark: ``audit verify`` over a log of N entries (100,000
by default), the routine check (``--new-only``) after 1,000 new entries, and the append every
write does, each beside plain SQLite doing the floor of the same work in the same run.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_audit_verify                  # 100,000 entries
    .venv/bin/python -m tests.benchmarks.bench_audit_verify --entries 20000

A SQLite vault in a temporary directory (key derivation at the tests' cheap floor), filled as
``bench_audit_viewer`` fills it: real entries, sealed and signed by two members, 10,000 to a
transaction. Then, median of ``--repeats`` runs (``time.perf_counter``):

- the full walk of a member outside the audit group (mette): the chain and the checkpoints;
- the full walk of a coordinator (lars, in the audit group): that, and every entry opened and
  its actor's Ed25519 signature checked (on as many threads as there are cores);
- 1,000 appends, one audited read each in its own transaction (mette), as every read does;
- then the routine check (``verify(new_only=True)``) of each, which walks only those entries.
  Its entries/s counts the whole log it vouches for (head / time), as a user sees it.

References, same run, same file: plain ``sqlite3`` selecting every entry's chain columns in
``seq`` order and hashing them with SHA-256 (the floor of a chain walk; no canonical form,
nothing compared); that plus one Ed25519 verification per entry on one thread (the floor of
the audit group's walk, divided by the cores the walk uses); and a plain insert of a row of
an entry's size with a commit (the floor of an append, ``synchronous=FULL`` as the vault).
Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from infohus_desktop.crypto import kdf
from infohus_desktop.domain.audit import Purpose
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import MemberServices, Vault
from tests.benchmarks.bench_audit_viewer import _fill
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import TEST_FLOOR, new_vault

#: Entries written between the full and the routine verification.
NEW_AFTER_CHECK = 1000
#: Ed25519 verifications timed for the reference (then scaled to the log).
ED25519_SAMPLE = 5000


def _median(times: list[float]) -> float:
    return statistics.median(times)


#: CPU seconds of this process (every thread) per figure, beside the wall-clock times: on a
#: shared machine the wall clock measures the neighbours too.
CPU: dict[str, list[float]] = {}


def _timed(fn: Callable[[], object], name: str = "") -> tuple[float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    CPU.setdefault(name, []).append(time.process_time() - cpu)
    return time.perf_counter() - start, out


def _plain_walk(path: Path) -> int:
    """Every entry's chain columns in order, hashed: the floor of a chain walk."""
    db = sqlite3.connect(path)
    try:
        n = 0
        prev = b"0" * 64
        for row in db.execute(
            "SELECT seq, id, at, session_id, body, signature, prev_hash, entry_hash "
            "FROM audit_entries ORDER BY seq"
        ):
            h = hashlib.sha256(prev)
            for value in row:
                h.update(value if isinstance(value, bytes) else str(value).encode())
            prev = h.hexdigest().encode()
            n += 1
        return n
    finally:
        db.close()


def _ed25519_seconds_per_entry() -> float:
    key = Ed25519PrivateKey.generate()
    public = key.public_key()
    message = os.urandom(150)
    signature = key.sign(message)
    start = time.perf_counter()
    for _ in range(ED25519_SAMPLE):
        public.verify(signature, message)
    return (time.perf_counter() - start) / ED25519_SAMPLE


def _plain_appends(path: Path, n: int) -> float:
    """Seconds per plain insert + commit of a row of an entry's size (own table, same file)."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE IF NOT EXISTS bench_plain (seq INTEGER PRIMARY KEY, row BLOB)")
        start = time.perf_counter()
        for i in range(n):
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO bench_plain VALUES (?, ?)", (i, os.urandom(400)))
            db.execute("COMMIT")
        return (time.perf_counter() - start) / n
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    kdf._set_floor_for_tests(TEST_FLOOR)
    cores = max(1, min(4, os.cpu_count() or 1))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INFOHUS_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "vault.sqlite"
        lars = new_vault(f"sqlite+pysqlite:///{path}")
        lars.groups.add_municipality("Aarhus Kommune", "AAR")
        lars.accounts.add(
            "mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, "mettes lange frase"
        )
        first = lars.vault.unlock("mette", "mettes lange frase", sleep=lambda _s: None)
        first.accounts.change_passphrase("mettes lange frase", "mettes nye lange frase")
        first.lock()
        # Mette on a workstation of her own, so that each keeps their own verification mark.
        home = Path(tmp) / "home"
        shutil.copytree(home, Path(tmp) / "mettes-home")
        mette: MemberServices = Vault.open(
            f"sqlite+pysqlite:///{path}", LocalState(Path(tmp) / "mettes-home")
        ).unlock("mette", "mettes nye lange frase", sleep=lambda _s: None)
        cases = [
            lars.cases.open_case(new_case(f"Person {n}"), accept_duplicate=True) for n in range(200)
        ]
        start = time.perf_counter()
        _fill([lars, mette], [c.id for c in cases], args.entries)
        print(f"filled {args.entries:,} entries in {time.perf_counter() - start:.0f} s")

        full_chain: list[float] = []
        full_signed: list[float] = []
        appends: list[float] = []
        routine_chain: list[float] = []
        routine_signed: list[float] = []
        plain: list[float] = []
        entries = head = new = 0
        for _ in range(args.repeats):
            took, result = _timed(mette.audit.verify, "full chain")
            assert result.ok, result  # type: ignore[attr-defined]
            full_chain.append(took)
            took, result = _timed(lars.audit.verify, "full signed")
            assert result.ok and result.signatures_checked, result  # type: ignore[attr-defined]
            full_signed.append(took)
            entries = result.entries  # type: ignore[attr-defined]
            took, _ = _timed(lambda: _plain_walk(path), "plain")
            plain.append(took)
            start = time.perf_counter()
            for _n in range(NEW_AFTER_CHECK):
                mette.audited_read("case.read", cases[_n % len(cases)].id, Purpose.CASEWORK)
            appends.append((time.perf_counter() - start) / NEW_AFTER_CHECK)
            took, result = _timed(lambda: mette.audit.verify(new_only=True), "routine chain")
            assert result.ok and result.verified_from, result  # type: ignore[attr-defined]
            routine_chain.append(took)
            took, result = _timed(lambda: lars.audit.verify(new_only=True), "routine signed")
            assert result.ok and result.verified_from, result  # type: ignore[attr-defined]
            routine_signed.append(took)
            head, new = result.head_seq, result.entries  # type: ignore[attr-defined]
        ed25519 = _ed25519_seconds_per_entry()
        plain_append = _plain_appends(path, NEW_AFTER_CHECK)
        lars.lock()
        mette.lock()

    t_plain = _median(plain)
    t_signed_floor = t_plain + entries * ed25519 / cores

    def line(what: str, seconds: float, count: int, floor: float) -> None:
        print(
            f"{what:<44} {seconds:8.3f} s  {count / seconds:>12,.0f} entries/s  "
            f"(floor {count / floor:>12,.0f}/s, ratio {seconds / floor:5.1f})"
        )

    print(f"log of {entries:,} entries; median of {args.repeats}; {cores} threads for signatures")
    line("plain SQLite select + SHA-256 (reference)", t_plain, entries, t_plain)
    line("full verify, chain + checkpoints (mette)", _median(full_chain), entries, t_plain)
    line("full verify, + every signature (lars)", _median(full_signed), entries, t_signed_floor)
    line(
        f"routine, {new:,} new, chain (mette) [head/s]",
        _median(routine_chain),
        head,
        t_plain * new / entries,
    )
    line(
        f"routine, {new:,} new, + signatures (lars) [head/s]",
        _median(routine_signed),
        head,
        (t_plain + new * ed25519 / cores) * new / entries,
    )
    print("CPU seconds (median):", {k: round(_median(v), 3) for k, v in CPU.items() if k})
    t_append = _median(appends)
    print(
        f"{'append (audited read, own transaction)':<44} {t_append * 1000:8.3f} ms "
        f"(plain insert + commit {plain_append * 1000:.3f} ms, ratio {t_append / plain_append:.1f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
