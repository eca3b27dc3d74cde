"""The retention rules (*sletteregler*): months after closing per closing reason, the periods
of the shorter and longer retention classes, and how long the audit log is kept (at least 13
months). No public rule fixes these periods; the dialog says so, and that the Infohus sets
them with its DPO."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QGroupBox, QSpinBox, QWidget

from infohus_desktop.domain.cases import RetentionClass
from infohus_desktop.domain.errors import InfohusError, InvalidInput
from infohus_desktop.domain.labels import RETENTION_LABELS
from infohus_desktop.domain.retention import (
    AUDIT_MONTHS_FLOOR,
    DEFAULT_RULES,
    MAX_MONTHS,
    RetentionRules,
    rules_from_json,
    shortened_periods,
)
from infohus_desktop.domain.workflow import CLOSING_LABELS, ClosingReason
from infohus_desktop.services.retention.rules import RULES, ApprovalNeeded
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.retention.approval_box import INCOMPLETE, ApprovalBox
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.widgets.layout import hint


def _months(value: int, name: str, accessible: str, minimum: int = 1) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setAccessibleName(accessible)
    box.setRange(minimum, MAX_MONTHS)
    box.setSuffix(tr(" mdr.", " months"))
    box.setValue(value)
    return box


class RulesDialog(SavingDialog):
    def __init__(
        self,
        ctx: AppContext,
        rules: RetentionRules,
        parent: QWidget | None = None,
        tampered: bool = False,
    ) -> None:
        """``tampered``: the stored rules were changed outside the program; ``rules`` are
        then the shipped ones, and the dialog says that saving sets the rules again."""
        super().__init__(
            ctx, tr("Sletteregler", "Retention rules"), "rulesDialog", tr("&Gem", "&Save"), parent
        )
        self.result_rules: RetentionRules | None = None
        self.before, self.tampered = rules, tampered
        self.body.addWidget(
            hint(
                tr(
                    "Ingen offentlig regel fastsætter, hvor længe et Infohus gemmer en sag. "
                    "Infohuset sætter perioderne sammen med sin databeskyttelsesrådgiver (DPO). "
                    "Perioden regnes fra den dag, sagen blev afsluttet.",
                    "No public rule fixes how long an Infohus keeps a case. The Infohus sets "
                    "the periods with its data-protection officer (DPO). A period counts from "
                    "the day the case was closed.",
                )
            )
        )
        reasons = QGroupBox(tr("Efter afslutningsårsag", "By closing reason"))
        reason_form = QFormLayout(reasons)
        self.by_reason: dict[ClosingReason, QSpinBox] = {}
        for reason in ClosingReason:
            label = tr(*CLOSING_LABELS[reason])
            box = _months(rules.by_reason.get(reason, 24), f"months_{reason.value}", label)
            self.by_reason[reason] = box
            reason_form.addRow(label, box)
        classes = QGroupBox(
            tr(
                "Opbevaringsklasser, der erstatter perioden",
                "Retention classes that replace the period",
            )
        )
        class_form = QFormLayout(classes)
        self.by_class: dict[RetentionClass, QSpinBox] = {}
        #: A class without a period of its own starts at the shipped one, and is saved only
        #: if changed: saved unchanged, it would have become a period of its own, shorter
        #: than the reasons' it followed (review).
        self._class_start: dict[RetentionClass, int] = {}
        for cls in (RetentionClass.MINIMAL, RetentionClass.EXTENDED):
            label = tr(*RETENTION_LABELS[cls])
            start = rules.by_class.get(cls, DEFAULT_RULES.by_class[cls])
            box = _months(start, f"months_{cls.value}", label)
            self.by_class[cls] = box
            if cls not in rules.by_class:
                self._class_start[cls] = start
            class_form.addRow(label, box)
        self.audit = _months(
            rules.audit_months,
            "auditMonths",
            tr("Revisionsloggen gemmes", "The audit log is kept"),
            AUDIT_MONTHS_FLOOR,
        )
        self.transferred = _months(
            rules.transferred,
            "monthsTransferred",
            tr("Overdragne sager gemmes", "Transferred cases are kept"),
        )
        audit_form = QFormLayout()
        audit_form.addRow(
            tr("Sager overdraget til et andet Infohus gemmes i", "Keep cases handed over for"),
            self.transferred,
        )
        audit_form.addRow(tr("Revisionsloggen gemmes i", "Keep the audit log for"), self.audit)
        self.body.addWidget(reasons)
        self.body.addWidget(classes)
        self.body.addLayout(audit_form)
        # Hidden until the rules about to be saved are shorter somewhere.
        self.approval = ApprovalBox()
        self.approval.hide()
        self.body.addWidget(self.approval)
        self.finish()
        chain_tab_order(
            [
                *self.by_reason.values(),
                *self.by_class.values(),
                self.transferred,
                self.audit,
                self.approval.login,
                self.approval.secret,
                self.ok_button,
            ]
        )
        self.setMinimumWidth(480)
        if tampered:
            shown = tr(
                "Her vises programmets udgangspunkt; Gem sætter reglerne igen.",
                "The program's starting point is shown here; Save sets the rules again.",
            )
            self.show_problem(f"{tr(RULES.tampered_da, RULES.tampered_en)} {shown}")

    def value(self) -> dict[str, object]:
        return {
            "closing_reasons": {r.value: box.value() for r, box in self.by_reason.items()},
            "classes": {
                c.value: box.value()
                for c, box in self.by_class.items()
                if self._class_start.get(c) != box.value()
            },
            "audit_months": self.audit.value(),
            "transferred": self.transferred.value(),
        }

    def submit(self) -> None:
        data = self.value()
        try:
            shorter = shortened_periods(self.before, rules_from_json(data))
        except InvalidInput as exc:
            self.show_problem(exc.message(language()))
            return
        approval = None
        # Once asked for (here, or by the service when another coordinator changed the
        # rules meanwhile), the box is used for every save of this dialog.
        if shorter or self.tampered or self.approval.isVisible():
            if self.approval.isHidden():
                # Shown when it is needed: most saves lengthen or keep every period.
                self._ask(shorter, self.tampered)
                return
            approval = self.approval.take()
            if approval is None:
                self.show_problem(tr(*INCOMPLETE))
                return
        self.save(lambda s: s.retention.rules.set(data, approval), self._saved, self._failed)

    def _ask(self, shorter: list[tuple[str, str]], tampered: bool) -> None:
        self.approval.ask(_why(shorter, tampered))
        self.grow_to_fit()
        self.show_problem(
            tr(
                "Kortere perioder skal godkendes; se nederst.",
                "Shorter periods must be approved; see below.",
            )
            if shorter
            else tr(
                "Reglerne skal godkendes; se nederst.", "The rules must be approved; see below."
            )
        )

    def _failed(self, exc: InfohusError) -> None:
        if isinstance(exc, ApprovalNeeded) and self.approval.isHidden():
            # Another coordinator changed the rules after this dialog opened.
            self._ask(exc.shorter, exc.tampered)
            return
        self.show_problem(exc.message(language()))

    def _saved(self, rules: RetentionRules) -> None:
        self.result_rules = rules
        self.finish_saved()


def _why(shorter: list[tuple[str, str]], tampered: bool) -> str:
    """What the second person approves: the periods made shorter, or, when the stored rules
    were changed outside the program, rules that cannot be compared."""
    if tampered and not shorter:
        return tr(
            "De gemte regler er ændret uden om programmet, så det kan ikke ses, om de nye er "
            "kortere. Det skal godkendes af DPO'en eller en anden koordinator, som skriver sin "
            "bruger og adgangsfrase her.",
            "The stored rules were changed outside the program, so it cannot be seen whether "
            "the new ones are shorter. The DPO or another coordinator must approve by typing "
            "their login and passphrase here.",
        )
    names_da = ", ".join(f"»{da}«" for da, _ in shorter)
    names_en = ", ".join(f"'{en}'" for _, en in shorter)
    return tr(
        f"Reglerne gør perioden kortere for {names_da}, så sager slettes tidligere. Det skal "
        "godkendes af DPO'en eller en anden koordinator, som skriver sin bruger og "
        "adgangsfrase her.",
        f"The rules shorten the period for {names_en}, so cases are deleted sooner. The DPO "
        "or another coordinator must approve it by typing their login and passphrase here.",
    )


def open_rules(ctx: AppContext, parent: QWidget, saved: Callable[[], None] | None = None) -> None:
    """Read the rules on the worker and open the dialog; rules changed outside the program
    open as the shipped ones with that said, so that a coordinator can set them again."""

    def opened(loaded: tuple[RetentionRules, bool]) -> None:
        rules, tampered = loaded
        dialog = RulesDialog(ctx, rules, parent, tampered)
        if saved is not None:
            dialog.accepted.connect(saved)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    ctx.run(lambda s: s.retention.rules.for_editing(), opened, parent)
