"""One step of a referral's workflow, each a small dialog: sent (date and how), received,
accepted, declined (reason), closed (outcome), withdrawn (reason).

Which steps are offered comes from ``REFERRAL_TRANSITIONS`` (the pane enables only those), the
words a step must carry from ``NEEDS_REASON``; the service checks both again, and the
minor-consent and required-field rules on sending, and its message is shown in the dialog.
The step is saved against the version the user saw.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from infohus_desktop.domain.referral_workflow import (
    NEEDS_REASON,
    REFERRAL_STATUS_LABELS,
    SEND_METHOD_LABELS,
    ReferralStatus,
    SendMethod,
)
from infohus_desktop.domain.referrals import Referral, ReferralSummary
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.dates import DateEdit
from infohus_desktop.ui.widgets.layout import hint

R = ReferralStatus
#: (window title, OK button, label of the text field) per step.
STEPS: dict[ReferralStatus, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    R.SENT: (("Send henvisning", "Send referral"), ("&Send", "&Send"), ("Note", "Note")),
    R.RECEIVED: (
        ("Henvisningen er modtaget", "The referral was received"),
        ("&Registrér", "&Record"),
        ("Note", "Note"),
    ),
    R.ACCEPTED: (
        ("Henvisningen er accepteret", "The referral was accepted"),
        ("&Registrér", "&Record"),
        ("Note", "Note"),
    ),
    R.DECLINED: (
        ("Henvisningen er afvist", "The referral was declined"),
        ("&Registrér", "&Record"),
        ("Begrundelse *", "Reason *"),
    ),
    R.CLOSED: (
        ("Afslut henvisningen", "Close the referral"),
        ("&Afslut", "&Close referral"),
        ("Resultat *", "Outcome *"),
    ),
    R.WITHDRAWN: (
        ("Træk henvisningen tilbage", "Withdraw the referral"),
        ("&Træk tilbage", "&Withdraw"),
        ("Begrundelse *", "Reason *"),
    ),
}
#: The action names the pane shows for each step.
ACTION_LABELS: dict[ReferralStatus, tuple[str, str]] = {
    R.SENT: ("&Send …", "&Send …"),
    R.RECEIVED: ("&Modtaget …", "&Received …"),
    R.ACCEPTED: ("&Accepteret …", "&Accepted …"),
    R.DECLINED: ("Af&vist …", "&Declined …"),
    R.CLOSED: ("Af&slut …", "C&lose …"),
    R.WITHDRAWN: ("&Træk tilbage …", "&Withdraw …"),
}


class ReferralStatusDialog(SavingDialog):
    """Move ``summary`` to ``target``; :attr:`saved` holds the referral afterwards."""

    def __init__(
        self,
        ctx: AppContext,
        summary: ReferralSummary,
        target: ReferralStatus,
        parent: QWidget | None = None,
    ) -> None:
        title, ok, text_label = STEPS[target]
        super().__init__(
            ctx,
            f"{tr(*title)} – {summary.case_number}",
            f"referralStatus_{target.value}",
            tr(*ok),
            parent,
        )
        self.summary = summary
        self.target = target
        self.saved: Referral | None = None
        current = QLabel(label(REFERRAL_STATUS_LABELS, summary.status))
        current.setObjectName("currentStatus")
        self.on = DateEdit(date.today())
        self.on.setObjectName("stepDate")
        self.on.setAccessibleName(tr("Dato", "Date"))
        self.on.setMaximumDate(self.on.date().currentDate())
        self.how = QComboBox()
        self.how.setObjectName("sendMethod")
        self.how.setAccessibleName(tr("Sendt som", "Sent by"))
        self.how.addItem(tr("Vælg …", "Choose …"), None)
        for method in SendMethod:
            self.how.addItem(label(SEND_METHOD_LABELS, method), method.value)
        self.reason = text_area("stepReason", tr(*text_label).rstrip(" *"), 80)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Nuværende status", "Current status"), current)
        form.addRow(tr("&Dato", "&Date"), self.on)
        order: list[QWidget] = [self.on]
        if target is R.SENT:
            form.addRow(tr("Sendt &som *", "Sent &by *"), self.how)
            order.append(self.how)
        else:
            self.how.hide()
        da, en = text_label
        form.addRow(tr(f"&{da}", f"&{en}"), self.reason)
        order.append(self.reason)
        self.body.addLayout(form)
        if target is R.SENT:
            self.body.addWidget(
                hint(
                    tr(
                        "Når henvisningen er sendt, kan den ikke længere rettes.",
                        "Once sent, the referral can no longer be edited.",
                    )
                )
            )
        self.finish()
        chain_tab_order([*order, self.ok_button])
        self.setMinimumWidth(480)
        order[1 if target is R.SENT else -1].setFocus()

    def submit(self) -> None:
        reason = self.reason.toPlainText().strip()
        method = self.how.currentData()
        if self.target is R.SENT and not method:
            self.show_problem(tr("Vælg hvordan den er sendt.", "Choose how it was sent."))
            self.how.setFocus()
            return
        if self.target in NEEDS_REASON and not reason:
            self.show_problem(tr(*NEEDS_REASON[self.target]))
            self.reason.setFocus()
            return
        ref_id, version, target, day = (
            self.summary.id,
            self.summary.version,
            self.target,
            self.on.value(),
        )
        how = SendMethod(method) if method else None
        self.save(
            lambda s: s.referrals.change_status(
                ref_id, target, reason, how, on=day, base_version=version
            ),
            self._saved,
        )

    def _saved(self, referral: Referral) -> None:
        self.saved = referral
        self.finish_saved()
