"""The trend-note picker of the agenda's "Nyt punkt …" dialog: the notes the member can read
that are not yet on the meeting's agenda, by title, theme and period, newest period first.

The notes are listed on the worker (``session.meetings.trend_choices``: audited, decrypted
there); the GUI thread gets plain summaries. A trend note holds no personal data (the
personal-data check runs before it is saved), so the picker shows its title.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.trends import TrendSummary
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.models.trend_list import period_text


def choice_text(note: TrendSummary, themes: Mapping[str, tuple[str, str]]) -> str:
    """ "Memes i 8. klasse · Højreekstremisme · 01.07.2026 – 30.09.2026"."""
    labels = themes.get(note.theme)
    theme = tr(*labels) if labels else note.theme
    return f"{note.title} · {theme} · {period_text(note.period_from, note.period_to)}"


class TrendPicker(QComboBox):
    """Pick one readable trend note; :meth:`note_id` is the choice (None before one is made).
    :attr:`hint` says how many there are, or why there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemTrend")
        self.setAccessibleName(tr("Tendensnotat", "Trend note"))
        # Long titles must not widen the dialog beyond the screen: the list shows them whole.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(28)
        self.hint = QLabel(tr("Henter tendensnotater …", "Fetching trend notes …"))
        self.hint.setObjectName("itemTrendHint")
        self.hint.setWordWrap(True)
        self.loaded = False

    def load(self, ctx: AppContext, meeting_id: uuid.UUID, owner: QWidget) -> None:
        """List the notes on the worker, with the theme names to show them by."""
        ctx.run(
            lambda s: (s.meetings.trend_choices(meeting_id), s.trends.themes()),
            lambda result: self.show_choices(*result),
            owner,
            self._failed,
        )

    def show_choices(
        self, notes: Sequence[TrendSummary], themes: Mapping[str, tuple[str, str]]
    ) -> None:
        self.clear()
        for note in notes:
            text = choice_text(note, themes)
            self.addItem(text, note.id)
            self.setItemData(self.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
        self.setCurrentIndex(-1)
        self.loaded = True
        self.hint.setText(
            tr(f"{len(notes)} tendensnotater du kan læse", f"{len(notes)} trend notes you can read")
            if notes
            else tr(
                "Ingen tendensnotater, du kan læse, som ikke allerede er på dagsordenen.",
                "No trend notes you can read that are not on the agenda already.",
            )
        )

    def _failed(self, exc: InfohusError) -> None:
        self.hint.setText(exc.message(language()))

    def select(self, note_id: uuid.UUID) -> bool:
        """Choose the note with this id (``findData`` would compare UUIDs by identity)."""
        for row in range(self.count()):
            if self.itemData(row) == note_id:
                self.setCurrentIndex(row)
                return True
        return False

    def note_id(self) -> uuid.UUID | None:
        value = self.currentData()
        return value if isinstance(value, uuid.UUID) else None
