"""The statistics area: it counts when first shown, follows the period, exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.statistics import StatisticsAction
from infohus_desktop.ui.views.statistics.period import Quick, quick_period
from infohus_desktop.ui.views.statistics.section_model import SectionTableModel
from infohus_desktop.ui.views.statistics.view import StatisticsView
from infohus_desktop.ui.work_area import WorkArea
from tests.integration.conftest import District
from tests.ui.statistics_data import seed

TODAY = date(2026, 11, 23)


def _view(qtbot, make_ctx, district: District) -> StatisticsView:  # type: ignore[no-untyped-def]
    seed(district.coordinator)
    view = StatisticsView(make_ctx(district.coordinator), today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1100, 650)
    return view


def _choose_section(view: StatisticsView, key: str) -> None:
    assert view.stats is not None
    keys = [s.key for s in view.stats.sections]
    view.sections.setCurrentRow(keys.index(key))


def test_counts_on_first_show_and_after_a_new_period(qtbot, make_ctx, district) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, make_ctx, district)
    assert view.stats is None  # nothing counted while hidden
    view.show()
    qtbot.waitUntil(lambda: view.stats is not None, timeout=10000)
    # "This year" is its whole months: to the end of November, not to today.
    assert view.picker.period() == (date(2026, 1, 1), date(2026, 11, 30))
    assert view.summary.text() == "Nye sager 01.01.2026–30.11.2026: 8"
    _choose_section(view, "kategori")
    counts = view.section_counts()
    # 5 + 3 = 8: the 3 is "< 5", and the 5 hidden too, or 8 - 5 would give the 3 away
    assert counts["Militant islamisme"] == "x"
    assert counts["Højreekstremisme"] == "< 5"
    assert counts["Venstreekstremisme"] == "0"
    assert counts["I alt"] == "8"

    view.picker.choose(Quick.LAST_YEAR)
    qtbot.waitUntil(lambda: view.stats.period_from == date(2025, 1, 1), timeout=10000)
    assert view.summary.text() == "Nye sager 01.01.2025–31.12.2025: < 5"
    assert view.sections.currentItem().text() == "Sager efter bekymringstype"
    assert view.section_counts()["Venstreekstremisme"] == "< 5"
    assert view.section_counts()["Militant islamisme"] == "0"

    view.picker.set_period(date(2026, 1, 10), date(2026, 3, 5))  # days stand for their months
    assert view.picker.quick.currentData() == Quick.CUSTOM.value
    assert view.picker.period() == (date(2026, 1, 1), date(2026, 3, 31))
    qtbot.waitUntil(lambda: view.stats.period_to == date(2026, 3, 31), timeout=10000)
    assert view.summary.text() == "Nye sager 01.01.2026–31.03.2026: < 5"
    view.picker.choose(Quick.LAST_YEAR)
    qtbot.waitUntil(lambda: view.stats.period_to == date(2025, 12, 31), timeout=10000)
    # Choosing months: one computation after the pause, the quick choice says "chosen period".
    view.picker.from_edit.set_value(date(2026, 5, 1))
    view.picker.to_edit.set_value(date(2026, 10, 1))
    assert view.picker.quick.currentData() == Quick.CUSTOM.value
    assert view.picker.to_edit.text() == "oktober 2026"
    qtbot.waitUntil(lambda: view.stats.period_to == date(2026, 10, 31), timeout=10000)
    assert view.summary.text() == "Nye sager 01.05.2026–31.10.2026: 5"
    # Another day of the same month (as the calendar gives it) is no new period: no
    # recomputation, no audit entry.
    view.picker.to_edit.setDate(view.picker.to_edit.date().addDays(14))
    assert not view._timer.isActive()
    audited = [e for e in district.coordinator.audit.list() if e.action == StatisticsAction.COMPUTE]
    assert len(audited) == 5
    assert audited[0].detail == "period=2026-05-01..2026-10-31"


def test_csv_and_pdf_exports(qtbot, make_ctx, district, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, make_ctx, district)
    view.show()
    qtbot.waitUntil(lambda: view.csv_button.isEnabled(), timeout=10000)
    target = tmp_path / "tal"
    view.choose_csv_file = lambda: target.with_suffix(".csv")  # type: ignore[method-assign]
    view.csv_button.click()
    qtbot.waitUntil(lambda: target.with_suffix(".csv").exists(), timeout=10000)
    text = target.with_suffix(".csv").read_bytes().decode("utf-8-sig")
    assert "status;Modtaget;8" in text.splitlines()
    assert "kategori;Højreekstremisme;< 5" in text.splitlines()
    assert "Statistik Person" not in text
    view.pdf_button.click()
    qtbot.waitUntil(lambda: getattr(view, "preview", None) is not None, timeout=10000)
    assert view.preview.isVisible()
    qtbot.waitUntil(lambda: len(view.preview.pages) >= 1, timeout=10000)
    saved = tmp_path / "statistik.pdf"
    view.preview.choose_file = lambda: saved  # type: ignore[method-assign]
    view.preview.save_button.click()
    qtbot.waitUntil(saved.exists, timeout=10000)
    assert saved.read_bytes().startswith(b"%PDF")
    view.preview.close()
    actions = [e.action for e in district.coordinator.audit.list()]
    for action in (StatisticsAction.CSV, StatisticsAction.PDF, StatisticsAction.SAVE):
        assert action in actions


def test_chart_draws_no_bar_for_a_suppressed_count(qtbot, make_ctx, district) -> None:  # type: ignore[no-untyped-def]
    view = _view(qtbot, make_ctx, district)
    view.show()
    qtbot.waitUntil(lambda: view.stats is not None, timeout=10000)
    _choose_section(view, "koen")
    rows = view.chart._rows
    assert ("Kvinde", None, "< 5") in rows
    assert ("Mand", None, "x") in rows  # 8 - 7 would give the one woman away


def test_area_only_for_coordinators_and_members(qtbot, make_ctx, district) -> None:  # type: ignore[no-untyped-def]
    karl = district.enrol("karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST)
    for session, expected in ((district.coordinator, True), (karl, False)):
        area = WorkArea(make_ctx(session))
        qtbot.addWidget(area)
        assert ("statistics" in area.areas) is expected


def test_quick_periods_are_whole_months() -> None:
    end_of_november = date(2026, 11, 30)
    assert quick_period(Quick.THIS_YEAR, TODAY) == (date(2026, 1, 1), end_of_november)
    assert quick_period(Quick.LAST_YEAR, TODAY) == (date(2025, 1, 1), date(2025, 12, 31))
    assert quick_period(Quick.LAST_12_MONTHS, TODAY) == (date(2025, 12, 1), end_of_november)
    assert quick_period(Quick.LAST_12_MONTHS, date(2026, 12, 5)) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert quick_period(Quick.THIS_QUARTER, TODAY) == (date(2026, 10, 1), end_of_november)
    assert quick_period(Quick.THIS_QUARTER, date(2024, 2, 3)) == (
        date(2024, 1, 1),
        date(2024, 2, 29),
    )
    assert quick_period(Quick.LAST_QUARTER, date(2026, 2, 1)) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
    )


def test_section_model(qtmodeltester, district) -> None:  # type: ignore[no-untyped-def]
    seed(district.coordinator)
    stats = district.coordinator.statistics.compute(date(2026, 1, 1), TODAY)
    model = SectionTableModel()
    model.set_section(stats.sections[0])
    qtmodeltester.check(model)
    assert model.rowCount() == len(stats.sections[0].counts) + 1
