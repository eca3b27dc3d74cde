"""A new case whose person nobody knows: the duplicate check's entry and the case commit in
one transaction (one commit instead of two), and what that may not change: the check's
entry is never lost while its answer is shown (a failed save shows that nobody was found,
so the check's entry is then written on its own), a lost commit of the check alone is not
taken for a saved case, and the audit chain stays whole."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from infohus_desktop.domain.errors import ConnectionLost, UpgradeDue
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.index import PossibleDuplicate
from infohus_desktop.services.cases.intake import CaseIntake
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.schema import AuditEntryRow
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District
from tests.integration.old_form import put_back_into_the_old_form
from tests.integration.test_commit_ambiguity import _break_next_commit, _lost


def _ready(district: District, login: str) -> MemberServices:
    """A session as the app has it when the intake dialog is open: listed, prepared."""
    session = district.unlock(login)
    session.cases.list()
    session.cases.prepare_intake()
    return session


@contextmanager
def _commits(session: MemberServices) -> Iterator[list[None]]:
    seen: list[None] = []

    def count(_conn: object) -> None:
        seen.append(None)

    event.listen(session.vault.engine, "commit", count)
    try:
        yield seen
    finally:
        event.remove(session.vault.engine, "commit", count)


def _head(session: MemberServices) -> int:
    with session.uow() as db:
        return int(db.scalar(select(func.max(AuditEntryRow.seq))) or 0)


def _cases(session: MemberServices) -> int:
    with session.uow() as db:
        return int(db.scalar(select(func.count()).select_from(CaseRow)) or 0)


def test_a_new_person_is_checked_and_opened_in_one_commit(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    session = _ready(district, "mette")
    session.cases.open_case(new_case("Første Person"))  # the session's first intake
    before = _head(session)
    with _commits(session) as commits:
        opened = session.cases.open_case(new_case("Anden Person", "0101900002"))
    assert len(commits) == 1
    entries = opened_since(district.coordinator, before)
    # The check first, with its criterion, then the case: one after the other in the chain.
    assert [(seq, body.action) for seq, body in entries] == [
        (before + 1, "case.duplicate_check"),
        (before + 2, "case.create"),
    ]
    assert entries[0][1].detail == "name='Anden Person' cpr='0101900002'"
    assert entries[1][1].object_id == str(opened.id)
    assert district.coordinator.audit.verify().ok
    # The session's summaries are still every case: the next check finds the new one.
    assert session.cases.check_duplicates("anden  PERSON", None).known_in == (opened.number,)


def test_a_case_that_cannot_be_saved_still_leaves_the_checks_entry(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save's error tells the user that nobody was found (a person known would have
    raised PossibleDuplicate): the check that found nobody keeps its entry."""
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    session = _ready(district, "mette")
    session.cases.open_case(new_case("Første Person"))
    head, cases = _head(session), _cases(session)
    real_open = CaseIntake._open

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(CaseIntake, "_open", full_disk)
    with pytest.raises(OSError, match="No space left"):
        session.cases.open_case(new_case("Anden Person"))
    assert _cases(session) == cases
    entries = opened_since(district.coordinator, head)
    assert [(body.action, body.detail) for _seq, body in entries] == [
        ("case.duplicate_check", "name='Anden Person' cpr=None")
    ]
    monkeypatch.setattr(CaseIntake, "_open", real_open)
    opened = session.cases.open_case(new_case("Anden Person"))
    assert _cases(session) == cases + 1
    assert session.cases.check_duplicates("Anden Person", None).known_in == (opened.number,)
    assert district.coordinator.audit.verify().ok


def test_an_intake_refused_for_the_old_form_keeps_the_checks_entry(district: District) -> None:
    """A vault not yet upgraded refuses the new case (UpgradeDue) after a check that found
    nobody: the refusal says so, and the log says the check was made."""
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    put_back_into_the_old_form(district)
    session = _ready(district, "mette")
    head = _head(session)
    with pytest.raises(UpgradeDue):
        session.cases.open_case(new_case("Helt Ukendt"))
    assert [body.action for _seq, body in opened_since(district.coordinator, head)] == [
        "case.duplicate_check"
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("db_engine", ["postgresql"], indirect=True)
def test_a_check_whose_commit_was_lost_is_nothing_saved(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the check commits on its own (someone wrote since the list) and the answer to
    its COMMIT is lost, the intake reports nothing saved: asked later, the check's entry
    would have landed and said "saved" of a case that was never written."""
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    session = _ready(district, "mette")
    session.cases.open_case(new_case("Første Person"))
    district.coordinator.cases.open_case(new_case("Andet Sted"), accept_duplicate=True)
    cases = _cases(session)

    def away(_marker: object) -> None:
        raise OperationalError("SELECT", {}, _lost())

    monkeypatch.setattr(session.vault.uow.commit_check, "_ask", away)
    _break_next_commit(monkeypatch, session, lands=True, after_insert_into="audit_entries")
    with pytest.raises(ConnectionLost) as raised:
        session.cases.open_case(new_case("Ny Person"))
    monkeypatch.undo()
    assert raised.value.saved is False
    assert _cases(session) == cases


def test_a_known_person_commits_the_check_alone_and_opens_nothing(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    known = district.coordinator.cases.open_case(new_case("Kendt Person", "0101900003"))
    session = _ready(district, "mette")
    session.cases.open_case(new_case("Første Person"))
    head, cases = _head(session), _cases(session)
    with pytest.raises(PossibleDuplicate) as raised:
        session.cases.open_case(new_case("Kendt  person"))
    assert raised.value.check.known_in == (known.number,)
    assert _cases(session) == cases
    # The check's entry committed before its answer was shown.
    assert [body.action for _seq, body in opened_since(district.coordinator, head)] == [
        "case.duplicate_check"
    ]


def test_an_entry_after_a_commit_in_the_same_unit_of_work_follows_the_new_head(
    district: District,
) -> None:
    """The chain's head is remembered for the next entry of the same transaction only: a
    commit in between ends it, and another workstation may append before the next entry."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    coordinator = district.coordinator
    with mette.uow() as db:
        mette.record(db, "case.read", "AAR-2026-00001")
        db.commit()
        coordinator.audit.verify()  # an entry of its own, from another session, in between
        mette.record(db, "case.read", "AAR-2026-00002")
    assert coordinator.audit.verify().ok


def test_an_entry_after_a_savepoint_rolled_back_follows_the_head_that_is_left(
    district: District,
) -> None:
    """An entry appended inside a savepoint that is rolled back is gone: the next entry of
    the transaction must not follow it."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    head = _head(mette)
    with mette.uow() as db:
        mette.record(db, "case.read", "AAR-2026-00001")
        nested = db.begin_nested()
        mette.record(db, "case.read", "AAR-2026-00002")
        nested.rollback()
        mette.record(db, "case.read", "AAR-2026-00003")
    assert [body.object_id for _seq, body in opened_since(district.coordinator, head)] == [
        "AAR-2026-00001",
        "AAR-2026-00003",
    ]
    assert district.coordinator.audit.verify().ok
