"""Small building blocks that give every screen the same look."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading" if level == 1 else "subheading")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * (1.5 if level == 1 else 1.15))
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def card(layout: QLayout, width: int | None = None) -> QFrame:
    """A framed panel, e.g. the unlock form in the middle of the window."""
    frame = QFrame()
    frame.setObjectName("card")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setLayout(layout)
    layout.setContentsMargins(24, 20, 24, 20)
    if width:
        frame.setMinimumWidth(width)
        frame.setMaximumWidth(int(width * 1.4))
    return frame


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def boxed(*widgets: QWidget) -> QVBoxLayout:
    box = QVBoxLayout()
    for widget in widgets:
        box.addWidget(widget)
    return box


def action_button(name: str, icon_name: str, text: tuple[str, str]) -> QPushButton:
    """A button with an icon and a (Danish, English) text, named for tests and parity."""
    button = QPushButton(icon(icon_name), tr(*text))
    button.setObjectName(name)
    return button


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK and Cancel for a small dialog, OK named for what it does ("Åbn", "Skift")."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuller", "Cancel"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def hide_unless(allowed: bool, *widgets: QWidget) -> None:
    """Hide ``widgets`` unless ``allowed`` (a button the member's role may not use), while
    they may not have their parent yet. ``setVisible(True)`` on a widget without a parent
    opens it as a window of its own: a button flashed up on the screen and the main window
    lost the keyboard focus, its shortcuts dead until clicked. A child is shown with its
    parent anyway, so only hiding is ever needed when a screen is made."""
    if not allowed:
        for widget in widgets:
            widget.hide()
