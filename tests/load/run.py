"""The coordinator of a load run: database, district, workstations, checks and the report."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import queue
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import make_url

from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from tests.integration.conftest import TEST_FLOOR, cheap_floor
from tests.load import checks
from tests.load.district import (
    COORDINATOR,
    COORDINATOR_PASS,
    build_district,
    create_coordinator,
)
from tests.load.plan import LoadConfig
from tests.load.report import CpuSample, check_lines, cpu_lines, operation_table
from tests.load.server_watch import ServerWatch
from tests.load.workstation import MIX, run_workstation
from tests.pgserver import throwaway_database

PG_URL_VAR = "INFOHUS_TEST_PG_URL"
#: Time a workstation gets beyond the run's end to finish its last operation and report.
GRACE_SECONDS = 120.0


def run(config: LoadConfig, out: TextIO = sys.stdout) -> int:
    """One load run; 0 when every check holds, 1 otherwise."""
    admin_url = os.environ.get(PG_URL_VAR)
    if not admin_url:
        print(f"{PG_URL_VAR} is not set (source /tmp/pgenv, or run under .ci/run)", file=out)
        return 1

    def say(line: str) -> None:
        print(line, file=out, flush=True)

    server = make_url(admin_url)
    say(
        f"Load test: {config.workstations} workstations for {config.seconds:.0f} s on "
        f"PostgreSQL at {server.host}:{server.port}, think time {config.think[0]}-"
        f"{config.think[1]} s, seed {config.seed}"
    )
    say(
        f"Key derivation: the test suite's cheap Argon2id parameters (tests/integration/"
        f"conftest.py TEST_FLOOR: {TEST_FLOOR.memory_kib} KiB, {TEST_FLOOR.iterations} "
        f"iteration, {TEST_FLOOR.lanes} lane), not the production floor: unlocking is not "
        "what is measured."
    )
    with (
        cheap_floor(),
        _variable_kept("INFOHUS_HOME"),
        tempfile.TemporaryDirectory(prefix="infohus-load-") as tmp,
        throwaway_database(admin_url) as url,
    ):
        workdir = Path(tmp)
        home = workdir / "coordinator" / "home"
        os.environ["INFOHUS_HOME"] = str(home)
        started = time.monotonic()
        coordinator = create_coordinator(url, home)
        plans = build_district(coordinator, url, config, workdir)
        shared = sorted({p.shared_case for p in plans})
        coordinator.lock()
        coordinator.vault.close()
        for plan in plans:
            Path(plan.result_path).parent.mkdir(parents=True)
        say(f"District built in {time.monotonic() - started:.1f} s")

        watch = ServerWatch(url)
        results, wall, cpu, load = _run_workstations(plans, say, watch)
        say("")
        say(f"Throughput and latency over {wall:.1f} s (mix weights: {_mix()}):")
        for line in operation_table(results, wall):
            say("  " + line)
        for line in cpu_lines(results, wall, os.cpu_count() or 1, *cpu, load, watch):
            say(line)

        say("")
        say("Checks (read back by the coordinator):")
        vault = Vault.open(url, LocalState(home))
        try:
            lars = vault.unlock(COORDINATOR, COORDINATOR_PASS, sleep=lambda _s: None)
            written = [r["written"] for r in results if "written" in r]
            found = [
                checks.no_errors(results),
                checks.acknowledged_writes(lars, written),
                checks.no_lost_updates(lars, shared, written),
                checks.case_numbers(url, lars),
                checks.audit_chain(lars),
            ]
            lars.lock()
        finally:
            vault.close()
        for line in check_lines(found):
            say(line)
        for result in results:
            for error in result["errors"][:3]:
                say(f"--- ws{result['index']:02d}: {error.rstrip()}")
    ok = all(c.ok for c in found)
    say("")
    say("RESULT: all checks hold" if ok else "RESULT: FAILED")
    return 0 if ok else 1


@contextlib.contextmanager
def _variable_kept(name: str) -> Iterator[None]:
    """The coordinator's own home is set for the run and the caller's value put back after
    (under pytest the run shares the process with other tests)."""
    before = os.environ.get(name)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _run_workstations(
    plans: list[Any], say: Any, watch: ServerWatch
) -> tuple[list[dict[str, Any]], float, tuple[CpuSample, CpuSample], list[float]]:
    """Start every workstation, wait until all are unlocked, start them together, sample
    the load while they work, and collect their result files."""
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    start = context.Event()
    processes = [
        context.Process(target=run_workstation, args=(plan, ready, start), name=plan.login)
        for plan in plans
    ]
    for process in processes:
        process.start()
    waiting = {p.index for p in plans}
    limit = time.monotonic() + 120 + 5 * len(plans)
    while waiting and time.monotonic() < limit:
        try:
            waiting.discard(ready.get(timeout=1))
        except queue.Empty:
            continue
    say(f"{len(plans) - len(waiting)} of {len(plans)} workstations unlocked; starting")
    watch.sample(at_start=True)
    before = CpuSample.now()
    began = time.monotonic()
    start.set()
    load: list[float] = []
    seconds = plans[0].seconds if plans else 0.0
    deadline = began + seconds + GRACE_SECONDS
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        load.append(os.getloadavg()[0])
        watch.sample()
        time.sleep(1)
    wall = min(time.monotonic() - began, seconds + GRACE_SECONDS)
    after = CpuSample.now()
    for process in processes:
        if process.is_alive():
            process.kill()
        process.join()
    results = []
    for plan in plans:
        path = Path(plan.result_path)
        if path.exists():
            results.append(json.loads(path.read_text(encoding="utf-8")))
        else:
            results.append({"index": plan.index, "errors": ["no result: the process died"]})
    walls = [r["wall_seconds"] for r in results if "wall_seconds" in r]
    return results, max(walls, default=wall), (before, after), load


def _mix() -> str:
    return ", ".join(f"{name} {weight}" for name, weight in MIX.items())
