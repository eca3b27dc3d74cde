"""Figures of a run: throughput, latency percentiles per operation, and the CPU situation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from tests.load.checks import Check
from tests.load.server_watch import ServerWatch


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (the value below which p % lie)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass(frozen=True)
class CpuSample:
    """Machine-wide CPU counters from /proc/stat: busy and total jiffies."""

    busy: int
    total: int

    @classmethod
    def now(cls) -> CpuSample:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return cls(sum(fields) - idle, sum(fields))


def operation_table(results: list[dict[str, Any]], wall: float) -> list[str]:
    merged: dict[str, list[float]] = {}
    conflicts: dict[str, int] = {}
    for result in results:
        for name, values in result.get("latencies", {}).items():
            merged.setdefault(name, []).extend(values)
        for name, count in result.get("conflicts", {}).items():
            conflicts[name] = conflicts.get(name, 0) + count
    total = sum(len(v) for v in merged.values())
    lines = [
        f"{'operation':<14}{'count':>7}{'ops/s':>8}{'conflicts':>10}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    ]
    for name in sorted(merged, key=lambda n: -len(merged[n])):
        values = sorted(merged[name])
        ms = [percentile(values, p) * 1000 for p in (50, 95, 99)] + [values[-1] * 1000]
        lines.append(
            f"{name:<14}{len(values):>7}{len(values) / wall:>8.2f}{conflicts.get(name, 0):>10}"
            + "".join(f"{v:>9.1f}" for v in ms)
        )
    everything = sorted(v for values in merged.values() for v in values)
    ms = [percentile(everything, p) * 1000 for p in (50, 95, 99)]
    lines.append(
        f"{'all':<14}{total:>7}{total / wall:>8.2f}{sum(conflicts.values()):>10}"
        + "".join(f"{v:>9.1f}" for v in ms)
        + f"{(everything[-1] * 1000 if everything else math.nan):>9.1f}"
    )
    return lines


def cpu_lines(
    results: list[dict[str, Any]],
    wall: float,
    cores: int,
    before: CpuSample,
    after: CpuSample,
    load: list[float],
    watch: ServerWatch,
) -> list[str]:
    busy = (after.busy - before.busy) / max(1, after.total - before.total)
    stations = sum(r.get("cpu_seconds", 0.0) for r in results)
    peak = max(load) if load else math.nan
    mean = sum(load) / len(load) if load else math.nan
    server = watch.cpu_seconds()
    machine = busy * wall * cores
    return [
        f"CPU: {cores} cores; machine busy {busy:.0%} during the run (every process on the "
        "machine, other users included);",
        f"     workstation processes {stations:.1f} CPU s, their PostgreSQL backends about "
        f"{server:.1f} CPU s, everything else on the machine about "
        f"{max(0.0, machine - stations - server):.1f} CPU s, in {wall:.1f} s x {cores} cores;",
        f"     1-minute load average mean {mean:.1f}, peak {peak:.1f};",
        *watch.summary(wall),
    ]


def check_lines(checks: list[Check]) -> list[str]:
    return [f"[{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}" for c in checks]
