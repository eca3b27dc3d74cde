"""A connection lost while COMMIT is under way (vault/server_link.py), made to happen exactly
there: the driver's commit is replaced by one that commits (or not) and then loses the
connection, as a server crash or a dropped network between COMMIT and its answer does.

What the member must be able to rely on: a save the program calls saved is there once; a
save it calls "not saved" is not there, and saving again puts it there once; when it cannot
tell, it says so rather than guess, and never saves twice behind the member's back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from infohus_desktop.domain.cases import JournalKind
from infohus_desktop.domain.changes import Area
from infohus_desktop.domain.errors import ConnectionLost
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault import audit_chain
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District

# A lost connection is a server's matter: SQLite has none to lose.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("db_engine", ["postgresql"], indirect=True),
]


def _lost() -> Exception:
    return psycopg.OperationalError("server closed the connection unexpectedly")


def _break_next_commit(
    monkeypatch: pytest.MonkeyPatch,
    session: MemberServices,
    lands: bool,
    after_insert_into: str | None = None,
) -> list[bool]:
    """The next COMMIT of ``session``'s engine (after an INSERT into the table named, if
    one is) lands (or not), then the connection is gone."""
    dialect = session.vault.uow.engine.dialect
    original: Callable[[Any], None] = dialect.do_commit
    original_execute: Callable[..., None] = dialect.do_execute
    used: list[bool] = []
    armed = [after_insert_into is None]

    def execute(cursor: Any, statement: str, *args: Any) -> None:
        if after_insert_into and statement.startswith(f"INSERT INTO {after_insert_into}"):
            armed[0] = True
        original_execute(cursor, statement, *args)

    def commit_then_lose(dbapi_connection: Any) -> None:
        if used or not armed[0]:
            original(dbapi_connection)
            return
        used.append(True)
        if lands:
            original(dbapi_connection)
        # The driver's own connection (not the pool's wrapper, whose close checks it in):
        # its unfinished work is thrown away by the server.
        getattr(dbapi_connection, "dbapi_connection", dbapi_connection).close()
        raise _lost()

    monkeypatch.setattr(dialect, "do_execute", execute)
    monkeypatch.setattr(dialect, "do_commit", commit_then_lose)
    return used


def _journal_texts(session: MemberServices, number: str) -> list[str]:
    return [entry.text for entry in session.cases.show(number).journal]


@pytest.fixture
def mette(district: District) -> MemberServices:
    return district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)


def test_a_commit_that_landed_is_reported_saved_once(
    mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
    mette.take_changes()
    used = _break_next_commit(monkeypatch, mette, lands=True)

    entry = mette.case_records.add_journal(number, JournalKind.NOTE, "Samtale med skolen")

    assert used
    assert entry.text == "Samtale med skolen"
    assert _journal_texts(mette, number).count("Samtale med skolen") == 1
    # The screens hear of it as of any save.
    assert mette.take_changes().touches(Area.CASES)
    assert mette.vault.uow.link.up


def test_a_commit_that_did_not_land_is_reported_not_saved_and_can_be_saved_again(
    mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
    _break_next_commit(monkeypatch, mette, lands=False)

    with pytest.raises(ConnectionLost) as raised:
        mette.case_records.add_journal(number, JournalKind.NOTE, "Samtale med skolen")
    assert raised.value.saved is False
    assert "Intet blev gemt" in raised.value.da
    assert "Samtale med skolen" not in _journal_texts(mette, number)

    mette.case_records.add_journal(number, JournalKind.NOTE, "Samtale med skolen")
    assert _journal_texts(mette, number).count("Samtale med skolen") == 1


def test_a_new_case_whose_commit_landed_keeps_its_one_number(
    mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
    _break_next_commit(monkeypatch, mette, lands=True)
    second = mette.cases.open_case(new_case("Bo Berg"), accept_duplicate=True).number
    third = mette.cases.open_case(new_case("Carl Berg"), accept_duplicate=True).number

    serials = [int(n.rsplit("-", 1)[1]) for n in (first, second, third)]
    assert serials == [serials[0], serials[0] + 1, serials[0] + 2]
    assert sorted(c.number for c in mette.cases.list()) == sorted([first, second, third])


def test_when_the_server_stays_away_the_answer_is_unknown_not_a_guess(
    mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
    check = mette.vault.uow.commit_check
    monkeypatch.setattr(check, "settle_seconds", 0.3)

    def away(_marker: object) -> bool:
        raise OperationalError("SELECT", {}, _lost())

    monkeypatch.setattr(check, "_ask", away)
    _break_next_commit(monkeypatch, mette, lands=True)

    with pytest.raises(ConnectionLost) as raised:
        mette.case_records.add_journal(number, JournalKind.NOTE, "Samtale med skolen")
    assert raised.value.saved is None
    assert "uvist" in raised.value.da
    assert not mette.vault.uow.link.up
    monkeypatch.undo()
    # It did land: the member who checks (as the message says) finds it once.
    assert _journal_texts(mette, number).count("Samtale med skolen") == 1
    assert mette.vault.uow.link.up


def test_a_connection_lost_before_commit_saves_nothing(
    mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
    dialect = mette.vault.uow.engine.dialect
    original = dialect.do_execute
    calls: list[str] = []

    def lose_on_insert(cursor: Any, statement: str, parameters: Any, context: Any) -> None:
        if statement.startswith("INSERT INTO case_journal") and not calls:
            calls.append(statement)
            cursor.connection.close()
            raise _lost()
        original(cursor, statement, parameters, context)

    monkeypatch.setattr(dialect, "do_execute", lose_on_insert)
    with pytest.raises(ConnectionLost) as raised:
        mette.case_records.add_journal(number, JournalKind.NOTE, "Samtale med skolen")
    assert raised.value.saved is False
    assert calls
    assert "Samtale med skolen" not in _journal_texts(mette, number)


def test_a_checkpoint_of_a_save_that_did_not_land_never_reaches_the_workstation_file(
    district: District, mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
    monkeypatch.setattr(audit_chain, "CHECKPOINT_EVERY", 1)  # every entry signs one
    _break_next_commit(monkeypatch, mette, lands=False)
    with pytest.raises(ConnectionLost):
        mette.case_records.add_journal(number, JournalKind.NOTE, "Samtale med skolen")
    # The next entry takes the lost one's place in the chain, with another hash.
    mette.case_records.add_journal(number, JournalKind.NOTE, "Samtale med skolen")

    verification = district.coordinator.audit.verify()
    assert verification.ok, verification.problem


def test_the_audit_entry_of_a_read_is_asked_after_once_and_the_read_fails_at_once(
    mette: MemberServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read whose audit entry's COMMIT went unanswered shows nothing either way, so the
    worker does not wait for the server to say whether the entry landed."""
    number = mette.cases.open_case(new_case("Anna Berg"), accept_duplicate=True).number
    asked: list[object] = []

    def away(_marker: object) -> bool:
        asked.append(_marker)
        raise OperationalError("SELECT", {}, _lost())

    monkeypatch.setattr(mette.vault.uow.commit_check, "_ask", away)
    _break_next_commit(monkeypatch, mette, lands=True, after_insert_into="audit_entries")
    with pytest.raises(ConnectionLost) as raised:
        mette.cases.show(number)
    assert raised.value.saved is None
    assert len(asked) == 1
