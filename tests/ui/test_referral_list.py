"""The referral list model and its filter, without a vault: what the columns show, how an
incoming referral stands apart, how the status and direction filters narrow the list, and
Qt's own model checks."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from infohus_desktop.domain.referral_workflow import OPEN_REFERRAL_STATUSES, ReferralStatus
from infohus_desktop.domain.referrals import (
    DEFAULT_FORM,
    IncomingReferral,
    Programme,
    ReferralSummary,
)
from infohus_desktop.ui import i18n
from infohus_desktop.ui.models.referral_list import (
    COL_DATE,
    COL_DIRECTION,
    COL_STATUS,
    INCOMING_BG,
    ReferralFilter,
    ReferralFilterProxy,
    ReferralListModel,
    rows_of,
)

R = ReferralStatus


def summary(number: str, status: ReferralStatus, day: int, name: str) -> ReferralSummary:
    return ReferralSummary(
        uuid.uuid4(),
        uuid.uuid4(),
        number,
        status,
        Programme.PET_EXIT,
        date(2026, 11, day),
        date(2026, 11, day) if status is not R.DRAFT else None,
        datetime(2026, 11, day, tzinfo=UTC),
        1,
        name,
    )


def incoming() -> IncomingReferral:
    return IncomingReferral(
        uuid.uuid4(),
        "b1",
        "Infohus Nordjylland",
        datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
        "lars",
        Programme.MUNICIPAL_EXIT,
        {"person_name": "Ida Øster"},
        DEFAULT_FORM,
    )


def model_with_rows() -> tuple[ReferralListModel, ReferralFilterProxy]:
    model = ReferralListModel()
    model.set_rows(
        rows_of(
            [
                summary("AAR-2026-0001", R.DRAFT, 3, "Ali Ærø"),
                summary("AAR-2026-0002", R.SENT, 10, "Bo Berg"),
                summary("RAN-2026-0003", R.CLOSED, 5, "Carl Ager"),
            ],
            [incoming()],
        )
    )
    return model, ReferralFilterProxy(model)


def column(proxy: ReferralFilterProxy, col: int) -> list[str]:
    return [proxy.index(r, col).data() for r in range(proxy.rowCount())]


def test_columns_and_the_incoming_row(qtbot: QtBot) -> None:
    model, _proxy = model_with_rows()
    assert [model.index(r, COL_DIRECTION).data() for r in range(4)] == [
        "Udgående",
        "Udgående",
        "Udgående",
        "Indgående",
    ]
    assert model.index(0, COL_STATUS).data() == "Kladde"
    assert model.index(0, COL_DATE).data() == "03.11.2026"
    assert model.index(3, 1).data() == "Infohus Nordjylland"
    assert model.index(3, 2).data() == "Ida Øster"
    assert model.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) == INCOMING_BG
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    i18n.set_language("en")
    assert model.index(3, COL_DIRECTION).data() == "Incoming"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Case / sender"


def test_filters_by_status_direction_and_text(qtbot: QtBot) -> None:
    _model, proxy = model_with_rows()
    assert proxy.rowCount() == 4
    proxy.set_filter(ReferralFilter(OPEN_REFERRAL_STATUSES))
    assert column(proxy, 1) == ["AAR-2026-0001", "AAR-2026-0002"]
    proxy.set_filter(ReferralFilter(frozenset({R.CLOSED})))
    assert column(proxy, 1) == ["RAN-2026-0003"]
    proxy.set_filter(ReferralFilter(direction="in"))
    assert column(proxy, 1) == ["Infohus Nordjylland"]
    proxy.set_filter(ReferralFilter(direction="out", text="ærø"))
    assert column(proxy, 1) == ["AAR-2026-0001"]
    proxy.set_filter(ReferralFilter())
    proxy.sort(COL_DATE, Qt.SortOrder.DescendingOrder)
    assert column(proxy, COL_DATE) == ["21.11.2026", "10.11.2026", "05.11.2026", "03.11.2026"]


def test_qt_model_checks(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model, _proxy = model_with_rows()
    qtmodeltester.check(model, force_py=True)
    model.set_rows([])
    model.set_rows(model_with_rows()[0]._rows)


def test_qt_model_checks_on_the_filtered_proxy(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    _model, proxy = model_with_rows()
    proxy.set_filter(ReferralFilter(direction="out"))
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_filter(ReferralFilter(frozenset({R.SENT})))


def test_the_referral_shows_a_cpr_number_as_everywhere_else() -> None:
    from infohus_desktop.domain.referrals import DEFAULT_FORM
    from infohus_desktop.ui.views.referrals.form_view import value_text

    cpr_field = DEFAULT_FORM.get("person_cpr")
    assert cpr_field is not None
    assert value_text(cpr_field, "0807039906", {}) == "080703-9906"
    assert value_text(cpr_field, "080703-9906", {}) == "080703-9906"
