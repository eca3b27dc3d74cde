"""The "Person" tab: who the concern is about.

The name and the CPR number are copied only through the clipboard guard (``ctx.clipboard``),
which clears them again after a short time and on lock.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from infohus_desktop.domain.cpr import age_on
from infohus_desktop.domain.labels import SEX_LABELS
from infohus_desktop.ui.case_format import DASH, cpr_text
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.cases.case_data import CaseData
from infohus_desktop.ui.widgets.tables import (
    fill,
    fit_height,
    form,
    scrolled,
    table,
    value_label,
)

_FIELDS = (
    ("name", ("Navn", "Name")),
    ("cpr", ("CPR-nummer", "CPR number")),
    ("birth_date", ("Fødselsdato", "Date of birth")),
    ("sex", ("Køn", "Sex")),
    ("address", ("Adresse", "Address")),
    ("municipality", ("Bopælskommune", "Municipality")),
    ("phone", ("Telefon", "Phone")),
    ("email", ("E-mail", "E-mail")),
    ("school_or_work", ("Skole, uddannelse eller arbejde", "School, education or work")),
)


def _copy_button(text: str, name: str) -> QPushButton:
    button = QPushButton(icon("copy"), text)
    button.setObjectName(name)
    button.setToolTip(
        tr(
            "Kopiér; udklipsholderen ryddes igen efter 15 sekunder og ved låsning.",
            "Copy; the clipboard is cleared again after 15 seconds and on lock.",
        )
    )
    return button


class PersonTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personTab")
        self.ctx = ctx
        self.data: CaseData | None = None
        self.values = {key: value_label(name=f"person_{key}") for key, _ in _FIELDS}
        self.copy_name = _copy_button(tr("Kopiér navn", "Copy name"), "copyName")
        self.copy_cpr = _copy_button(tr("Kopiér CPR", "Copy CPR"), "copyCpr")
        self.copy_name.clicked.connect(self._copy_name)
        self.copy_cpr.clicked.connect(self._copy_cpr)
        person_form = form()
        for key, labels in _FIELDS:
            if key in ("name", "cpr"):
                row = QHBoxLayout()
                row.addWidget(self.values[key], 1)
                row.addWidget(self.copy_name if key == "name" else self.copy_cpr)
                person_form.addRow(tr(*labels), row)
            else:
                person_form.addRow(tr(*labels), self.values[key])
        person_box = QGroupBox(tr("Personen", "The person"))
        person_box.setLayout(person_form)
        self.guardians = table(
            "guardianList",
            tr("Forældremyndighedsindehavere", "Guardians"),
            (
                ("Navn", "Name"),
                ("Relation", "Relation"),
                ("Kontakt", "Contact"),
                ("Orienteret", "Informed"),
            ),
        )
        self.guardian_box = QGroupBox(tr("Forældremyndighedsindehavere", "Guardians"))
        QVBoxLayout(self.guardian_box).addWidget(self.guardians)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(person_box)
        column.addWidget(self.guardian_box)
        column.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolled(page))

    def show_case(self, data: CaseData) -> None:
        self.data = data
        person = data.case.person
        born = fmt_date(person.birth_date)
        if person.birth_date is not None:
            years = age_on(person.birth_date, date.today())
            born += tr(f" ({years} år)", f" ({years} years)")
        texts = {
            "name": person.name,
            "cpr": cpr_text(person.cpr) if person.cpr else tr("Ukendt", "Unknown"),
            "birth_date": born or DASH,
            "sex": label(SEX_LABELS, person.sex),
            "address": person.address or DASH,
            "municipality": person.municipality or DASH,
            "phone": person.phone or DASH,
            "email": person.email or DASH,
            "school_or_work": person.school_or_work or DASH,
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self.copy_cpr.setEnabled(bool(person.cpr))
        minor = person.birth_date is not None and age_on(person.birth_date, date.today()) < 18
        self.guardian_box.setVisible(minor or bool(person.guardians))
        yes, no = tr("Ja", "Yes"), tr("Nej", "No")
        fill(
            self.guardians,
            [[g.name, g.relation, g.contact, yes if g.informed else no] for g in person.guardians],
        )
        fit_height(self.guardians, max_rows=6)

    def _copy_name(self) -> None:
        if self.data is not None:
            self.ctx.clipboard.copy(self.data.case.person.name)

    def _copy_cpr(self) -> None:
        if self.data is not None and self.data.case.person.cpr:
            self.ctx.clipboard.copy(cpr_text(self.data.case.person.cpr))
