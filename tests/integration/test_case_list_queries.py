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
