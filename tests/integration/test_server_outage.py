"""The shared server crashes under running writers (issue 15, "Outages").

A cluster of the test's own (tests/integration/pg_cluster.py, ``fsync`` on) is stopped with
``pg_ctl -m immediate`` while three workstations (each its own vault handle, member and keys)
open cases and write journal entries, and started again a few seconds later. What a user
relies on afterwards: every write the program said was saved is there, exactly once; what it
said was not saved is absent (or there once, after a retry); case numbers stay gap-free and
unique; the audit chain verifies; and every workstation goes on saving without a new unlock.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import pytest

from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.errors import ConnectionLost, VaultUnavailable
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District, built_district
from tests.integration.pg_cluster import Cluster, own_cluster

pytestmark = pytest.mark.postgres

WRITERS = ("mette", "jens", "gitte")
NAMES = {"mette": "Mette Fjord", "jens": "Jens Ager", "gitte": "Gitte Holm"}


@dataclass
class Tally:
    """What one workstation was told about each of its writes, by unique marker."""

    acknowledged: list[tuple[str, str, float]] = field(default_factory=list)  # kind, marker, t
    not_saved: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    other: list[BaseException] = field(default_factory=list)


def _writer(session: MemberServices, tally: Tally, stop: threading.Event) -> None:
    """Alternate a new case and two journal entries in it; a write told "nothing saved" is
    done again with the same marker (that is what a user pressing Save again does)."""
    case_number: str | None = None
    step = 0
    pending: tuple[str, str] | None = None
    while not stop.is_set():
        kind, marker = pending or (
            "case" if case_number is None or step % 3 == 0 else "journal",
            uuid.uuid4().hex,
        )
        pending = None
        try:
            if kind == "case":
                summary = session.cases.open_case(
                    replace(new_case(f"Person {marker[:6]}"), title=marker),
                    accept_duplicate=True,
                )
                case_number = summary.number
            else:
                assert case_number is not None
                session.case_records.add_journal(case_number, JournalKind.NOTE, marker)
        except ConnectionLost as exc:
            if exc.saved is None:
                tally.unknown.append(marker)
            else:
                tally.not_saved.append(marker)
                pending = (kind, marker)
            time.sleep(0.05)
            continue
        except VaultUnavailable as exc:  # e.g. "the database system is starting up"
            tally.other.append(exc)
            time.sleep(0.05)
            continue
        except BaseException as exc:  # a bug: reported by the test
            tally.other.append(exc)
            return
        tally.acknowledged.append((kind, marker, time.monotonic()))
        step += 1


def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll ``condition`` until it holds or ``timeout`` passes (the assertions after the run
    then say what did not happen)."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def _refusals(tally: Tally) -> int:
    return len(tally.not_saved) + len(tally.unknown) + len(tally.other)


def _acknowledged_after(tally: Tally, ready: float) -> int:
    return sum(1 for _k, _m, t in tally.acknowledged if t > ready)


@pytest.fixture
def crash_district(cheap_kdf: None) -> Iterator[tuple[Cluster, District]]:
    with own_cluster() as cluster:
        url = cluster.create_database("vault")
        with built_district(url) as district:
            yield cluster, district


def test_writes_survive_a_server_crash_exactly_once(
    crash_district: tuple[Cluster, District], capsys: pytest.CaptureFixture[str]
) -> None:
    cluster, district = crash_district
    sessions = {
        login: district.enrol(login, NAMES[login], "Aarhus Kommune", Role.MEMBER)
        for login in WRITERS
    }
    tallies = {login: Tally() for login in WRITERS}
    stop = threading.Event()
    threads = [
        threading.Thread(target=_writer, args=(sessions[login], tallies[login], stop))
        for login in WRITERS
    ]
    for thread in threads:
        thread.start()
    try:
        # Each step waits for what it is there for, not for a fixed time: every workstation
        # saving, every one meeting the outage, every one saving again after the restart.
        _until(lambda: all(len(t.acknowledged) >= 5 for t in tallies.values()))
        cluster.crash()
        met = {login: _refusals(tally) for login, tally in tallies.items()}
        _until(lambda: all(_refusals(t) > met[login] for login, t in tallies.items()))
        cluster.start()
        ready = cluster.wait_accepting("vault")
        _until(lambda: all(_acknowledged_after(t, ready) >= 3 for t in tallies.values()))
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)

    for login, tally in tallies.items():
        assert not [e for e in tally.other if not isinstance(e, VaultUnavailable)], login
        after = [t for _k, _m, t in tally.acknowledged if t > ready]
        assert after, f"{login} saved nothing after the restart"

    # What the workstations see now, through the program (the first writer reads it all).
    reader = sessions[WRITERS[0]]
    cases = [c for c in reader.cases.list() if c.number.startswith("AAR-")]
    titles: Counter[str] = Counter()
    journal: Counter[str] = Counter()
    for case in cases:
        shown = reader.cases.show(case.number)
        titles[shown.title] += 1
        journal.update(entry.text for entry in shown.journal)

    for login, tally in tallies.items():
        for kind, marker, _t in tally.acknowledged:
            found = titles[marker] if kind == "case" else journal[marker]
            assert found == 1, f"{login}: acknowledged {kind} found {found} times"
        for marker in tally.unknown:
            assert titles[marker] + journal[marker] <= 1, f"{login}: unknown write twice"
    # A write told "nothing saved" and done again is there once, not twice.
    retried = {m for t in tallies.values() for m in t.not_saved}
    assert all(titles[m] + journal[m] <= 1 for m in retried)

    numbers = sorted(int(c.number.rsplit("-", 1)[1]) for c in cases)
    assert numbers == list(range(1, len(numbers) + 1)), "case numbers not gap-free and unique"

    verification = district.coordinator.audit.verify()
    assert verification.ok, verification.problem

    firsts = [
        min(t for _k, _m, t in tally.acknowledged if t > ready) - ready
        for tally in tallies.values()
    ]
    with capsys.disabled():
        print(
            f"\n[outage] acknowledged {sum(len(t.acknowledged) for t in tallies.values())}, "
            f"not saved (retried) {len(retried)}, "
            f"unknown {sum(len(t.unknown) for t in tallies.values())}; first acknowledged "
            f"write after the server accepted connections: {min(firsts):.3f} s (first "
            f"workstation), {max(firsts):.3f} s (last)"
        )
