""" "Om Infohus Desktop": which build this is, for support and bug reports.

It shows the same rows as ``infohus --version`` (:mod:`infohus_desktop.build_info`), with the
Qt version the app actually runs on rather than the one its package metadata names, and the
values can be selected and copied. Nothing about the vault or the member is shown.
"""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.build_info import build_info
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon


def about_rows() -> list[tuple[str, str]]:
    """The dialog's rows in the current language; Qt as it runs, with its binding."""
    rows = build_info().rows(tr("ukendt", "unknown"), tr("kildetræ", "source tree"), "Version")
    qt = f"{qVersion()} (PySide6 {pyside_version})"
    return [("Qt", qt) if label.startswith("Qt") else (label, value) for label, value in rows]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(tr("Om Infohus Desktop", "About Infohus Desktop"))
        logo = QLabel()
        logo.setPixmap(icon("app").pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel("<b>Infohus Desktop</b>")
        title.setObjectName("aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        blurb = QLabel(
            tr(
                "Krypterede bekymringssager, møder og henvisninger for Infohusene.",
                "Encrypted concern cases, meetings and referrals for the Infohuse.",
            )
        )
        blurb.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setHorizontalSpacing(18)
        self.values: dict[str, QLabel] = {}
        for label, value in about_rows():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[label] = shown
            form.addRow(f"{label}:", shown)
        hint = QLabel(
            tr(
                "Nævn disse linjer, når du melder en fejl.",
                "Quote these lines when you report a problem.",
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("aboutHint")
        text = QVBoxLayout()
        text.setSpacing(10)
        text.addWidget(title)
        text.addWidget(blurb)
        text.addLayout(form)
        text.addWidget(hint)
        top = QHBoxLayout()
        top.setSpacing(18)
        top.addWidget(logo)
        top.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("&Luk", "&Close"))
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.setContentsMargins(22, 22, 22, 16)
        box.setSpacing(16)
        box.addLayout(top)
        box.addWidget(buttons)
        self.setMinimumWidth(520)

    def text(self) -> str:
        """The rows as plain lines, as a test or a support request reads them."""
        return "\n".join(f"{label}: {value.text()}" for label, value in self.values.items())
