"""Change a case's status (*skift status*): only the statuses the workflow allows next.

The choices come from ``domain.workflow.TRANSITIONS``, less *overdraget*, which only a
handover sets (``HANDOVER_ONLY``), so the dialog never offers a change the service would
refuse. A reason is always required; closing also needs a closing reason.
The save is made against the version the user saw: if someone changed the case meanwhile,
the dialog reloads it, says so, and offers the choices that now apply.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import CaseSummary
from infohus_desktop.domain.errors import Conflict, InfohusError
from infohus_desktop.domain.workflow import (
    CLOSING_LABELS,
    HANDOVER_ONLY,
    STATUS_LABELS,
    TRANSITIONS,
    CaseStatus,
    ClosingReason,
)
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.widgets.layout import hint

#: Statuses in the order of a case's life, for a stable list of choices.
_ORDER = list(CaseStatus)


class StatusDialog(SavingDialog):
    """Emits ``accepted`` after the change is saved; :attr:`result_summary` holds it."""

    def __init__(
        self, ctx: AppContext, summary: CaseSummary, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            tr(f"Skift status for {summary.number}", f"Change status of {summary.number}"),
            "statusDialog",
            tr("&Skift status", "&Change status"),
            parent,
        )
        self.summary = summary
        self.result_summary: CaseSummary | None = None
        self.current = QLabel()
        self.current.setObjectName("currentStatus")
        self.choice_box = QGroupBox(tr("Ny status", "New status"))
        self.choice_layout = QVBoxLayout(self.choice_box)
        self.choices = QButtonGroup(self)
        self.choices.buttonToggled.connect(lambda _b, _c: self._update_closing())
        self.closing = QComboBox()
        self.closing.setObjectName("closingReason")
        self.closing.setAccessibleName(tr("Afslutningsårsag", "Closing reason"))
        self.closing.addItem(tr("Vælg årsag …", "Choose a reason …"), None)
        for reason in ClosingReason:
            self.closing.addItem(tr(*CLOSING_LABELS[reason]), reason)
        self.closing_label = QLabel(tr("&Afslutningsårsag", "Closing &reason"))
        self.closing_label.setBuddy(self.closing)
        self.reason = text_area("statusReason", tr("Begrundelse", "Reason"), 90)
        form = QFormLayout()
        form.addRow(tr("Nuværende status", "Current status"), self.current)
        self.body.addLayout(form)
        self.body.addWidget(self.choice_box)
        extra = QFormLayout()
        extra.addRow(self.closing_label, self.closing)
        extra.addRow(tr("&Begrundelse", "&Reason"), self.reason)
        self.body.addLayout(extra)
        self.body.addWidget(
            hint(
                tr(
                    "Hver ændring gemmes med hvem, hvornår og hvorfor.",
                    "Each change is kept with who, when and why.",
                )
            )
        )
        self.finish()
        self.setMinimumWidth(520)
        self._fill(summary)

    def _fill(self, summary: CaseSummary) -> None:
        self.summary = summary
        self.current.setText(tr(*STATUS_LABELS[summary.status]))
        for button in self.choices.buttons():
            self.choices.removeButton(button)
            button.deleteLater()
        allowed = [s for s in _ORDER if s in TRANSITIONS[summary.status] and s not in HANDOVER_ONLY]
        for status in allowed:
            button = QRadioButton(tr(*STATUS_LABELS[status]))
            button.setObjectName(f"status_{status.value}")
            button.setProperty("status", status.value)
            self.choices.addButton(button)
            self.choice_layout.addWidget(button)
        if not allowed:
            none = QLabel(
                tr(
                    "Sagen er overdraget til et andet Infohus; status kan ikke ændres her.",
                    "The case was transferred to another Infohus; its status cannot change here.",
                )
            )
            none.setWordWrap(True)
            self.choice_layout.addWidget(none)
        self.ok_button.setEnabled(bool(allowed))
        buttons = self.choices.buttons()
        chain_tab_order([*buttons, self.closing, self.reason, self.ok_button])
        if buttons:
            buttons[0].setFocus()
        self._update_closing()

    def allowed(self) -> list[CaseStatus]:
        return [CaseStatus(str(b.property("status"))) for b in self.choices.buttons()]

    def chosen(self) -> CaseStatus | None:
        button = self.choices.checkedButton()
        return CaseStatus(str(button.property("status"))) if button else None

    def choose(self, status: CaseStatus) -> None:
        for button in self.choices.buttons():
            if button.property("status") == status.value:
                button.setChecked(True)

    def _update_closing(self) -> None:
        closing = self.chosen() == CaseStatus.CLOSED
        self.closing.setVisible(closing)
        self.closing_label.setVisible(closing)

    def submit(self) -> None:
        new = self.chosen()
        reason = self.reason.toPlainText().strip()
        closing = self.closing.currentData() if new == CaseStatus.CLOSED else None
        if new is None:
            self.show_problem(tr("Vælg den nye status.", "Choose the new status."))
            return
        if new == CaseStatus.CLOSED and closing is None:
            self.show_problem(tr("Vælg hvorfor sagen afsluttes.", "Choose why the case is closed."))
            self.closing.setFocus()
            return
        if not reason:
            self.show_problem(tr("Skriv hvorfor status ændres.", "Say why the status changes."))
            self.reason.setFocus()
            return
        number, version = self.summary.number, self.summary.version
        closing_reason = ClosingReason(closing) if closing else None
        self.save(
            lambda s: s.cases.change_status(number, new, reason, closing_reason, version),
            self._saved,
            self._failed,
        )

    def _saved(self, summary: CaseSummary) -> None:
        self.result_summary = summary
        self.finish_saved()

    def _failed(self, exc: InfohusError) -> None:
        if not isinstance(exc, Conflict):
            self.show_problem(exc.message(language()))
            return
        wanted = self.chosen()
        number = self.summary.number

        def reloaded(summary: CaseSummary) -> None:
            self._fill(summary)
            if wanted is not None and wanted in self.allowed():
                self.choose(wanted)
            self.show_problem(
                tr(
                    f"Sagen er ændret af en anden, mens du arbejdede; status er nu "
                    f"»{tr(*STATUS_LABELS[summary.status])}«. Intet er gemt. Kontrollér "
                    f"valget og gem igen.",
                    f"The case was changed by someone else while you worked; its status is "
                    f"now '{tr(*STATUS_LABELS[summary.status])}'. Nothing was saved. Check "
                    f"your choice and save again.",
                )
            )

        self.save(lambda s: s.cases.show(number).summary, reloaded)
