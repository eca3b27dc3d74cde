"""The case list model without a vault: what each column shows, how a saved or removed case
moves in the list, and how the list sorts (Danish order, case numbers, dates with empty values
last). The filters and the search are in test_case_list_search.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.workflow import OPEN_STATUSES, CaseStatus
from infohus_desktop.ui import i18n
from infohus_desktop.ui.models.case_columns import (
    COL_CPR,
    COL_FOLLOW_UP,
    COL_NAME,
    COL_NUMBER,
    COL_RECEIVED,
    COL_STATUS,
    SORT_KEY_ROLE,
)
from infohus_desktop.ui.models.case_filter import CaseFilterProxy, ListFilter
from infohus_desktop.ui.models.case_keys import danish_key, mask_cpr
from infohus_desktop.ui.models.case_list import DUE_COLOUR, CaseListModel
from tests.ui.case_list_data import summary
from tests.ui.case_list_sample import (
    Role,
    names,
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


# -- the model --------------------------------------------------------------------------------


def test_model_and_proxy_pass_the_model_tester(
    qtmodeltester: ModelTester, model: CaseListModel, proxy: CaseFilterProxy
) -> None:
    qtmodeltester.check(model)
    model.sort(COL_RECEIVED, Qt.SortOrder.DescendingOrder)  # watched by the tester
    proxy.sort(COL_NAME)
    proxy.set_filter(ListFilter(statuses=OPEN_STATUSES))
    proxy.set_search_text("ande")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2
    proxy.set_search_text("andersen")
    proxy.sort(COL_NUMBER, Qt.SortOrder.DescendingOrder)
    model.set_cases(sample_cases()[:3])
    qtmodeltester.check(proxy)
    assert names(proxy) == ["Jens Peter Andersen"]


def test_a_filter_change_and_single_row_saves_pass_the_model_tester(
    qtmodeltester: ModelTester, model: CaseListModel, proxy: CaseFilterProxy
) -> None:
    model.sort(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    proxy.set_search_text("and")
    proxy.set_filter(ListFilter(statuses=OPEN_STATUSES))
    jens = next(c for c in model.cases if c.person_name == "Jens Peter Andersen")
    # Saved with a new name: the row is updated where it stands, still a hit.
    model.upsert(replace(jens, person_name="Jens Peter Andersson", version=2))
    assert names(proxy) == ["Jens Peter Andersson", "Mette Andersen-Holm"]
    # Saved as closed: no longer open, so it leaves the filtered list.
    model.upsert(replace(jens, codes=replace(jens.codes, status=CaseStatus.CLOSED), version=3))
    assert names(proxy) == ["Mette Andersen-Holm"]
    # A new case that matches comes in at its place by date.
    model.upsert(summary("AAR-2026-0200", "Ib Andersen", received=date(2026, 12, 1)))
    assert names(proxy) == ["Ib Andersen", "Mette Andersen-Holm"]
    proxy.set_search_text("")
    proxy.set_filter(ListFilter())
    model.remove(jens.id)
    assert "Jens Peter Andersen" not in names(proxy) and len(names(proxy)) == 6


def test_saves_under_the_filter_bar_alone_move_each_row_in_or_out_once(
    qtmodeltester: ModelTester, model: CaseListModel, proxy: CaseFilterProxy
) -> None:
    """With nothing searched the hits are the filter bar's own list (no copy): a saved row
    that leaves or re-enters the bar must leave or come back once, not twice. Forty closed
    cases make the hits few against the list, the path where a row counted twice would show."""
    closed_ones = [
        summary(f"AAR-2025-{n:04d}", f"Lukket Person{n}", status=CaseStatus.CLOSED)
        for n in range(40)
    ]
    model.set_cases([*sample_cases(), *closed_ones])
    proxy.set_filter(ListFilter(statuses=OPEN_STATUSES))
    qtmodeltester.check(proxy)

    def shown() -> list[str]:
        return sorted(names(proxy))

    def open_names() -> list[str]:
        return sorted(c.person_name for c in model.cases if c.status in OPEN_STATUSES)

    assert shown() == open_names() and len(shown()) >= 2
    jens = next(c for c in model.cases if c.person_name == "Jens Peter Andersen")
    closed = replace(jens, codes=replace(jens.codes, status=CaseStatus.CLOSED), version=2)
    model.upsert(closed)
    assert "Jens Peter Andersen" not in shown() and shown() == open_names()
    model.upsert(replace(closed, codes=jens.codes, version=3))
    assert shown().count("Jens Peter Andersen") == 1 and shown() == open_names()
    # A search then starts from the bar's list: each row once.
    proxy.set_search_text("andersen")
    assert shown() == [n for n in open_names() if "andersen" in n.casefold()]
    proxy.set_search_text("")
    assert shown() == open_names()
    model.upsert(summary("AAR-2026-0400", "Ny Åben", received=date(2026, 12, 2)))
    assert shown().count("Ny Åben") == 1 and shown() == open_names()


def test_a_saved_row_moves_to_its_sorted_place_without_a_reset(
    qtbot: QtBot, model: CaseListModel, proxy: CaseFilterProxy
) -> None:
    proxy.sort(COL_NAME)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    proxy.modelReset.connect(lambda: resets.append(True))
    zaid = next(c for c in model.cases if c.person_name == "Zaid Zahle")
    row = model.row_of(zaid.number)
    assert row is not None
    selected = QPersistentModelIndex(proxy.index(row, COL_NAME))
    moved: list[int] = []
    model.rowsMoved.connect(lambda *_args: moved.append(1))
    model.upsert(replace(zaid, person_name="Anders Zahle", version=2))
    # Danish order: the renamed row is first now, and a selection follows it.
    assert names(proxy)[0] == "Anders Zahle"
    assert selected.isValid() and selected.row() == 0 and selected.data() == "Anders Zahle"
    model.upsert(summary("AAR-2026-0300", "Bo Bech"))
    assert names(proxy)[:2] == ["Anders Zahle", "Bo Bech"]
    assert moved == [1] and resets == []
    assert [model.case_at(r).person_name for r in range(model.rowCount())] == names(proxy)


def test_empty_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = CaseListModel()
    qtmodeltester.check(model)
    qtmodeltester.check(CaseFilterProxy(model))


def test_cells_show_text_and_give_python_values(model: CaseListModel) -> None:
    row = model.row_of("AAR-2026-0042")
    assert row is not None
    cell = model.index(row, COL_CPR)
    assert cell.data() == "120305-XXXX"
    assert cell.data(Role.UserRole) == "1203054123"
    assert "1203054123" not in str([model.index(row, c).data() for c in range(8)])
    assert model.index(row, COL_RECEIVED).data() == "20.11.2026"
    assert model.index(row, COL_RECEIVED).data(Role.UserRole) == date(2026, 11, 20)
    assert model.index(row, COL_STATUS).data() == "Modtaget"
    assert model.index(row, 2).data() == "Militant islamisme"
    assert model.index(model.row_of("AAR-2026-0100"), COL_CPR).data() == ""  # type: ignore[arg-type]
    assert model.headerData(COL_FOLLOW_UP, Qt.Orientation.Horizontal) == "Opfølgning"
    i18n.set_language("en")
    assert model.index(row, COL_STATUS).data() == "Received"
    assert model.index(row, 2).data() == "Militant Islamism"
    assert model.headerData(COL_NUMBER, Qt.Orientation.Horizontal) == "Case no."
    assert model.headerData(COL_FOLLOW_UP, Qt.Orientation.Horizontal) == "Follow-up"


def test_follow_up_due_is_highlighted_only_while_open(model: CaseListModel) -> None:
    due = model.index(model.row_of("AAR-2026-0042"), COL_FOLLOW_UP)  # type: ignore[arg-type]
    assert due.data(Role.ForegroundRole) == DUE_COLOUR
    assert due.data(Role.FontRole).bold()
    assert due.data(Role.ToolTipRole)
    later = model.index(model.row_of("AAR-2026-0007"), COL_FOLLOW_UP)  # type: ignore[arg-type]
    closed = model.index(model.row_of("RAN-2026-0003"), COL_FOLLOW_UP)  # type: ignore[arg-type]
    for index in (later, closed):
        assert index.data(Role.ForegroundRole) is None
        assert index.data(Role.FontRole) is None
    assert mask_cpr(None) == ""


def test_sorting_by_date_with_empty_values_last(proxy: CaseFilterProxy) -> None:
    proxy.sort(COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    received = [proxy.index(r, COL_RECEIVED).data(Role.UserRole) for r in range(6)]
    assert received == sorted(received)
    proxy.sort(COL_RECEIVED, Qt.SortOrder.DescendingOrder)
    assert numbers(proxy)[0] == "AAR-2026-0042"
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        proxy.sort(COL_FOLLOW_UP, order)
        follow = [proxy.index(r, COL_FOLLOW_UP).data(Role.UserRole) for r in range(6)]
        assert follow[-2:] == [None, None]  # no follow-up date: last, either way
        dates = follow[:-2]
        assert dates == sorted(dates, reverse=order == Qt.SortOrder.DescendingOrder)


def test_sorting_by_name_in_danish_order(proxy: CaseFilterProxy) -> None:
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert names(proxy) == [
        "Jens Peter Andersen",
        "Mette Andersen-Holm",
        "Søren Østergaard",
        "Zaid Zahle",
        "Åse Ærø Hansen",  # æ, ø, å after z; "aa" is å
        "Aase Aagaard",
    ]
    proxy.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert names(proxy)[0] == "Aase Aagaard"
    assert danish_key("Zahle") < danish_key("Ærø") < danish_key("Østergaard") < danish_key("Åse")
    assert danish_key("Émile") < danish_key("Erik")  # accents do not move a name
    assert danish_key("jens") == danish_key("JENS")


def test_sorting_case_numbers_by_year_and_serial(proxy: CaseFilterProxy) -> None:
    proxy.sort(COL_NUMBER, Qt.SortOrder.AscendingOrder)
    assert numbers(proxy) == [
        "AAR-2026-0007",
        "AAR-2026-0042",
        "AAR-2026-0100",
        "AAR-2026-0101",
        "RAN-2025-0019",
        "RAN-2026-0003",
    ]
    assert proxy.index(0, COL_STATUS).data(SORT_KEY_ROLE) is not None


def test_a_sort_keeps_selection_and_filter(model: CaseListModel, proxy: CaseFilterProxy) -> None:
    proxy.set_search_text("andersen")
    kept = QPersistentModelIndex(proxy.index(numbers(proxy).index("RAN-2025-0019"), COL_NAME))
    for column in (COL_NAME, COL_NUMBER, COL_RECEIVED, -1):
        proxy.sort(column, Qt.SortOrder.DescendingOrder)
        assert set(numbers(proxy)) == {"AAR-2026-0042", "RAN-2025-0019"}
        assert kept.isValid() and kept.data() == "Mette Andersen-Holm"
    assert model.sort_column == -1


def test_a_new_list_keeps_the_sort_order(model: CaseListModel, proxy: CaseFilterProxy) -> None:
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    model.set_cases(list(reversed(sample_cases())))
    assert names(proxy)[0] == "Jens Peter Andersen"
    assert model.case_at(0).person_name == "Jens Peter Andersen"
    assert model.row_of("nope") is None


def test_a_case_removed_then_saved_again_comes_back_once(model: CaseListModel) -> None:
    """The id -> row map is made at the first change: a removal first, then the case
    readable again, shows it once; another case saved meanwhile keeps its row."""
    proxy = CaseFilterProxy(model)
    zaid = next(c for c in model.cases if c.person_name == "Zaid Zahle")
    model.remove(zaid.id)
    assert not model.contains(zaid.id) and "AAR-2026-0100" not in numbers(proxy)
    model.upsert(replace(zaid, version=2))
    assert model.contains(zaid.id)
    assert numbers(proxy).count("AAR-2026-0100") == 1 and proxy.rowCount() == 6
    mette = next(c for c in model.cases if c.person_name == "Mette Andersen-Holm")
    model.upsert(replace(mette, person_name="Mette Holm", version=2))
    assert names(proxy).count("Mette Holm") == 1 and proxy.rowCount() == 6
