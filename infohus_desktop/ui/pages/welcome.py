"""The welcome screen on a machine with no vault: create one, open one, or try the demo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.layout import card, heading, hint
from infohus_desktop.vault.urls import url_for_path


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

    def __init__(self) -> None:
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
                "Opdigtede sager, møder og medlemmer til at lære programmet at kende. Dens "
                "brugere og adgangsfraser vises, når den åbnes.",
                "Made-up cases, meetings and members to get to know the program. Its users "
                "and passphrases are shown when it opens.",
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
