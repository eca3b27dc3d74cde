"""One simulated workstation: a process with its own member, keys and local state.

It unlocks as its member (changing the first passphrase, as a new member must), opens a case of
its own, waits for the common start, and then works until the run's end through the same
service calls the UI and the CLI make, with a random think time between two operations. Every
call is timed. Every write the services acknowledge is recorded (ids and unique markers) for the
coordinator's read-back; a save refused with :class:`Conflict` is recorded as *reported*, which
is what the user would see. Any other exception is an error a user would have met: it is kept
(type and message of test data only) and fails the run.
"""

from __future__ import annotations

import json
import os
import random
import resource
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from infohus_desktop.crypto import kdf
from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.errors import Conflict
from infohus_desktop.domain.trends import AreaKind, Development, SourceKind, TrendContent
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.front_door import MemberServices, Vault
from tests.integration.case_fixtures import new_case
from tests.load.plan import WorkstationPlan, Written

T = TypeVar("T")

#: The mix: how often a workstation picks each operation (reads dominate, as in a working day).
MIX: dict[str, int] = {
    "list": 18,
    "open": 20,
    "search": 10,
    "journal": 14,
    "status": 6,
    "edit_shared": 12,
    "new_case": 5,
    "meeting_notes": 8,
    "trend_note": 4,
    "referral": 3,
}

#: The status a case moves to next: through screening into the Infohus, then back and forth
#: between follow-up and the Infohus (every step allowed by the workflow).
NEXT_STATUS = {
    CaseStatus.RECEIVED: CaseStatus.SCREENING,
    CaseStatus.SCREENING: CaseStatus.IN_INFOHUS,
    CaseStatus.IN_INFOHUS: CaseStatus.FOLLOW_UP,
    CaseStatus.FOLLOW_UP: CaseStatus.IN_INFOHUS,
}


class Workstation:
    """The loop of one workstation and what it measured."""

    def __init__(self, plan: WorkstationPlan, services: MemberServices) -> None:
        self.plan = plan
        self.s = services
        self.rng = random.Random(plan.seed)
        self.written = Written()
        self.latencies: dict[str, list[float]] = {}
        self.conflicts: dict[str, int] = {}
        self.errors: list[str] = []
        self.counter = 0
        self.own_case = ""

    # -- measuring ----------------------------------------------------------------------------

    def call(self, name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one service call and time it; a conflict is timed too and counted as reported."""
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        except Conflict:
            self.conflicts[name] = self.conflicts.get(name, 0) + 1
            raise
        finally:
            self.latencies.setdefault(name, []).append(time.perf_counter() - started)

    def token(self) -> str:
        """A marker no other write of the run carries (letters and digits only)."""
        self.counter += 1
        return f"w{self.plan.index:02d}n{self.counter:04d}"

    # -- the day's work -----------------------------------------------------------------------

    def open_own_case(self) -> None:
        name = f"Egen Lastperson{self.plan.index:02d}"
        case = new_case(name, None, self.plan.municipality)
        number = self.s.cases.open_case(case, accept_duplicate=True).number
        self.written.cases[number] = name
        self.own_case = number

    def work(self, deadline: float) -> None:
        names, weights = list(MIX), list(MIX.values())
        while time.monotonic() < deadline:
            operation = self.rng.choices(names, weights)[0]
            try:
                getattr(self, "op_" + operation)()
            except Conflict:
                pass  # reported to the user, counted in call()
            except Exception:
                self.errors.append(f"{operation}: {traceback.format_exc(limit=6)}")
            pause = self.rng.uniform(*self.plan.think)
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))

    def cases(self) -> list[str]:
        return [*self.plan.readable_cases, self.own_case, *self.written.cases]

    def op_list(self) -> None:
        self.call("list", self.s.cases.list)

    def op_search(self) -> None:
        self.call("search", self.s.cases.list, search=self.rng.choice(self.plan.search_terms))

    def op_open(self) -> None:
        self.call("open", self.s.cases.show, self.rng.choice(self.cases()))

    def op_journal(self) -> None:
        ref = self.rng.choice(self.cases())
        text = f"Journalnotat {self.token()}"
        entry = self.call("journal", self.s.case_records.add_journal, ref, JournalKind.NOTE, text)
        self.written.journal.append([ref, str(entry.id), text])

    def op_status(self) -> None:
        """Move the own case on, against the version just read (as the status dialog does);
        a conflict is reloaded and tried once more, as a user would."""
        for _attempt in range(2):
            view = self.call("open", self.s.cases.show, self.own_case)
            new = NEXT_STATUS[view.summary.status]
            try:
                self.call(
                    "status",
                    self.s.cases.change_status,
                    self.own_case,
                    new,
                    "Lasttest: sagen går videre",
                    base_version=view.summary.version,
                )
            except Conflict:
                continue
            self.written.statuses.setdefault(self.own_case, []).append(new.value)
            return

    def op_edit_shared(self) -> None:
        """Append a unique token to the shared case's title, on the case as read; a conflict
        is reported, reloaded and the same token tried once more."""
        token = self.token()
        for _attempt in range(2):
            view = self.call("open", self.s.cases.show, self.plan.shared_case)
            edit = CaseEdit(title=f"{view.title} {token}")
            try:
                self.call(
                    "edit_shared",
                    self.s.cases.edit,
                    self.plan.shared_case,
                    view.summary.version,
                    edit,
                    base=view,
                )
            except Conflict:
                self.written.shared_conflicts.append(token)
                continue
            self.written.shared_tokens.append(token)
            return

    def op_new_case(self) -> None:
        name = f"Ny Lastperson{self.token()}"
        case = new_case(name, None, self.plan.municipality)
        summary = self.call("new_case", self.s.cases.open_case, case, accept_duplicate=True)
        self.written.cases[summary.number] = name

    def op_meeting_notes(self) -> None:
        meeting = self.plan.meeting
        if meeting is None:
            return self.op_open()
        shown = self.call("meeting_open", self.s.meetings.get, uuid.UUID(meeting.meeting_id))
        item = self.rng.choice(shown.items)
        notes = f"Noter fra mødet {self.token()}"
        saved = self.call(
            "meeting_notes", self.s.meetings.record_notes, item.id, notes, item.version
        )
        self.written.meeting_notes.append([str(item.id), str(saved.version), notes])
        return None

    def op_trend_note(self) -> None:
        title = f"Tendens {self.token()}"
        content = TrendContent(
            title=title,
            period_from=date(2026, 9, 1),
            period_to=date(2026, 11, 30),
            area_kind=AreaKind.ONLINE,
            area="En videoplatform",
            theme="konspiration",
            description="Flere unge deler konspirationsvideoer i lukkede grupper.",
            source_kinds=(SourceKind.OPEN_SOURCES,),
            development=Development.RISING,
        )
        note = self.call("trend_note", self.s.trends.create, content)
        self.written.trend_notes[str(note.id)] = title

    def op_referral(self) -> None:
        referral = self.call("referral", self.s.referrals.create, self.own_case, "pet_exit")
        self.written.referrals[str(referral.id)] = self.own_case


def run_workstation(plan: WorkstationPlan, ready: Any, start: Any) -> None:
    """The process's entry point (multiprocessing spawn): set up, wait for the start, work,
    and write the result file the coordinator reads. Never raises: a failure is a result."""
    result: dict[str, Any] = {"index": plan.index, "errors": []}
    home = Path(plan.home)
    os.environ["INFOHUS_HOME"] = str(home)
    from tests.integration.conftest import TEST_FLOOR

    kdf._set_floor_for_tests(TEST_FLOOR)
    vault = None
    station: Workstation | None = None
    try:
        vault = Vault.open(plan.url, LocalState(home))
        vault.trust_root(plan.root_fingerprint)  # compared with the coordinator's, as told
        services = vault.unlock(plan.login, plan.first_passphrase, sleep=lambda _s: None)
        services.accounts.change_passphrase(plan.first_passphrase, plan.first_passphrase + " ny")
        station = Workstation(plan, services)
        station.open_own_case()
        ready.put(plan.index)
        if not start.wait(timeout=600):
            raise TimeoutError("the start signal never came")
        cpu_before = _cpu_seconds()
        began = time.monotonic()
        station.work(began + plan.seconds)
        result["wall_seconds"] = time.monotonic() - began
        result["cpu_seconds"] = _cpu_seconds() - cpu_before
        services.lock()
    except Exception:
        result["errors"].append(f"setup: {traceback.format_exc(limit=8)}")
        ready.put(plan.index)  # never leave the coordinator waiting
    finally:
        if vault is not None:
            vault.close()
    if station is not None:
        result["errors"] += station.errors
        result["latencies"] = station.latencies
        result["conflicts"] = station.conflicts
        result["written"] = asdict(station.written)
    Path(plan.result_path).write_text(json.dumps(result), encoding="utf-8")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
