"""A new case whose person nobody knows: the duplicate check's entry and the case commit in
one transaction (one commit instead of two), and what that may not change: the check's
entry is never lost while its answer is shown, a case that cannot be saved takes the
check's entry with it and shows nothing of the check, and the audit chain stays whole."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.index import PossibleDuplicate
from infohus_desktop.services.cases.intake import CaseIntake
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.case_schema import CaseRow
from infohus_desktop.vault.schema import AuditEntryRow
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


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


def test_a_case_that_cannot_be_saved_takes_the_checks_entry_with_it(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    # Neither the check's entry nor the case: the user saw the error and no answer.
    assert (_head(session), _cases(session)) == (head, cases)
    monkeypatch.setattr(CaseIntake, "_open", real_open)
    opened = session.cases.open_case(new_case("Anden Person"))
    assert _cases(session) == cases + 1
    assert [body.action for _seq, body in opened_since(district.coordinator, head)] == [
        "case.duplicate_check",
        "case.create",
    ]
    assert session.cases.check_duplicates("Anden Person", None).known_in == (opened.number,)
    assert district.coordinator.audit.verify().ok


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
