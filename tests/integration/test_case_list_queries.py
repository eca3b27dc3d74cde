"""Listing cases costs a handful of queries, not one per case: a list of 100,000 cases ran
100,000 single-row look-ups before (data keys, then group rows)."""

from __future__ import annotations

from sqlalchemy import event

from infohus_desktop.domain.organisations import Role
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def _statements_during_list(district: District, login: str) -> tuple[int, int]:
    session = district.unlock(login)
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(session.vault.engine, "before_cursor_execute", count)
    try:
        listed = len(session.cases.list())
    finally:
        event.remove(session.vault.engine, "before_cursor_execute", count)
    return listed, len(seen)


def test_a_cold_list_does_not_query_per_case(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for n in range(5):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    listed_small, queries_small = _statements_during_list(district, "mette")
    for n in range(5, 40):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    listed_big, queries_big = _statements_during_list(district, "mette")
    assert (listed_small, listed_big) == (5, 40)
    # Eight times the cases, (nearly) the same number of statements.
    assert queries_big <= queries_small + 2, (queries_small, queries_big)


def _statements_during_checks(district: District, login: str) -> tuple[int, int]:
    """Statements of a session's first duplicate check (which summarises every readable case
    once) and of a second one (which reads the summaries it keeps)."""
    session = district.unlock(login)
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(session.vault.engine, "before_cursor_execute", count)
    try:
        session.cases.check_duplicates("Person Nummer3", "0101901234")
        first = len(seen)
        seen.clear()
        assert session.cases.check_duplicates("person  nummer4", None).known_in
        second = len(seen)
    finally:
        event.remove(session.vault.engine, "before_cursor_execute", count)
    return first, second


def test_the_duplicate_check_does_not_query_per_case(district: District) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for n in range(5):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    first_small, second_small = _statements_during_checks(district, "mette")
    for n in range(5, 40):
        mette.cases.open_case(new_case(f"Person Nummer{n}"), accept_duplicate=True)
    first_big, second_big = _statements_during_checks(district, "mette")
    # Eight times the cases, the same number of statements; and a second check does not
    # read the cases again.
    assert first_big <= first_small + 2, (first_small, first_big)
    assert second_big == second_small, (second_small, second_big)
    assert second_big < first_big


def test_a_kept_summary_is_no_duplicate_once_the_case_left_the_member(
    district: District,
) -> None:
    """The duplicate check reads the summaries the session keeps, but checks each hit in the
    vault: a case moved to a group the member is not in is no longer named."""
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    case = mette.cases.open_case(new_case("Flyttet Person", "0101901234"))
    assert mette.cases.check_duplicates("flyttet person", None).known_in == (case.number,)
    district.coordinator.groups.add("Flyttekreds", ["lars"])
    district.coordinator.cases.move(case.number, "Flyttekreds")
    check = mette.cases.check_duplicates("flyttet person", "0101901234")
    assert check.known_in == () and check.possibly_elsewhere


def test_a_case_opened_elsewhere_since_the_last_list_is_found_by_name(
    district: District,
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mine = mette.cases.open_case(new_case("Karen Kendt"))
    assert mette.cases.check_duplicates("karen kendt", None).known_in == (mine.number,)
    theirs = district.coordinator.cases.open_case(new_case("Ny Nielsen"), accept_duplicate=True)
    assert mette.cases.check_duplicates("NY  nielsen", None).known_in == (theirs.number,)
