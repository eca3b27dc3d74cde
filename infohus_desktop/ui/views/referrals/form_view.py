"""A referral's filled-in form, read-only: one box per section, each caption above its value,
values shown as a reader expects them (choice labels, not codes; dates as 23.11.2026;
attachments by file name). Values of fields a coordinator has since removed are kept and shown
last, under their key: nothing stored is hidden.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from infohus_desktop.domain.referrals import (
    SECTION_LABELS,
    YES_NO_LABELS,
    FieldType,
    FieldValue,
    FormField,
    ReferralForm,
)
from infohus_desktop.ui.i18n import fmt_date, language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.tables import form, value_label


def value_text(f: FormField, value: FieldValue | None, names: dict[str, str]) -> str:
    """A stored value as the reader should see it (labels, not codes; dates as 23.11.2026)."""
    if not value:
        return "–"
    if isinstance(value, list):
        items = [names.get(v, v) for v in value] if f.key == "attachments" else value
        return "\n".join(f"• {v}" for v in items)
    if f.type is FieldType.CHOICE:
        for choice in f.choices:
            if choice.code == value:
                return choice.label_en if language() == "en" else choice.label_da
        return value
    if f.type is FieldType.YES_NO_UNKNOWN:
        return label(YES_NO_LABELS, value)
    if f.type is FieldType.DATE:
        try:
            return fmt_date(date.fromisoformat(value))
        except ValueError:
            return value
    if f.key == "person_cpr" and len(value) == 10 and value.isdigit():
        return f"{value[:6]}-{value[6:]}"  # as everywhere else (080703-9906)
    return value


def _rows() -> QFormLayout:
    """Caption above value: long captions ("Kontaktperson hos henviser (navn, telefon,
    e-mail)") never squeeze or clip beside a value, in either language."""
    rows = form()
    rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
    rows.setVerticalSpacing(2)
    return rows


def _caption(text: str) -> QLabel:
    caption = QLabel(text)
    caption.setTextFormat(Qt.TextFormat.PlainText)
    caption.setWordWrap(True)
    caption.setStyleSheet("color: palette(placeholder-text);")
    return caption


def _value(text: str, name: str) -> QLabel:
    label_ = value_label(text, name)
    label_.setContentsMargins(0, 0, 0, 6)
    return label_


def form_view(rf: ReferralForm, values: dict[str, FieldValue], names: dict[str, str]) -> QWidget:
    """The filled-in form, read-only, one box per section; values of removed fields last."""
    page = QWidget()
    page.setObjectName("referralValues")
    box = QVBoxLayout(page)
    for section, fields in rf.by_section():
        group = QGroupBox(label(SECTION_LABELS, section))
        rows = _rows()
        for f in fields:
            rows.addRow(
                _caption(f.label(language())),
                _value(value_text(f, values.get(f.key), names), f.key),
            )
        group.setLayout(rows)
        box.addWidget(group)
    known = {f.key for f in rf.fields}
    removed = [k for k in values if k not in known and values[k]]
    if removed:
        group = QGroupBox(
            tr("Felter, der ikke længere er i formularen", "Fields no longer in the form")
        )
        rows = _rows()
        for key in removed:
            v = values[key]
            rows.addRow(_caption(key), _value("\n".join(v) if isinstance(v, list) else v, key))
        group.setLayout(rows)
        box.addWidget(group)
    box.addStretch(1)
    return page
