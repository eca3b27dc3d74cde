"""The welcome screen on a machine with no vault: create one, open one, or try the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.layout import card, heading, hint
from infohus_desktop.vault.urls import url_for_path


def demo_member_rows() -> list[tuple[str, str, str, str]]:
    """The demo's members for the page's passphrase table: login, role, organisation and
    passphrase. Loaded when the page is shown, not at start."""
    from infohus_desktop import demo
    from infohus_desktop.domain.labels import ROLE_LABELS

    return [
        (m.login, tr(*ROLE_LABELS[m.role]), m.organisation, m.passphrase) for m in demo.DEMO_MEMBERS
    ]


def _big_button(name: str, icon_name: str, title: str, text: str) -> QCommandLinkButton:
    button = QCommandLinkButton(title, text)
    button.setObjectName(name)
    button.setIcon(icon(icon_name))
    button.setIconSize(QSize(32, 32))
    button.setAccessibleName(title)
    return button


class WelcomePage(QWidget):
    new_vault = Signal()
    open_vault = Signal(str)  # a database URL
    open_server = Signal(str)  # the district's server, as typed in the server dialog
    open_demo = Signal()
    restore_backup = Signal()

    def __init__(self, demo_members: list[tuple[str, str, str, str]]) -> None:
        """``demo_members``: (login, role, organisation, passphrase) of the demo vault."""
        super().__init__()
        self.setObjectName("welcomePage")
        create = _big_button(
            "createVault",
            "add",
            tr("Opret en ny boks", "Create a new vault"),
            tr(
                "For en politikreds: du bliver den første koordinator.",
                "For a police district: you become its first coordinator.",
            ),
        )
        create.clicked.connect(self.new_vault.emit)
        existing = _big_button(
            "openVault",
            "open",
            tr("Åbn en eksisterende boks", "Open an existing vault"),
            tr(
                "En boksfil på denne computer eller distriktets server.",
                "A vault file on this computer or the district's server.",
            ),
        )
        existing.clicked.connect(self._choose_existing)
        demo = _big_button(
            "openDemo",
            "demo",
            tr("Prøv demoboksen", "Try the demo vault"),
            tr(
                "Opdigtede sager, møder og medlemmer til at lære programmet at kende.",
                "Made-up cases, meetings and members to get to know the program.",
            ),
        )
        demo.clicked.connect(self.open_demo.emit)
        server = QPushButton(tr("…eller distriktets &server", "…or the district's &server"))
        server.setObjectName("openServer")
        server.setFlat(True)
        server.clicked.connect(self.ask_server)
        restore = QPushButton(
            tr("…eller genskab fra en &sikkerhedskopi", "…or restore from a &backup")
        )
        restore.setObjectName("restoreBackup")
        restore.setFlat(True)
        restore.clicked.connect(self.restore_backup.emit)
        self.demo_busy = QProgressBar()
        self.demo_busy.setObjectName("demoProgress")
        self.demo_busy.hide()
        self.demo_status = QLabel()
        self.demo_status.setWordWrap(True)

        table = QTableWidget(len(demo_members), 4)
        table.setObjectName("demoPassphrases")
        table.setHorizontalHeaderLabels(
            [
                tr("Bruger", "User"),
                tr("Rolle", "Role"),
                tr("Organisation", "Organisation"),
                tr("Adgangsfrase", "Passphrase"),
            ]
        )
        for row, values in enumerate(demo_members):
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(row, col, item)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        table.resizeColumnsToContents()
        table.resizeRowsToContents()
        rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(
            rows_height + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + 2
        )
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setAccessibleName(tr("Demoboksens brugere", "The demo vault's users"))

        body = QVBoxLayout()
        body.addWidget(heading(tr("Velkommen til Infohus Desktop", "Welcome to Infohus Desktop")))
        body.addWidget(
            hint(
                tr(
                    "Bekymringssager, møder og henvisninger for Infohusene, krypteret på din "
                    "computer eller på politikredsens server.",
                    "Concern cases, meetings and referrals for the Infohuse, encrypted on your "
                    "computer or on the police district's server.",
                )
            )
        )
        for button in (create, existing):
            body.addWidget(button)
        body.addWidget(server, alignment=Qt.AlignmentFlag.AlignRight)
        body.addWidget(restore, alignment=Qt.AlignmentFlag.AlignRight)
        body.addWidget(demo)
        body.addWidget(self.demo_busy)
        body.addWidget(self.demo_status)
        body.addWidget(heading(tr("Demoboksens adgangsfraser", "The demo vault's passphrases"), 2))
        body.addWidget(
            hint(
                tr(
                    "Kun til demoboksen: alle personer og sager i den er opdigtede.",
                    "For the demo vault only: every person and case in it is made up.",
                )
            )
        )
        body.addWidget(table)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addStretch()
        centred = QHBoxLayout()
        centred.addStretch()
        centred.addWidget(card(body, 640))
        centred.addStretch()
        column.addLayout(centred)
        column.addStretch()
        # A small window (or 200 % scaling) scrolls instead of cutting the card off.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _choose_existing(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            tr("Åbn boks", "Open vault"),
            "",
            tr(
                "Infohus-boks (*.sqlite);;Alle filer (*)", "Infohus vault (*.sqlite);;All files (*)"
            ),
        )
        if path:
            self.open_vault.emit(url_for_path(Path(path).expanduser().resolve()))

    def ask_server(self) -> None:
        from infohus_desktop.ui.dialogs.server import ServerDialog

        dialog = ServerDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.open_server.emit(dialog.url))
        dialog.open()

    def show_demo_progress(self, done: int, total: int) -> None:
        self.demo_busy.show()
        self.demo_busy.setRange(0, max(total, 1))
        self.demo_busy.setValue(done)
        self.demo_status.setText(
            tr(
                f"Demoboksen bygges: {done} af {total}…",
                f"Building the demo vault: {done} of {total}…",
            )
        )
