"""The statistics area and its PDF preview, rendered in Danish and in English (the chrome
holds no Danish letter in English), at a roomy and at a small window size: no section title
is cut, the period reads as whole months."""

from __future__ import annotations

import itertools
import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStyle, QWidget

from infohus_desktop.ui import i18n
from infohus_desktop.ui.views.statistics.view import StatisticsView
from infohus_desktop.ui.work_area import WorkArea
from tests.ui.statistics_data import seed
from tests.ui.test_screens import check, lang  # noqa: F401 (fixture)

SIZES = ((1280, 800), (1024, 700))


def _nothing_cut(view: StatisticsView) -> None:
    """Every section title fits its row (wrapped if need be), every label of the period
    picker has its width, and the table ends inside the view."""
    sections = view.sections
    metrics = sections.fontMetrics()
    # the text margin of an item view's row, as QStyledItemDelegate lays it out
    margin = 2 * (sections.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    for row in range(sections.count()):
        item = sections.item(row)
        rect = sections.visualItemRect(item)
        needed = metrics.boundingRect(
            0, 0, rect.width() - margin, 10_000, Qt.TextFlag.TextWordWrap, item.text()
        )
        assert needed.height() <= rect.height(), (item.text(), needed, rect)
        assert rect.right() <= sections.viewport().width(), item.text()
        assert item.toolTip() == item.text()
    for label in view.picker.findChildren(QLabel):
        # letter by letter: a shortcut's underline splits the text, so no kerning helps it
        metrics = label.fontMetrics()
        letters = sum(metrics.horizontalAdvance(ch) for ch in label.text().replace("&", ""))
        assert label.width() >= letters, label.text()
    row = sorted(
        (w.geometry() for w in view.picker.findChildren(QWidget) if w.parent() is view.picker),
        key=lambda r: r.left(),
    )
    for left, right in itertools.pairwise(row):  # no field drawn over its label
        assert left.right() < right.left(), (left, right)
    table_right = view.table.mapTo(view, view.table.rect().topRight()).x()
    assert table_right < view.width(), table_right
    chart_right = view.chart.mapTo(view, view.chart.rect().topRight()).x()
    assert chart_right < view.table.mapTo(view, view.table.rect().topLeft()).x()


def test_statistics_screens(qtbot, make_ctx, district, lang: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    i18n.set_language(lang)
    seed(district.coordinator)
    ctx = make_ctx(district.coordinator)
    area = WorkArea(ctx)
    qtbot.addWidget(area)
    area.resize(*SIZES[0])
    area.show()
    view = area.areas["statistics"]
    view.picker.set_period(date(2026, 1, 1), date(2026, 11, 23))
    area.nav.setCurrentRow(list(area.areas).index("statistics"))
    qtbot.waitUntil(lambda: view.stats is not None and view.csv_button.isEnabled(), timeout=10000)
    # The period is whole months, in the fields and in the summary.
    assert view.picker.period() == (date(2026, 1, 1), date(2026, 11, 30))
    assert "01.01.2026–30.11.2026" in view.summary.text()
    assert view.picker.to_edit.text() == i18n.tr("november 2026", "November 2026")
    assert i18n.tr("hele måneder", "whole months") in view.explain.text()
    out = Path(os.environ.get("INFOHUS_SHOTS", tmp_path))
    keys = [s.key for s in view.stats.sections]
    age = keys.index("aldersgruppe")
    for width, height in SIZES:
        area.resize(width, height)
        qtbot.wait(20)
        for row in (0, age, keys.index("henvisninger"), keys.index("henvisninger_status")):
            view.sections.setCurrentRow(row)
            check(area, lang, f"statistics{row}_{width}", out, qtbot, ctx.runner)
            _nothing_cut(view)  # as laid out and drawn
    # Narrowed by hand, the list wraps the long titles rather than cutting them.
    total = sum(view.splitter.sizes())
    view.splitter.setSizes([view.sections.minimumWidth(), total - view.sections.minimumWidth()])
    view.sections.setCurrentRow(age)
    check(area, lang, "statistics_narrow_list", out, qtbot, ctx.runner)
    _nothing_cut(view)
    line = view.sections.fontMetrics().height()
    assert view.sections.visualItemRect(view.sections.item(age)).height() >= 2 * line
    # The referrals seeded in statistics_data: 5 to PET's EXIT, one each to two others. The
    # 5 is hidden too: 7 - 5 = 2 would tell that each of the others is exactly 1.
    view.sections.setCurrentRow(keys.index("henvisninger"))
    assert view.title.text() == i18n.tr(
        "Henvisninger efter modtager", "Referrals by recipient programme"
    )
    assert list(view.section_counts().values()) == ["x", "< 5", "< 5", "0", "7"]
    assert view.title.text() == view.sections.currentItem().text()
    view.pdf_button.click()
    qtbot.waitUntil(lambda: getattr(view, "preview", None) is not None, timeout=10000)
    qtbot.waitUntil(lambda: len(view.preview.pages) >= 1, timeout=10000)
    check(view.preview, lang, "statistics_pdf", out, qtbot, ctx.runner)
    view.preview.close()
