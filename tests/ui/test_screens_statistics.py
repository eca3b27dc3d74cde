"""The statistics area and its PDF preview, rendered in Danish and in English (the chrome
holds no Danish letter in English)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from infohus_desktop.ui import i18n
from infohus_desktop.ui.work_area import WorkArea
from tests.ui.statistics_data import seed
from tests.ui.test_screens import check, lang  # noqa: F401 (fixture)


def test_statistics_screens(qtbot, make_ctx, district, lang: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    i18n.set_language(lang)
    seed(district.coordinator)
    ctx = make_ctx(district.coordinator)
    area = WorkArea(ctx)
    qtbot.addWidget(area)
    area.resize(1300, 760)
    area.show()
    view = area.areas["statistics"]
    view.picker.set_period(date(2026, 1, 1), date(2026, 11, 23))
    area.nav.setCurrentRow(list(area.areas).index("statistics"))
    qtbot.waitUntil(lambda: view.stats is not None and view.csv_button.isEnabled(), timeout=10000)
    out = Path(os.environ.get("INFOHUS_SHOTS", tmp_path))
    keys = [s.key for s in view.stats.sections]
    for row in (0, 4, 5, keys.index("henvisninger"), keys.index("henvisninger_status")):
        view.sections.setCurrentRow(row)
        check(area, lang, f"statistics{row}", out, qtbot, ctx.runner)
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
