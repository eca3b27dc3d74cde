"""What every figure of the comparison shares (``tests.benchmarks.compare``): a row of the table
with its reference beside it, and one process run to its end with its wall time and peak
memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Json = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Row:
    """One line of the table: the product's samples beside its reference's."""

    figure: str
    size: int
    unit: str  # "ms", "MiB" or "entries/s"
    ours: list[float]
    ref: list[float] = field(default_factory=list)
    ref_label: str = ""
    goal: str = ""
    note: str = ""

    def ratio(self) -> float | None:
        if not self.ours or not self.ref:
            return None
        ours, ref = statistics.median(self.ours), statistics.median(self.ref)
        if self.unit == "entries/s":  # higher is better: how many times slower we are
            return ref / ours if ours else None
        return ours / ref if ref else None


def run_measured(
    argv: list[str], stdin: str = "", env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) and stdout of one process run to its end.

    The peak comes from GNU time's ``%M`` when /usr/bin/time exists: ``wait4`` on a child
    forked from this (large) benchmark process would also count the parent's pages it held
    before its exec. Without GNU time the figure is ``wait4``'s, an upper bound."""
    timer = Path("/usr/bin/time")
    marker = "INFOHUS_PEAK_KIB="
    if timer.exists():
        argv = [str(timer), "-f", f"{marker}%M", *argv]
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdin and proc.stdout and proc.stderr
    # communicate() would reap the child itself; write, read, then wait4 for the rusage.
    proc.stdin.write(stdin.encode())
    proc.stdin.close()
    out = proc.stdout.read()
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:5]} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    peak_kib = float(usage.ru_maxrss)
    for line in err.decode(errors="replace").splitlines():
        if line.startswith(marker):
            peak_kib = float(line[len(marker) :])
    return wall, peak_kib / 1024, out.decode()
