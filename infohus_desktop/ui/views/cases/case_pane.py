"""The right side of the cases area: the opened case and the button that closes it.

One case at a time: opening another replaces the view (the case view itself reads the case on
the worker, audited). The view is built by ``ui/views/cases/case_view.py``, imported when the
first case is opened so the list appears without waiting for the case screens to load.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.views.cases.case_view import CaseView


class CasePane(QWidget):
    #: The user closed the case (button or Ctrl+W).
    close_requested = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("casePane")
        self.ctx = ctx
        self.view: QWidget | None = None
        self.number: str | None = None
        self.close_button = QToolButton()
        self.close_button.setObjectName("closeCase")
        self.close_button.setIcon(icon("close"))
        self.close_button.setText(tr("Luk sagen", "Close the case"))
        self.close_button.setAccessibleName(tr("Luk sagen", "Close the case"))
        self.close_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(tr("Luk sagen (Ctrl+W)", "Close the case (Ctrl+W)"))
        self.close_button.clicked.connect(self.close_requested.emit)
        close_row = QHBoxLayout()
        close_row.addStretch()
        close_row.addWidget(self.close_button)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(4, 4, 8, 8)
        self.box.setSpacing(2)
        self.box.addLayout(close_row)

    def show_case(self, number: str) -> None:
        if number == self.number and self.view is not None:
            return

        view = CaseView(self.ctx, number)
        self.clear()
        self.view, self.number = view, number
        self.box.addWidget(view, 1)

    def clear(self) -> None:
        if self.view is not None:
            self.box.removeWidget(self.view)
            self.view.deleteLater()
        self.view = self.number = None
