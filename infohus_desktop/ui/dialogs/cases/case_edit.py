"""Edit a case's person, the concern as received (the intake), and the case fields: heading,
category, lead, follow-up date, participating organisations and retention.

Only fields the user actually changed are sent, against the version they opened. A save that
meets someone else's newer version raises :class:`CaseConflict`; then the
:class:`ConflictDialog` takes over and this dialog closes only when that one saved.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import Case, CaseSummary, RetentionClass
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import RETENTION_LABELS
from infohus_desktop.services.cases.editing import (
    EDIT_FIELDS,
    CaseConflict,
    CaseEdit,
    editable_values,
)
from infohus_desktop.services.retention.approval import Approval, ClassApprovalNeeded
from infohus_desktop.ui.case_format import CaseNames, load_names
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.conflict import ConflictDialog
from infohus_desktop.ui.dialogs.merge import is_empty
from infohus_desktop.ui.dialogs.retention.approval_box import INCOMPLETE, ApprovalBox
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.concern_form import ConcernForm
from infohus_desktop.ui.widgets.dates import OptionalDateEdit
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.person_form import PersonForm, line


class CaseEditDialog(SavingDialog):
    """:attr:`result_summary` holds the saved case after it is accepted."""

    def __init__(self, ctx: AppContext, case: Case, parent: QWidget | None = None) -> None:
        number = case.summary.number
        super().__init__(
            ctx,
            tr(f"Rediger {number}", f"Edit {number}"),
            "caseEditDialog",
            tr("&Gem", "&Save"),
            parent,
        )
        self.case = case
        self.names: CaseNames | None = None
        self.result_summary: CaseSummary | None = None
        self.approval_given: Approval | None = None
        self.conflict: ConflictDialog | None = None
        self.person = PersonForm()
        self.concern = ConcernForm(case.intake)
        self.title_edit = line("caseTitle", tr("Overskrift", "Heading"))
        self.category = QComboBox()
        self.category.setObjectName("caseCategory")
        self.category.setAccessibleName(tr("Bekymringstype", "Category"))
        self.lead = QComboBox()
        self.lead.setObjectName("caseLead")
        self.lead.setAccessibleName(tr("Sagsansvarlig", "Lead"))
        self.follow_up = OptionalDateEdit(case.summary.follow_up)
        self.follow_up.setObjectName("caseFollowUp")
        self.follow_up.setAccessibleName(tr("Opfølgningsdato", "Follow-up date"))
        self.participants = text_area(
            "caseParticipants", tr("Deltagende organisationer", "Participating organisations"), 70
        )
        self.participants.setMaximumHeight(96)
        self.participants.setPlaceholderText(
            tr("Én organisation pr. linje", "One organisation per line")
        )
        self.retention = QComboBox()
        self.retention.setObjectName("caseRetention")
        self.retention.setAccessibleName(tr("Opbevaring", "Retention"))
        for value in RetentionClass:
            self.retention.addItem(label(RETENTION_LABELS, value), value)

        person_box = QGroupBox(tr("Personen", "The person"))
        QVBoxLayout(person_box).addWidget(self.person)
        case_box = QGroupBox(tr("Sagen", "The case"))
        form = QFormLayout(case_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Over&skrift", "&Heading"), self.title_edit)
        form.addRow(tr("&Bekymringstype", "&Category"), self.category)
        form.addRow(tr("Sags&ansvarlig", "&Lead"), self.lead)
        form.addRow(tr("Op&følgningsdato", "&Follow-up date"), self.follow_up)
        form.addRow(
            tr("&Deltagende organisationer", "&Participating organisations"), self.participants
        )
        form.addRow(tr("&Opbevaring", "&Retention"), self.retention)
        form.addRow(
            hint(
                tr(
                    "Opbevaringsperioden for hver klasse fastsættes af Infohuset.",
                    "The Infohus sets the retention period of each class.",
                )
            )
        )
        concern_box = QGroupBox(tr("Bekymringen", "The concern"))
        QVBoxLayout(concern_box).addWidget(self.concern)
        columns = QHBoxLayout()
        columns.addWidget(person_box, 1)
        right = QVBoxLayout()
        right.addWidget(case_box)
        # Hidden until a retention class that deletes the case sooner is to be saved.
        self.approval = ApprovalBox()
        self.approval.hide()
        right.addWidget(self.approval)
        # Another class chosen after the box was asked for: its text named the first; the
        # next save asks again if this one needs it.
        self.retention.currentIndexChanged.connect(lambda _index: self._class_changed())
        right.addWidget(concern_box)
        right.addStretch(1)
        columns.addLayout(right, 1)
        self.body.addLayout(columns)
        self.finish()
        chain_tab_order(
            [
                *self.person.tab_chain(),
                self.title_edit,
                self.category,
                self.lead,
                self.follow_up,
                self.participants,
                self.retention,
                *self.concern.tab_chain(),
                self.approval.login,
                self.approval.secret,
                self.ok_button,
            ]
        )
        self._fill(case)
        self.ok_button.setEnabled(False)
        self.resize(1000, 760)
        self.ctx.run(load_names, self._names_loaded, owner=self, on_error=self._load_failed)

    def _fill(self, case: Case) -> None:
        self.person.set_person(case.person)
        self.title_edit.setText(case.title)
        self.participants.setPlainText("\n".join(case.participating_organisations))
        self.retention.setCurrentIndex(self.retention.findData(case.retention))

    def _names_loaded(self, names: CaseNames) -> None:
        self.names = names
        summary = self.case.summary
        for code, labels in names.categories.items():
            self.category.addItem(tr(*labels), code)
        if self.category.findData(summary.category) < 0:
            self.category.addItem(summary.category, summary.category)  # since removed
        self.category.setCurrentIndex(self.category.findData(summary.category))
        self.lead.addItem(tr("(ingen)", "(none)"), None)
        choices = names.lead_choices()
        if summary.lead_member_id and summary.lead_member_id not in {m.id for m in choices}:
            self.lead.addItem(names.member(summary.lead_member_id), str(summary.lead_member_id))
        for member in choices:
            self.lead.addItem(f"{member.name} ({member.organisation_name})", str(member.id))
        self.lead.setCurrentIndex(max(0, self.lead.findData(str(summary.lead_member_id))))
        self.ok_button.setEnabled(True)
        self.person.name.setFocus()

    def _load_failed(self, exc: InfohusError) -> None:
        self.show_problem(exc.message(language()))

    def edit(self) -> CaseEdit:
        """Only what differs from the case as opened."""
        before = editable_values(self.case)
        after: dict[str, object] = {
            "person": self.person.person(),
            "intake": self.concern.intake(),
            "title": self.title_edit.text().strip(),
            "category": self.category.currentData(),
            "follow_up": self.follow_up.value(),
            "lead_member_id": uuid.UUID(lead) if (lead := self.lead.currentData()) else None,
            "participating_organisations": tuple(
                p.strip() for p in self.participants.toPlainText().splitlines() if p.strip()
            ),
            "retention": RetentionClass(self.retention.currentData()),
        }
        changed = {k: v for k, v in after.items() if k in EDIT_FIELDS and v != before[k]}
        clear = "follow_up" in changed and changed["follow_up"] is None
        if clear:
            del changed["follow_up"]
        if "lead_member_id" in changed and changed["lead_member_id"] is None:
            del changed["lead_member_id"]  # the service keeps a lead; "(none)" is not a change
        return CaseEdit(clear_follow_up=clear, **changed)  # type: ignore[arg-type]

    def submit(self) -> None:
        problem = self.person.problem()
        if problem:
            self.show_problem(problem)
            return
        edit = self.edit()
        if is_empty(edit):
            self.show_problem(tr("Intet er ændret.", "Nothing was changed."))
            return
        approval = None
        # Once asked for, the box serves every save of this dialog that changes the class.
        if self.approval.isVisible() and edit.retention is not None:
            approval = self.approval.take()
            if approval is None:
                self.show_problem(tr(*INCOMPLETE))
                return
        case, number, version = self.case, self.case.summary.number, self.case.summary.version
        self.approval_given = approval  # a conflict's merged save keeps it
        self.save(
            lambda s: s.cases.edit(number, version, edit, base=case, approval=approval),
            self._saved,
            lambda exc: self._failed(exc, edit),
        )

    def _saved(self, summary: CaseSummary) -> None:
        self.result_summary = summary
        self.finish_saved()

    def _failed(self, exc: InfohusError, edit: CaseEdit) -> None:
        if isinstance(exc, ClassApprovalNeeded) and self.approval.isHidden():
            self._ask(exc)
            return
        if not isinstance(exc, CaseConflict):
            self.show_problem(exc.message(language()))
            return
        self.show_problem(
            tr(
                "En anden har gemt sagen, mens du arbejdede. Vælg hvad der skal gælde.",
                "Someone else saved the case while you worked. Choose what applies.",
            )
        )
        dialog = ConflictDialog(
            self.ctx, self.case, edit, exc, self.names, self, self.approval_given
        )
        self.conflict = dialog

        def closed(result: int) -> None:
            self.conflict = None
            if result == QDialog.DialogCode.Accepted:
                self.result_summary = dialog.result_summary
                self.finish_saved()
            else:
                self.show_problem(
                    tr(
                        "Intet er gemt. Dine ændringer står stadig her; luk for at kassere dem.",
                        "Nothing was saved. Your changes are still here; close to discard them.",
                    )
                )

        dialog.finished.connect(closed)
        dialog.open()

    def _class_changed(self) -> None:
        if self.approval.isVisible():
            self.approval.take()  # clears the passphrase typed for the other class
            self.approval.hide()
            self.show_problem("")

    def _ask(self, exc: ClassApprovalNeeded) -> None:
        """Show the four-eyes box: the service found that the class chosen deletes the case
        sooner (the dialog does not know the rules in force; the service reads them in the
        transaction that saves)."""
        name = label(RETENTION_LABELS, exc.retention)
        if exc.tampered:
            why = tr(
                "Slettereglerne er ændret uden om programmet, så det kan ikke ses, om "
                f"»{name}« sletter sagen tidligere. Det skal godkendes af DPO'en eller en "
                "anden koordinator, som skriver sin bruger og adgangsfrase her.",
                "The retention rules were changed outside the program, so it cannot be seen "
                f"whether '{name}' deletes the case sooner. The DPO or another coordinator "
                "must approve by typing their login and passphrase here.",
            )
        else:
            why = tr(
                f"»{name}« giver sagen en kortere opbevaring, så den slettes tidligere. Det "
                "skal godkendes af DPO'en eller en anden koordinator, som skriver sin bruger "
                "og adgangsfrase her.",
                f"'{name}' gives the case a shorter retention, so it is deleted sooner. The "
                "DPO or another coordinator must approve it by typing their login and "
                "passphrase here.",
            )
        self.approval.ask(why)
        self.grow_to_fit()
        self.show_problem(
            tr(
                "Opbevaringen skal godkendes; se til højre.",
                "The retention must be approved; see on the right.",
            )
        )
