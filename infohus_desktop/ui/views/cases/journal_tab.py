"""The "Journal" tab: entries newest first, the selected one in full, corrections linked.

"Ret notat" never edits: it opens the journal dialog in correction mode, which saves a new
entry pointing at the selected one.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import JournalEntry
from infohus_desktop.domain.labels import JOURNAL_KIND_LABELS
from infohus_desktop.ui.i18n import fmt_datetime, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.journal import JournalModel
from infohus_desktop.ui.views.cases.case_data import CaseData


class JournalTab(QWidget):
    new_requested = Signal()
    correct_requested = Signal(object)  # the JournalEntry to correct

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journalTab")
        self.model = JournalModel(self)
        self.view = QTableView()
        self.view.setObjectName("journalList")
        self.view.setAccessibleName(tr("Journalnotater", "Journal entries"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_current())
        self.view.doubleClicked.connect(lambda _i: self._correct())
        self.meta = QLabel()
        self.meta.setObjectName("journalMeta")
        self.meta.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("journalFullText")
        self.text.setAccessibleName(tr("Notatets tekst", "Text of the entry"))
        self.text.setReadOnly(True)
        self.text.setTabChangesFocus(True)
        self.link = QPushButton()
        self.link.setObjectName("journalLink")
        self.link.setFlat(True)
        self.link.setStyleSheet(
            "text-align: left; color: palette(link); text-decoration: underline;"
        )
        self.link.clicked.connect(self._follow_link)
        self.new_button = QPushButton(icon("journal"), tr("&Nyt notat …", "&New entry …"))
        self.new_button.setObjectName("newJournal")
        self.new_button.clicked.connect(self.new_requested)
        self.correct_button = QPushButton(icon("edit"), tr("&Ret notat …", "&Correct entry …"))
        self.correct_button.setObjectName("correctJournal")
        self.correct_button.setToolTip(
            tr(
                "Et notat ændres aldrig: rettelsen gemmes som et nyt notat, der henviser til det "
                "valgte.",
                "An entry is never changed: the correction is saved as a new entry that refers to "
                "the selected one.",
            )
        )
        self.correct_button.clicked.connect(self._correct)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.correct_button)
        buttons.addStretch(1)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.meta)
        detail_layout.addWidget(self.link, 0, Qt.AlignmentFlag.AlignLeft)
        detail_layout.addWidget(self.text, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(detail)
        splitter.setSizes([300, 200])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(buttons)
        outer.addWidget(splitter, 1)
        self._linked: JournalEntry | None = None
        self._can_write = True
        self._show_current()

    def show_case(self, data: CaseData) -> None:
        current = self.current()
        self.model.set_entries(data.case.journal, data.names.person)
        row = self.model.row_of(current.id) if current else -1
        self.select_row(row if row >= 0 else 0)

    def set_can_write(self, allowed: bool) -> None:
        self.new_button.setEnabled(allowed)
        self._can_write = allowed
        self._show_current()

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._show_current()

    def current(self) -> JournalEntry | None:
        index = self.view.currentIndex()
        return self.model.entry(index.row()) if index.isValid() else None

    def _show_current(self) -> None:
        entry = self.current()
        self.correct_button.setEnabled(entry is not None and self._can_write)
        if entry is None:
            self.meta.setText(tr("Ingen notater endnu.", "No entries yet."))
            self.text.clear()
            self.link.hide()
            return
        kind = label(JOURNAL_KIND_LABELS, entry.kind)
        self.meta.setText(
            f"{fmt_datetime(entry.at)} · {kind} · {self.model.person(entry.by_login)}"
        )
        self.text.setPlainText(entry.text)
        target = self.model.corrected(entry)
        corrections = self.model.corrections(entry)
        self._linked = target or (corrections[-1] if corrections else None)
        if target is not None:
            self.link.setText(
                tr(
                    f"Retter notatet af {fmt_datetime(target.at)} – vis det",
                    f"Corrects the entry of {fmt_datetime(target.at)} – show it",
                )
            )
        elif corrections:
            self.link.setText(
                tr(
                    f"Rettet ved notatet af {fmt_datetime(corrections[-1].at)} – vis rettelsen",
                    f"Corrected by the entry of {fmt_datetime(corrections[-1].at)} – show it",
                )
            )
        self.link.setVisible(self._linked is not None)

    def _follow_link(self) -> None:
        if self._linked is not None:
            self.select_row(self.model.row_of(self._linked.id))
            self.view.setFocus()

    def _correct(self) -> None:
        entry = self.current()
        if entry is not None and self.correct_button.isEnabled():
            self.correct_requested.emit(entry)
