"""The duplicate check's look-up over the session's summaries (services/cases/summary_index.py):
whoever carries a name or a CPR number is found, once, however many cases share it."""

from __future__ import annotations

from dataclasses import replace

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.services.cases.summary_index import TUPLE_AT_MOST, SummaryIndex, id_number
from tests.ui.case_list_data import summary


def _cache(*summaries: CaseSummary) -> dict[int, CaseSummary]:
    return {s.id.int: s for s in summaries}


def test_every_case_sharing_a_name_is_found_once() -> None:
    many = [summary(f"AAR-2026-{i:04d}", "Ukendt  Person") for i in range(TUPLE_AT_MOST * 3)]
    other = summary("AAR-2026-9999", "Jens Hansen", cpr="0101901234")
    index = SummaryIndex()
    for case in [*many, other, *many[:5]]:  # five summarised again after a save
        index.remember(case)
    cache = _cache(*many, other)
    found = index.known(cache, "ukendt person", None)
    assert sorted(s.number for s in found) == sorted(s.number for s in many)
    assert [s.number for s in index.known(cache, "JENS  hansen", None)] == ["AAR-2026-9999"]
    assert [s.number for s in index.known(cache, "Someone Else", "0101901234")] == ["AAR-2026-9999"]


def test_a_case_renamed_since_is_found_by_its_new_name_only() -> None:
    jens = summary("AAR-2026-0001", "Jens Hansen", cpr="0101901234")
    index = SummaryIndex()
    index.remember(jens)
    assert index.known(_cache(jens), "Jens Hansen", None) == [jens]
    renamed = replace(jens, person_name="Jens Peter Hansen", person_cpr=None, version=2)
    index.remember(renamed)
    cache = _cache(renamed)
    assert index.known(cache, "Jens Hansen", "0101901234") == []
    assert index.known(cache, "Jens Peter Hansen", None) == [renamed]


def test_a_stored_id_gives_the_number_the_summaries_are_kept_by() -> None:
    jens = summary("AAR-2026-0001", "Jens Hansen")
    assert id_number(str(jens.id)) == jens.id.int
