"""A new journal entry (*journalnotat*), or a correction of one.

Saved entries are never edited (the public sector's duty to take notes and keep a journal):
"Ret notat" writes a NEW entry that points at the one it corrects, which stays as it was and
is shown here read-only beside the correction.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from infohus_desktop.domain.cases import JournalEntry, JournalKind
from infohus_desktop.domain.labels import JOURNAL_KIND_LABELS
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import fmt_datetime, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.layout import hint


class JournalDialog(SavingDialog):
    """``corrects`` given: correction mode. :attr:`entry` holds the saved entry."""

    def __init__(
        self,
        ctx: AppContext,
        number: str,
        corrects: JournalEntry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        correcting = corrects is not None
        super().__init__(
            ctx,
            tr(f"Ret notat i {number}", f"Correct entry in {number}")
            if correcting
            else tr(f"Nyt journalnotat i {number}", f"New journal entry in {number}"),
            "journalDialog",
            tr("&Gem rettelse", "&Save correction")
            if correcting
            else tr("&Gem notat", "&Save entry"),
            parent,
        )
        self.number = number
        self.corrects = corrects
        self.entry: JournalEntry | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("journalKind")
        self.kind.setAccessibleName(tr("Type", "Kind"))
        for kind in JournalKind:
            self.kind.addItem(label(JOURNAL_KIND_LABELS, kind), kind)
        self.text = text_area("journalText", tr("Notat", "Entry"), 160)
        if corrects is not None:
            original_box = QGroupBox(
                tr("Det oprindelige notat (uændret)", "The original entry (unchanged)")
            )
            original_box.setObjectName("originalEntry")
            inner = QVBoxLayout(original_box)
            meta = QLabel(
                f"{fmt_datetime(corrects.at)} · {label(JOURNAL_KIND_LABELS, corrects.kind)} · "
                f"{corrects.by_login}"
            )
            meta.setObjectName("originalMeta")
            self.original = text_area("originalText", tr("Oprindeligt notat", "Original entry"), 90)
            self.original.setPlainText(corrects.text)
            self.original.setReadOnly(True)
            inner.addWidget(meta)
            inner.addWidget(self.original)
            self.body.addWidget(original_box)
            self.body.addWidget(
                hint(
                    tr(
                        "Et gemt notat ændres aldrig. Rettelsen gemmes som et nyt notat, der "
                        "henviser til det oprindelige.",
                        "A saved entry is never changed. The correction is saved as a new entry "
                        "that refers to the original.",
                    )
                )
            )
            self.kind.setCurrentIndex(self.kind.findData(corrects.kind))
            self.text.setPlainText(corrects.text)
        form = QFormLayout()
        form.addRow(tr("&Type", "&Kind"), self.kind)
        form.addRow(
            tr("&Rettelse", "&Correction") if correcting else tr("&Notat", "&Entry"), self.text
        )
        self.body.addLayout(form)
        self.finish()
        chain_tab_order([self.kind, self.text, self.ok_button])
        self.text.setFocus()
        self.setMinimumWidth(620)

    def submit(self) -> None:
        text = self.text.toPlainText().strip()
        if not text:
            self.show_problem(tr("Notatet er tomt.", "The entry is empty."))
            return
        if self.corrects is not None and text == self.corrects.text.strip():
            self.show_problem(
                tr(
                    "Rettelsen er magen til det oprindelige notat. Skriv hvad der skal rettes.",
                    "The correction is the same as the original entry. Write what is corrected.",
                )
            )
            return
        number, kind = self.number, JournalKind(self.kind.currentData())
        corrects = self.corrects.id if self.corrects else None
        self.save(lambda s: s.case_records.add_journal(number, kind, text, corrects), self._saved)

    def _saved(self, entry: JournalEntry) -> None:
        self.entry = entry
        self.finish_saved()
