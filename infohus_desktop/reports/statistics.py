"""The anonymised statistics PDF for the annual report: a bar chart and a table per section.

Only counts reach this module, already in their published form (:meth:`Section.cells`): a
suppressed count is drawn as an empty bar labelled "< 5" (or "x"), never at its true length,
so the chart cannot give away what the table hides.
"""

from __future__ import annotations

from datetime import UTC, datetime

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from infohus_desktop.domain.statistics import (
    HIDDEN_NOTE,
    SMALL_COUNT,
    WHOLE_MONTHS_NOTE,
    Section,
    Statistics,
    suppress,
)
from infohus_desktop.reports.base import (
    CONTENT_WIDTH,
    MUTED,
    RULE,
    DocumentRenderer,
    PrintStamp,
    data_table,
    label_value_table,
    para,
)
from infohus_desktop.reports.fonts import REGULAR

#: Okabe-Ito blue: tells apart from the text and stays distinct for every kind of colour
#: blindness; one colour per chart, since the bars are one series.
BAR = colors.HexColor("#0072B2")
CHART_WIDTH = 94 * mm
TABLE_WIDTH = CONTENT_WIDTH - CHART_WIDTH - 4 * mm
#: The height of a table row (9 pt text, 11.5 pt leading, 3 pt padding above and below).
ROW = 17.5


class StatisticsRenderer(DocumentRenderer):
    def __init__(self, stats: Statistics, stamp: PrintStamp, header_left: str) -> None:
        t = stamp.t
        period = f"{stats.period_from:%d.%m.%Y}–{stats.period_to:%d.%m.%Y}"
        super().__init__(
            title=t("Statistik", "Statistics"),
            subtitle=t(f"Periode {period} · anonymiseret", f"Period {period} · anonymised"),
            stamp=stamp,
            header_left=header_left,
        )
        self.stats = stats

    def _t(self, pair: tuple[str, str]) -> str:
        return self.t(*pair)

    def story(self) -> list[Flowable]:
        s = self.styles
        story: list[Flowable] = [
            para(
                self.t(
                    f"Tal fra 1 til {SMALL_COUNT - 1} vises som “< {SMALL_COUNT}”, så ingen "
                    "kan genkendes. Sagerne tælles efter den dato, bekymringen blev modtaget; "
                    "status, bekymringsniveau og screening er sagernes seneste. "
                    + WHOLE_MONTHS_NOTE[0],
                    f"Counts from 1 to {SMALL_COUNT - 1} are shown as “< {SMALL_COUNT}” so "
                    "nobody can be recognised. Cases are counted by the date the concern was "
                    "received; status, level of concern and screening are the latest. "
                    + WHOLE_MONTHS_NOTE[1],
                ),
                s.muted,
            ),
            label_value_table(
                [
                    (
                        self.t("Nye sager i perioden", "New cases in the period"),
                        suppress(self.stats.new_cases),
                    )
                ],
                s,
            ),
            Spacer(1, 4 * mm),
        ]
        for section in self.stats.sections:
            story.append(self._section(section))
        return story

    def _section(self, section: Section) -> Flowable:
        s = self.styles
        cells = section.cells()
        right = ParagraphStyle("count", parent=s.cell, alignment=TA_RIGHT)
        total_style = ParagraphStyle("count_total", parent=s.cell_bold, alignment=TA_RIGHT)
        rows: list[list[str | Flowable]] = [
            [self._t(c.label), para(shown, right)]
            for c, shown in zip(section.counts, cells, strict=True)
        ]
        rows.append(
            [para(self.t("I alt", "Total"), s.cell_bold), para(section.shown_total(), total_style)]
        )
        table = data_table(
            [self.t("Gruppe", "Group"), self.t("Antal", "Count")],
            rows,
            s,
            col_widths=[TABLE_WIDTH - 20 * mm, 20 * mm],
            width=TABLE_WIDTH,
        )
        table.setStyle(
            TableStyle(
                [
                    ("LINEABOVE", (0, -1), (-1, -1), 0.8, MUTED),
                ]
            )
        )
        side = Table(
            [[self._chart(section, cells), table]],
            colWidths=[CHART_WIDTH + 4 * mm, TABLE_WIDTH],
            hAlign="LEFT",
        )
        side.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        parts: list[Flowable] = [para(self._t(section.title), s.h2), side]
        if section.note:
            parts.append(para(self._t(section.note), s.small))
        if section.has_hidden:
            parts.append(para(self._t(HIDDEN_NOTE), s.small))
        parts.append(Spacer(1, 3 * mm))
        return KeepTogether(parts)

    def _chart(self, section: Section, cells: tuple[str, ...]) -> Drawing:
        """Horizontal bars, first group on top; suppressed counts get no bar, only their
        label."""
        labels = [self._t(c.label) for c in section.counts][::-1]
        values = [
            c.n if shown == str(c.n) else 0 for c, shown in zip(section.counts, cells, strict=True)
        ]
        values, shown = values[::-1], list(cells)[::-1]
        height = max(len(values), 1) * ROW + 8 * mm
        drawing = Drawing(CHART_WIDTH, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = round(42 * mm), round(5 * mm)
        chart.width, chart.height = round(CHART_WIDTH - 52 * mm), round(height - 8 * mm)
        chart.data = [values or [0]]
        chart.bars[0].fillColor = BAR
        chart.bars[0].strokeColor = None
        chart.barSpacing = 1
        chart.groupSpacing = 4
        chart.categoryAxis.categoryNames = labels or [""]
        chart.categoryAxis.labels.fontName = REGULAR
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -2
        chart.categoryAxis.strokeColor = RULE
        chart.categoryAxis.labels.maxWidth = 42 * mm
        top = max(values or [0])
        chart.valueAxis.valueMin = 0
        chart.valueAxis.valueMax = max(top * 1.15, 5)
        chart.valueAxis.visible = False
        chart.valueAxis.forceZero = True
        chart.barLabelFormat = "values"
        chart.barLabelArray = [shown or [""]]
        chart.barLabels.fontName = REGULAR
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 2
        chart.barLabels.fillColor = colors.HexColor("#1b1f24")
        drawing.add(chart)
        return drawing


def render_statistics_pdf(
    stats: Statistics,
    printed_by: str,
    language: str = "da",
    header_left: str = "Infohus",
    printed_at: datetime | None = None,
) -> bytes:
    stamp = PrintStamp(printed_by, printed_at or datetime.now(UTC), language)
    return StatisticsRenderer(stats, stamp, header_left).render()
