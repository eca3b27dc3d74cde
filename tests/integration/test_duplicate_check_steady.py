"""The duplicate check in a session that has listed its cases and prepared the intake (what
the intake dialog does on the worker while the person is typed in): a handful of statements
whatever the number of cases, nothing read of every case while nothing was written since,
and still every case opened, moved or changed elsewhere since the list is found."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.audit_sealing import AuditWriter
from infohus_desktop.vault.schema import AuditEntryRow, AuditSessionRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


@contextmanager
def statements(session: MemberServices) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(session.vault.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(session.vault.engine, "before_cursor_execute", count)


def _reads_every_case(statements: list[str]) -> list[str]:
    """The statements that read something of every case of the member's groups (a count,
    or the ids and versions): what a steady check never needs (it reads its candidates by
    id)."""
    return [
        s for s in statements if "count(" in s.lower() or "where cases.group_id in" in s.lower()
    ]


def _fail() -> None:
    raise RuntimeError("the transaction fails after the writer's row")


def _stored(writer: AuditWriter) -> bool:
    return writer.stored


def _ready(district: District, login: str) -> MemberServices:
    """A fresh session as the app has it when the intake dialog is open: listed, prepared."""
    session = district.unlock(login)
    session.cases.list()
    session.cases.prepare_intake()
    return session


def _steady_check_statements(district: District, login: str, new_name: str) -> list[str]:
    session = _ready(district, login)
    with statements(session) as seen:
        assert session.cases.check_duplicates("person  nummer3", None).known_in
        first = list(seen)
        seen.clear()
        session.cases.open_case(new_case(new_name), accept_duplicate=False)
        seen.clear()
        assert session.cases.check_duplicates("PERSON nummer4", "0101901234").known_in
        after_intake = list(seen)
    # The check right after the list and the one after an intake cost the same.
    assert len(first) <= len(after_intake), (first, after_intake)
    return after_intake


def test_a_prepared_check_costs_the_same_statements_at_10_and_200_cases(
    district: District,
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for n in range(10):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    small = _steady_check_statements(district, "mette", "Helt Ny Person")
    for n in range(10, 200):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    big = _steady_check_statements(district, "mette", "Anden Ny Person")
    assert len(big) == len(small), (small, big)
    # Nothing was written since the session last knew its summaries complete: nothing
    # is read of every case.
    assert not _reads_every_case(big), big


def test_a_new_case_costs_the_same_statements_at_10_and_200_cases(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)

    def intake_statements(n: int) -> int:
        session = _ready(district, "mette")
        with statements(session) as seen:
            session.cases.open_case(new_case(f"Ny Person{n}", f"01019{n:05d}"[-10:]))
        return len(seen)

    for n in range(10):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    small = intake_statements(1)
    for n in range(10, 200):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    assert intake_statements(2) == small


def _sql(seen: list[str]) -> list[str]:
    """The statements both databases send: not SQLite's BEGIN (PostgreSQL's driver begins
    by itself), nor PostgreSQL's chain lock and change notice."""
    return [
        s
        for s in seen
        if not s.startswith("BEGIN") and "pg_advisory_xact_lock" not in s and "pg_notify" not in s
    ]


def test_a_new_case_costs_a_fixed_handful_of_statements(district: District) -> None:
    """Check and save (the intake dialog's "Opret sag"): the next intake of a session, for a
    person nobody knows, 14 statements in one transaction (before: 16 in two, and 20 in
    three before that). The check reads in its entry's transaction and the case is written
    in it too, the serial is bumped and read in one statement, the casework group's id and
    key id are known after the first intake, and the case's second entry follows the head
    the first left. The first intake also checks its input in the check's transaction and
    saves in a transaction of its own (its summaries are not yet known complete; on
    PostgreSQL 3 more statements seal the member's id for the change notices, once per
    unlock)."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for n in range(10):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    session = _ready(district, "mette")
    with statements(session) as seen:
        session.cases.open_case(new_case("Ny Person", "0101900001"))
        first = _sql(seen)
        begun = sum(s.startswith("BEGIN") for s in seen)
        seen.clear()
        session.cases.open_case(new_case("Anden Ny Person", "0101900002"))
        second = _sql(seen)
        begun_second = sum(s.startswith("BEGIN") for s in seen)
    assert len(second) <= 14, second
    assert len(first) <= 22, first
    # SQLite: two transactions, then one (PostgreSQL's driver sends no BEGIN).
    assert begun <= 2, begun
    assert begun_second <= 1, begun_second


def test_a_case_opened_elsewhere_after_the_list_is_found_by_name(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.cases.open_case(new_case("Karen Kendt"))
    session = _ready(district, "mette")
    assert not session.cases.check_duplicates("Ny Nielsen", None).found
    # Another workstation (another session on the same vault) opens a case for the person.
    theirs = district.coordinator.cases.open_case(new_case("Ny Nielsen"), accept_duplicate=True)
    assert session.cases.check_duplicates("ny  NIELSEN", None).known_in == (theirs.number,)
    # And after this session's own intake, which moves what it knows forward, too.
    session.cases.open_case(new_case("Tredje Person"))
    again = district.coordinator.cases.open_case(new_case("Fjerde Person"), accept_duplicate=True)
    assert session.cases.check_duplicates("fjerde person", None).known_in == (again.number,)


def test_a_case_moved_into_the_members_group_elsewhere_is_found_by_name(
    district: District,
) -> None:
    """A move changes no number of cases anywhere; the check still learns of it."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.cases.open_case(new_case("Karen Kendt"))
    district.coordinator.groups.add("Lukket kreds", ["lars"])
    hidden = district.coordinator.cases.open_case(
        new_case("Skjult Person", group="Lukket kreds"), accept_duplicate=True
    )
    session = _ready(district, "mette")
    assert not session.cases.check_duplicates("skjult person", None).found
    district.coordinator.cases.move(hidden.number, "Aarhus Kommune og politiet")
    assert session.cases.check_duplicates("skjult person", None).known_in == (hidden.number,)


def test_preparing_before_any_list_decrypts_and_audits_nothing(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.cases.open_case(new_case("Karen Kendt"))
    session = district.unlock("mette")

    def entries() -> int:
        with session.uow() as db:
            return int(db.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)

    before = entries()
    session.cases.prepare_intake()
    assert entries() == before
    assert session.case_cache == {}
    # The first check reads the cases after its own entry, and finds the person.
    assert session.cases.check_duplicates("karen kendt", None).found
    assert entries() == before + 1


def test_every_new_case_keeps_its_audit_entries_and_the_log_verifies(district: District) -> None:
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    session = _ready(district, "mette")

    def entries() -> int:
        with session.uow() as db:
            return int(db.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)

    before = entries()
    for n in range(5):
        session.cases.open_case(new_case(f"Person Nummer{n}"))  # a check, then the case
    assert entries() == before + 10
    assert district.coordinator.audit.verify().ok


def test_a_writer_whose_first_entry_rolled_back_writes_its_key_again(district: District) -> None:
    """An audit writer stops looking for its row only once a commit holds it: a new
    writer (the audit group moved to a new epoch) whose first transaction rolls back
    adds its row again in the next one."""

    session = district.coordinator
    with session.uow() as db:
        audit_group = session.vault.system_group_id(db, GroupKind.AUDIT)
        epoch, public = session.keyring.audit_public_key(db, audit_group)
    writer = AuditWriter(session.vault.vault_id, epoch, public)

    def rolled_back() -> None:
        with session.uow() as db:
            writer.ensure_row(db)
            writer.ensure_row(db)  # the same transaction: added once
            _fail()

    with pytest.raises(RuntimeError):
        rolled_back()
    assert not _stored(writer)
    with session.uow() as db:
        writer.ensure_row(db)
    assert _stored(writer)
    with session.uow() as db:
        assert db.get(AuditSessionRow, writer.id) is not None


def test_a_check_after_this_sessions_own_edit_finds_the_new_name_without_reading_every_case(
    district: District,
) -> None:
    from infohus_desktop.domain.cases import Person
    from infohus_desktop.services.cases.editing import CaseEdit

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Gammelt Navn"))
    session = _ready(district, "mette")
    session.cases.edit(case.number, case.version, CaseEdit(person=Person("Nyt Navn")))
    with statements(session) as seen:
        assert session.cases.check_duplicates("nyt navn", None).known_in == (case.number,)
        assert not session.cases.check_duplicates("gammelt navn", None).found
    assert not _reads_every_case(seen), seen


def test_a_case_opened_elsewhere_while_another_leaves_the_group_is_found(
    district: District,
) -> None:
    """Elsewhere, a case for the person is opened in the member's group and another case
    leaves it: as many readable cases as before, but not the same ones. The check finds
    the person, as a fresh session does, and so does the intake's own check."""
    from infohus_desktop.services.cases.index import PossibleDuplicate

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    first = mette.cases.open_case(new_case("Karen Kendt"))
    second = mette.cases.open_case(new_case("Karl Kendt"))
    district.coordinator.groups.add("Lukket kreds", ["lars"])
    session = _ready(district, "mette")
    coordinator = district.coordinator.cases
    theirs = coordinator.open_case(new_case("Ny Nielsen"), accept_duplicate=True)
    coordinator.move(first.number, "Lukket kreds")
    assert session.cases.check_duplicates("ny nielsen", None).known_in == (theirs.number,)

    session.cases.prepare_intake()  # the intake dialog opens again
    again = coordinator.open_case(new_case("Nina Nielsen"), accept_duplicate=True)
    coordinator.move(second.number, "Lukket kreds")
    with pytest.raises(PossibleDuplicate) as raised:
        session.cases.open_case(new_case("Nina Nielsen"), accept_duplicate=False)
    assert raised.value.check.known_in == (again.number,)


def test_an_intake_opened_after_the_list_compares_nothing_until_someone_writes(
    district: District,
) -> None:
    """Right after a list, with nothing written since its entry, the intake dialog's
    preparation reads nothing of every case; once another workstation writes, it compares
    every readable case's version (and the check then finds what was opened)."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for n in range(3):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    session = district.unlock("mette")
    session.cases.list()
    with statements(session) as seen:
        session.cases.prepare_intake()
    assert not _reads_every_case(seen), seen
    theirs = mette.cases.open_case(new_case("Ny Nielsen"), accept_duplicate=True)
    with statements(session) as seen:
        session.cases.prepare_intake()
    assert _reads_every_case(seen), seen
    assert session.cases.check_duplicates("ny nielsen", None).known_in == (theirs.number,)


def test_a_person_renamed_elsewhere_is_found_by_the_new_name(district: District) -> None:
    """An edit elsewhere changes no number of cases; the check asks for the new name first
    (one for the old name would read the case again and so learn of the edit)."""
    from infohus_desktop.domain.cases import Person
    from infohus_desktop.services.cases.editing import CaseEdit

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Gammelt Navn"))
    session = _ready(district, "mette")
    assert session.cases.check_duplicates("gammelt navn", None).known_in == (case.number,)
    mette.cases.edit(case.number, case.version, CaseEdit(person=Person("Helt Nyt Navn")))
    assert session.cases.check_duplicates("helt nyt navn", None).known_in == (case.number,)
    assert not session.cases.check_duplicates("gammelt navn", None).found


def test_a_member_moved_between_groups_of_as_many_cases_finds_the_new_groups_person(
    district: District,
) -> None:
    lars = district.coordinator
    district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    lars.groups.add("Kreds A", ["lars", "mette"])
    lars.groups.add("Kreds B", ["lars"])
    lars.cases.open_case(new_case("Karen Kendt", group="Kreds A"), accept_duplicate=True)
    known = lars.cases.open_case(new_case("Ny Nielsen", group="Kreds B"), accept_duplicate=True)
    session = _ready(district, "mette")
    lars.groups.remove_member("Kreds A", "mette")
    lars.groups.add_member("Kreds B", "mette")
    assert session.cases.check_duplicates("ny nielsen", None).known_in == (known.number,)
    assert not session.cases.check_duplicates("karen kendt", None).found


def test_a_log_put_back_to_the_same_length_does_not_hide_a_case_opened_since(
    district: District,
) -> None:
    """What the session knows is tied to the head's number and hash. A log put back to the
    same number of entries with other content (a server restored from a backup under an open
    session, or someone who can write the database) reaches the number the session knew,
    never its hash: the check counts and reads again, and finds the case opened since."""
    from sqlalchemy import delete, update

    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.cases.open_case(new_case("Karen Kendt"))
    session = _ready(district, "mette")
    engine = session.vault.engine
    with engine.connect() as db:
        known = db.execute(select(func.max(AuditEntryRow.seq))).scalar_one()
    theirs = district.coordinator.cases.open_case(new_case("Ny Nielsen"), accept_duplicate=True)
    with engine.begin() as db:
        db.execute(delete(AuditEntryRow).where(AuditEntryRow.seq > known))
        db.execute(
            update(AuditEntryRow).where(AuditEntryRow.seq == known).values(entry_hash="f" * 64)
        )
    assert session.cases.check_duplicates("ny nielsen", None).known_in == (theirs.number,)


def test_every_case_of_a_whole_list_is_found_by_name_and_cpr_from_its_summaries(
    district: District,
) -> None:
    """A whole list folds its names from the session's cache, not from a list of its own:
    every case it listed is found, by name and by CPR number, without reading the case again
    (the check after it asks what the one after an intake asks)."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    people = [(f"Liste Person{n}", f"0101{n:02d}1234") for n in range(60, 72)]
    numbers = {
        mette.cases.open_case(new_case(name, cpr), accept_duplicate=True).number: (name, cpr)
        for name, cpr in people
    }
    session = district.unlock("mette")
    assert {c.number for c in session.cases.list()} >= set(numbers)
    with statements(session) as seen:
        for number, (name, cpr) in numbers.items():
            assert session.cases.check_duplicates(name.upper(), None).known_in == (number,)
            assert session.cases.check_duplicates("Et Andet Navn", cpr).known_in == (number,)
    # No case was decrypted again: no statement read a sealed person or copy.
    assert not [s for s in seen if "person" in s.lower() and "from cases" in s.lower()], seen
