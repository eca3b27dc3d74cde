"""*Beskær loggen*: a coordinator replaces the audit entries older than the log's retention
period by a signed summary (services/audit/pruning.py). The dialog says how long the log is
kept, how many entries from which days would go, that the whole log is verified first, and
that the pruning cannot be undone; with nothing old enough it says so and offers only to close.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from infohus_desktop.services.audit.pruning import PruningPlan
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog
from infohus_desktop.ui.i18n import tr


def _day(plan: PruningPlan, first: bool) -> str:
    at = plan.first_at if first else plan.last_at
    return at.astimezone().strftime("%d.%m.%Y") if at is not None else "?"


def plan_text(plan: PruningPlan) -> str:
    kept = tr(
        f"Revisionsloggen gemmes i {plan.keep_months} måneder; poster fra før "
        f"{plan.limit:%d.%m.%Y} kan beskæres.",
        f"The audit log is kept for {plan.keep_months} months; entries from before "
        f"{plan.limit:%d.%m.%Y} can be pruned.",
    )
    if plan.entries == 0:
        return kept + " " + tr("Der er intet at beskære endnu.", "There is nothing to prune yet.")
    return (
        kept
        + " "
        + tr(
            f"{plan.entries} poster fra {_day(plan, True)} til {_day(plan, False)} (nr. "
            f"{plan.first_seq}–{plan.last_seq}) erstattes af én opsummering, som du "
            "underskriver: antal, periode og kædens hash, så resten af loggen stadig kan "
            "verificeres. Hele loggen verificeres først; er den brudt, beskæres intet. "
            "Beskæringen kan ikke fortrydes og skrives i loggen.",
            f"{plan.entries} entries from {_day(plan, True)} to {_day(plan, False)} (no. "
            f"{plan.first_seq}–{plan.last_seq}) are replaced by one summary that you sign: "
            "the count, the period and the chain's hash, so the rest of the log can still be "
            "verified. The whole log is verified first; if it is broken, nothing is pruned. "
            "Pruning cannot be undone and is written to the log.",
        )
    )


class PruneLogDialog(SavingDialog):
    def __init__(self, ctx: AppContext, plan: PruningPlan, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Beskær revisionsloggen", "Prune the audit log"),
            "pruneLogDialog",
            tr(f"&Beskær {plan.entries} poster", f"&Prune {plan.entries} entries"),
            parent,
        )
        self.plan = plan
        self.pruned: PruningPlan | None = None
        text = QLabel(plan_text(plan))
        text.setObjectName("pruneText")
        text.setWordWrap(True)
        if plan.entries:
            text.setStyleSheet("color: #8a1c1c;")
        self.body.addWidget(text)
        self.finish()
        self.ok_button.setVisible(plan.entries > 0)
        if plan.entries == 0:
            cancel = self.findChild(QWidget, "cancelButton")
            if cancel is not None:
                cancel.setProperty("text", tr("Luk", "Close"))
        self.setMinimumWidth(520)

    def submit(self) -> None:
        if self.plan.entries == 0:
            return
        self.save(lambda s: s.audit_pruning.prune(), self._done)

    def _done(self, pruned: PruningPlan) -> None:
        self.pruned = pruned
        self.finish_saved()
