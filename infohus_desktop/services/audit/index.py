"""The opened audit log in memory, in compact columns, so a filter on what entries say (member,
organisation, action, purpose, case) does not open every entry again.

Why: the database cannot filter on an entry's content, which is sealed for the audit group,
so a filter that matches few entries must open them all: at 500,000 entries some 13 s of
AES-GCM and JSON in Python each time the DPO changes a filter. The index keeps, per opened
entry, its sequence number, its time and five small integer codes (login, organisation,
action, purpose and object, each a number standing for a string of a shared vocabulary),
36 bytes an entry, 18 MB at 500,000. It grows from the newest entry downwards as far as a
request needed to go, and at the top with every entry written since; the first rare filter
pays the walk once, every later one scans the arrays (tens of milliseconds) and opens only the
entries it shows. It lives in the member's session and goes at lock, like the case list's
decrypted summaries; it holds no detail text.

What it trusts: the content it was opened with. Entries are append-only and every shown entry
is read and opened again from the database (and its signature checked), so the index only
decides *which* entries to read; an entry changed in the database after it was indexed is
shown as it is now, marked as not signed by its member, and ``audit verify`` names it.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from infohus_desktop.domain.audit import AuditFilter

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: What the index keeps of one entry: seq, time (microseconds since 1970, UTC), login,
#: organisation id, action, purpose and object id (as text; None where there is none).
Indexed = tuple[int, int, str, str | None, str, str, str | None]


def micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _day_start(day: date) -> int:
    return micros(datetime(day.year, day.month, day.day, tzinfo=UTC))


@dataclass
class _Run:
    """Indexed entries of one contiguous run of sequence numbers, newest first."""

    seq: array[int] = field(default_factory=lambda: array("q"))
    at: array[int] = field(default_factory=lambda: array("q"))
    actor: array[int] = field(default_factory=lambda: array("I"))
    org: array[int] = field(default_factory=lambda: array("I"))
    action: array[int] = field(default_factory=lambda: array("I"))
    purpose: array[int] = field(default_factory=lambda: array("I"))
    obj: array[int] = field(default_factory=lambda: array("I"))


@dataclass(frozen=True, slots=True)
class _Wanted:
    """A filter compiled against the vocabulary: for each column the codes that match, or
    None where the filter says nothing."""

    since: int | None
    until: int | None
    actor: frozenset[int] | None
    org: frozenset[int] | None
    action: frozenset[int] | None
    purpose: frozenset[int] | None
    obj: frozenset[int] | None


class AuditIndex:
    """See the module docstring. Callers hold :attr:`lock` while they read or extend it."""

    def __init__(self, head: int) -> None:
        self.lock = threading.Lock()
        self._values: list[str | None] = [None]
        self._codes: dict[str | None, int] = {None: 0}
        #: Newest run first; runs never overlap and have no gap between them.
        self._runs: list[_Run] = []
        #: The highest sequence number indexed (or the head when the index was made), and
        #: the lowest (one above the head while nothing is indexed).
        self.top = head
        self.bottom = head + 1
        #: True once the oldest entry of the log is indexed.
        self.complete = head == 0

    def __len__(self) -> int:
        return sum(len(r.seq) for r in self._runs)

    def _code(self, value: str | None) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self._values)
            self._values.append(value)
        return code

    def _run_of(self, entries: list[Indexed]) -> _Run:
        run = _Run()
        code = self._code
        for seq, at, login, org, action, purpose, obj in sorted(entries, reverse=True):
            run.seq.append(seq)
            run.at.append(at)
            run.actor.append(code(login))
            run.org.append(code(org))
            run.action.append(code(action))
            run.purpose.append(code(purpose))
            run.obj.append(code(obj))
        return run

    def add_newer(self, entries: list[Indexed], top: int) -> None:
        """The entries written since the index's top, up to ``top``."""
        if entries:
            self._runs.insert(0, self._run_of(entries))
        self.top = max(self.top, top)

    def add_older(self, entries: list[Indexed], reached: int, complete: bool) -> _Run:
        """Entries below the bottom, down to ``reached``; returns them as the run a scan
        goes on with."""
        run = self._run_of(entries)
        self._runs.append(run)
        self.bottom = min(self.bottom, reached)
        self.complete = complete
        return run

    def runs(self) -> list[_Run]:
        return list(self._runs)

    # -- filtering ----------------------------------------------------------------------------

    def compile(self, filters: AuditFilter) -> _Wanted:
        def codes(value: str | None) -> frozenset[int] | None:
            if value is None:
                return None
            return frozenset({self._codes[value]} if value in self._codes else set())

        action = None
        if filters.action:
            prefix = filters.action + "."
            action = frozenset(
                code
                for value, code in self._codes.items()
                if value is not None and (value == filters.action or value.startswith(prefix))
            )
        if filters.actions is not None:
            named = frozenset(self._codes[a] for a in filters.actions if a in self._codes)
            action = named if action is None else action & named
        obj = None
        if filters.object_ids:
            obj = frozenset(self._codes[o] for o in filters.object_ids if o in self._codes)
        return _Wanted(
            since=_day_start(filters.since) if filters.since else None,
            until=_day_start(filters.until + timedelta(days=1)) if filters.until else None,
            actor=codes(filters.login),
            org=codes(str(filters.organisation_id) if filters.organisation_id else None),
            action=action,
            purpose=codes(filters.purpose),
            obj=obj,
        )

    @staticmethod
    def scan(run: _Run, wanted: _Wanted, below: int | None) -> list[int]:
        """The sequence numbers of ``run`` that match, newest first (below ``below``). The
        most selective columns are tested first, one list comprehension each."""
        positions: Iterable[int] = range(len(run.seq))
        if below is not None:
            positions = [i for i in positions if run.seq[i] < below]
        for column, codes in (
            (run.obj, wanted.obj),
            (run.action, wanted.action),
            (run.actor, wanted.actor),
            (run.org, wanted.org),
            (run.purpose, wanted.purpose),
        ):
            if codes is not None:
                positions = [i for i in positions if column[i] in codes]
        if wanted.since is not None:
            since = wanted.since
            positions = [i for i in positions if run.at[i] >= since]
        if wanted.until is not None:
            until = wanted.until
            positions = [i for i in positions if run.at[i] < until]
        return [run.seq[i] for i in positions]


def needs_index(filters: AuditFilter) -> bool:
    """Only a filter on what entries say needs them opened; a period alone narrows the
    query in the database (``at`` is clear)."""
    return bool(
        filters.login
        or filters.organisation_id
        or filters.action
        or filters.actions is not None
        or filters.purpose
        or filters.object_ids
    )


__all__ = ["AuditIndex", "Indexed", "micros", "needs_index"]
