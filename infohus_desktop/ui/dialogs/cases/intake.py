"""Intake (*modtagelse*) of a concern: the person, the concern and where the case belongs.

Before the case is opened the duplicate check runs on the worker (``open_case`` runs it, in
the same call; the dialog prepares it while the person is typed in). If the person is already
known, the dialog says where, inline ("Personen er allerede kendt i AAR-2026-0007", or only
"muligvis kendt i en sag, du ikke kan se" for a CPR match in a case the member cannot read)
and the case is opened only after an explicit "Opret alligevel". Changing the name or CPR
number afterwards drops that answer: it was about other input.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import CaseSummary, DuplicateCheck, Intake, Source
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import INTAKE_QUESTIONS, SOURCE_LABELS
from infohus_desktop.domain.organisations import LocalInfohus
from infohus_desktop.services.cases.index import PossibleDuplicate
from infohus_desktop.services.cases.intake import NewCase
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.intake_parts import (
    DuplicatePanel,
    IntakeChoices,
    duplicate_text,
    load_choices,
)
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.widgets.dates import DateEdit, OptionalDateEdit
from infohus_desktop.ui.widgets.field_marks import FieldMarks, Problem, summary
from infohus_desktop.ui.widgets.person_form import PersonForm, line


def _ignore(_result: object) -> None:
    """Preparing the check is an optimisation: if it fails, the check does it itself (and
    reports what fails then)."""


class IntakeDialog(SavingDialog):
    """Open a case from a concern. Emits :attr:`created` with the new case's summary."""

    created = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Ny bekymring", "New concern"),
            "intakeDialog",
            tr("&Opret sag", "&Open case"),
            parent,
        )
        self.choices: IntakeChoices | None = None
        self.checked: DuplicateCheck | None = None
        self.marks = FieldMarks()
        self.person = PersonForm()
        self.person.identity_changed.connect(self._identity_changed)

        self.source = QComboBox()
        self.source.setObjectName("intakeSource")
        self.source.setAccessibleName(tr("Kilde", "Source"))
        for source in Source:
            self.source.addItem(tr(*SOURCE_LABELS[source]), source)
        self.received = DateEdit()
        self.received.setObjectName("intakeReceived")
        self.received.setAccessibleName(tr("Modtaget", "Received"))
        self.received.setMaximumDate(QDate.currentDate())
        self.reporter_org = line(
            "reporterOrganisation", tr("Anmelders organisation", "Reporter's organisation")
        )
        self.anonymous = QCheckBox(tr("Anonym a&nmelder", "A&nonymous reporter"))
        self.anonymous.setObjectName("reporterAnonymous")
        self.reporter_contact = line("reporterContact", tr("Kontaktperson", "Contact person"))
        self.anonymous.toggled.connect(self._anonymous_toggled)
        self.title_edit = line("caseTitle", tr("Kort overskrift", "Short heading"))
        self.title_edit.setPlaceholderText(tr("Valgfri, uden navne", "Optional, without names"))
        self.observed = text_area(
            "intakeObserved", tr("Hvad er observeret", "What was observed"), 96
        )
        self.answers = [
            line(f"intakeAnswer{n}", tr(da, en)) for n, (da, en) in enumerate(INTAKE_QUESTIONS)
        ]

        self.category = QComboBox()
        self.category.setObjectName("caseCategory")
        self.category.setAccessibleName(tr("Bekymringstype", "Category"))
        self.local = QComboBox()
        self.local.setObjectName("caseLocalInfohus")
        self.local.setAccessibleName(tr("Infohus Kommune", "Infohus Kommune"))
        self.group = QComboBox()
        self.group.setObjectName("caseGroup")
        self.group.setAccessibleName(tr("Adgangskreds", "Access group"))
        self.follow_up = OptionalDateEdit()
        self.follow_up.setObjectName("caseFollowUp")
        self.follow_up.setAccessibleName(tr("Opfølgningsdato", "Follow-up date"))
        self.local.currentIndexChanged.connect(lambda _i: self._fill_groups())

        self.duplicate = DuplicatePanel()
        self.duplicate_text = self.duplicate.text
        self.create_anyway = self.duplicate.create_anyway
        self.create_anyway.clicked.connect(lambda: self._create(accept_duplicate=True))

        self._build()
        self.ok_button.setEnabled(False)
        self.resize(1040, 760)
        self.ctx.run(load_choices, self._loaded, owner=self, on_error=self._load_failed)
        # While the person is typed in: the duplicate check's name map and the note that the
        # kept summaries are every case, so "Opret sag" waits only for the check itself.
        self.ctx.run(lambda s: s.cases.prepare_intake(), _ignore, owner=self, on_error=_ignore)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        person_box = QGroupBox(tr("Personen", "The person"))
        person_layout = QVBoxLayout(person_box)
        person_layout.addWidget(self.person)

        concern_box = QGroupBox(tr("Bekymringen", "The concern"))
        concern = QFormLayout(concern_box)
        concern.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        marks = self.marks
        concern.addRow(tr("&Kilde *", "&Source *"), self.source)
        marks.row(concern, tr("&Modtaget", "&Received"), self.received, required=True)
        marks.row(
            concern, tr("Anmelders &organisation", "Reporter's &organisation"), self.reporter_org
        )
        concern.addRow("", self.anonymous)
        concern.addRow(tr("Kontakt&person", "Contact &person"), self.reporter_contact)
        marks.row(
            concern, tr("Hvad er &observeret", "What was &observed"), self.observed, required=True
        )
        concern.addRow(tr("Over&skrift", "&Heading"), self.title_edit)

        interview_box = QGroupBox(tr("Spørgsmål ved modtagelsen", "Intake questions"))
        interview = QFormLayout(interview_box)
        interview.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for (da, en), answer in zip(INTAKE_QUESTIONS, self.answers, strict=True):
            interview.addRow(tr(da, en), answer)

        case_box = QGroupBox(tr("Sagen", "The case"))
        case = QFormLayout(case_box)
        case.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        marks.row(case, tr("&Bekymringstype", "&Category"), self.category, required=True)
        marks.row(case, tr("&Infohus Kommune", "&Infohus Kommune"), self.local, required=True)
        case.addRow(tr("&Adgangskreds", "Access &group"), self.group)
        case.addRow(tr("Op&følgningsdato", "&Follow-up date"), self.follow_up)

        right = QVBoxLayout()
        right.addWidget(concern_box)
        right.addWidget(interview_box)
        right.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(person_box)
        left.addWidget(case_box)
        left.addStretch(1)
        grid = QGridLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        content = QWidget()
        content.setLayout(grid)
        scroll = QScrollArea()
        scroll.setObjectName("intakeScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.body.addWidget(scroll, 1)
        self.body.addWidget(self.duplicate)
        self.finish()
        order = [
            *self.person.tab_chain(),
            self.category,
            self.local,
            self.group,
            self.follow_up,
            self.source,
            self.received,
            self.reporter_org,
            self.anonymous,
            self.reporter_contact,
            self.observed,
            self.title_edit,
            *self.answers,
            self.create_anyway,
            self.ok_button,
        ]
        chain_tab_order(order)

    # -- choices -----------------------------------------------------------------------------

    def _loaded(self, choices: IntakeChoices) -> None:
        self.choices = choices
        self.category.clear()
        # No category is preselected: the type of concern is a choice, never a default.
        self.category.addItem(tr("Vælg bekymringstype …", "Choose a category …"), None)
        for code, labels in choices.categories.items():
            self.category.addItem(tr(*labels), code)
        self.local.blockSignals(True)
        self.local.clear()
        own = -1
        for n, local in enumerate(choices.local_infohuse):
            self.local.addItem(local.name, str(local.id))
            if local.municipality_id == self.ctx.session.member.organisation_id:
                own = n
        if own < 0 and len(choices.local_infohuse) > 1:
            self.local.insertItem(0, tr("Vælg Infohus Kommune …", "Choose Infohus Kommune …"), None)
            own = 0
        self.local.setCurrentIndex(max(own, 0))
        self.local.blockSignals(False)
        self._fill_groups()
        self.ok_button.setEnabled(True)
        self.person.name.setFocus()

    def _load_failed(self, exc: InfohusError) -> None:
        self.show_problem(exc.message(language()))

    def _selected_local(self) -> LocalInfohus | None:
        if self.choices is None:
            return None
        wanted = self.local.currentData()
        return next((li for li in self.choices.local_infohuse if str(li.id) == wanted), None)

    def _fill_groups(self) -> None:
        self.group.clear()
        local = self._selected_local()
        if local is not None:
            self.group.addItem(
                tr(
                    f"{local.name}s adgangskreds (standard)",
                    f"{local.name}'s access group (default)",
                ),
                None,
            )
        for group in self.choices.custom_groups if self.choices else []:
            self.group.addItem(group.name, str(group.id))

    # -- reporter ----------------------------------------------------------------------------

    def _anonymous_toggled(self, anonymous: bool) -> None:
        self.reporter_contact.setEnabled(not anonymous)
        if anonymous:
            self.reporter_contact.clear()
            self.reporter_contact.setPlaceholderText(tr("anonym", "anonymous"))
        else:
            self.reporter_contact.setPlaceholderText("")

    # -- saving ------------------------------------------------------------------------------

    def new_case(self) -> NewCase:
        local = self._selected_local()
        group = self.group.currentData()
        answers = tuple(
            (da, answer.text().strip())
            for (da, _en), answer in zip(INTAKE_QUESTIONS, self.answers, strict=True)
            if answer.text().strip()
        )
        return NewCase(
            person=self.person.person(),
            intake=Intake(
                source=Source(self.source.currentData()),
                received=self.received.value(),
                reporter_organisation=self.reporter_org.text().strip(),
                reporter_contact=""
                if self.anonymous.isChecked()
                else self.reporter_contact.text().strip(),
                anonymous=self.anonymous.isChecked(),
                observed=self.observed.toPlainText().strip(),
                answers=answers,
            ),
            category=str(self.category.currentData()),
            municipality=str(local.id) if local else None,
            group=str(group) if group else None,
            title=self.title_edit.text().strip(),
            follow_up=self.follow_up.value(),
        )

    def own_problems(self) -> list[Problem]:
        """The concern's and the case's fields that must be fixed (the person's are the
        person form's)."""
        found: list[Problem] = []
        if self.received.value() > date.today():
            found.append(
                (
                    self.received,
                    tr(
                        "Modtagelsesdatoen ligger i fremtiden.",
                        "The date received lies in the future.",
                    ),
                )
            )
        if not self.anonymous.isChecked() and not (
            self.reporter_org.text().strip() or self.reporter_contact.text().strip()
        ):
            found.append(
                (
                    self.reporter_org,
                    tr(
                        "Skriv hvem der har anmeldt bekymringen, eller markér anmelderen som "
                        "anonym.",
                        "Say who reported the concern, or mark the reporter as anonymous.",
                    ),
                )
            )
        if not self.observed.toPlainText().strip():
            found.append(
                (
                    self.observed,
                    tr("Beskriv hvad der er observeret.", "Describe what was observed."),
                )
            )
        if self.category.currentData() is None:
            found.append((self.category, tr("Vælg en bekymringstype.", "Choose a category.")))
        if self._selected_local() is None:
            found.append(
                (
                    self.local,
                    tr(
                        "Vælg hvilket Infohus Kommune sagen hører til.",
                        "Choose the Infohus Kommune.",
                    ),
                )
            )
        return found

    def problem(self) -> str:
        """Mark every field that must be fixed, beside it; the bottom line says how many."""
        person, own = self.person.problems(), self.own_problems()
        self.person.marks.show(person, focus=False)
        self.marks.show(own, focus=False)
        found = person + own
        if not found:
            return ""
        found[0][0].setFocus()
        return summary(found)

    def submit(self) -> None:
        problem = self.problem()
        if problem:
            self.show_problem(problem)
            return
        if self.checked is not None and self.checked.found:
            # Already warned: the plain button does not pass the warning by.
            self.show_problem(
                tr(
                    "Personen kan være kendt i forvejen. Vælg »Opret alligevel« for at "
                    "oprette sagen.",
                    "The person may already be known. Choose 'Open anyway' to open the case.",
                )
            )
            return
        # One call on the worker: ``open_case`` runs the duplicate check itself and opens
        # the case only if it finds nobody; a known person comes back as PossibleDuplicate
        # (see _create_failed). A check of its own first would run the same check twice.
        self._create(accept_duplicate=False)

    def _show_duplicate(self, check: DuplicateCheck) -> None:
        self.checked = check
        self.duplicate_text.setText(duplicate_text(check))
        self.duplicate.show()
        self.create_anyway.setFocus()

    def _identity_changed(self) -> None:
        self.checked = None
        self.duplicate.hide()

    def _create(self, accept_duplicate: bool) -> None:
        if self.saving:  # a second click while the first save runs would open two cases
            return
        problem = self.problem()
        if problem:
            self.show_problem(problem)
            return
        new = self.new_case()
        self.save(
            lambda s: s.cases.open_case(new, accept_duplicate=accept_duplicate),
            self._created,
            self._create_failed,
        )
        self.create_anyway.setEnabled(False)

    def _create_failed(self, exc: InfohusError) -> None:
        self.create_anyway.setEnabled(True)
        if isinstance(exc, PossibleDuplicate):
            self._show_duplicate(exc.check)
            return
        self.show_problem(exc.message(language()))

    def _created(self, summary: CaseSummary) -> None:
        self.created.emit(summary)
        self.finish_saved()


__all__ = ["IntakeDialog"]
