"""One opened trend note: its fields, its description, its related notes, the meetings whose
agenda had it (read-only: date and title) and what can be done with it (edit, link, narrow
the access group).

The view shows what the workspace hands it (read on the worker, audited there); it asks the
workspace to do anything that touches the vault through its signals.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.meetings import MeetingSummary
from infohus_desktop.domain.trends import AREA_KIND_LABELS, SOURCE_KIND_LABELS, TrendNote
from infohus_desktop.ui.i18n import fmt_date, fmt_datetime, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.meetings import local
from infohus_desktop.ui.models.trend_list import development_text, period_text
from infohus_desktop.ui.widgets.layout import heading, hide_unless, hint


def _value() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TrendNoteView(QWidget):
    edit_requested = Signal()
    link_requested = Signal()
    unlink_requested = Signal(object)  # the related note's id
    access_requested = Signal()
    open_requested = Signal(object)  # a related note's id
    close_requested = Signal()

    def __init__(self, can_edit: bool, can_narrow: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendNoteView")
        self.note: TrendNote | None = None
        self.themes: dict[str, tuple[str, str]] = {}
        self.group_names: dict[uuid.UUID, str] = {}
        self.title = heading("")
        self.title.setObjectName("trendNoteTitle")
        self.close_button = QPushButton(icon("close"), "")
        self.close_button.setObjectName("closeTrendNote")
        self.close_button.setAccessibleName(tr("Luk notatet", "Close the note"))
        self.close_button.setToolTip(tr("Luk notatet (Esc)", "Close the note (Esc)"))
        self.close_button.clicked.connect(self.close_requested)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)

        self.period, self.theme, self.area = _value(), _value(), _value()
        self.development, self.sources, self.follow_up = _value(), _value(), _value()
        self.access, self.changed = _value(), _value()
        self.period.setObjectName("trendNotePeriod")
        self.access.setObjectName("trendNoteAccess")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Periode", "Period"), self.period)
        form.addRow(tr("Tema", "Theme"), self.theme)
        form.addRow(tr("Område", "Area"), self.area)
        form.addRow(tr("Udvikling", "Development"), self.development)
        form.addRow(tr("Kildetyper", "Kinds of sources"), self.sources)
        form.addRow(tr("Opfølgning", "Follow-up"), self.follow_up)
        form.addRow(tr("Adgang", "Access"), self.access)
        form.addRow(tr("Ændret", "Changed"), self.changed)

        self.description = QPlainTextEdit()
        self.description.setObjectName("trendNoteDescription")
        self.description.setAccessibleName(tr("Beskrivelse", "Description"))
        self.description.setReadOnly(True)
        self.description.setFrameShape(QFrame.Shape.StyledPanel)

        self.related = QListWidget()
        self.related.setObjectName("trendRelated")
        self.related.setAccessibleName(tr("Relaterede notater", "Related notes"))
        self.related.setMaximumHeight(110)
        self.related.itemActivated.connect(
            lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.related.currentItemChanged.connect(lambda *_: self._update_buttons())

        self.edit_button = QPushButton(icon("edit"), tr("&Rediger", "&Edit"))
        self.edit_button.setObjectName("editTrendNote")
        self.edit_button.clicked.connect(self.edit_requested)
        self.link_button = QPushButton(tr("&Tilknyt notat …", "&Link a note …"))
        self.link_button.setObjectName("linkTrendNote")
        self.link_button.clicked.connect(self.link_requested)
        self.unlink_button = QPushButton(tr("&Fjern tilknytning", "&Remove link"))
        self.unlink_button.setObjectName("unlinkTrendNote")
        self.unlink_button.clicked.connect(self._unlink)
        self.access_button = QPushButton(tr("&Adgang …", "&Access …"))
        self.access_button.setObjectName("trendAccess")
        self.access_button.setToolTip(
            tr(
                "Begræns hvem der kan læse notatet (koordinator)",
                "Narrow who can read the note (coordinator)",
            )
        )
        self.access_button.clicked.connect(self.access_requested)
        for button, allowed in (
            (self.edit_button, can_edit),
            (self.link_button, can_edit),
            (self.unlink_button, can_edit),
            (self.access_button, can_narrow),
        ):
            hide_unless(allowed, button)
        actions = QHBoxLayout()
        actions.addWidget(self.edit_button)
        actions.addWidget(self.access_button)
        actions.addStretch(1)
        related_actions = QHBoxLayout()
        related_actions.addWidget(self.link_button)
        related_actions.addWidget(self.unlink_button)
        related_actions.addStretch(1)

        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 8)
        box.addLayout(top)
        box.addLayout(actions)
        box.addLayout(form)
        box.addWidget(QLabel(tr("<b>Beskrivelse</b>", "<b>Description</b>")))
        box.addWidget(self.description, 1)
        box.addWidget(QLabel(tr("<b>Relaterede notater</b>", "<b>Related notes</b>")))
        box.addWidget(self.related)
        self.related_empty = hint(tr("Ingen relaterede notater.", "No related notes."))
        box.addWidget(self.related_empty)
        box.addLayout(related_actions)
        box.addWidget(QLabel(tr("<b>Behandlet på møder</b>", "<b>Discussed at meetings</b>")))
        self.meetings = QListWidget()
        self.meetings.setObjectName("trendMeetings")
        self.meetings.setAccessibleName(
            tr("Møder, der har behandlet notatet", "Meetings that discussed the note")
        )
        self.meetings.setMaximumHeight(90)
        self.meetings.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        box.addWidget(self.meetings)
        self.meetings_empty = hint(
            tr("Notatet har ikke været på et mødes dagsorden.", "Not on a meeting's agenda yet.")
        )
        box.addWidget(self.meetings_empty)

    def show_note(self, note: TrendNote, meetings: Sequence[MeetingSummary] = ()) -> None:
        """Show the note and the meetings (of those the reader can read) that discussed it."""
        self.note = note
        c = note.content
        self.title.setText(c.title)
        self.period.setText(period_text(c.period_from, c.period_to))
        labels = self.themes.get(c.theme)
        self.theme.setText(tr(*labels) if labels else c.theme)
        kind = tr(*AREA_KIND_LABELS[c.area_kind])
        self.area.setText(f"{kind}: {c.area}" if c.area else kind)
        self.development.setText(development_text(c.development))
        self.sources.setText(
            ", ".join(tr(*SOURCE_KIND_LABELS[k]) for k in c.source_kinds) or tr("–", "–")
        )
        self.follow_up.setText(fmt_date(c.follow_up) or tr("Ingen", "None"))
        self.access.setText(self.group_names.get(note.group_id, str(note.group_id)))
        self.changed.setText(
            tr(
                f"{fmt_datetime(note.updated_at)} af {note.updated_by} (version {note.version})",
                f"{fmt_datetime(note.updated_at)} by {note.updated_by} (version {note.version})",
            )
        )
        self.description.setPlainText(c.description)
        self.related.clear()
        for r in note.related:
            item = QListWidgetItem(f"{period_text(r.period_from, r.period_to)}  {r.title}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.related.addItem(item)
        self.related.setVisible(bool(note.related))
        self.related_empty.setVisible(not note.related)
        self.meetings.clear()
        for meeting in meetings:
            self.meetings.addItem(f"{fmt_date(local(meeting.starts_at).date())}  {meeting.title}")
        self.meetings.setVisible(bool(meetings))
        self.meetings_empty.setVisible(not meetings)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.unlink_button.setEnabled(self.related.currentItem() is not None)

    def _unlink(self) -> None:
        item = self.related.currentItem()
        if item is not None:
            self.unlink_requested.emit(item.data(Qt.ItemDataRole.UserRole))
