"""Delete a case (*slet sag*): the dialog names the case number in its title, its text and
its button, says what cannot be undone, and asks why. A case that is not due yet needs a
second person: the DPO or another coordinator types their login and passphrase here (the
key derivation runs on the worker, like everything this dialog saves)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from infohus_desktop.domain.retention import DueCase, Tombstone
from infohus_desktop.domain.workflow import CLOSING_LABELS
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.retention.approval_box import INCOMPLETE, ApprovalBox
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import fmt_date, tr


class DeleteCaseDialog(SavingDialog):
    """Emits ``accepted`` after the deletion; :attr:`tombstone` holds what stays."""

    def __init__(
        self, ctx: AppContext, entry: DueCase, today: date, parent: QWidget | None = None
    ) -> None:
        number = entry.number
        super().__init__(
            ctx,
            tr(f"Slet sag {number}", f"Delete case {number}"),
            "deleteCaseDialog",
            tr(f"&Slet sag {number}", f"&Delete case {number}"),
            parent,
        )
        self.entry = entry
        self.today = today
        self.tombstone: Tombstone | None = None
        self.early = not entry.due(today)
        closing = tr(*CLOSING_LABELS[entry.closing_reason]) if entry.closing_reason else ""
        facts = QFormLayout()
        facts.addRow(tr("Sag", "Case"), QLabel(number))
        facts.addRow(tr("Kommune", "Municipality"), QLabel(entry.municipality))
        closed = " · ".join(filter(None, (fmt_date(entry.closed_on), closing)))
        facts.addRow(tr("Afsluttet", "Closed"), QLabel(closed))
        facts.addRow(tr("Slettefrist", "Delete on"), QLabel(fmt_date(entry.delete_on)))
        warning = QLabel(
            tr(
                f"Alt om sag {number} slettes: personen, vurderinger, journal, indsatser, "
                "bilag, henvisninger og mødepunkternes tekst. Sagens nøgle destrueres, så "
                "rester af sagen i boksens filer ikke kan åbnes. Det kan ikke fortrydes, men "
                "en sikkerhedskopi fra før sletningen rummer sagen, til den kasseres. Tilbage "
                "bliver kun sagsnummer, datoer, afslutningsårsag, og hvem der slettede og "
                "hvorfor.",
                f"Everything about case {number} is deleted: the person, assessments, "
                "journal, measures, attachments, referrals and the text of meeting items. "
                "The case's key is destroyed, so remnants of the case in the vault's files "
                "cannot be opened. This cannot be undone, but a backup made before the "
                "deletion holds the case until it is discarded. Only the case number, the "
                "dates, the closing reason, and who deleted it and why remain.",
            )
        )
        warning.setObjectName("deleteWarning")
        warning.setWordWrap(True)
        warning.setStyleSheet("color: #8a1c1c;")
        self.reason = text_area("deleteReason", tr("Begrundelse", "Reason"), 70)
        self.reason.setMaximumHeight(120)
        self.body.addLayout(facts)
        self.body.addWidget(warning)
        reason_form = QFormLayout()
        reason_form.addRow(tr("&Begrundelse", "&Reason"), self.reason)
        self.body.addLayout(reason_form)
        self.approval = ApprovalBox(
            tr(
                f"Sagen er først til sletning {fmt_date(entry.delete_on)}. En sletning før tid "
                "skal godkendes af DPO'en eller en anden koordinator, som skriver sin bruger "
                "og adgangsfrase her.",
                f"The case is not due before {fmt_date(entry.delete_on)}. Deleting it earlier "
                "must be approved by the DPO or another coordinator, who types their login and "
                "passphrase here.",
            )
        )
        order: list[QWidget] = [self.reason]
        if self.early:
            self.body.addWidget(self.approval)
            order += [self.approval.login, self.approval.secret]
        self.finish()
        chain_tab_order([*order, self.ok_button])
        self.setMinimumWidth(520)

    def submit(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.show_problem(tr("Skriv hvorfor sagen slettes.", "Say why the case is deleted."))
            return
        approval = None
        if self.early:
            approval = self.approval.take()
            if approval is None:
                self.show_problem(tr(*INCOMPLETE))
                return
        number, today = self.entry.number, self.today
        self.save(lambda s: s.retention.delete(number, reason, approval, today), self._deleted)

    def _deleted(self, stone: Tombstone) -> None:
        self.tombstone = stone
        self.finish_saved()
