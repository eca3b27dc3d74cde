"""The case actions that existed only on the command line (issue 14): a screening outcome,
information from an authority (*oplysninger fra myndigheder*), a disclosure
(*videregivelse*) with its legal basis, and moving the case to another access group.

Each is one service call on the worker; what the member typed goes nowhere else.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from infohus_desktop.domain.cases import LegalBasis, ScreeningOutcome
from infohus_desktop.domain.labels import LEGAL_BASIS_LABELS, SCREENING_LABELS
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.dates import DateEdit
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import form


def _basis_box(name: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.setAccessibleName(tr("Hjemmel", "Legal basis"))
    for basis in LegalBasis:
        box.addItem(label(LEGAL_BASIS_LABELS, basis), basis.value)
    return box


def _row(fields: object, text: str, widget: QWidget) -> None:
    caption = QLabel(text)
    caption.setBuddy(widget)
    fields.addRow(caption, widget)  # type: ignore[attr-defined]


class ScreeningDialog(SavingDialog):
    """The outcome of the first screening, with its reason (and hjemmel when another
    authority takes over)."""

    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr(f"Screening af {number}", f"Screening of {number}"),
            "screeningDialog",
            tr("&Gem screening", "&Save screening"),
            parent,
        )
        self.number = number
        self.outcome = QComboBox()
        self.outcome.setObjectName("screeningOutcome")
        self.outcome.setAccessibleName(tr("Udfald", "Outcome"))
        for outcome in ScreeningOutcome:
            self.outcome.addItem(label(SCREENING_LABELS, outcome), outcome.value)
        self.reason = text_area("screeningReason", tr("Begrundelse", "Reason"), 100)
        self.legal = QLineEdit()
        self.legal.setObjectName("screeningLegal")
        self.legal.setAccessibleName(tr("Hjemmel", "Legal reference"))
        self.legal.setPlaceholderText(tr("fx retsplejelovens § 115", "e.g. section 115"))
        fields = form()
        _row(fields, tr("&Udfald *", "&Outcome *"), self.outcome)
        _row(fields, tr("&Begrundelse *", "&Reason *"), self.reason)
        _row(fields, tr("&Hjemmel", "&Legal reference"), self.legal)
        self.body.addLayout(fields)
        self.body.addWidget(
            hint(
                tr(
                    "Hjemlen skal udfyldes, når en anden myndighed overtager sagen.",
                    "The legal reference is required when another authority takes over.",
                )
            )
        )
        self.finish()
        chain_tab_order([self.outcome, self.reason, self.legal])
        self.setMinimumWidth(520)

    def submit(self) -> None:
        number, outcome = self.number, ScreeningOutcome(self.outcome.currentData())
        reason, legal = self.reason.toPlainText().strip(), self.legal.text().strip()
        self.save(
            lambda s: s.cases.screen(number, outcome, reason, legal),
            lambda _r: self.finish_saved(),
        )


class InformationDialog(SavingDialog):
    """What was asked of an authority, when, on which legal basis, and the answer."""

    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr(f"Oplysninger fra myndighed i {number}", f"Information from an authority, {number}"),
            "informationDialog",
            tr("&Gem oplysninger", "&Save information"),
            parent,
        )
        self.number = number
        self.authority = QLineEdit()
        self.authority.setObjectName("informationAuthority")
        self.authority.setAccessibleName(tr("Myndighed", "Authority"))
        self.asked = DateEdit()
        self.asked.setObjectName("informationAsked")
        self.asked.setAccessibleName(tr("Spurgt den", "Asked on"))
        self.basis = _basis_box("informationBasis")
        self.answer = text_area("informationAnswer", tr("Svar", "Answer"), 120)
        fields = form()
        _row(fields, tr("&Myndighed *", "&Authority *"), self.authority)
        _row(fields, tr("&Spurgt den *", "&Asked on *"), self.asked)
        _row(fields, tr("&Hjemmel *", "&Legal basis *"), self.basis)
        _row(fields, tr("S&var", "A&nswer"), self.answer)
        self.body.addLayout(fields)
        self.finish()
        chain_tab_order([self.authority, self.asked, self.basis, self.answer])
        self.setMinimumWidth(520)

    def submit(self) -> None:
        number, authority = self.number, self.authority.text().strip()
        asked: date = self.asked.value()
        basis = LegalBasis(self.basis.currentData())
        answer = self.answer.toPlainText().strip()
        self.save(
            lambda s: s.cases.add_information(number, authority, asked, answer, basis),
            lambda _r: self.finish_saved(),
        )


class DisclosureDialog(SavingDialog):
    """Who gave what to whom, when and on which legal basis (*videregivelse*)."""

    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr(f"Videregivelse i {number}", f"Disclosure in {number}"),
            "disclosureDialog",
            tr("&Gem videregivelse", "&Save disclosure"),
            parent,
        )
        self.number = number
        self.on = DateEdit()
        self.on.setObjectName("disclosureOn")
        self.on.setAccessibleName(tr("Dato", "Date"))
        self.from_party = QLineEdit()
        self.from_party.setObjectName("disclosureFrom")
        self.from_party.setAccessibleName(tr("Fra", "From"))
        self.to_party = QLineEdit()
        self.to_party.setObjectName("disclosureTo")
        self.to_party.setAccessibleName(tr("Til", "To"))
        self.what = text_area("disclosureWhat", tr("Hvad", "What"), 100)
        self.basis = _basis_box("disclosureBasis")
        fields = form()
        _row(fields, tr("&Dato *", "&Date *"), self.on)
        _row(fields, tr("&Fra *", "&From *"), self.from_party)
        _row(fields, tr("&Til *", "&To *"), self.to_party)
        _row(fields, tr("&Hvad *", "&What *"), self.what)
        _row(fields, tr("&Hjemmel *", "&Legal basis *"), self.basis)
        self.body.addLayout(fields)
        self.body.addWidget(
            hint(
                tr(
                    "Oplysninger efter retsplejelovens § 115 må ikke bruges i en "
                    "efterforskning; de er kun til det kriminalpræventive samarbejde.",
                    "Information under section 115 of the Administration of Justice Act may "
                    "not be used in an investigation; it is for crime prevention only.",
                )
            )
        )
        self.finish()
        chain_tab_order([self.on, self.from_party, self.to_party, self.what, self.basis])
        self.setMinimumWidth(520)

    def submit(self) -> None:
        number, on = self.number, self.on.value()
        source, target = self.from_party.text().strip(), self.to_party.text().strip()
        what, basis = self.what.toPlainText().strip(), LegalBasis(self.basis.currentData())
        self.save(
            lambda s: s.case_records.add_disclosure(number, on, source, target, what, basis),
            lambda _r: self.finish_saved(),
        )


class MoveDialog(SavingDialog):
    """Another access group for the case: only its key is wrapped anew."""

    def __init__(
        self, ctx: AppContext, number: str, groups: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            tr(f"Flyt {number}", f"Move {number}"),
            "moveDialog",
            tr("&Flyt sagen", "&Move the case"),
            parent,
        )
        self.number = number
        self.group = QComboBox()
        self.group.setObjectName("moveGroup")
        self.group.setAccessibleName(tr("Adgangskreds", "Access group"))
        self.group.addItems(groups)
        fields = form()
        _row(fields, tr("&Adgangskreds", "&Access group"), self.group)
        self.body.addLayout(fields)
        self.body.addWidget(
            hint(
                tr(
                    "Kun medlemmerne af den nye kreds kan læse sagen bagefter. Du kan kun flytte "
                    "til en kreds, du selv er med i.",
                    "Only the members of the new group can read the case afterwards. You can "
                    "only move it to a group you are in.",
                )
            )
        )
        self.finish()
        self.ok_button.setEnabled(bool(groups))
        self.setMinimumWidth(460)

    def submit(self) -> None:
        number, group = self.number, self.group.currentText()
        self.save(lambda s: s.cases.move(number, group), lambda _r: self.finish_saved())
