"""Put a case on hold (*sletteblokering*): a reason and the day it ends."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QFormLayout, QWidget

from infohus_desktop.domain.retention import Hold
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.dates import DateEdit
from infohus_desktop.ui.widgets.layout import hint


class HoldDialog(SavingDialog):
    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr(f"Blokér sletning af {number}", f"Hold {number} from deletion"),
            "holdDialog",
            tr("&Blokér sletning", "&Hold"),
            parent,
        )
        self.number = number
        self.hold: Hold | None = None
        self.reason = text_area("holdReason", tr("Begrundelse", "Reason"), 60)
        self.until = DateEdit(date.today() + timedelta(days=180))
        self.until.setObjectName("holdUntil")
        self.until.setAccessibleName(tr("Blokeret til", "Held until"))
        self.body.addWidget(
            hint(
                tr(
                    "For eksempel en klage, en retssag eller en anmodning om indsigt, der er i "
                    "gang. Sagen slettes ikke før dagen efter slutdatoen.",
                    "For example a complaint, a court case or a request for insight in "
                    "progress. The case is not deleted before the day after the end date.",
                )
            )
        )
        form = QFormLayout()
        form.addRow(tr("&Begrundelse", "&Reason"), self.reason)
        form.addRow(tr("Blokeret &til", "Held &until"), self.until)
        self.body.addLayout(form)
        self.finish()
        chain_tab_order([self.reason, self.until, self.ok_button])
        self.setMinimumWidth(460)

    def submit(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            self.show_problem(
                tr("Skriv hvorfor sagen ikke må slettes.", "Say why the case must not be deleted.")
            )
            return
        number, until = self.number, self.until.value()
        self.save(lambda s: s.retention.holds.add(number, reason, until), self._saved)

    def _saved(self, hold: Hold) -> None:
        self.hold = hold
        self.finish_saved()
