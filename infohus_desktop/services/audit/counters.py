"""The figures a DPO looks at (*nøgletal*) over a period, counted from the opened log: reads
of case content per member and month, failed unlocks, exports and prints, minutes printed
with names, deletions and insight reports. Counting runs over the same opened entries as the
viewer, so a database writer cannot lower a count without breaking the chain or a signature
that `verify` then reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from infohus_desktop.domain.audit import AuditEntry
from infohus_desktop.domain.danish_time import COPENHAGEN

LOCAL = COPENHAGEN

#: Reads of case content: what a spot check and the reads-per-member figure are about.
CASE_READS = frozenset({"case.read", "case.attachment.read", "meeting.case_item.read"})


def _is_output(action: str) -> bool:
    """An export, a print or a saved document: it leaves the program."""
    last = action.rsplit(".", 1)[-1]
    return last in {"print", "save", "csv", "export"} and action != "audit.export"


@dataclass
class AuditCounters:
    """Counts of one period. ``reads`` maps (login, "YYYY-MM") to reads of case content."""

    reads: Counter[tuple[str, str]] = field(default_factory=Counter)
    failed_unlocks: int = 0
    outputs: int = 0
    minutes_with_names: int = 0
    deletions: int = 0
    insight_reports: int = 0
    entries: int = 0

    def add(self, entry: AuditEntry) -> None:
        self.entries += 1
        action = entry.action
        if action in CASE_READS:
            month = entry.at.astimezone(LOCAL).strftime("%Y-%m")
            self.reads[(entry.actor_login, month)] += 1
        elif action == "login.failed":
            self.failed_unlocks += 1
        elif action == "meeting.minutes.pdf.names":
            self.minutes_with_names += 1
        elif action == "case.delete":
            self.deletions += 1
        elif action.startswith("insight.") and action.endswith("report"):
            self.insight_reports += 1
        if _is_output(action):
            self.outputs += 1


def count(entries: Iterable[AuditEntry]) -> AuditCounters:
    counters = AuditCounters()
    for entry in entries:
        counters.add(entry)
    return counters
