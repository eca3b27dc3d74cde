"""The second person's box (four eyes): the DPO or another coordinator types their login and
passphrase where an early deletion, or retention rules that shorten a period, ask for it
(services/retention/approval.py checks them on the worker)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit

from infohus_desktop.services.retention.approval import Approval
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.layout import hint

#: Said when the box is shown and not filled in.
INCOMPLETE = (
    "Godkenderen skal skrive sin bruger og adgangsfrase.",
    "The approver must type their login and passphrase.",
)


class ApprovalBox(QGroupBox):
    """``why`` says what is approved; :meth:`take` hands over the approval typed."""

    def __init__(self, why: str = "") -> None:
        super().__init__(tr("Godkendelse (fire øjne)", "Approval (four eyes)"))
        self.setObjectName("approvalBox")
        self.why = hint(why)
        self.why.setWordWrap(True)
        self.login = QLineEdit()
        self.login.setObjectName("approverLogin")
        self.login.setAccessibleName(tr("Godkenders bruger", "Approver's login"))
        self.secret = QLineEdit()
        self.secret.setObjectName("approverPassphrase")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName(tr("Godkenders adgangsfrase", "Approver's passphrase"))
        form = QFormLayout(self)
        form.addRow(self.why)
        form.addRow(tr("B&ruger", "&Login"), self.login)
        form.addRow(tr("&Adgangsfrase", "&Passphrase"), self.secret)

    def ask(self, why: str) -> None:
        """Show the box (one that appears when it is needed) with what is approved."""
        self.why.setText(why)
        self.show()
        self.login.setFocus()

    def take(self) -> Approval | None:
        """The approval typed, the passphrase cleared from its field; None if incomplete."""
        login, secret = self.login.text().strip(), self.secret.text()
        self.secret.clear()  # never left in the field
        if not login or not secret:
            return None
        return Approval(login, secret)
