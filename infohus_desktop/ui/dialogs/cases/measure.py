"""A recommended measure (*indsats*) and its owning authority, added or updated.

The Infohus recommends; the owning authority decides and acts under its own law, so every
measure names that authority. An update is saved against the version the user opened: if
someone else saved the measure meanwhile, the dialog shows what they saved and keeps the
user's input, and a second save (an explicit choice) writes the user's version.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QWidget

from infohus_desktop.domain.cases import Measure, MeasureStatus, MeasureType
from infohus_desktop.domain.errors import Conflict, InfohusError
from infohus_desktop.domain.labels import MEASURE_STATUS_LABELS, MEASURE_TYPE_LABELS
from infohus_desktop.services.cases.records import MeasureInput
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, text_area
from infohus_desktop.ui.i18n import fmt_date, language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.dates import OptionalDateEdit
from infohus_desktop.ui.widgets.person_form import line


class MeasureDialog(SavingDialog):
    """``measure`` given: update it. :attr:`saved` holds the saved measure."""

    def __init__(
        self,
        ctx: AppContext,
        number: str,
        measure: Measure | None = None,
        authorities: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        updating = measure is not None
        super().__init__(
            ctx,
            tr(f"Opdater indsats i {number}", f"Update measure in {number}")
            if updating
            else tr(f"Ny indsats i {number}", f"New measure in {number}"),
            "measureDialog",
            tr("&Gem indsats", "&Save measure"),
            parent,
        )
        self.number = number
        self.measure = measure
        self.base_version = measure.version if measure else 0
        self.saved: Measure | None = None
        self.type = QComboBox()
        self.type.setObjectName("measureType")
        self.type.setAccessibleName(tr("Indsatstype", "Type of measure"))
        for kind in MeasureType:
            self.type.addItem(label(MEASURE_TYPE_LABELS, kind), kind)
        self.owner = line("measureOwner", tr("Ansvarlig myndighed", "Owning authority"))
        if authorities:
            self.owner.setCompleter(QCompleter(list(authorities), self.owner))
        self.description = text_area("measureDescription", tr("Beskrivelse", "Description"), 70)
        self.start = OptionalDateEdit()
        self.start.setObjectName("measureStart")
        self.start.setAccessibleName(tr("Start", "Start"))
        self.end = OptionalDateEdit()
        self.end.setObjectName("measureEnd")
        self.end.setAccessibleName(tr("Slut", "End"))
        self.status = QComboBox()
        self.status.setObjectName("measureStatus")
        self.status.setAccessibleName(tr("Status", "Status"))
        for status in MeasureStatus:
            self.status.addItem(label(MEASURE_STATUS_LABELS, status), status)
        self.outcome = text_area("measureOutcome", tr("Resultat", "Outcome"), 70)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("&Type", "&Type"), self.type)
        form.addRow(tr("Ansvarlig &myndighed", "Owning &authority"), self.owner)
        form.addRow(tr("&Beskrivelse", "&Description"), self.description)
        form.addRow(tr("St&art", "St&art"), self.start)
        form.addRow(tr("S&lut", "&End"), self.end)
        form.addRow(tr("&Status", "&Status"), self.status)
        form.addRow(tr("&Resultat", "&Outcome"), self.outcome)
        self.body.addLayout(form)
        self.finish()
        chain_tab_order(
            [
                self.type,
                self.owner,
                self.description,
                self.start,
                self.end,
                self.status,
                self.outcome,
                self.ok_button,
            ]
        )
        if measure is not None:
            self._fill(measure)
        self.setMinimumWidth(560)

    def _fill(self, measure: Measure) -> None:
        self.type.setCurrentIndex(self.type.findData(measure.type))
        self.owner.setText(measure.owner)
        self.description.setPlainText(measure.description)
        self.start.set_value(measure.start)
        self.end.set_value(measure.end)
        self.status.setCurrentIndex(self.status.findData(measure.status))
        self.outcome.setPlainText(measure.outcome)

    def value(self) -> MeasureInput:
        return MeasureInput(
            type=MeasureType(self.type.currentData()),
            owner=self.owner.text().strip(),
            description=self.description.toPlainText().strip(),
            start=self.start.value(),
            end=self.end.value(),
            status=MeasureStatus(self.status.currentData()),
            outcome=self.outcome.toPlainText().strip(),
        )

    def submit(self) -> None:
        value = self.value()
        if not value.owner:
            self.show_problem(tr("Angiv den ansvarlige myndighed.", "Name the owning authority."))
            self.owner.setFocus()
            return
        if value.start and value.end and value.end < value.start:
            self.show_problem(
                tr("Slutdatoen ligger før startdatoen.", "The end date is before the start.")
            )
            return
        number = self.number
        if self.measure is None:
            self.save(lambda s: s.case_records.add_measure(number, value), self._saved)
            return
        measure_id, version = self.measure.id, self.base_version
        self.save(
            lambda s: s.case_records.update_measure(number, measure_id, version, value),
            self._saved,
            self._failed,
        )

    def _saved(self, measure: Measure) -> None:
        self.saved = measure
        self.finish_saved()

    def _failed(self, exc: InfohusError) -> None:
        if not isinstance(exc, Conflict) or self.measure is None:
            self.show_problem(exc.message(language()))
            return
        number, measure_id = self.number, self.measure.id

        def current(measures: tuple[Measure, ...]) -> None:
            theirs = next((m for m in measures if m.id == measure_id), None)
            if theirs is None:
                self.show_problem(
                    tr("Indsatsen findes ikke længere.", "The measure no longer exists.")
                )
                return
            self.base_version = theirs.version
            period = " – ".join(fmt_date(d) for d in (theirs.start, theirs.end) if d)
            self.show_problem(
                tr(
                    "En anden har gemt indsatsen, mens du arbejdede, og intet er gemt. Deres "
                    f"version: {label(MEASURE_STATUS_LABELS, theirs.status)}, "
                    f"{theirs.owner} {period}; resultat: {theirs.outcome or '–'}. "
                    "Din indtastning er bevaret: gem igen for at erstatte deres version, "
                    "eller annullér.",
                    "Someone else saved the measure while you worked, and nothing was saved. "
                    f"Their version: {label(MEASURE_STATUS_LABELS, theirs.status)}, "
                    f"{theirs.owner} {period}; outcome: {theirs.outcome or '–'}. "
                    "Your input is kept: save again to replace their version, or cancel.",
                )
            )

        self.save(lambda s: s.cases.show(number).measures, current)
