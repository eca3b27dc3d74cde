"""One input per field of the vault's referral form, chosen by the field's type.

The form is configurable per vault (``services/referrals/settings.py``), so the dialog cannot
be drawn by hand: each :class:`FormField` becomes a :class:`FieldEditor` that knows its widget,
its value in the service's JSON-native form (``str`` or ``list[str]``) and a red line under
it for what is wrong with it. The ``attachments`` field is a list of the case's attachments to
tick, never ids to type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import AttachmentInfo
from infohus_desktop.domain.referrals import (
    YES_NO_LABELS,
    FieldType,
    FieldValue,
    FormField,
)
from infohus_desktop.ui.dialogs.saving import text_area
from infohus_desktop.ui.i18n import fmt_datetime, language, tr
from infohus_desktop.ui.widgets.dates import OptionalDateEdit
from infohus_desktop.ui.widgets.tables import size_text

ATTACHMENTS_KEY = "attachments"
ERROR_STYLE = "color: #b00020;"
ERROR_FIELD_STYLE = "border: 1px solid #b00020;"


def field_label(f: FormField) -> str:
    """The label as the form shows it: with a star when the field must be answered."""
    text = f.label(language())
    return f"{text} *" if f.required else text


class FieldEditor(QWidget):
    """The input of one field, with its error line beneath."""

    def __init__(
        self,
        f: FormField,
        attachments: Sequence[AttachmentInfo] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.field = f
        self.setObjectName(f"field_{f.key}")
        name = f.label(language())
        self.input: QWidget
        if f.key == ATTACHMENTS_KEY and f.type is FieldType.LIST:
            self.input = self._attachment_list(attachments)
        elif f.type is FieldType.TEXT:
            self.input = QLineEdit()
        elif f.type is FieldType.LONG_TEXT:
            self.input = text_area("", name, 70)
            self.input.setMaximumHeight(140)
        elif f.type is FieldType.LIST:
            self.input = text_area("", name, 60)
            self.input.setMaximumHeight(110)
            self.input.setPlaceholderText(tr("Én pr. linje", "One per line"))
        elif f.type is FieldType.DATE:
            self.input = OptionalDateEdit()
        else:  # CHOICE, YES_NO_UNKNOWN
            combo = QComboBox()
            combo.addItem(tr("Ikke besvaret", "Not answered"), "")
            if f.type is FieldType.YES_NO_UNKNOWN:
                for code, pair in YES_NO_LABELS.items():
                    combo.addItem(tr(*pair), code)
            else:
                for choice in f.choices:
                    combo.addItem(choice.label_en if language() == "en" else choice.label_da,
                                  choice.code)  # fmt: skip
            self.input = combo
        self.input.setObjectName(f"input_{f.key}")
        self.input.setAccessibleName(name)
        if f.required:
            self.input.setAccessibleDescription(tr("Påkrævet", "Required"))
        self.error = QLabel()
        self.error.setObjectName(f"error_{f.key}")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setAccessibleName(tr(f"Fejl i {name}", f"Error in {name}"))
        self.error.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.input)
        box.addWidget(self.error)

    def _attachment_list(self, attachments: Sequence[AttachmentInfo]) -> QListWidget:
        widget = QListWidget()
        for a in attachments:
            item = QListWidgetItem(f"{a.filename} ({size_text(a.size)}, {fmt_datetime(a.added)})")
            item.setData(Qt.ItemDataRole.UserRole, str(a.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            widget.addItem(item)
        if not attachments:
            item = QListWidgetItem(tr("Sagen har ingen bilag.", "The case has no attachments."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)
        rows = max(1, min(len(attachments), 5))
        widget.setMaximumHeight(rows * 24 + 8)
        return widget

    # -- value -------------------------------------------------------------------------------

    def value(self) -> FieldValue:
        w = self.input
        if isinstance(w, QListWidget):
            return [
                str(w.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(w.count())
                if w.item(i).checkState() == Qt.CheckState.Checked
            ]
        if isinstance(w, QLineEdit):
            return w.text().strip()
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText()
            if self.field.type is FieldType.LIST:
                return [line.strip() for line in text.splitlines() if line.strip()]
            return text.rstrip()
        if isinstance(w, OptionalDateEdit):
            day = w.value()
            return day.isoformat() if day else ""
        assert isinstance(w, QComboBox)
        return str(w.currentData() or "")

    def set_value(self, value: FieldValue | None) -> None:
        w = self.input
        if isinstance(w, QListWidget):
            chosen = set(value or [])
            for i in range(w.count()):
                item = w.item(i)
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    checked = item.data(Qt.ItemDataRole.UserRole) in chosen
                    item.setCheckState(
                        Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                    )
            return
        if isinstance(value, list):
            value = "\n".join(value)
        text = value or ""
        if isinstance(w, QLineEdit):
            w.setText(text)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(text)
        elif isinstance(w, OptionalDateEdit):
            try:
                w.set_value(date.fromisoformat(text) if text else None)
            except ValueError:
                w.set_value(None)
        elif isinstance(w, QComboBox):
            index = w.findData(text)
            if index < 0 and text:  # a code since removed from the choices: keep it visible
                w.addItem(text, text)
                index = w.count() - 1
            w.setCurrentIndex(max(index, 0))

    def on_change(self, callback: Callable[[], None]) -> None:
        w = self.input
        if isinstance(w, QListWidget):
            w.itemChanged.connect(lambda _i: callback())
        elif isinstance(w, QLineEdit):
            w.textChanged.connect(lambda _t: callback())
        elif isinstance(w, QPlainTextEdit):
            w.textChanged.connect(callback)
        elif isinstance(w, OptionalDateEdit):
            w.dateChanged.connect(lambda _d: callback())
        elif isinstance(w, QComboBox):
            w.currentIndexChanged.connect(lambda _i: callback())

    # -- problems ----------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.input.setStyleSheet(
            f"{type(self.input).__name__} {{ {ERROR_FIELD_STYLE} }}" if text else ""
        )

    @property
    def has_error(self) -> bool:
        return bool(self.error.text())
