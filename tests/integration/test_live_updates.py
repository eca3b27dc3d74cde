"""Live updates between workstations on one PostgreSQL server (LISTEN/NOTIFY).

Two unlocks on two vault handles stand for two workstations: lars reads, mette writes. What
one commits reaches the other's listener as a ``Changes`` with the area and the id; what
travels is only ids, kinds, a time and sealed or random tokens; the listener's thread ends on
stop and survives a dropped connection. Waits are bounded (``queue.get(timeout=…)``); no test
asserts how long anything took.
"""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy import make_url, text

from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.core.live_updates import MISSED
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.change_listener import ChangeListener
from infohus_desktop.vault.engine import create_vault_engine
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District, built_district, cheap_kdf  # noqa: F401
from tests.pgserver import throwaway_database

pytestmark = pytest.mark.postgres

NAME = "Ahmed Testbarn Livesen"
WAIT = 10.0  # a bound, never a measure: the notice normally arrives in milliseconds


@pytest.fixture
def pg_district(pg_admin_url: str, cheap_kdf: None) -> Iterator[District]:  # noqa: F811
    with throwaway_database(pg_admin_url) as url, built_district(url) as d:
        d.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
        yield d


class Inbox:
    """What a listener delivered, in order."""

    def __init__(self) -> None:
        self.items: queue.Queue[Changes] = queue.Queue()

    def __call__(self, changes: Changes) -> None:
        self.items.put(changes)

    def next(self) -> Changes:
        return self.items.get(timeout=WAIT)


@contextmanager
def listening(member: MemberServices) -> Iterator[Inbox]:
    """``member``'s listener, running, for the block; stopped and its thread ended after."""
    inbox = Inbox()
    listener = member.live_updates.listen(inbox)
    assert listener is not None and listener.listening.wait(WAIT)
    try:
        yield inbox
    finally:
        listener.stop()
        assert listener.join(WAIT)


class Spy:
    """A plain LISTEN on the channel, to read the raw payloads as the server's operator
    (or anyone with the database's credentials) could."""

    def __init__(self, url: str) -> None:
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        self.connection = psycopg.connect(conninfo, autocommit=True)
        self.connection.execute("LISTEN infohus_changes")

    def next(self) -> str:
        for notice in self.connection.notifies(timeout=WAIT, stop_after=1):
            return notice.payload
        raise AssertionError("no notice")

    def close(self) -> None:
        self.connection.close()


@pytest.fixture
def spy(pg_district: District) -> Iterator[Spy]:
    s = Spy(pg_district.url)
    yield s
    s.close()


def test_a_case_committed_by_b_reaches_a_with_its_area_and_id(pg_district: District) -> None:
    lars = pg_district.unlock("lars")
    mette = pg_district.sessions["mette"]
    with listening(lars) as inbox:
        summary = mette.cases.open_case(new_case(NAME), accept_duplicate=True)
        changes = inbox.next()
        assert changes.areas == {Area.CASES}
        assert changes.touches(Area.CASES, summary.id)
        assert changes.objects == {str(summary.id)}
        assert changes.origin is not None
        # lars's own change is not announced back to lars (the worker published it already),
        # but mette's next one is: it is the next thing in the inbox.
        lars.cases.change_status(summary.number, CaseStatus.SCREENING, "Forhåndstjek")
        mette.cases.change_status(summary.number, CaseStatus.IN_INFOHUS, "Tages op")
        after = inbox.next()
        assert after.origin is not None and after.origin.session == mette.notice_id
        assert lars.live_updates.changed_by(after.origin) == "Mette Fjord"


def test_the_notice_carries_ids_and_kinds_only(pg_district: District, spy: Spy) -> None:
    mette = pg_district.sessions["mette"]
    summary = mette.cases.open_case(new_case(NAME), accept_duplicate=True)
    payload = spy.next()
    body = json.loads(payload)
    assert set(body) == {"v", "s", "m", "t", "a", "o"}
    assert body["a"] == ["cases"] and body["o"] == [str(summary.id)]
    assert len(payload.encode()) < 8000
    # No content and nothing that names the person, the case or the member.
    for secret in (NAME, "Ahmed", summary.number, "Mette", "mette", "Aarhus", "Bekymring"):
        assert secret not in payload
    member_id = mette.member.id
    assert str(member_id) not in payload and member_id.hex not in payload
    # The sender is a random id of the unlock: another unlock of the same member, on the
    # same machine, has another one.
    assert body["s"] == mette.notice_id
    assert pg_district.unlock("mette").notice_id != mette.notice_id


def test_a_rolled_back_change_is_never_announced(pg_district: District, spy: Spy) -> None:
    mette = pg_district.sessions["mette"]

    def fails_after_its_audit_entry() -> None:
        with mette.transaction() as session:
            mette.record(session, "case.edit", uuid.uuid4())
            raise RuntimeError("the change fails")

    with pytest.raises(RuntimeError):
        fails_after_its_audit_entry()
    committed = mette.cases.open_case(new_case(NAME), accept_duplicate=True)
    # The first notice on the channel is the committed change's.
    assert json.loads(spy.next())["o"] == [str(committed.id)]


def test_many_ids_become_a_reload_of_the_area(pg_district: District, spy: Spy) -> None:
    mette = pg_district.sessions["mette"]
    with mette.transaction() as session:
        for _ in range(400):  # 400 ids of 36 characters do not fit in 8000 bytes
            mette.record(session, "case.edit", uuid.uuid4())
    body = json.loads(spy.next())
    assert body["a"] == ["cases"] and "o" not in body


def test_meetings_trends_and_referrals_travel_too(pg_district: District) -> None:
    lars = pg_district.unlock("lars")
    mette = pg_district.sessions["mette"]
    with listening(lars) as inbox:
        for action, area in (
            ("meeting.update", Area.MEETINGS),
            ("trend.update", Area.TRENDS),
            ("referral.update", Area.REFERRALS),
        ):
            object_id = uuid.uuid4()
            with mette.transaction() as session:
                mette.record(session, action, object_id)
            changes = inbox.next()
            assert changes.areas == {area} and changes.objects == {str(object_id)}


def test_a_forged_or_foreign_origin_names_nobody(pg_district: District) -> None:
    lars = pg_district.unlock("lars")
    mette = pg_district.sessions["mette"]
    with listening(lars) as inbox:
        mette.cases.open_case(new_case(NAME), accept_duplicate=True)
        origin = inbox.next().origin
        assert origin is not None
        assert lars.live_updates.changed_by(origin) == "Mette Fjord"
        # The sealed id belongs to its unlock: moved to another session id it opens to nothing.
        assert lars.live_updates.changed_by(replace(origin, session=uuid.uuid4().hex)) is None
        assert lars.live_updates.changed_by(replace(origin, member="bm90IGEga2V5")) is None
        assert lars.live_updates.changed_by(replace(origin, member="")) is None


def test_the_listener_survives_a_dropped_connection_and_says_reload(
    pg_district: District,
) -> None:
    lars = pg_district.unlock("lars")
    mette = pg_district.sessions["mette"]
    heard: list[bool] = []
    lars.vault.server_link.listen(heard.append)
    with listening(lars) as inbox:
        with mette.uow() as session:
            dropped = session.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query ILIKE 'LISTEN%'"
                )
            ).all()
        assert dropped and all(ok for (ok,) in dropped)
        # Back again: what was missed meanwhile is "reload every list" …
        assert inbox.next() == MISSED
        # … and the server answered all along, so no outage was told to the vault's link
        # (the window's bar follows it; a server that does not answer is tested with a
        # crashed cluster in tests/ui/test_server_outage_ui.py).
        assert heard == []
        # … and the next change arrives as before.
        summary = mette.cases.open_case(new_case(NAME), accept_duplicate=True)
        assert inbox.next().objects == {str(summary.id)}


def test_stopping_leaves_no_thread(pg_district: District) -> None:
    lars = pg_district.unlock("lars")
    before = set(threading.enumerate())
    listener = lars.live_updates.listen(Inbox())
    assert listener is not None and listener.listening.wait(WAIT)
    assert {t.name for t in set(threading.enumerate()) - before} == {"infohus-live-updates"}
    listener.stop()
    assert listener.join(WAIT)
    assert set(threading.enumerate()) - before == set()


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_a_sqlite_vault_neither_listens_nor_announces(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    lars = district.coordinator
    assert lars.live_updates.listen(Inbox()) is None
    lars.take_changes()
    sent: list[str] = []
    monkeypatch.setattr(lars.vault.uow, "announce", lambda *a: sent.append(a[-1]))
    lars.cases.open_case(new_case(NAME), accept_duplicate=True)
    assert sent == [] and lars.take_changes().areas == {Area.CASES}


class CountingStop(threading.Event):
    """The listener's stop flag, recording each wait instead of sleeping; set after ``n``."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.waits: list[float] = []
        self.n = n

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(float(timeout or 0))
        if len(self.waits) >= self.n:
            self.set()
        return self.is_set()


def test_an_unreachable_server_is_tried_again_with_growing_waits() -> None:
    # Port 1 on the loopback: refused at once, like a server that is down.
    engine = create_vault_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    listener = ChangeListener(engine, "infohus_changes", lambda _p: None)
    stop = CountingStop(10)
    listener._stop = stop
    listener.start()
    assert listener.join(WAIT)
    assert not listener.listening.is_set()
    # Never a busy loop: 0.5 s, doubling, at most 30 s between attempts.
    assert stop.waits == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0, 30.0]
    engine.dispose()
