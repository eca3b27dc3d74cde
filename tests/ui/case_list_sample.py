"""The six sample cases the case list's model and search tests share (both municipalities, two
leads, æøå and "aa" in the names, CPR numbers given and not, follow-ups due, later and none),
the model made from them on TODAY, and what a test reads back from a proxy."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.ui.models.case_columns import COL_NAME, COL_NUMBER
from infohus_desktop.ui.models.case_filter import CaseFilterProxy
from infohus_desktop.ui.models.case_list import CaseListModel
from tests.ui.case_list_data import summary

TODAY = date(2026, 11, 22)
LEAD_A, LEAD_B = uuid.UUID(int=10), uuid.UUID(int=11)
Role = Qt.ItemDataRole


def sample_cases() -> list[CaseSummary]:
    return [
        summary(
            "AAR-2026-0042",
            "Jens Peter Andersen",
            "1203054123",
            CaseStatus.RECEIVED,
            lead=LEAD_A,
            received=date(2026, 11, 20),
            follow_up=date(2026, 11, 22),
        ),
        summary(
            "AAR-2026-0007",
            "Søren Østergaard",
            None,
            CaseStatus.IN_INFOHUS,
            "hoejreekstremisme",
            lead=LEAD_B,
            received=date(2026, 3, 1),
            follow_up=date(2027, 1, 10),
        ),
        summary(
            "RAN-2026-0003",
            "Åse Ærø Hansen",
            "0101991234",
            CaseStatus.CLOSED,
            municipality="Randers Kommune",
            lead=LEAD_A,
            received=date(2026, 5, 17),
            follow_up=date(2026, 6, 1),
        ),
        summary(
            "RAN-2025-0019",
            "Mette Andersen-Holm",
            "2507074567",
            CaseStatus.MEASURES,
            "venstreekstremisme",
            "Randers Kommune",
            LEAD_B,
            received=date(2025, 12, 24),
            follow_up=date(2026, 10, 1),
        ),
        summary(
            "AAR-2026-0100", "Zaid Zahle", None, CaseStatus.SCREENING, received=date(2026, 9, 9)
        ),
        summary(
            "AAR-2026-0101", "Aase Aagaard", None, CaseStatus.FOLLOW_UP, received=date(2026, 9, 9)
        ),
    ]


def sample_model() -> CaseListModel:
    """A model of :func:`sample_cases` on ``TODAY``, with two categories' names."""
    model = CaseListModel(today=lambda: TODAY)
    model.set_cases(sample_cases())
    model.set_categories(
        {
            "militant_islamisme": ("Militant islamisme", "Militant Islamism"),
            "hoejreekstremisme": ("Højreekstremisme", "Right-wing extremism"),
        }
    )
    return model


def numbers(proxy: CaseFilterProxy) -> list[str]:
    return [proxy.index(r, COL_NUMBER).data() for r in range(proxy.rowCount())]


def names(proxy: CaseFilterProxy) -> list[str]:
    return [proxy.index(r, COL_NAME).data() for r in range(proxy.rowCount())]
