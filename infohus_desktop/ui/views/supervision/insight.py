"""The citizen's insight report (*indsigt*) in the app: a coordinator gives the person's CPR
number or one of their case numbers, chooses whether staff names go in (by default they do
not), and gets the report in the print preview. Building it reads every case about the person
and the log on the worker; the reads, the report and every print or save are audited with
the purpose *indsigt*."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QWidget,
)

from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.insight.service import InsightService
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.widgets.layout import hint


def _audit_output(ms: MemberServices, action: str) -> None:
    InsightService(ms).record_output(action)


class InsightDialog(SavingDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Indsigtsrapport", "Insight report"),
            "insightDialog",
            tr("&Dan rapport", "&Make the report"),
            parent,
        )
        self.preview: PdfPreviewDialog | None = None
        self.by_cpr = QRadioButton(tr("&CPR-nummer", "&CPR number"))
        self.by_case = QRadioButton(tr("&Sagsnummer", "Case &number"))
        self.by_cpr.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_cpr)
        group.addButton(self.by_case)
        self.value = QLineEdit()
        self.value.setObjectName("insightValue")
        self.value.setAccessibleName(tr("CPR- eller sagsnummer", "CPR or case number"))
        self.value.setPlaceholderText("010190-1234 / AAR-2026-0007")
        self.names = QCheckBox(tr("Medtag &medarbejdernes navne", "Include staff &names"))
        self.names.setObjectName("insightStaffNames")
        self.body.addWidget(
            hint(
                tr(
                    "Rapporten viser alt om personen i de sager, du kan læse, og loggen over "
                    "opslag og ændringer: dato, formål, organisation og handling. Medarbejdernes "
                    "navne kommer kun med, hvis du vælger det. At danne, udskrive og gemme "
                    "rapporten skrives i revisionsloggen med formålet indsigt.",
                    "The report shows everything about the person in the cases you can read, "
                    "and the log of look-ups and changes: date, purpose, organisation and "
                    "action. Staff names are included only if you choose so. Making, printing "
                    "and saving the report is recorded in the audit log with the purpose "
                    "insight.",
                )
            )
        )
        form = QFormLayout()
        form.addRow(tr("Find ud fra", "Find by"), self.by_cpr)
        form.addRow("", self.by_case)
        form.addRow(tr("&Nummer", "N&umber"), self.value)
        form.addRow("", self.names)
        self.body.addLayout(form)
        self.finish()
        chain_tab_order([self.by_cpr, self.by_case, self.value, self.names, self.ok_button])
        self.setMinimumWidth(480)

    def submit(self) -> None:
        value = self.value.text().strip()
        if not value:
            self.show_problem(
                tr("Skriv et CPR-nummer eller et sagsnummer.", "Give a CPR or a case number.")
            )
            return
        by_cpr, names, lang = self.by_cpr.isChecked(), self.names.isChecked(), language()

        def build(s: MemberServices) -> tuple[bytes, bool]:
            from infohus_desktop.reports.insight import render_insight

            if by_cpr:
                report = s.insight.build(cpr=value, with_staff_names=names)
            else:
                report = s.insight.build(case=value, with_staff_names=names)
            return render_insight(report, lang), report.possibly_elsewhere

        self.save(build, self._built)

    def _built(self, built: tuple[bytes, bool]) -> None:
        pdf, elsewhere = built
        self.value.clear()  # a CPR number is not left in a field
        self.preview = PdfPreviewDialog(
            self.ctx,
            pdf,
            tr("Indsigtsrapport", "Insight report"),
            "indsigt.pdf",
            _audit_output,
            parent=self.ctx.window,
        )
        self.preview.show()
        if elsewhere:
            _tell_elsewhere(self.preview)
        self.finish_saved()


def _tell_elsewhere(preview: QWidget) -> None:
    """Before the report goes to the citizen: the issuer cannot read every case that may be
    about the person (the report says so too, lower down)."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        tr("Indsigtsrapport", "Insight report"),
        tr(
            "Personen findes muligvis også i en sag i en adgangskreds, du ikke er med i. "
            "Rapporten nævner det, men kan ikke vise sagen. En koordinator i den "
            "adgangskreds kan danne rapporten for de sager, før borgeren får svar.",
            "The person possibly also appears in a case of an access group you are not in. "
            "The report mentions it but cannot show the case. A coordinator of that access "
            "group can make the report for those cases before the citizen gets an answer.",
        ),
        QMessageBox.StandardButton.Ok,
        preview,
    )
    box.setObjectName("insightElsewhere")
    box.open()
