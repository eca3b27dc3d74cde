"""Resolving a stale edit of a trend note: someone else saved it while the user worked.

Nothing was written. The dialog loads the note as saved now; a field only the user changed
keeps their value, a field only the other changed keeps theirs, and for each field both
changed differently the user picks "Din version" or "Gemt af en anden" (preselected: theirs
is kept only if the user did not touch it). The result is saved against the version just
read; if yet another save got in between, the dialog reloads and asks again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.trends import (
    AREA_KIND_LABELS,
    DEVELOPMENT_LABELS,
    SOURCE_KIND_LABELS,
    AreaKind,
    Development,
    TrendContent,
    TrendNote,
)
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.trends.personal_data_check import NameRegister
from infohus_desktop.services.trends.rules import (
    FIELD_LABELS,
    PersonalDataFound,
    TrendConflict,
    merge,
    pick,
)
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog
from infohus_desktop.ui.i18n import fmt_date, language, tr
from infohus_desktop.ui.widgets.layout import hint


def value_text(value: object, themes: dict[str, tuple[str, str]]) -> str:
    """A field's value as the user reads it."""
    if value is None or value == "" or value == ():
        return tr("(tom)", "(empty)")
    if isinstance(value, AreaKind):
        return tr(*AREA_KIND_LABELS[value])
    if isinstance(value, Development):
        return tr(*DEVELOPMENT_LABELS[value])
    if isinstance(value, tuple):
        return ", ".join(tr(*SOURCE_KIND_LABELS[k]) for k in value)
    if hasattr(value, "strftime"):
        return fmt_date(value)  # type: ignore[arg-type]
    text = str(value)
    return tr(*themes[text]) if text in themes else text


class TrendConflictDialog(SavingDialog):
    """:attr:`result_note` holds the saved note after it is accepted."""

    def __init__(
        self,
        ctx: AppContext,
        base: TrendContent,
        mine: TrendContent,
        exc: TrendConflict,
        confirmed: bool,
        names: NameRegister | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr("Notatet er ændret af en anden", "The note was changed by someone else"),
            "trendConflictDialog",
            tr("&Gem de valgte", "&Save the chosen"),
            parent,
        )
        self.note_id = exc.note_id
        self.base, self.mine = base, mine
        self.confirmed, self.names = confirmed, names
        self.current: TrendNote | None = None
        self.merged: TrendContent | None = None
        self.groups: dict[str, QButtonGroup] = {}
        self.themes: dict[str, tuple[str, str]] = {}
        self.result_note: TrendNote | None = None
        self.intro = QLabel()
        self.intro.setObjectName("conflictIntro")
        self.intro.setWordWrap(True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        self.grid.setHorizontalSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        self.kept = hint("")
        self.kept.setObjectName("conflictKept")
        self.confirm = QCheckBox(
            tr(
                "Gem, selv om teksten ligner personoplysninger",
                "Save although the text looks like personal data",
            )
        )
        self.confirm.setObjectName("conflictConfirmPersonalData")
        self.confirm.hide()
        self.body.addWidget(self.intro)
        self.body.addWidget(scroll, 1)
        self.body.addWidget(self.kept)
        self.body.addWidget(self.confirm)
        self.finish()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("Annuller (intet gemmes)", "Cancel (nothing is saved)")
        )
        self.ok_button.setEnabled(False)
        self.resize(760, 380)
        self._reload()

    def _reload(self, notice: str = "") -> None:
        note_id = self.note_id

        def load(s: MemberServices) -> tuple[TrendNote, dict[str, tuple[str, str]]]:
            return s.trends.get(note_id), s.trends.themes()

        self.save(load, lambda loaded: self._loaded(*loaded, notice))

    def _loaded(self, current: TrendNote, themes: dict[str, tuple[str, str]], notice: str) -> None:
        self.current, self.themes = current, themes
        self.merged, choices = merge(self.base, self.mine, current.content)
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        self.groups.clear()
        self.intro.setText(
            (notice + " " if notice else "")
            + tr(
                f"Mens du arbejdede, gemte {current.updated_by} en ny version af notatet. "
                "Intet af dit er gemt endnu. Vælg for hvert felt herunder, hvilken version "
                "der skal gælde, og gem.",
                f"While you worked, {current.updated_by} saved a new version of the note. "
                "None of your changes is saved yet. Choose for each field below which "
                "version applies, and save.",
            )
        )
        for col, text in enumerate(
            (
                tr("Felt", "Field"),
                tr("Din version", "Your version"),
                tr("Gemt af en anden", "Saved by someone else"),
            )
        ):
            head = QLabel(text)
            head.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(head, 0, col)
        for row, name in enumerate(choices, start=1):
            self._add_row(row, name, current.content)
        if not choices:
            none = QLabel(
                tr(
                    "Ingen felter er ændret af jer begge; dine ændringer kan gemmes som de er.",
                    "No field was changed by both of you; your changes can be saved as they are.",
                )
            )
            none.setWordWrap(True)
            self.grid.addWidget(none, 1, 0, 1, 3)
        self.grid.setRowStretch(len(choices) + 2, 1)
        kept = [
            tr(*FIELD_LABELS[n])
            for n in FIELD_LABELS
            if getattr(self.mine, n) != getattr(self.base, n) and n not in choices
        ]
        self.kept.setText(
            tr(
                f"Dine ændringer, som ingen andre har rørt, gemmes også: {', '.join(kept)}.",
                f"Your changes that nobody else touched are saved too: {', '.join(kept)}.",
            )
            if kept
            else ""
        )
        self.kept.setVisible(bool(kept))
        self.ok_button.setEnabled(True)

    def _add_row(self, row: int, name: str, theirs: TrendContent) -> None:
        label = tr(*FIELD_LABELS[name])
        field = QLabel(label)
        field.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(field, row, 0)
        group = QButtonGroup(self)
        self.groups[name] = group
        for col, (content, mine) in enumerate(((self.mine, True), (theirs, False)), start=1):
            cell = QWidget()
            inner = QGridLayout(cell)
            inner.setContentsMargins(0, 0, 0, 0)
            button = QRadioButton()
            text = QLabel(value_text(getattr(content, name), self.themes))
            text.setWordWrap(True)
            text.setMinimumWidth(220)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setBuddy(button)
            inner.addWidget(button, 0, 0, Qt.AlignmentFlag.AlignTop)
            inner.addWidget(text, 0, 1)
            inner.setColumnStretch(1, 1)
            side = (
                tr("Din version", "Your version")
                if mine
                else tr("Gemt af en anden", "Saved by someone else")
            )
            button.setAccessibleName(f"{label}: {side}")
            button.setObjectName(f"{name}:{'mine' if mine else 'theirs'}")
            button.setProperty("mine", mine)
            button.setChecked(mine)
            group.addButton(button)
            self.grid.addWidget(cell, row, col)

    def pick_side(self, name: str, mine: bool) -> None:
        for button in self.groups[name].buttons():
            if bool(button.property("mine")) == mine:
                button.setChecked(True)

    def submit(self) -> None:
        if self.current is None or self.merged is None:
            return
        wins = {
            name: (button := group.checkedButton()) is not None and bool(button.property("mine"))
            for name, group in self.groups.items()
        }
        content = pick(self.merged, self.mine, wins)
        note_id, version, base = self.note_id, self.current.version, self.current.content
        confirmed = self.confirmed or self.confirm.isChecked()
        names = self.names

        def failed(exc: InfohusError) -> None:
            if isinstance(exc, TrendConflict):
                self.base, self.mine = base, content
                self._reload(tr("Notatet blev ændret igen.", "The note was changed again."))
            elif isinstance(exc, PersonalDataFound):
                self.confirm.show()
                self.show_problem(exc.message(language()))
            else:
                self.show_problem(exc.message(language()))

        self.save(
            lambda s: s.trends.edit(note_id, version, content, confirmed, base=base, names=names),
            self._saved,
            failed,
        )

    def _saved(self, note: TrendNote) -> None:
        self.result_note = note
        self.finish_saved()
