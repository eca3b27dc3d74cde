"""What the database server does during a run: its backends' CPU time and what they wait for.

Sampled by the coordinator once a second. The CPU time comes from ``/proc`` (the server runs
on this machine, on 127.0.0.1): the backends of the run's database are found by their process
title (``postgres: <role> <database> ...``), so other databases on the same cluster (other
test runs) are not counted. Waits come from ``pg_stat_activity``. Both are approximate (a
backend's last second before it exits is not seen), and say where the time goes.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ServerWatch:
    """Samples the backends of one database; :meth:`summary` reports them."""

    url: str
    first: dict[int, float] = field(default_factory=dict)
    last: dict[int, float] = field(default_factory=dict)
    states: Counter[str] = field(default_factory=Counter)
    samples: int = 0
    engine: Engine | None = None
    audit_head_at_start: int = 0
    peak_connections: int = 0

    def __post_init__(self) -> None:
        self.database = make_url(self.url).database or ""
        self.engine = create_engine(self.url, poolclass=NullPool)

    def sample(self, at_start: bool = False) -> None:
        for pid, seconds in _backend_cpu(self.database).items():
            self.first.setdefault(pid, seconds if at_start else 0.0)
            self.last[pid] = seconds
        if at_start:
            self.audit_head_at_start = self.audit_head()
            return
        assert self.engine is not None
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).all()
        self.samples += 1
        self.peak_connections = max(self.peak_connections, len(rows))
        for state, wait_type, wait_event in rows:
            if state == "active" and wait_type == "Lock":
                self.states[f"waiting for a lock ({wait_event})"] += 1
            elif state == "active":
                self.states["running a statement"] += 1
            elif state == "idle in transaction":
                self.states["idle in transaction (client working)"] += 1
            else:
                self.states[state or "unknown"] += 1

    def audit_head(self) -> int:
        """The audit chain's last sequence number: every audited action appends one entry,
        under the one lock that orders the chain (vault/engine.py ``lock_audit_chain``)."""
        assert self.engine is not None
        with self.engine.connect() as connection:
            return int(connection.execute(text("SELECT max(seq) FROM audit_entries")).scalar_one())

    def cpu_seconds(self) -> float:
        return sum(self.last[pid] - self.first.get(pid, 0.0) for pid in self.last)

    def summary(self, wall: float) -> list[str]:
        appended = self.audit_head() - self.audit_head_at_start
        if self.engine is not None:
            self.engine.dispose()
        n = max(1, self.samples)
        shown = ", ".join(
            f"{name} {count / n:.1f}" for name, count in self.states.most_common() if name != "idle"
        )
        return [
            f"     server backends of this database on average: {shown or 'none'}; "
            f"at most {self.peak_connections} connections;",
            f"     audit chain: {appended} entries appended ({appended / wall:.1f}/s), each "
            "under the chain's one lock.",
        ]


def _backend_cpu(database: str) -> dict[int, float]:
    """CPU seconds (user + system) of each server process working in ``database``."""
    found: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not title.startswith("postgres: ") or f" {database} " not in title:
                continue
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    return found
