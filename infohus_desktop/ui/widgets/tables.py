"""Small read-only tables, value labels and scroll areas that every area's views and dialogs
use: a case's measures, attachments and history, a bundle's contents, pinned recipients.

These are short lists (tens of rows) read whole, so a plain :class:`QTableWidget` is enough;
lists that grow (cases, the journal, meetings) have their own models in ``ui/models/``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from infohus_desktop.ui.i18n import tr

#: The colours that mark a serious sign or a high level, also used in the dialogs.
SERIOUS_BG = "#fde2e1"
SERIOUS_FG = "#8a1c1c"


def table(name: str, accessible: str, headers: Sequence[tuple[str, str]]) -> QTableWidget:
    widget = QTableWidget(0, len(headers))
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    widget.setHorizontalHeaderLabels([tr(*h) for h in headers])
    widget.verticalHeader().hide()
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setWordWrap(True)
    widget.setAlternatingRowColors(True)
    widget.setTabKeyNavigation(False)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    # A wrapped row's height is measured against its columns' widths at the time. A table
    # filled while hidden (a tab not shown yet) measured a narrow last column and kept rows
    # several lines too tall once shown; the rows are measured again after the columns have
    # settled: once the columns have stopped moving for 50 ms (dragging a window edge over
    # a long list would otherwise measure every row on every step of the drag).
    rows_again = QTimer(widget)
    rows_again.setSingleShot(True)
    rows_again.setInterval(50)
    rows_again.timeout.connect(lambda: _measure_again(widget))
    header.sectionResized.connect(lambda *_: rows_again.start())
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[str]], data: Sequence[object] = ()) -> None:
    """Replace the rows; ``data[i]`` (e.g. an id) is kept on row i's first cell."""
    widget.setRowCount(0)
    for r, row in enumerate(rows):
        widget.insertRow(r)
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 40 else "")
            if c == 0 and r < len(data):
                item.setData(Qt.ItemDataRole.UserRole, data[r])
            widget.setItem(r, c, item)
    widget.resizeRowsToContents()


def _measure_again(widget: QTableWidget) -> None:
    widget.resizeRowsToContents()
    if widget.property("fitRows"):  # a fitted table follows its rows' new heights
        _fit(widget)


def fit_height(widget: QTableWidget, min_rows: int = 1, max_rows: int = 8) -> None:
    """Size a table to its rows, so a page of several tables needs no inner scrolling. The
    height follows the rows when they are measured again (the table shown, its columns
    settled), and leaves room for the horizontal scroll bar when the columns need one: a
    case's Historik tab showed its one screening under the bar, and a status change of
    three lines in a row one line high (user trial)."""
    widget.setProperty("fitRows", [min_rows, max_rows])
    _fit(widget)


def _fit(widget: QTableWidget) -> None:
    min_rows, max_rows = widget.property("fitRows")
    rows = max(min_rows, min(widget.rowCount(), max_rows))
    height = widget.horizontalHeader().height() + 2 * widget.frameWidth() + 4
    for r in range(min(widget.rowCount(), rows)):
        height += widget.rowHeight(r)
    height += max(0, rows - widget.rowCount()) * widget.verticalHeader().defaultSectionSize()
    if widget.horizontalHeader().length() > widget.viewport().width():
        height += widget.horizontalScrollBar().sizeHint().height()
    widget.setFixedHeight(height)


def selected_data(widget: QTableWidget) -> object | None:
    row = widget.currentRow()
    item = widget.item(row, 0) if row >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def value_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # user text is never markup
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def form() -> QFormLayout:
    layout = QFormLayout()
    layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return layout


def scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


def size_text(size: int) -> str:
    """A file size as people read it (B, kB, MB; Danish decimal comma)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB"
    text = f"{size / (1024 * 1024):.1f} MB"
    return tr(text.replace(".", ","), text)
