"""Resolving a conflicting edit: someone else saved the case while the user worked on it.

Shown when a save raises :class:`CaseConflict`. Nothing was written, and nothing is lost:
the dialog reloads the case, lists each field that both sides changed with "Din version" and
"Gemt af en anden" side by side, and the user chooses per field (preselected: the side that
changed it). The user's other changes, which nobody else touched, are kept without asking.
The result is saved against the version just read; if a third save got in between, the
dialog reloads and asks again.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QWidget,
)

from infohus_desktop.domain.cases import Case, CaseSummary
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.services.cases.editing import CaseConflict, CaseEdit, editable_values
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.retention.approval import Approval, ClassApprovalNeeded
from infohus_desktop.ui.case_format import CaseNames, load_names, value_text
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.merge import (
    FIELD_LABELS,
    Choice,
    conflicts,
    edited_values,
    is_empty,
    merged_edit,
)
from infohus_desktop.ui.dialogs.retention.approval_box import INCOMPLETE, ApprovalBox
from infohus_desktop.ui.dialogs.saving import SavingDialog
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.layout import hint


def _value_label(text: str) -> QLabel:
    value = QLabel(text)
    value.setWordWrap(True)
    value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    value.setMinimumWidth(220)
    value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return value


class ConflictDialog(SavingDialog):
    """:attr:`result_summary` holds the saved case after it is accepted."""

    def __init__(
        self,
        ctx: AppContext,
        base: Case,
        edit: CaseEdit,
        exc: CaseConflict,
        names: CaseNames | None = None,
        parent: QWidget | None = None,
        approval: Approval | None = None,
    ) -> None:
        """``approval``: the second person the edit dialog was given for a shorter class,
        passed on, so that the merged save keeps it (it had no box of its own)."""
        super().__init__(
            ctx,
            tr(
                f"{base.summary.number} er ændret af en anden",
                f"{base.summary.number} was changed by someone else",
            ),
            "conflictDialog",
            tr("&Gem de valgte", "&Save the chosen"),
            parent,
        )
        self.number = base.summary.number
        self.given = approval
        self.base_values: Mapping[str, object] = editable_values(base)
        self.mine: Mapping[str, object] = edited_values(base, edit)
        self.changed = list(exc.fields)
        self.names = names
        self.current: Case | None = None
        self.choices: list[Choice] = []
        self.groups: dict[str, QButtonGroup] = {}
        self.result_summary: CaseSummary | None = None
        self.intro = QLabel()
        self.intro.setObjectName("conflictIntro")
        self.intro.setWordWrap(True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(10)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        self.kept = hint("")
        self.kept.setObjectName("conflictKept")
        self.body.addWidget(self.intro)
        self.body.addWidget(scroll, 1)
        self.body.addWidget(self.kept)
        # Shown when the merged save keeps a class that deletes the case sooner and no
        # approval came with the edit (services/retention/approval.py).
        self.approval = ApprovalBox()
        self.approval.hide()
        self.body.addWidget(self.approval)
        self.finish()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("Annuller (intet gemmes)", "Cancel (nothing is saved)")
        )
        self.ok_button.setEnabled(False)
        self.resize(820, 520)
        self._reload()

    # -- loading -----------------------------------------------------------------------------

    def _reload(self, notice: str = "") -> None:
        number, names = self.number, self.names

        def load(s: MemberServices) -> tuple[Case, CaseNames]:
            return s.cases.show(number), names or load_names(s)

        self.save(load, lambda loaded: self._loaded(*loaded, notice))

    def _loaded(self, current: Case, names: CaseNames, notice: str) -> None:
        self.current, self.names = current, names
        theirs = editable_values(current)
        self.choices, kept = conflicts(self.base_values, self.mine, theirs, self.changed)
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        self.groups.clear()
        self.intro.setText(
            (notice + " " if notice else "")
            + tr(
                f"Mens du arbejdede, gemte en anden en ny version af {self.number}. Intet af "
                "dit er gemt endnu. Vælg for hvert felt herunder, hvilken version der skal "
                "gælde, og gem.",
                f"While you worked, someone else saved a new version of {self.number}. None "
                "of your changes is saved yet. Choose for each field below which version "
                "applies, and save.",
            )
        )
        header_style = "font-weight: bold;"
        for col, text in enumerate(
            (
                tr("Felt", "Field"),
                tr("Din version", "Your version"),
                tr("Gemt af en anden", "Saved by someone else"),
            )
        ):
            head = QLabel(text)
            head.setStyleSheet(header_style)
            self.grid.addWidget(head, 0, col)
        for row, choice in enumerate(self.choices, start=1):
            self._add_row(row, choice)
        if not self.choices:
            none = QLabel(
                tr(
                    "Ingen felter er ændret af jer begge; dine ændringer kan gemmes som de er.",
                    "No field was changed by both of you; your changes can be saved as they are.",
                )
            )
            none.setWordWrap(True)
            self.grid.addWidget(none, 1, 0, 1, 3)
        self.grid.setRowStretch(len(self.choices) + 2, 1)
        kept_names = ", ".join(label(FIELD_LABELS, key) for key in kept)
        self.kept.setText(
            tr(
                f"Dine ændringer, som ingen andre har rørt, gemmes også: {kept_names}.",
                f"Your changes that nobody else touched are saved too: {kept_names}.",
            )
            if kept
            else ""
        )
        self.kept.setVisible(bool(kept))
        self.ok_button.setEnabled(True)
        buttons = [b for g in self.groups.values() for b in g.buttons()]
        if buttons:
            buttons[0].setFocus()

    def _add_row(self, row: int, choice: Choice) -> None:
        assert self.names is not None
        name = label(FIELD_LABELS, choice.key)
        field = QLabel(name)
        field.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        group = QButtonGroup(self)
        self.groups[choice.key] = group
        for col, (value, mine) in enumerate(((choice.mine, True), (choice.theirs, False)), start=1):
            cell = QWidget()
            inner = QGridLayout(cell)
            inner.setContentsMargins(0, 0, 0, 0)
            button = QRadioButton()
            side = (
                tr("Din version", "Your version")
                if mine
                else tr("Gemt af en anden", "Saved by someone else")
            )
            button.setAccessibleName(f"{name}: {side}")
            button.setObjectName(f"{choice.key}:{'mine' if mine else 'theirs'}")
            button.setProperty("mine", mine)
            group.addButton(button)
            text = _value_label(value_text(choice.key, value, self.names))
            text.setBuddy(button)
            inner.addWidget(button, 0, 0, Qt.AlignmentFlag.AlignTop)
            inner.addWidget(text, 0, 1)
            inner.setColumnStretch(1, 1)
            button.setChecked(mine == choice.changed_by_me)
            self.grid.addWidget(cell, row, col)
        self.grid.addWidget(field, row, 0)

    # -- choosing and saving -----------------------------------------------------------------

    def pick(self, key: str, mine: bool) -> None:
        """Choose a side for one field (as clicking its radio button does)."""
        for button in self.groups[key].buttons():
            if bool(button.property("mine")) == mine:
                button.setChecked(True)

    def picks(self) -> dict[str, bool]:
        out = {}
        for key, group in self.groups.items():
            checked = group.checkedButton()
            out[key] = bool(checked.property("mine")) if checked else False
        return out

    def submit(self) -> None:
        if self.current is None:
            return
        current = self.current
        theirs = editable_values(current)
        edit = merged_edit(self.base_values, self.mine, theirs, self.picks())
        if is_empty(edit):
            self.result_summary = current.summary
            self.finish_saved()
            return
        number, version = self.number, current.summary.version
        # What is being saved becomes "mine" should a third save get in first.
        chosen = edited_values(current, edit)
        approval = self.given
        if self.approval.isVisible():
            approval = self.approval.take()
            if approval is None:
                self.show_problem(tr(*INCOMPLETE))
                return

        def failed(exc: InfohusError) -> None:
            if isinstance(exc, ClassApprovalNeeded) and self.approval.isHidden():
                self.approval.ask(
                    exc.message(language())
                    + tr(
                        " Godkenderen skriver sin bruger og adgangsfrase her.",
                        " The approver types their login and passphrase here.",
                    )
                )
                self.grow_to_fit()
                self.show_problem(
                    tr(
                        "Opbevaringen skal godkendes; se nederst.",
                        "The retention must be approved; see below.",
                    )
                )
                return
            if not isinstance(exc, CaseConflict):
                self.show_problem(exc.message(language()))
                return
            self.base_values, self.mine, self.changed = theirs, chosen, list(exc.fields)
            self._reload(tr("Sagen blev ændret igen.", "The case was changed again."))

        self.save(
            lambda s: s.cases.edit(number, version, edit, base=current, approval=approval),
            self._saved,
            failed,
        )

    def _saved(self, summary: CaseSummary) -> None:
        self.result_summary = summary
        self.finish_saved()
