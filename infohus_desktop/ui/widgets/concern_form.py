"""The concern as received (*modtagelsen*): source, date received, who reported it and what
was observed. The case's edit dialog uses it to correct an intake after the case was opened;
the change is saved as any other field of the case (audited, with a conflict dialog when
someone else saved meanwhile). The intake interview's answers are kept as they were."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QWidget

from infohus_desktop.domain.cases import Intake, Source
from infohus_desktop.domain.labels import SOURCE_LABELS
from infohus_desktop.ui.dialogs.saving import text_area
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.dates import DateEdit
from infohus_desktop.ui.widgets.person_form import line


class ConcernForm(QWidget):
    def __init__(self, intake: Intake, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.answers = intake.answers
        self.source = QComboBox()
        self.source.setObjectName("editSource")
        self.source.setAccessibleName(tr("Kilde", "Source"))
        for source in Source:
            self.source.addItem(tr(*SOURCE_LABELS[source]), source.value)
        self.source.setCurrentIndex(self.source.findData(intake.source.value))
        self.received = DateEdit(intake.received)
        self.received.setObjectName("editReceived")
        self.received.setAccessibleName(tr("Modtaget", "Received"))
        self.received.setMaximumDate(QDate.currentDate())
        self.reporter_org = line(
            "editReporterOrganisation", tr("Anmelders organisation", "Reporter's organisation")
        )
        self.reporter_org.setText(intake.reporter_organisation)
        self.anonymous = QCheckBox(tr("Anonym anmelder", "Anonymous reporter"))
        self.anonymous.setObjectName("editAnonymous")
        self.reporter_contact = line("editReporterContact", tr("Kontaktperson", "Contact person"))
        self.reporter_contact.setText(intake.reporter_contact)
        self.anonymous.toggled.connect(self._anonymous)
        self.anonymous.setChecked(intake.anonymous)
        self.observed = text_area("editObserved", tr("Hvad er observeret", "What was observed"), 80)
        self.observed.setPlainText(intake.observed)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(tr("Ki&lde", "Sour&ce"), self.source)
        form.addRow(tr("&Modtaget", "&Received"), self.received)
        form.addRow(tr("Anmelders o&rganisation", "Reporter's o&rganisation"), self.reporter_org)
        form.addRow("", self.anonymous)
        form.addRow(tr("Kon&taktperson", "Con&tact person"), self.reporter_contact)
        form.addRow(tr("Hvad er o&bserveret", "What was o&bserved"), self.observed)

    def _anonymous(self, anonymous: bool) -> None:
        self.reporter_contact.setEnabled(not anonymous)
        if anonymous:
            self.reporter_contact.clear()

    def intake(self) -> Intake:
        anonymous = self.anonymous.isChecked()
        received: date = self.received.value()
        return Intake(
            Source(self.source.currentData()),
            received,
            self.reporter_org.text().strip(),
            "" if anonymous else self.reporter_contact.text().strip(),
            anonymous,
            self.observed.toPlainText().strip(),
            self.answers,
        )

    def tab_chain(self) -> list[QWidget]:
        return [
            self.source,
            self.received,
            self.reporter_org,
            self.anonymous,
            self.reporter_contact,
            self.observed,
        ]
