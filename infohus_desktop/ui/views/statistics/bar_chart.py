"""A horizontal bar chart drawn with QPainter: one bar per group, its published count at the
end of the bar. Readable at a glance: labels on the left in the window's font, one calm
colour-blind-safe blue (Okabe-Ito), no legend to decode. A suppressed count gets no bar, only
its "< 5" or "x", exactly as in the table and the PDF."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from infohus_desktop.ui.i18n import tr

BAR = QColor("#0072B2")
TRACK = QColor("#eef1f5")
ROW_HEIGHT = 26


class BarChart(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("statisticsChart")
        self.setAccessibleName(tr("Diagram", "Chart"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._rows: list[tuple[str, int | None, str]] = []
        self.row_height = ROW_HEIGHT
        self.top = 6

    def line_up(self, top: int, row_height: int) -> None:
        """Put each bar level with its row in the table beside the chart."""
        self.top, self.row_height = top, max(row_height, 16)
        self.updateGeometry()
        self.update()

    def set_rows(self, rows: list[tuple[str, int | None, str]]) -> None:
        """(label, value to draw or None when suppressed, text to show)."""
        self._rows = rows
        self.setAccessibleDescription(", ".join(f"{label}: {shown}" for label, _v, shown in rows))
        # a narrow chart elides its labels; the tooltip (and the table beside it) has them whole
        self.setToolTip("\n".join(f"{label}: {shown}" for label, _v, shown in rows))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(420, max(len(self._rows), 1) * self.row_height + self.top + 6)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(260, max(len(self._rows), 1) * self.row_height + self.top + 6)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        width = self.width()
        label_width = min(
            max((metrics.horizontalAdvance(label) for label, _v, _s in self._rows), default=0) + 20,
            int(width * 0.5),
        )
        # room for the widest number actually shown after the longest bar, no more: the chart
        # stands beside its table, and spare room here would only be a gap between the two
        value_width = max((metrics.horizontalAdvance(s) for _l, _v, s in self._rows), default=0)
        value_width += 16
        bar_space = max(width - label_width - value_width, 10)
        top = max((v for _l, v, _s in self._rows if v is not None), default=0) or 1
        text = self.palette().windowText().color()
        for i, (label, value, shown) in enumerate(self._rows):
            row = self.row_height
            y = self.top + i * row
            bar_top, bar_height = y + 4, row - 8
            painter.setPen(text)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 10)
            painter.drawText(
                QRectF(0, y, label_width - 8, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                elided,
            )
            painter.fillRect(QRectF(label_width, bar_top, bar_space, bar_height), TRACK)
            length = 0.0 if value is None else bar_space * value / top
            if length:
                painter.fillRect(QRectF(label_width, bar_top, length, bar_height), BAR)
            painter.setPen(text)
            painter.drawText(
                QRectF(label_width + length + 6, y, value_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                shown,
            )
        painter.end()
