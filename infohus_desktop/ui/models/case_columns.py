"""The case list's columns: their headers, their values and the keys they sort by (split
from :mod:`~infohus_desktop.ui.models.case_list`, which keeps the rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.ui.models.case_keys import danish_key, number_key

COL_NUMBER, COL_STATUS, COL_CATEGORY, COL_MUNICIPALITY = 0, 1, 2, 3
COL_NAME, COL_CPR, COL_RECEIVED, COL_FOLLOW_UP = 4, 5, 6, 7
HEADERS: tuple[tuple[str, str], ...] = (
    ("Sagsnr.", "Case no."),
    ("Status", "Status"),
    ("Kategori", "Category"),
    ("Kommune", "Municipality"),
    ("Navn", "Name"),
    ("CPR", "CPR"),
    ("Modtaget", "Received"),
    ("Opfølgning", "Follow-up"),
)
#: ``data(index, SORT_KEY_ROLE)``: the key the model sorts a column by.
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
_STATUS_ORDER = {status: i for i, status in enumerate(CaseStatus)}


def compact(texts: list[str]) -> list[str]:
    """``texts`` made anew one after the other, so that they lie side by side in memory: a
    search reads every one of them per keystroke, and the summaries' own strings are
    scattered over the heap the load left behind (a pass over 100,000 of them took 13 ms
    cold, 3 ms side by side)."""
    if any("\x00" in text for text in texts):
        return texts
    return "\x00".join(texts).split("\x00") if texts else []


def column_value(case: CaseSummary, column: int) -> Any:
    return (
        case.number,
        case.status,
        case.category,
        case.municipality,
        case.person_name,
        case.person_cpr,
        case.received,
        case.follow_up,
    )[column]


def sort_key(case: CaseSummary, column: int, category_label: Callable[[str], str]) -> Any:
    """The key the model sorts ``column`` by; None for an empty value (sorted last)."""
    if column == COL_NUMBER:
        return number_key(case.number)
    if column == COL_STATUS:
        return _STATUS_ORDER[case.status]
    if column == COL_CATEGORY:
        return danish_key(category_label(case.category))
    if column == COL_MUNICIPALITY:
        return danish_key(case.municipality) if case.municipality else None
    if column == COL_NAME:
        return danish_key(case.person_name) if case.person_name else None
    return column_value(case, column)  # CPR digits, dates; None when empty
