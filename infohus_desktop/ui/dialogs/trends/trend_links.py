"""Two small dialogs of an opened trend note: link it to another note, and (a coordinator)
narrow the access group it is encrypted for."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from infohus_desktop.domain.labels import group_name
from infohus_desktop.domain.members import AccessGroup, GroupKind
from infohus_desktop.domain.trends import TrendNote, TrendSummary
from infohus_desktop.services.trends.personal_data_check import fold
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.models.trend_list import period_text
from infohus_desktop.ui.widgets.layout import hint


class LinkNoteDialog(SavingDialog):
    """Pick a note to link with ``note``; the list is the workspace's, filtered as one types."""

    def __init__(
        self,
        ctx: AppContext,
        note: TrendNote,
        candidates: Sequence[TrendSummary],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr("Tilknyt et relateret notat", "Link a related note"),
            "linkNoteDialog",
            tr("&Tilknyt", "&Link"),
            parent,
        )
        self.note = note
        taken = {r.id for r in note.related} | {note.id}
        self.candidates = [c for c in candidates if c.id not in taken]
        self.filter = QLineEdit()
        self.filter.setObjectName("linkFilter")
        self.filter.setPlaceholderText(tr("Søg i titler", "Search titles"))
        self.filter.setAccessibleName(tr("Søg i titler", "Search titles"))
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("linkCandidates")
        self.list.setAccessibleName(tr("Notater", "Notes"))
        self.list.itemDoubleClicked.connect(lambda _item: self.submit())
        self.filter.textChanged.connect(self._fill)
        self.body.addWidget(
            QLabel(tr(f"Relateret til: {note.content.title}", f"Related to: {note.content.title}"))
        )
        self.body.addWidget(self.filter)
        self.body.addWidget(self.list, 1)
        if not self.candidates:
            self.body.addWidget(
                hint(tr("Der er ingen andre notater at tilknytte.", "There is no other note."))
            )
        self.finish()
        self.resize(560, 420)
        self._fill("")

    def _fill(self, text: str) -> None:
        words = fold(text).split()
        self.list.clear()
        for c in self.candidates:
            if all(w in fold(c.title) for w in words):
                item = QListWidgetItem(f"{period_text(c.period_from, c.period_to)}  {c.title}")
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.ok_button.setEnabled(self.list.count() > 0)

    def submit(self) -> None:
        item: QListWidgetItem | None = self.list.currentItem()
        if item is None:
            self.show_problem(tr("Vælg et notat.", "Choose a note."))
            return
        note_id: uuid.UUID = self.note.id
        other: uuid.UUID = item.data(Qt.ItemDataRole.UserRole)
        self.save(lambda s: s.trends.link(note_id, other), lambda _r: self.finish_saved())


class AccessGroupDialog(SavingDialog):
    """A coordinator moves a note to another access group they are in."""

    def __init__(
        self,
        ctx: AppContext,
        note: TrendNote,
        groups: Sequence[AccessGroup],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr("Hvem kan læse notatet", "Who can read the note"),
            "trendAccessDialog",
            tr("&Gem", "&Save"),
            parent,
        )
        self.note = note
        self.result_note: TrendNote | None = None
        me = ctx.session.member.id
        self.group = QComboBox()
        self.group.setObjectName("trendAccessGroup")
        self.group.setAccessibleName(tr("Adgangskreds", "Access group"))
        for g in groups:
            if me in g.member_ids and g.kind not in (GroupKind.DIRECTORY, GroupKind.AUDIT):
                self.group.addItem(group_name(g.kind, g.name, language()), g.id)
        current = self.group.findData(note.group_id)
        if current >= 0:
            self.group.setCurrentIndex(current)
        self.body.addWidget(QLabel(tr("&Adgangskreds", "&Access group")))
        self.body.itemAt(0).widget().setBuddy(self.group)  # type: ignore[union-attr]
        self.body.addWidget(self.group)
        self.body.addWidget(
            hint(
                tr(
                    "Notatet krypteres for den valgte adgangskreds: kun dens medlemmer kan "
                    "læse det. Du kan kun vælge kredse, du selv er med i.",
                    "The note is encrypted for the chosen access group: only its members can "
                    "read it. You can only choose groups you are in yourself.",
                )
            )
        )
        self.body.addStretch(1)
        self.finish()
        self.resize(480, 220)

    def submit(self) -> None:
        group_id = self.group.currentData()
        if group_id is None or group_id == self.note.group_id:
            self.finish_saved()
            return
        note_id = self.note.id

        def done(note: TrendNote) -> None:
            self.result_note = note
            self.finish_saved()

        self.save(lambda s: s.trends.set_access_group(note_id, str(group_id)), done)
