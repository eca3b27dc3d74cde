"""The personal-data check as the editor shows it: a status line, the findings with where and
why, and the marks in the text.

The check itself is the pure ``find_personal_data`` (fast enough to run on the GUI thread a
moment after each pause in typing); the names it compares with are built once on the worker
when the editor opens (``session.trends.name_register()``) and live only in memory.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.services.trends.personal_data_check import Finding
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.icons import icon

MARK_COLOUR = QColor("#ffd8a8")
WARN_STYLE = "QLineEdit { border: 2px solid #c25e00; border-radius: 3px; }"


def mark_findings(edit: QPlainTextEdit, findings: Sequence[Finding]) -> None:
    """Underline and shade each finding in ``edit`` (extra selections: the text itself, its
    undo history and the cursor are untouched)."""
    marks = []
    fmt = QTextCharFormat()
    fmt.setBackground(MARK_COLOUR)
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(QColor("#c25e00"))
    for finding in findings:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(finding.start)
        cursor.setPosition(finding.end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = fmt
        marks.append(selection)
    edit.setExtraSelections(marks)


class PersonalDataPanel(QWidget):
    """Status line plus the list of findings. ``activated`` gives the finding clicked."""

    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personalDataPanel")
        self.icon = QLabel()
        self.icon.setPixmap(icon("warning").pixmap(18, 18))
        self.icon.hide()
        self.status = QLabel()
        self.status.setObjectName("personalDataStatus")
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("personalDataFindings")
        self.list.setAccessibleName(tr("Mulige personoplysninger", "Possible personal data"))
        self.list.setMaximumHeight(92)
        self.list.setWordWrap(True)
        self.list.hide()
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        self.findings: list[Finding] = []
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.status, 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.list)
        self.show_findings([], names_ready=False)

    def show_findings(self, findings: Sequence[Finding], names_ready: bool) -> None:
        self.findings = list(findings)
        self.list.clear()
        lang = language()
        for finding in self.findings:
            item = QListWidgetItem(finding.explain(lang))
            item.setData(Qt.ItemDataRole.UserRole, finding)
            self.list.addItem(item)
        self.list.setVisible(bool(self.findings))
        self.icon.setVisible(bool(self.findings))
        if self.findings:
            n = len(self.findings)
            self.status.setText(
                tr(
                    f"<b>{n} {'sted ligner' if n == 1 else 'steder ligner'} "
                    "personoplysninger.</b> Et tendensnotat handler om en tendens, ikke om "
                    "personer. Ret teksten, eller bekræft, når du gemmer.",
                    f"<b>{n} {'place looks' if n == 1 else 'places look'} like personal "
                    "data.</b> A trend note is about a trend, not about people. Correct the "
                    "text, or confirm when you save.",
                )
            )
            self.status.setStyleSheet("color: #8a4000;")
        else:
            self.status.setStyleSheet("color: palette(placeholder-text);")
            self.status.setText(
                tr(
                    "Ingen CPR-numre eller navne fra sagerne fundet.",
                    "No CPR numbers or names from the cases found.",
                )
                if names_ready
                else tr(
                    "Ingen CPR-numre fundet. Navnene fra sagerne hentes …",
                    "No CPR numbers found. Fetching the names from the cases …",
                )
            )

    def _activated(self, item: QListWidgetItem) -> None:
        self.activated.emit(item.data(Qt.ItemDataRole.UserRole))
