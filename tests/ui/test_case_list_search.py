"""The case list's filters and search without a vault: each filter, the search by number,
name and CPR number, and typing on or back with backspaces giving what a fresh search gives.
The model's cells and sorting are in test_case_list_model.py."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.workflow import OPEN_STATUSES, CaseStatus
from infohus_desktop.ui.models import case_filter
from infohus_desktop.ui.models.case_filter import CaseFilterProxy, ListFilter
from infohus_desktop.ui.models.case_keys import SearchQuery, search_fold
from infohus_desktop.ui.models.case_list import CaseListModel
from tests.ui.case_list_data import summary
from tests.ui.case_list_sample import (
    LEAD_B,
    TODAY,
    numbers,
    sample_cases,
    sample_model,
)


@pytest.fixture
def model(qtbot: QtBot) -> CaseListModel:
    return sample_model()


@pytest.fixture
def proxy(model: CaseListModel) -> CaseFilterProxy:
    return CaseFilterProxy(model)


# -- filters ----------------------------------------------------------------------------------


def test_each_filter_narrows_the_list(proxy: CaseFilterProxy) -> None:
    assert proxy.rowCount() == 6
    proxy.set_filter(ListFilter(statuses=OPEN_STATUSES))
    assert "RAN-2026-0003" not in numbers(proxy) and proxy.rowCount() == 5
    proxy.set_filter(ListFilter(statuses=frozenset({CaseStatus.CLOSED, CaseStatus.MEASURES})))
    assert sorted(numbers(proxy)) == ["RAN-2025-0019", "RAN-2026-0003"]
    proxy.set_filter(ListFilter(category="hoejreekstremisme"))
    assert numbers(proxy) == ["AAR-2026-0007"]
    proxy.set_filter(ListFilter(municipality="Randers Kommune"))
    assert sorted(numbers(proxy)) == ["RAN-2025-0019", "RAN-2026-0003"]
    proxy.set_filter(ListFilter(lead_member_id=LEAD_B))
    assert sorted(numbers(proxy)) == ["AAR-2026-0007", "RAN-2025-0019"]
    # Due: today or earlier, and open (the closed case's old date does not count).
    proxy.set_filter(ListFilter(follow_up_due=True))
    assert sorted(numbers(proxy)) == ["AAR-2026-0042", "RAN-2025-0019"]
    proxy.set_filter(ListFilter(follow_up_due=True, municipality="Randers Kommune"))
    assert numbers(proxy) == ["RAN-2025-0019"]
    proxy.set_filter(ListFilter())
    assert proxy.rowCount() == 6


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ande", {"AAR-2026-0042", "RAN-2025-0019"}),  # a part of two names
        ("ANDERSEN", {"AAR-2026-0042", "RAN-2025-0019"}),  # any case
        ("peter jens", {"AAR-2026-0042"}),  # every word, any order
        ("jens holm", set()),
        ("østergaard", {"AAR-2026-0007"}),  # æøå
        ("ÆRØ", {"RAN-2026-0003"}),
        ("åse", {"RAN-2026-0003"}),
        ("120305-4123", {"AAR-2026-0042"}),  # CPR with a dash
        ("1203054123", {"AAR-2026-0042"}),  # and without
        ("120305", {"AAR-2026-0042"}),  # its beginning
        ("4123", set()),  # not its end: the list shows only the date part
        ("0042", {"AAR-2026-0042"}),  # a case number
        ("ran-2025", {"RAN-2025-0019"}),
        ("ran", set()),  # letters are a name, not every Randers case number
        ("  ", {c.number for c in sample_cases()}),
    ],
)
def test_search_matches_number_name_and_cpr(
    proxy: CaseFilterProxy, typed: str, expected: set[str]
) -> None:
    proxy.set_search_text(typed)
    assert set(numbers(proxy)) == expected


def test_search_and_filters_combine_and_survive_a_new_list(
    model: CaseListModel, proxy: CaseFilterProxy
) -> None:
    proxy.set_search_text("andersen")
    proxy.set_filter(ListFilter(municipality="Randers Kommune"))
    assert numbers(proxy) == ["RAN-2025-0019"]
    model.set_cases([*sample_cases(), summary("RAN-2026-0050", "Ida Andersen")])
    assert numbers(proxy) == ["RAN-2025-0019"]  # Ida is in Aarhus
    proxy.set_filter(ListFilter())
    assert set(numbers(proxy)) == {"AAR-2026-0042", "RAN-2025-0019", "RAN-2026-0050"}


def test_typing_on_gives_what_a_fresh_search_gives(model: CaseListModel) -> None:
    typing, fresh = CaseFilterProxy(model), CaseFilterProxy(model)
    typed = "andersen m"
    for text in [typed[:i] for i in range(1, len(typed) + 1)]:
        typing.set_search_text(text)
        fresh.set_search_text("")
        fresh.set_search_text(text)
        assert numbers(typing) == numbers(fresh), text
    typing.set_search_text("an")  # deleting widens again
    assert set(numbers(typing)) >= {"AAR-2026-0042", "RAN-2025-0019"}


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="anesøå0123-4 ", min_size=1, max_size=8),
    st.text(alphabet="anesøå0123-4 ", max_size=4),
)
def test_narrowing_never_loses_a_match(base: str, more: str) -> None:
    """Property: whatever is typed on, checking only the earlier hits equals checking all."""
    rows = sample_cases()
    nums = [c.number for c in rows]
    folded = [" ".join(c.person_name.casefold().split()) for c in rows]
    cprs = [c.person_cpr or "" for c in rows]
    first, second = SearchQuery(base), SearchQuery(base + more)
    everything = second.select(range(len(rows)), nums, folded, cprs)
    if second.narrows(first):
        earlier = first.select(range(len(rows)), nums, folded, cprs)
        assert second.select(earlier, nums, folded, cprs) == everything


def fresh_numbers(model: CaseListModel, text: str, list_filter: ListFilter) -> list[str]:
    """What a new proxy shows for ``text``: a search of every row, no earlier keystroke."""
    fresh = CaseFilterProxy(model)
    fresh.set_filter(list_filter)
    fresh.set_search_text(text)
    return numbers(fresh)


KEYS = st.one_of(st.sampled_from("anesøå0123-47 "), st.just("\b"))


def matches_as_documented(text: str, case: CaseSummary) -> bool:
    """The search's rule row by row, as :class:`SearchQuery` states it (no narrowing, no
    index): the reference the fast paths must agree with."""
    text = text.strip()
    words = search_fold(text).split()
    if not words:
        return False
    if text and all(ch.isdigit() or ch in "- " for ch in text):
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits:
            return text.upper() in case.number or (case.person_cpr or "").startswith(digits)
    if any(ch.isdigit() or ch == "-" for ch in text) and text.upper() in case.number:
        return True
    name = search_fold(case.person_name)
    return all(word in name for word in words)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(KEYS, max_size=12),
    st.booleans(),
)
def test_any_typing_with_backspaces_gives_what_a_fresh_search_gives(
    keys: list[str], open_only: bool
) -> None:
    """Property: each field narrowed on its own, letters then digits (a name, then a case
    number), backspaces back to a text just shown, the CPR found by bisection: each
    keystroke shows the rows a search of every row shows."""
    model = CaseListModel(today=lambda: TODAY)
    model.set_cases([*sample_cases(), summary("AAR-2024-0120", "Anne 12 Nes", "1203991111")])
    list_filter = ListFilter(statuses=OPEN_STATUSES) if open_only else ListFilter()
    typing = CaseFilterProxy(model)
    typing.set_filter(list_filter)
    text = ""
    for key in keys:
        text = text[:-1] if key == "\b" else text + key
        typing.set_search_text(text)
        assert numbers(typing) == fresh_numbers(model, text, list_filter), repr(text)
        if text.strip():
            expected = {
                c.number
                for c in model.cases
                if matches_as_documented(text, c)
                and (not open_only or c.status in OPEN_STATUSES or c.tampered)
            }
            assert set(numbers(typing)) == expected, repr(text)


def test_a_save_between_keystrokes_is_searched_again(model: CaseListModel) -> None:
    """A row saved while the user types counts at the next keystroke and after a backspace
    (no earlier search's hits are reused for it), the CPR number included."""
    proxy = CaseFilterProxy(model)
    for text in ("1", "12", "120", "12"):
        proxy.set_search_text(text)
    zaid = next(c for c in model.cases if c.person_name == "Zaid Zahle")
    model.upsert(replace(zaid, person_cpr="1207881234", version=2))
    proxy.set_search_text("120")
    assert "AAR-2026-0100" in numbers(proxy)
    proxy.set_search_text("12")
    assert "AAR-2026-0100" in numbers(proxy)
    for text in ("z", "za", "zaid", "zai"):
        proxy.set_search_text(text)
    model.upsert(replace(zaid, person_name="Zack Zahle", version=3))
    proxy.set_search_text("za")
    assert "AAR-2026-0100" in numbers(proxy)
    proxy.set_search_text("zai")
    assert "AAR-2026-0100" not in numbers(proxy)
    assert numbers(proxy) == fresh_numbers(model, "zai", ListFilter())


def test_a_cpr_prefix_is_found_whatever_the_filter(model: CaseListModel) -> None:
    proxy = CaseFilterProxy(model)
    proxy.set_search_text("25")
    assert numbers(proxy) == ["RAN-2025-0019"]  # "2507074567" (and no number holds "25")
    proxy.set_search_text("01")  # in three case numbers, and one CPR number begins so
    assert set(numbers(proxy)) == {
        "AAR-2026-0100",
        "AAR-2026-0101",
        "RAN-2025-0019",
        "RAN-2026-0003",
    }
    proxy.set_search_text("010")
    assert set(numbers(proxy)) == {"AAR-2026-0100", "AAR-2026-0101", "RAN-2026-0003"}
    proxy.set_filter(ListFilter(statuses=frozenset({CaseStatus.CLOSED})))
    proxy.set_search_text("010199")
    assert numbers(proxy) == ["RAN-2026-0003"]
    proxy.set_search_text("12")  # the one CPR number with 12 is not closed
    assert numbers(proxy) == []


# -- sorting ----------------------------------------------------------------------------------


def test_the_search_ignores_accents_but_keeps_danish_letters() -> None:
    from infohus_desktop.ui.models.case_keys import search_fold

    assert SearchQuery("jose muller").matches("AAR-2026-0001", search_fold("José Müller"), "")
    assert SearchQuery("JOSÉ").matches("AAR-2026-0001", search_fold("Jose Hansen"), "")
    assert SearchQuery("åse").matches("AAR-2026-0001", search_fold("ÅSE  Ærø"), "")
    assert not SearchQuery("ase").matches("AAR-2026-0001", search_fold("Åse Ærø"), "")


def test_backspaces_give_what_a_fresh_search_gives_when_little_is_kept(
    model: CaseListModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With room for almost no earlier search (as when most of 100,000 cases match), the
    texts a backspace returns to are searched again, not shown from a stale or partial
    copy."""
    monkeypatch.setattr(case_filter, "RECENT_POSITIONS", 2)
    monkeypatch.setattr(case_filter, "RECENT_SEARCHES", 2)
    proxy = CaseFilterProxy(model)
    typed = "ande 01"
    texts = [typed[:i] for i in range(1, len(typed) + 1)]
    for text in texts + texts[::-1]:
        proxy.set_search_text(text)
        assert numbers(proxy) == fresh_numbers(model, text, ListFilter()), repr(text)
    assert sum(len(hits or []) for hits, _fields in proxy._recent.values()) <= 2
