"""Overdrag sagen …: hand the case over to another Infohus (a coordinator). The recipient is
one of the pinned organisations; the file is written where the coordinator chooses, and the
case is read-only once it is in place (services/cases/transfer.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from infohus_desktop.services.cases.transfer import TransferSent
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import form


class TransferDialog(SavingDialog):
    def __init__(
        self,
        ctx: AppContext,
        number: str,
        recipients: list[tuple[str, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """``recipients``: (id, name, organisation) of the pinned organisations. None is
        chosen for the user: the whole case goes to the one they pick, and the pinned keys
        include exit programmes as well as other Infohuse."""
        super().__init__(
            ctx,
            tr(f"Overdrag {number}", f"Hand over {number}"),
            "transferDialog",
            tr("&Overdrag sagen", "&Hand over the case"),
            parent,
        )
        self.number = number
        self.sent: TransferSent | None = None
        self.recipient = QComboBox()
        self.recipient.setObjectName("transferRecipient")
        self.recipient.setAccessibleName(tr("Modtagende Infohus", "Receiving Infohus"))
        for recipient_id, name, organisation in recipients:
            shown = f"{name} ({organisation})" if organisation and organisation != name else name
            self.recipient.addItem(shown, recipient_id)
        self.recipient.setPlaceholderText(
            tr("Vælg det Infohus, der overtager sagen", "Choose the Infohus taking the case over")
        )
        self.recipient.setCurrentIndex(-1)
        self.recipient.currentIndexChanged.connect(lambda _index: self.show_problem(""))
        self.reason = QLineEdit()
        self.reason.setObjectName("transferReason")
        self.reason.setPlaceholderText(
            tr("fx Personen er flyttet til Fyn", "e.g. The person moved")
        )
        self.path = QLineEdit()
        self.path.setObjectName("transferFile")
        self.path.setText(str(Path.home() / f"{tr('overdragelse', 'handover')}-{number}.ihb"))
        self.path.setMinimumWidth(320)
        choose = QPushButton(tr("&Vælg …", "&Choose …"))
        choose.setObjectName("chooseTransferFile")
        choose.clicked.connect(self.choose)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        fields = form()
        fields.addRow(tr("&Til", "&To"), self.recipient)
        fields.addRow(tr("&Begrundelse", "&Reason"), self.reason)
        fields.addRow(tr("Fil", "File"), where)
        self.body.addLayout(fields)
        self.body.addWidget(
            hint(
                tr(
                    "Hele sagen med bilag krypteres til det modtagende Infohus, som importerer "
                    "den som en ny sag. Her bliver sagen overdraget: den kan kun læses, "
                    "videregivelsen noteres (retsplejelovens § 115), og den slettes efter "
                    "slettereglerne for overdragne sager. Send filen sikkert; den kan "
                    "importeres i 30 dage.",
                    "The whole case with its attachments is encrypted to the receiving "
                    "Infohus, which imports it as a new case. Here the case is handed over: it "
                    "can only be read, the disclosure is recorded (retsplejelovens § 115), and "
                    "it is deleted by the retention rule for handed-over cases. Send the file "
                    "securely; it can be imported for 30 days.",
                )
            )
        )
        if not recipients:
            self.body.addWidget(
                hint(
                    tr(
                        "Ingen modtagere er godkendt endnu: tilføj det andet Infohus' "
                        "nøglekort under Administration → Indstillinger → Modtagere af pakker.",
                        "No recipient is pinned yet: add the other Infohus's key card under "
                        "Administration → Settings → Bundle recipients.",
                    )
                )
            )
        self.finish()
        self.ok_button.setEnabled(bool(recipients))
        chain_tab_order([self.recipient, self.reason, self.path, choose, self.ok_button])
        self.setMinimumWidth(560)

    def choose(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr("Gem overdragelsen", "Save the handover"),
            self.path.text(),
            tr("Infohus-pakke (*.ihb)", "Infohus bundle (*.ihb)"),
        )
        if path:
            self.path.setText(path)

    def submit(self) -> None:
        if self.recipient.currentIndex() < 0:
            self.show_problem(
                tr(
                    "Vælg det Infohus, der overtager sagen.",
                    "Choose the Infohus taking the case over.",
                )
            )
            return
        number, reason = self.number, self.reason.text()
        recipient = str(self.recipient.currentData())
        target = Path(self.path.text().strip()).expanduser()

        def done(sent: TransferSent) -> None:
            self.sent = sent
            _tell_sent(self.parentWidget(), sent, target)
            self.finish_saved()

        self.save(lambda s: s.transfers.export(number, recipient, target, reason), done)


def _tell_sent(parent: QWidget | None, sent: TransferSent, target: Path) -> None:
    """Where the file is, to whom it goes and until when it can be imported, as the command
    line says it: the window said only that the case is read-only now (user trial)."""
    box = QMessageBox(parent)
    box.setObjectName("transferSentBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Sagen er overdraget", "The case is handed over"))
    box.setText(
        tr(
            f"Sag {sent.number} er overdraget til {sent.recipient} med {sent.attachments} "
            "bilag; den kan nu kun læses her.",
            f"Case {sent.number} was handed over to {sent.recipient} with {sent.attachments} "
            f"attachment{'' if sent.attachments == 1 else 's'}; it can now only be read here.",
        )
    )
    until = f"{sent.info.expires:%d.%m.%Y}"
    box.setInformativeText(
        tr(
            f"Pakken er gemt i {target}. Send den til modtageren ad en sikker vej; den kan "
            f"importeres indtil {until}.",
            f"The bundle is saved in {target}. Send it to the recipient by a secure route; it "
            f"can be imported until {until}.",
        )
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
