"""How every list shows a row that was changed outside the program: the row stays in view
(the reader must see that something is wrong), its text column says "kan ikke læses —
ændret uden om programmet", no other value of it is shown, and it is drawn in the warning
colour with a tooltip that says what happened and what to do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from infohus_desktop.domain.cases import TAMPERED_TEXT
from infohus_desktop.ui.i18n import tr

Role = Qt.ItemDataRole

TAMPERED_COLOUR = QColor("#b3261e")


def tampered_text() -> str:
    return tr(*TAMPERED_TEXT)


def tampered_role(role: int) -> Any:
    """The colour and tooltip of a tampered row for ``role``; None for other roles."""
    if role == Role.ForegroundRole:
        return TAMPERED_COLOUR
    if role == Role.ToolTipRole:
        return tr(
            "Rækken kan ikke læses: den er ændret uden om programmet. Det er registreret i "
            "revisionsloggen; kontakt en koordinator.",
            "The row cannot be read: it was changed outside the program. This is recorded in "
            "the audit log; contact a coordinator.",
        )
    return None
