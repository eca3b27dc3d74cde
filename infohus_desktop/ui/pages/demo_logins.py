"""The demo vault's logins and passphrases, shown on the demo's own unlock page.

They are shown there and nowhere else: a real workstation's welcome page listed them beside
"Opret en ny boks", where logins such as "lars" look like real members' (user trial), and
the passphrases were gone from view by the time the demo's unlock page asked for one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.vault.urls import url_for_path


def is_demo(url: str, demo_path: Path) -> bool:
    """Whether ``url`` is the demo vault at ``demo_path``."""
    return url == url_for_path(demo_path)


def demo_member_rows() -> list[tuple[str, str, str]]:
    """The demo's members (login, role, passphrase). On the worker: the demo package loads
    the services with it (half a second), which the unlock page must not wait for."""
    from infohus_desktop import demo
    from infohus_desktop.domain.labels import ROLE_LABELS

    return [(m.login, tr(*ROLE_LABELS[m.role]), m.passphrase) for m in demo.DEMO_MEMBERS]


class DemoLogins(QWidget):
    """A table of the demo's members; choosing a row fills the unlock form with it."""

    chosen = Signal(str, str)  # login, passphrase

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.setObjectName("demoLogins")
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("demoPassphrases")
        self.table.setHorizontalHeaderLabels(
            [tr("Bruger", "User"), tr("Rolle", "Role"), tr("Adgangsfrase", "Passphrase")]
        )
        for row, values in enumerate(rows):
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, col, item)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.resizeRowsToContents()
        # As tall and wide as its rows, measured by Qt once the style is known: a height
        # summed here, before the page is shown, cut off the last member.
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setAccessibleName(tr("Demoboksens brugere", "The demo vault's users"))
        self.table.itemSelectionChanged.connect(self._choose)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        column.addWidget(
            hint(
                tr(
                    "Demoboksen: alle personer og sager i den er opdigtede. Vælg en bruger for "
                    "at udfylde felterne.",
                    "The demo vault: every person and case in it is made up. Choose a user to "
                    "fill in the fields.",
                )
            )
        )
        column.addWidget(self.table)

    def _choose(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            row = rows[0].row()
            login, passphrase = self.table.item(row, 0), self.table.item(row, 2)
            if login is not None and passphrase is not None:
                self.chosen.emit(login.text(), passphrase.text())
