"""The bar an open case shows when someone on another workstation changed it.

Saving over a change one has not seen ends in a conflict; the bar says so before that
happens ("Ændret af Mette Fjord kl. 10.42") and offers to reload. It does not reload by
itself: the member may be reading, or halfway through something, and a screen that changes
under their eyes is worse than one that says it is out of date.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.ui.i18n import tr

_STYLE = "#changedElsewhere { background: #fff4d6; border: 1px solid #e0c67a; border-radius: 4px; }"


def changed_text(name: str | None, at: datetime) -> str:
    """ "Ændret af Mette Fjord kl. 10.42" in Danish time, as every other moment is shown."""
    clock = at.astimezone(COPENHAGEN).strftime("%H.%M")
    if name:
        return tr(f"Ændret af {name} kl. {clock}", f"Changed by {name} at {clock}")
    return tr(f"Ændret af et andet medlem kl. {clock}", f"Changed by another member at {clock}")


class ChangedElsewhereBar(QFrame):
    """Hidden until :meth:`show_change`; :attr:`reload_requested` when the button is pressed."""

    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changedElsewhere")
        self.setStyleSheet(_STYLE)
        self.setAccessibleName(tr("Sagen er ændret andetsteds", "The case was changed elsewhere"))
        self.message = QLabel()
        self.message.setObjectName("changedElsewhereText")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # a name is never markup
        self.reload_button = QPushButton(tr("Genindlæs", "Reload"))
        self.reload_button.setObjectName("changedElsewhereReload")
        self.reload_button.setToolTip(
            tr("Hent sagen igen med ændringen", "Load the case again with the change")
        )
        self.reload_button.clicked.connect(self.reload_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(12)
        layout.addWidget(self.message)
        layout.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addStretch(1)
        self.hide()

    def show_change(self, name: str | None, at: datetime) -> None:
        self.message.setText(changed_text(name, at) + " —")
        self.show()
