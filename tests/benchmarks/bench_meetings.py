"""Meeting benchmarks: the minutes PDF of a 40-item meeting, the agenda PDF, and listing and
opening meetings in a vault with 12 months of meetings.

Run from the project root::

    .venv/bin/python -m tests.benchmarks.bench_meetings             # SQLite in a temp dir
    .venv/bin/python -m tests.benchmarks.bench_meetings --json
    .venv/bin/python -m tests.benchmarks.bench_meetings --db-url postgresql+psycopg://…/empty

**The vault** is the demo vault (``create_demo_vault``: 60 cases, 12 months of network and
case meetings with minutes and action items), built under the integration tests' cheap KDF
floor: key derivation is not what is measured. Its build time is reported too.

**What is measured**, each through the services as the app calls them on its worker thread
(every call writes its audit entry, as in real use):

1. *List*: ``session.meetings.list()`` as mette (Aarhus coordinator): first call of the
   session and the median of 5 more.
2. *Open*: ``session.meetings.get(id)`` of every meeting mette can read (the meeting view's
   load): median and max.
3. *Open action items*: ``open_action_items()``.
4. *40-item meeting*: planned in that vault by mette, with 10 case items and 30 orientation
   items, each with notes, a recommendation, an agreement and an action item; approved. Then
   ``minutes_pdf`` (median of 5; with and without names), and ``agenda_pdf``: time, pages and
   size.

Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf

from infohus_desktop.crypto import kdf
from infohus_desktop.demo.build import create_demo_vault
from infohus_desktop.demo.members import DEMO_PASSPHRASES
from infohus_desktop.domain.meetings import (
    DecisionKind,
    ItemKind,
    MeetingKind,
    NewActionItem,
    NewAgendaItem,
    NewMeeting,
)
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import MemberServices, Vault
from tests.integration.conftest import TEST_FLOOR


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _median(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        elapsed, result = _timed(fn)
        times.append(elapsed)
    return statistics.median(times), result


def _forty_items(s: MemberServices) -> Any:
    svc = s.meetings
    members = {m.login: m.id for m in svc.members()}
    meeting = svc.plan(
        NewMeeting(
            MeetingKind.CASE,
            "Benchmark: Infohusmøde med 40 punkter",
            datetime.now(UTC) - timedelta(days=1),
            place="Aarhus Rådhus",
            local_infohus="Aarhus Kommune",
            chair_id=members["mette"],
            minute_taker_id=members["jonas"],
            member_ids=(members["lars"], members["pia"]),
        )
    )
    cases = [c.number for c in svc.case_choices(meeting.id)][:10]
    for n in range(1, 41):
        if n <= len(cases):
            new = NewAgendaItem(ItemKind.CASE, f"Punkt {n}", cases[n - 1])
        else:
            new = NewAgendaItem(ItemKind.ORIENTATION, f"Orientering {n}", organisation="SSP")
        item = svc.add_item(meeting.id, new)
        svc.record_notes(item.id, f"Noter til punkt {n}: " + "drøftet og aftalt. " * 8, 1)
        svc.add_decision(item.id, DecisionKind.RECOMMENDATION, f"Anbefaling {n}", "Politiet")
        svc.add_decision(item.id, DecisionKind.AGREEMENT, f"Aftale {n}", "Aarhus Kommune")
        svc.add_action_item(
            item.id,
            NewActionItem(f"Opgave {n}", date.today() + timedelta(days=n), members["jonas"]),
        )
    current = svc.get(meeting.id)
    current = svc.mark_held(meeting.id, current.version)
    return svc.approve(meeting.id, current.version)


def _pdf_facts(pdf: bytes) -> dict[str, Any]:
    return {"pages": len(pypdf.PdfReader(io.BytesIO(pdf)).pages), "kb": len(pdf) // 1024}


def run(url: str) -> dict[str, Any]:
    kdf._set_floor_for_tests(TEST_FLOOR)
    out: dict[str, Any] = {}
    elapsed, demo = _timed(lambda: create_demo_vault(url))
    out["demo_build_s"] = round(elapsed, 2)
    vault = Vault.open(url, LocalState())
    try:
        s = vault.unlock("mette", DEMO_PASSPHRASES["mette"], sleep=lambda _s: None)
        first, meetings = _timed(s.meetings.list)
        warm, _ = _median(s.meetings.list)
        out["meetings_readable"] = len(meetings)
        out["list_first_ms"] = round(first * 1000, 1)
        out["list_warm_median_ms"] = round(warm * 1000, 1)
        opens = []
        for m in meetings:
            elapsed, _ = _timed(lambda m=m: s.meetings.get(m.id))
            opens.append(elapsed)
        out["open_median_ms"] = round(statistics.median(opens) * 1000, 1)
        out["open_max_ms"] = round(max(opens) * 1000, 1)
        elapsed, actions = _timed(s.meetings.open_action_items)
        out["open_action_items"] = len(actions)
        out["open_action_items_ms"] = round(elapsed * 1000, 1)

        elapsed, big = _timed(lambda: _forty_items(s))
        out["forty_item_meeting_build_s"] = round(elapsed, 2)
        t_min, pdf = _median(lambda: s.meetings.minutes_pdf(big.id))
        out["minutes_pdf_40_median_ms"] = round(t_min * 1000, 1)
        out["minutes_pdf_40"] = _pdf_facts(pdf)
        t_names, _ = _median(lambda: s.meetings.minutes_pdf(big.id, with_names=True))
        out["minutes_pdf_40_with_names_median_ms"] = round(t_names * 1000, 1)
        t_ag, agenda = _median(lambda: s.meetings.agenda_pdf(big.id))
        out["agenda_pdf_40_median_ms"] = round(t_ag * 1000, 1)
        out["agenda_pdf_40"] = _pdf_facts(agenda)
        t_get, _ = _median(lambda: s.meetings.get(big.id))
        out["open_40_item_meeting_median_ms"] = round(t_get * 1000, 1)
        s.lock()
    finally:
        vault.close()
    out["cases"] = demo.cases
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", help="an empty database (default: SQLite in a temp dir)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-meetings-") as tmp:
        os.environ["INFOHUS_HOME"] = str(Path(tmp) / "home")
        url = args.db_url or f"sqlite+pysqlite:///{tmp}/demo.sqlite"
        result = run(url)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:40} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
