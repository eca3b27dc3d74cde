"""Audit viewer benchmark: the DPO's first screen, the next page and filters over a log of N
entries (500,000 by default), and the unlock-time rollback check, side by side with plain
SQLite reading the same rows.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_audit_viewer                 # 500,000 entries
    .venv/bin/python -m tests.benchmarks.bench_audit_viewer --entries 50000

A SQLite vault in a temporary directory (key derivation at the tests' cheap floor). The log is
filled with real entries, sealed and signed by two members as the product writes them (each
sealed with a writer key of its unlock session, a new one every 100 entries as real sessions
are short, and signed with the member's key),
spread evenly over the last 13 months, but added in batches of 10,000 rows per transaction
rather than one unit of work each (filling is not what is measured). Mixed actions: reads and
edits of 200 cases, meeting reads, unlocks and locks.

Measured (median of ``--repeats`` runs, ``time.perf_counter``), each exactly what the *Tilsyn*
view asks its worker for (``session.audit.list`` with the view's page of 200):

- first screen: the last 30 days, newest first (the view's default period);
- the next page, as the user scrolls;
- a common filter over the whole log (one member's case reads: 200 of many);
- a rare filter over the whole log (a case read only before the log filled up): the first
  time after an unlock opens every entry into the session's index, again it scans the index;
- ``audit verify`` over the whole log, and ``--new-only`` after 1,000 new entries;
- the rollback check every unlock runs (``rollback.find_rollback``).

The references read the same rows with plain ``sqlite3``: the page's rows, every body of the
log, and the one indexed row the rollback check reads. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from infohus_desktop.crypto import kdf
from infohus_desktop.domain.audit import AuditFilter, Purpose
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.accounts import rollback
from infohus_desktop.services.audit.index import AuditIndex
from infohus_desktop.services.audit.reading import INDEX_KEY
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault import audit_chain
from infohus_desktop.vault.audit_sealing import AuditBody, AuditWriter
from infohus_desktop.vault.schema import AuditEntryRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import TEST_FLOOR, new_vault

PAGE = 200
BATCH = 10_000
#: Entries written between the full and the routine verification.
NEW_AFTER_CHECK = 1000
#: Entries per unlock session (each session has its own writer key, sealed to the audit group).
SESSION_ENTRIES = 100
ACTIONS = (
    ("case.read", Purpose.CASEWORK),
    ("case.read", Purpose.CASEWORK),
    ("case.read", Purpose.MEETING_PREP),
    ("case.edit", Purpose.CASEWORK),
    ("meeting.read", Purpose.MEETING_PREP),
    ("login", Purpose.ADMINISTRATION),
    ("lock", Purpose.ADMINISTRATION),
)


def _fill(sessions: list[MemberServices], case_ids: list[uuid.UUID], n: int) -> None:
    """``n`` entries over the last 13 months, alternating between the members' sessions."""
    now = datetime.now(UTC)
    step = timedelta(days=396) / n
    written = 0
    while written < n:
        with sessions[0].transaction() as session:
            seq, prev = audit_chain.head(session)
            vault_id = sessions[0].vault.vault_id
            group = sessions[0].vault.system_group_id(session, GroupKind.AUDIT)
            epoch, public = sessions[0].keyring.audit_public_key(session, group)
            rows = []
            for i in range(written, min(n, written + BATCH)):
                if i % SESSION_ENTRIES == 0:  # a new unlock session, a new writer key
                    writers = [AuditWriter(vault_id, epoch, public) for _ in sessions]
                    session.add_all(w.row() for w in writers)
                    session.flush()  # before the entries that name them
                ms, writer = sessions[i % 2], writers[i % 2]
                action, purpose = ACTIONS[i % len(ACTIONS)]
                obj = str(case_ids[i % len(case_ids)]) if action.startswith("case") else None
                body = AuditBody(
                    ms.member.id, ms.member.login, ms.member.organisation_id, "bench-ws",
                    action, obj, purpose.value, None,
                )  # fmt: skip
                at = (now - timedelta(days=396) + step * i).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                entry_id = uuid.uuid4()
                seq += 1
                row = AuditEntryRow(
                    seq=seq, id=entry_id, at=at, session_id=writer.id,
                    body=writer.seal(vault_id, entry_id, body), prev_hash=prev, entry_hash="",
                )  # fmt: skip
                row.signature = ms.keyring.user_keys.sign(
                    audit_chain.signed_statement(vault_id, row)
                )
                row.entry_hash = prev = audit_chain.entry_hash(prev, row)
                rows.append(row)
            session.add_all(rows)
        written += BATCH


def _median(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    kdf._set_floor_for_tests(TEST_FLOOR)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INFOHUS_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "vault.sqlite"
        lars = new_vault(f"sqlite+pysqlite:///{path}")
        lars.groups.add_municipality("Aarhus Kommune", "AAR")
        lars.accounts.add(
            "mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER, "mettes lange frase"
        )
        mette = lars.vault.unlock("mette", "mettes lange frase", sleep=lambda _s: None)
        mette.accounts.change_passphrase("mettes lange frase", "mettes nye lange frase")
        cases = [
            lars.cases.open_case(new_case(f"Person {n}"), accept_duplicate=True) for n in range(200)
        ]
        # A case read only before the log filled up: finding its entries opens every entry.
        quiet = lars.cases.open_case(new_case("Stille Sagsen"), accept_duplicate=True)
        lars.cases.show(quiet.number)
        start = time.perf_counter()
        _fill([lars, mette], [c.id for c in cases], args.entries)
        filled = time.perf_counter() - start
        print(f"filled {args.entries:,} entries in {filled:.0f} s")

        since = date.today() - timedelta(days=30)
        first = lambda: lars.audit.list(PAGE, None, filters=AuditFilter(since=since))  # noqa: E731
        page = first()
        assert len(page) == PAGE
        t_first = _median(first, args.repeats)
        t_next = _median(
            lambda: lars.audit.list(PAGE, page[-1].seq, filters=AuditFilter(since=since)),
            args.repeats,
        )
        common = AuditFilter(login="mette", action="case.read")
        rare = AuditFilter(object_ids=frozenset({str(quiet.id)}))

        def cold(filters: AuditFilter) -> Callable[[], object]:
            def run() -> object:
                lars.memory.pop(INDEX_KEY, None)  # as after an unlock: the index is empty
                return lars.audit.list(PAGE, None, filters=filters)

            return run

        t_common_cold = _median(cold(common), args.repeats)
        t_rare_cold = _median(cold(rare), args.repeats)
        found = lars.audit.list(PAGE, None, filters=rare)
        t_rare = _median(lambda: lars.audit.list(PAGE, None, filters=rare), args.repeats)
        t_common = _median(lambda: lars.audit.list(PAGE, None, filters=common), args.repeats)
        index = lars.memory[INDEX_KEY]
        assert isinstance(index, AuditIndex)
        index_mb = (
            sum(
                a.itemsize * len(a)
                for run in index.runs()
                for a in (run.seq, run.at, run.actor, run.org, run.action, run.purpose, run.obj)
            )
            / 1e6
        )
        start = time.perf_counter()
        full = lars.audit.verify()
        t_full = time.perf_counter() - start
        assert full.ok, full.problem
        for _ in range(NEW_AFTER_CHECK - 1):
            mette.cases.list()  # an audited read, one entry each (and lars's verify entry)
        start = time.perf_counter()
        routine = lars.audit.verify(new_only=True)
        t_routine = time.perf_counter() - start
        assert routine.ok and routine.verified_from, routine
        with lars.vault.uow() as session:
            t_rollback = _median(
                lambda: rollback.find_rollback(session, LocalState(), lars.vault.vault_id), 50
            )

        db = sqlite3.connect(path)
        since_text = since.isoformat()
        p_first = _median(
            lambda: db.execute(
                "SELECT * FROM audit_entries WHERE at >= ? ORDER BY seq DESC LIMIT ?",
                (since_text, PAGE),
            ).fetchall(),
            args.repeats,
        )
        p_all = _median(
            lambda: db.execute("SELECT body FROM audit_entries").fetchall(), args.repeats
        )
        last = db.execute("SELECT max(seq) FROM audit_entries").fetchone()[0]
        p_one = _median(
            lambda: db.execute(
                "SELECT entry_hash FROM audit_entries WHERE seq = ?", (last,)
            ).fetchone(),
            50,
        )
        db.close()
        lars.lock()
        mette.lock()

    n = f"{args.entries:,}"
    print(f"first screen (last 30 days, {PAGE} entries): {t_first * 1000:.0f} ms "
          f"(plain SQLite {p_first * 1000:.1f} ms, ratio {t_first / p_first:.0f})")  # fmt: skip
    print(f"next page: {t_next * 1000:.0f} ms")
    print(f"common filter (mette's case reads, {PAGE} shown), first after unlock: "
          f"{t_common_cold * 1000:.0f} ms; again: {t_common * 1000:.0f} ms")  # fmt: skip
    print(f"rare filter (one case, {len(found)} entries, all {n} opened), first after unlock: "
          f"{t_rare_cold:.2f} s (plain SQLite reading every body {p_all:.2f} s, "
          f"ratio {t_rare_cold / p_all:.0f}); again, from the index: "
          f"{t_rare * 1000:.0f} ms ({index_mb:.1f} MB of index)")  # fmt: skip
    print(f"audit verify (chain, checkpoints, every signature): {t_full:.1f} s, "
          f"{full.entries / t_full:,.0f} entries/s; --new-only with {routine.entries} new "
          f"entries: {t_routine * 1000:.0f} ms")  # fmt: skip
    print(f"rollback check at unlock: {t_rollback * 1000:.2f} ms "
          f"(plain SQLite one indexed row {p_one * 1000:.3f} ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
