"""Required fields marked with *, and each problem shown beside its own field.

A form adds its rows through :meth:`FieldMarks.row`: the caption gets a * when the field is
required, and an empty red line waits under the field. :meth:`FieldMarks.show` takes the
problems as (field, message) pairs, writes each under its field (a field added without
:meth:`row` that shows its own problem, such as the CPR number's live line, is only marked),
marks the field for screen readers and moves the focus to the first; :meth:`clear` takes
them away again. The dialog's own red line at the bottom then only says how many fields need
attention.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from infohus_desktop.ui.i18n import tr

Problem = tuple[QWidget, str]
_MARKED = "border: 1px solid #b00020;"


class FieldMarks:
    def __init__(self) -> None:
        self._messages: dict[QWidget, QLabel] = {}
        self._styles: dict[QWidget, str] = {}

    def row(
        self,
        form: QFormLayout,
        caption: str,
        field: QWidget,
        required: bool = False,
        name: str = "",
    ) -> QLabel:
        """Add ``field`` under ``caption`` (with * when required) and its message line."""
        label = QLabel(f"{caption} *" if required else caption)
        label.setBuddy(field)
        message = QLabel()
        message.setObjectName(f"{name or field.objectName()}Problem")
        message.setWordWrap(True)
        message.setStyleSheet("color: #b00020;")
        message.hide()
        holder = QWidget()
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(2)
        stack.addWidget(field)
        stack.addWidget(message)
        form.addRow(label, holder)
        self._messages[field] = message
        return label

    def show(self, problems: Sequence[Problem], focus: bool = True) -> None:
        self.clear()
        for field, text in problems:
            message = self._messages.get(field)
            if message is not None:
                message.setText(text)
                message.show()
            self._styles.setdefault(field, field.styleSheet())
            field.setStyleSheet(_MARKED)
            field.setAccessibleDescription(text)
        if problems and focus:
            problems[0][0].setFocus()

    def clear(self) -> None:
        for field, message in self._messages.items():
            message.hide()
            message.clear()
            field.setAccessibleDescription("")
        for field, style in self._styles.items():
            field.setStyleSheet(style)
            field.setAccessibleDescription("")
        self._styles.clear()

    def message(self, field: QWidget) -> str:
        """The message shown under ``field`` now ("" when none)."""
        label = self._messages.get(field)
        return label.text() if label is not None and not label.isHidden() else ""


def summary(problems: Sequence[Problem]) -> str:
    """The dialog's bottom line when fields are marked."""
    if len(problems) == 1:
        return tr("Ret det markerede felt.", "Correct the marked field.")
    return tr(
        f"Ret de {len(problems)} markerede felter.", f"Correct the {len(problems)} marked fields."
    )
