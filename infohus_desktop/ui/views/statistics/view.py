"""The "Statistik" area: choose a period, read the counts as bars with the numbers beside
them, export the anonymised PDF (preview first) or the CSV.

Every number is in its published form ("< 5" for 1-4, "x" where a small count could be worked
out from the total): a network member sees counts over cases they cannot read, and no more
than the annual report may show. Each computation runs on the worker and is audited with the
period; changing a date waits :data:`RECOMPUTE_PAUSE_MS` so that typing a date is one
computation, not one per keystroke.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.statistics import (
    HIDDEN_NOTE,
    SMALL_COUNT,
    WHOLE_MONTHS_NOTE,
    Statistics,
    suppress,
)
from infohus_desktop.services.core.exports import write_export
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import fmt_date, language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.views.statistics.bar_chart import BarChart
from infohus_desktop.ui.views.statistics.period import PeriodPicker
from infohus_desktop.ui.views.statistics.section_model import SectionTableModel
from infohus_desktop.ui.widgets.save_file import ask_csv_path

RECOMPUTE_PAUSE_MS = 600


class _RoomyDelegate(QStyledItemDelegate):
    """List rows a little taller than their (possibly wrapped) text."""

    def sizeHint(  # noqa: N802 (Qt's name)
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), hint.height() + 6)


class StatisticsView(QWidget):
    def __init__(self, ctx: AppContext, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.setObjectName("statisticsView")
        self.ctx = ctx
        self.stats: Statistics | None = None
        self._requests = itertools.count(1)
        self._latest = 0
        self._shown_once = False

        self.picker = PeriodPicker(today)
        self.pdf_button = QPushButton(
            icon("open"), tr("&PDF til årsrapport …", "&PDF for report …")
        )
        self.pdf_button.setObjectName("statisticsPdf")
        self.csv_button = QPushButton(tr("&CSV …", "&CSV …"))
        self.csv_button.setObjectName("statisticsCsv")
        self.csv_button.setToolTip(
            tr("Gem tallene som CSV til Excel", "Save the counts as CSV for Excel")
        )
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("statisticsSummary")
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.summary.setFont(font)
        self.status = QLabel()
        self.status.setObjectName("statisticsStatus")
        self.explain = QLabel(
            tr(
                f"Tal fra 1 til {SMALL_COUNT - 1} vises som < {SMALL_COUNT}, så ingen kan "
                "genkendes. Alle Infohusets sager tælles, også dem du ikke kan åbne.\n"
                + WHOLE_MONTHS_NOTE[0],
                f"Counts from 1 to {SMALL_COUNT - 1} are shown as < {SMALL_COUNT} so nobody "
                "can be recognised. Every case of the Infohus counts, also those you cannot "
                "open.\n" + WHOLE_MONTHS_NOTE[1],
            )
        )
        self.explain.setObjectName("statisticsExplain")
        self.explain.setWordWrap(True)

        self.sections = QListWidget()
        self.sections.setObjectName("statisticsSections")
        self.sections.setAccessibleName(tr("Opgørelser", "Breakdowns"))
        # Long titles ("Sager efter alder, da bekymringen kom") wrap instead of being cut when
        # the list is narrowed; the list starts as wide as the longest title (see
        # _fit_sections) and each item carries its full title as a tooltip.
        self.sections.setMinimumWidth(180)
        # Air between the rows from the delegate, not setSpacing: with spacing, QListView
        # wraps a title for a narrower width than it measured, so titles came out cut.
        self.sections.setItemDelegate(_RoomyDelegate(self.sections))
        self.sections.setWordWrap(True)
        self.sections.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.sections.setResizeMode(QListView.ResizeMode.Adjust)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        self.title.setFont(title_font)
        self.chart = BarChart()
        self.model = SectionTableModel()
        self.table = QTableView()
        self.table.setObjectName("statisticsTable")
        self.table.setAccessibleName(tr("Tal", "Counts"))
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.note = QLabel()
        self.note.setObjectName("sectionNote")
        self.note.setWordWrap(True)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.title)
        side = QHBoxLayout()
        # The chart takes the room; the table is as wide as its text.
        side.addWidget(self.chart, 1, Qt.AlignmentFlag.AlignTop)
        side.addWidget(self.table, 0, Qt.AlignmentFlag.AlignTop)
        detail_layout.addLayout(side)
        detail_layout.addWidget(self.note)
        detail_layout.addStretch(1)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("statisticsSplitter")
        splitter.addWidget(self.sections)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self._sections_fitted = False

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        line = QHBoxLayout()
        line.addWidget(self.summary)
        line.addStretch(1)
        line.addWidget(self.status)
        # On the summary's line, not the period's: both on one row made the window wider
        # than 1024 px with the month pickers.
        line.addWidget(self.pdf_button)
        line.addWidget(self.csv_button)
        layout.addLayout(line)
        layout.addWidget(self.explain)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_PAUSE_MS)
        self._timer.timeout.connect(self.refresh)
        self.picker.changed.connect(self._timer.start)
        self.sections.currentRowChanged.connect(self._show_section)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.csv_button.clicked.connect(self.export_csv)
        self._set_busy(False)

    # -- computing --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._shown_once:  # built with the window; computed when first looked at
            self._shown_once = True
            self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        start, end = self.picker.period()
        request = self._latest = next(self._requests)
        self._set_busy(True)
        self.ctx.run(
            lambda s: s.statistics.compute(start, end),
            lambda stats: self._computed(request, stats),
            owner=self,
            on_error=lambda exc: self._failed(request, exc),
        )

    def _computed(self, request: int, stats: Statistics) -> None:
        if request != self._latest:
            return  # a newer period was asked for meanwhile
        self.stats = stats
        self._set_busy(False)
        period = f"{fmt_date(stats.period_from)}–{fmt_date(stats.period_to)}"
        self.summary.setText(
            tr(
                f"Nye sager {period}: {suppress(stats.new_cases)}",
                f"New cases {period}: {suppress(stats.new_cases)}",
            )
        )
        row = max(self.sections.currentRow(), 0)
        self.sections.blockSignals(True)
        self.sections.clear()
        for section in stats.sections:
            item = QListWidgetItem(tr(*section.title))
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setToolTip(tr(*section.title))
            self.sections.addItem(item)
        self.sections.blockSignals(False)
        self._fit_sections()
        self.sections.setCurrentRow(min(row, self.sections.count() - 1))
        self._show_section(self.sections.currentRow())

    def _failed(self, request: int, exc: InfohusError) -> None:
        if request == self._latest:
            self._set_busy(False)
            self.status.setText("")
            show_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self.status.setText(tr("Tæller …", "Counting …") if busy else "")
        ready = not busy and self.stats is not None
        self.pdf_button.setEnabled(ready)
        self.csv_button.setEnabled(ready)

    def _show_section(self, row: int) -> None:
        if self.stats is None or not 0 <= row < len(self.stats.sections):
            self.model.set_section(None)
            self.chart.set_rows([])
            return
        section = self.stats.sections[row]
        self.title.setText(tr(*section.title))
        cells = section.cells()
        self.chart.set_rows(
            [
                (tr(*c.label), c.n if shown == str(c.n) else None, shown)
                for c, shown in zip(section.counts, cells, strict=True)
            ]
        )
        self.model.set_section(section)
        self._fit_table()
        notes = [tr(*section.note)] if section.note else []
        if section.has_hidden:
            notes.append(tr(*HIDDEN_NOTE))
        self.note.setText("\n".join(notes))

    def _fit_sections(self) -> None:
        """Once, when the titles are known: give the list the width of its longest title (at
        most a third of the view), the chart the rest. Later the user's splitter stays."""
        if self._sections_fitted or not self.sections.count():
            return
        self._sections_fitted = True
        metrics = self.sections.fontMetrics()
        longest = max(
            metrics.horizontalAdvance(self.sections.item(r).text())
            for r in range(self.sections.count())
        )
        frame = 2 * self.sections.frameWidth() + 2 * self.sections.spacing()
        wanted = longest + frame + 16
        total = sum(self.splitter.sizes()) or self.splitter.width()
        width = max(min(wanted, total // 3), self.sections.minimumWidth())
        self.splitter.setSizes([width, max(total - width, 1)])

    def _fit_table(self) -> None:
        """As tall as its rows: the numbers sit beside their bars, not in a tall empty box."""
        rows = sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        header = self.table.horizontalHeader().height()
        frame = self.table.frameWidth()
        self.table.setFixedHeight(rows + header + 2 * frame + 2)
        # As wide as its text (the group column stretches to fill it): the chart gets the rest.
        head = self.table.horizontalHeader()
        columns = sum(
            max(self.table.sizeHintForColumn(c), head.sectionSizeHint(c))
            for c in range(self.model.columnCount())
        )
        # At most 280 px, so the window still fits 1024 px with the longest group names; a
        # longer name is elided in the table and read in full from the chart's tooltip.
        self.table.setFixedWidth(min(max(columns + 2 * frame + 4, 180), 280))
        if self.model.rowCount():
            self.chart.line_up(header + frame, self.table.rowHeight(0))

    def section_counts(self) -> dict[str, str]:
        """What the table shows, label to count (for tests and accessibility checks)."""
        return {
            self.model.index(r, 0).data(): self.model.index(r, 1).data()
            for r in range(self.model.rowCount())
        }

    # -- exports ----------------------------------------------------------------------------

    def _period_name(self) -> str:
        start, end = self.picker.period()  # whole months, as the service counts them
        return f"{tr('statistik', 'statistics')}-{start.isoformat()}-{end.isoformat()}"

    def export_pdf(self) -> None:

        start, end = self.picker.period()
        lang = language()
        name = self._period_name()

        def audit(session: MemberServices, action: str) -> None:
            session.statistics.audit_export(start, end, action)

        def show(pdf: bytes) -> None:
            self.preview = PdfPreviewDialog(
                self.ctx, pdf, tr("Statistik", "Statistics"), f"{name}.pdf", audit, parent=self
            )
            self.preview.show()

        self.ctx.run(lambda s: s.statistics.statistics_pdf(start, end, lang), show, owner=self)

    def choose_csv_file(self) -> Path | None:
        """The save dialog; tests replace this."""
        return ask_csv_path(self, f"{self._period_name()}.csv")

    def export_csv(self) -> None:
        target = self.choose_csv_file()
        if target is None:
            return
        start, end = self.picker.period()
        lang = language()

        def save(session: MemberServices) -> None:
            write_export(target, session.statistics.statistics_csv(start, end, lang))

        self.ctx.run(
            save,
            lambda _r: self.status.setText(
                tr(f"Gemt som {target.name}", f"Saved as {target.name}")
            ),
            owner=self,
        )
