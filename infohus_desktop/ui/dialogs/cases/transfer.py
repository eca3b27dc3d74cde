"""Overdrag sagen …: hand the case over to another Infohus (a coordinator). The recipient is
one of the pinned organisations; the file is written where the coordinator chooses, and the
case is read-only once it is in place (services/cases/transfer.py). A handover made outside
the program (secure mail, paper, an Infohus without the program) is recorded here too: the
status *overdraget* is set by a handover only, never chosen in the status dialog. Either way
the DPO or another coordinator approves it in the dialog's box (four eyes)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from infohus_desktop.services.cases.transfer import TransferSent
from infohus_desktop.services.retention.approval import Approval
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.retention.approval_box import INCOMPLETE, ApprovalBox
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
        # A handover made outside the program names the Infohus in words; no file.
        self.outside = QCheckBox(
            tr(
                "Sagen er overdraget &uden om programmet (fx med sikker post)",
                "The case was handed over &outside the program (e.g. by secure mail)",
            )
        )
        self.outside.setObjectName("transferOutside")
        self.outside.toggled.connect(self._mode)
        self.outside_to = QLineEdit()
        self.outside_to.setObjectName("transferOutsideTo")
        self.outside_to.setAccessibleName(tr("Modtagende Infohus", "Receiving Infohus"))
        self.outside_to.textChanged.connect(lambda _text: self.show_problem(""))
        self.outside_to.setPlaceholderText(
            tr("fx Infohus Fyns Politikreds", "e.g. Infohus Funen Police District")
        )
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
        self.fields = fields = form()
        fields.addRow(self.outside)
        fields.addRow(tr("&Til", "&To"), self.recipient)
        fields.addRow(tr("&Til", "&To"), self.outside_to)
        fields.addRow(tr("&Begrundelse", "&Reason"), self.reason)
        fields.addRow(tr("Fil", "File"), where)
        self.body.addLayout(fields)
        self.bundle_hint = hint(
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
        self.outside_hint = hint(
            tr(
                "Her bliver sagen overdraget som ved en pakke: den kan kun læses, "
                "videregivelsen noteres (retsplejelovens § 115), og den slettes efter "
                "slettereglerne for overdragne sager. Der skrives ingen fil.",
                "Here the case is handed over as with a bundle: it can only be read, the "
                "disclosure is recorded (retsplejelovens § 115), and it is deleted by the "
                "retention rule for handed-over cases. No file is written.",
            )
        )
        self.body.addWidget(self.bundle_hint)
        self.body.addWidget(self.outside_hint)
        # A handover is approved by a second person (services/cases/transfer.py); the text
        # follows the mode.
        self.approval = ApprovalBox()
        self.body.addWidget(self.approval)
        self.no_recipients = None
        if not recipients:
            self.no_recipients = hint(
                tr(
                    "Ingen modtagere er godkendt endnu: tilføj det andet Infohus' "
                    "nøglekort under Administration → Indstillinger → Modtagere af pakker.",
                    "No recipient is pinned yet: add the other Infohus's key card under "
                    "Administration → Settings → Bundle recipients.",
                )
            )
            self.body.addWidget(self.no_recipients)
        self.has_recipients = bool(recipients)
        self.finish()
        chain_tab_order(
            [
                self.outside,
                self.recipient,
                self.outside_to,
                self.reason,
                self.path,
                choose,
                self.approval.login,
                self.approval.secret,
                self.ok_button,
            ]
        )
        self.setMinimumWidth(560)
        self._mode(False)

    def _mode(self, outside: bool) -> None:
        """A bundle to a pinned recipient, or the record of a handover made outside."""
        self.fields.setRowVisible(1, not outside)
        self.fields.setRowVisible(2, outside)
        self.fields.setRowVisible(4, not outside)
        self.bundle_hint.setVisible(not outside)
        self.outside_hint.setVisible(outside)
        self.approval.why.setText(
            tr(
                "Intet i programmet viser, at sagen er sendt, og den slettes efter perioden "
                "for overdragne sager. DPO'en eller en anden koordinator godkender ved at "
                "skrive sin bruger og adgangsfrase her.",
                "Nothing in the program shows that the case was sent, and it is deleted after "
                "the period for handed-over cases. The DPO or another coordinator approves by "
                "typing their login and passphrase here.",
            )
            if outside
            else tr(
                "Hele sagen videregives, og her slettes den efter perioden for overdragne "
                "sager. DPO'en eller en anden koordinator godkender ved at skrive sin bruger og "
                "adgangsfrase her.",
                "The whole case is disclosed, and here it is deleted after the period for "
                "handed-over cases. The DPO or another coordinator approves by typing their "
                "login and passphrase here.",
            )
        )
        if self.no_recipients is not None:
            self.no_recipients.setVisible(not outside)
        self.ok_button.setText(
            tr("&Registrér overdragelsen", "&Record the handover")
            if outside
            else tr("&Overdrag sagen", "&Hand over the case")
        )
        self.ok_button.setEnabled(outside or self.has_recipients)
        self.show_problem("")
        self.grow_to_fit(shrink=True)

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
        if self.outside.isChecked():
            self._record_outside()
            return
        if self.recipient.currentIndex() < 0:
            self.show_problem(
                tr(
                    "Vælg det Infohus, der overtager sagen.",
                    "Choose the Infohus taking the case over.",
                )
            )
            return
        approval = self._approval()
        if approval is None:
            return
        number, reason = self.number, self.reason.text()
        recipient = str(self.recipient.currentData())
        target = Path(self.path.text().strip()).expanduser()

        def done(sent: TransferSent) -> None:
            self.sent = sent
            _tell_sent(self.parentWidget(), sent, target)
            self.finish_saved()

        self.save(
            lambda s: s.transfers.export(number, recipient, target, reason, approval=approval),
            done,
        )

    def _record_outside(self) -> None:
        to = self.outside_to.text()
        if not to.strip():
            self.show_problem(
                tr(
                    "Skriv hvilket Infohus sagen er overdraget til.",
                    "Say which Infohus the case was handed over to.",
                )
            )
            return
        approval = self._approval()
        if approval is None:
            return
        number, reason = self.number, self.reason.text()
        self.save(
            lambda s: s.transfers.record_outside(number, to, reason, approval), self._recorded
        )

    def _approval(self) -> Approval | None:
        """The second person typed in the box, or None, said to be missing."""
        approval = self.approval.take()
        if approval is None:
            self.show_problem(tr(*INCOMPLETE))
        return approval

    def _recorded(self, _summary: object) -> None:
        self.finish_saved()


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
