"""Delete every due case at once (*slet alle forfaldne*): the dialog says how many and which
numbers, what cannot be undone, and asks why; held cases are left. A case that cannot go (an
open referral, minutes not yet approved) is left with its reason, which the dialog shows."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from infohus_desktop.domain.retention import DueCase
from infohus_desktop.services.retention.deletion import DueDeletion
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import language, tr


class DeleteDueDialog(SavingDialog):
    def __init__(
        self, ctx: AppContext, due: list[DueCase], today: date, parent: QWidget | None = None
    ) -> None:
        n = len(due)
        super().__init__(
            ctx,
            tr("Slet alle sager til sletning", "Delete every due case"),
            "deleteDueDialog",
            tr(f"&Slet {n} sag", f"&Delete {n} case")
            if n == 1
            else tr(f"&Slet {n} sager", f"&Delete {n} cases"),
            parent,
        )
        self.today = today
        self.result_deletion: DueDeletion | None = None
        numbers = ", ".join(e.number for e in due)
        one = tr(
            f"1 sag er til sletning og ikke blokeret: {numbers}. Alt om den slettes, og dens "
            "nøgle destrueres; det kan ikke fortrydes. Tilbage bliver kun sagsnummer, datoer, "
            "afslutningsårsag, og hvem der slettede og hvorfor.",
            f"1 case is due and not held: {numbers}. Everything about it is deleted and its "
            "key is destroyed; this cannot be undone. Only the case number, dates, closing "
            "reason, and who deleted it and why remain.",
        )
        many = tr(
            f"{n} sager er til sletning og ikke blokeret: {numbers}. Alt om dem slettes, og "
            "deres nøgler destrueres; det kan ikke fortrydes. Tilbage bliver kun "
            "sagsnumre, datoer, afslutningsårsager, og hvem der slettede og hvorfor.",
            f"{n} cases are due and not held: {numbers}. Everything about them is deleted "
            "and their keys are destroyed; this cannot be undone. Only the case numbers, "
            "dates, closing reasons, and who deleted them and why remain.",
        )
        text = QLabel(one if n == 1 else many)
        text.setObjectName("deleteDueText")
        text.setWordWrap(True)
        text.setStyleSheet("color: #8a1c1c;")
        self.reason = text_area("deleteDueReason", tr("Begrundelse", "Reason"), 60)
        self.reason.setMaximumHeight(110)
        self.reason.setPlainText(tr("Slettefristen er udløbet.", "The retention period is over."))
        self.body.addWidget(text)
        form = QFormLayout()
        form.addRow(tr("&Begrundelse", "&Reason"), self.reason)
        self.body.addLayout(form)
        self.finish()
        chain_tab_order([self.reason, self.ok_button])
        self.setMinimumWidth(520)

    def submit(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.show_problem(
                tr("Skriv hvorfor sagerne slettes.", "Say why the cases are deleted.")
            )
            return
        today = self.today
        self.save(lambda s: s.retention.delete_due(reason, today), self._done)

    def _done(self, result: DueDeletion) -> None:
        self.result_deletion = result
        if not result.skipped:
            self.finish_saved()
            return
        lines = [exc.message(language()) for _number, exc in result.skipped]
        self.show_problem(
            tr(
                f"{len(result.deleted)} slettet. Ikke slettet: ",
                f"{len(result.deleted)} deleted. Not deleted: ",
            )
            + " ".join(lines)
        )
        self.ok_button.setEnabled(False)
