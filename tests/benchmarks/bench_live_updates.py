"""Live updates benchmark: from a commit on one workstation to the refreshed case list on
another, on a PostgreSQL server.

Run from the project root (needs the test server of ``tests/pgserver.py``; offscreen Qt)::

    source /tmp/pgenv
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_live_updates
    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_live_updates --writes 50

A throwaway database with the integration tests' district (cheap KDF floor). Workstation A is
lars in a real :class:`CaseWorkspace` with live updates started as the shell does; workstation
B is mette, her own unlock on her own vault handle, writing from a thread of her own (another
machine, as far as A can tell). Each write opens a new case; the figure runs from B's
``COMMIT`` (the moment the transaction that carries the notice begins to commit, taken in a
``before_commit`` hook on B's sessions) to the moment A's list model holds the new row
(``modelReset`` of the list with one row more). One write at a time: the next starts when A
shows the previous one.

Two references measured in the same run, so that the figure can be read on a noisy machine:

- *raw NOTIFY*: plain psycopg, ``pg_notify`` committed on one connection to its arrival on
  another that is waiting in ``notifies()`` (what the server and the driver cost);
- *F5*: A's own list reload (``CaseWorkspace.reload`` to the filled model, after the writes,
  so over the same cases), what any refresh of the list costs before live updates add
  anything.

Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from typing import Any

import psycopg
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import event, make_url
from sqlalchemy.orm import Session

from infohus_desktop.crypto import kdf
from infohus_desktop.domain.organisations import Role
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.lock import ClipboardGuard
from infohus_desktop.ui.tasks import TaskRunner
from infohus_desktop.ui.views.cases.workspace import CaseWorkspace
from infohus_desktop.vault.row_binding import KEYRING_INFO
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import TEST_FLOOR, built_district
from tests.pgserver import throwaway_database

TIMEOUT = 30.0


def _spin_until(app: QApplication, done: threading.Event) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not done.is_set():
        if time.monotonic() > deadline:
            raise SystemExit("no refresh within the benchmark's timeout")
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)


def raw_notify(url: str, repeats: int) -> list[float]:
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
    out: list[float] = []
    with (
        psycopg.connect(conninfo, autocommit=True) as listener,
        psycopg.connect(conninfo, autocommit=True) as sender,
    ):
        listener.execute("LISTEN bench_reference")
        for n in range(repeats):
            started = time.perf_counter()
            sender.execute("SELECT pg_notify('bench_reference', %s)", (str(n),))
            for _ in listener.notifies(timeout=TIMEOUT, stop_after=1):
                out.append(time.perf_counter() - started)
    return out


def live_updates(url: str, writes: int) -> tuple[list[float], list[float]]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with built_district(url) as district:
        mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
        lars = district.unlock("lars")
        window = QWidget()
        runner = TaskRunner()
        ctx = AppContext(lars, runner, ClipboardGuard(15), window)
        ws = CaseWorkspace(ctx)
        shown = threading.Event()
        expected = [0]
        times: dict[str, float] = {}

        def model_reset() -> None:
            if ws.model.rowCount() >= expected[0]:
                times["shown"] = time.perf_counter()
                shown.set()

        ws.model.modelReset.connect(model_reset)
        _spin_until(app, shown)  # the first (empty) list

        def committing(session: Session) -> None:
            ours = session.info.get(KEYRING_INFO) is mette.keyring
            if ours and "committed" not in times and session.info.get("infohus.noted_changes"):
                times["committed"] = time.perf_counter()

        event.listen(Session, "before_commit", committing)
        ctx.start_live_updates()
        assert ctx.live is not None and ctx.live.listening.wait(TIMEOUT)
        latencies: list[float] = []
        try:
            for n in range(writes):
                times.pop("committed", None)
                shown.clear()
                expected[0] = n + 1

                def write(i: int = n) -> None:
                    mette.cases.open_case(new_case(f"Bench Person {i}"), accept_duplicate=True)

                writer = threading.Thread(target=write)
                writer.start()
                _spin_until(app, shown)
                writer.join()
                latencies.append(times["shown"] - times["committed"])
        finally:
            event.remove(Session, "before_commit", committing)
            ctx.stop_live_updates(wait=5)
        # F5, the reference: A's own reload of the same list (as many cases, all cached).
        reloads: list[float] = []
        for _ in range(writes):
            shown.clear()
            started = time.perf_counter()
            ws.reload()
            _spin_until(app, shown)
            reloads.append(times["shown"] - started)
        runner.wait_for_done()
        return latencies, reloads


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(values) * 1000:7.1f} ms   "
        f"min {ordered[0] * 1000:7.1f}   p90 {p90 * 1000:7.1f}   max {ordered[-1] * 1000:7.1f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=20)
    args = parser.parse_args(argv)
    admin = os.environ.get("INFOHUS_TEST_PG_URL")
    if not admin:
        raise SystemExit("INFOHUS_TEST_PG_URL is not set (source /tmp/pgenv)")
    kdf._set_floor_for_tests(TEST_FLOOR)
    with throwaway_database(admin) as url:
        raw = raw_notify(url, args.writes)
        latencies, reloads = live_updates(url, args.writes)
    results: dict[str, Any] = {
        "B's commit -> A's list refreshed": latencies,
        "reference: raw NOTIFY round trip": raw,
        "reference: A's own F5 reload": reloads,
    }
    print(f"{args.writes} writes, one at a time")
    for label, values in results.items():
        print(f"  {label:36s} {_ms(values)}")
    ratio = statistics.median(latencies) / statistics.median(reloads)
    print(f"  live update / F5 reload (medians)    {ratio:.2f}")


if __name__ == "__main__":
    main()
