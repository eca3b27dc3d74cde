"""The person (*borger*) form shared by intake and editing.

The CPR number is checked as it is typed (``domain.cpr.parse_cpr``, no database involved, so
on the GUI thread): a complete valid number shows the birth date and sex it gives, and those
two fields follow it. Guardians (*forældremyndighedsindehavere*) appear when the CPR number
or the birth date says the person is under 18, or when guardians are already recorded.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import Guardian, Person
from infohus_desktop.domain.cpr import CprInfo, Sex, age_on, normalize_cpr, parse_cpr
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import SEX_LABELS
from infohus_desktop.ui.i18n import fmt_date, language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.dates import OptionalDateEdit
from infohus_desktop.ui.widgets.field_marks import FieldMarks, Problem

_GUARDIAN_COLUMNS = (
    ("Navn", "Name"),
    ("Relation", "Relation"),
    ("Kontakt", "Contact"),
    ("Orienteret", "Informed"),
)


def line(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    return edit


class GuardianTable(QWidget):
    """Guardians as editable rows: name, relation, contact, informed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(_GUARDIAN_COLUMNS))
        self.table.setObjectName("guardianTable")
        self.table.setAccessibleName(tr("Forældremyndighedsindehavere", "Guardians"))
        self.table.setHorizontalHeaderLabels([tr(*c) for c in _GUARDIAN_COLUMNS])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(96)
        self.table.setMaximumHeight(150)
        self.table.setTabKeyNavigation(False)
        self.add_button = QPushButton(
            icon("add"),
            tr("Tilføj &forældremyndighedsindehaver", "Add holder of parental &responsibility"),
        )
        self.add_button.setObjectName("addGuardian")
        self.add_button.clicked.connect(lambda: self.add(Guardian("")))
        self.remove_button = QPushButton(
            tr("Fjern forældremyndighedsindehaver", "Remove holder of parental responsibility")
        )
        self.remove_button.setObjectName("removeGuardian")
        self.remove_button.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        box.addLayout(buttons)

    def add(self, guardian: Guardian) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in enumerate((guardian.name, guardian.relation, guardian.contact)):
            self.table.setItem(row, col, QTableWidgetItem(text))
        informed = QTableWidgetItem()
        informed.setFlags(
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )
        informed.setCheckState(
            Qt.CheckState.Checked if guardian.informed else Qt.CheckState.Unchecked
        )
        self.table.setItem(row, 3, informed)
        if not guardian.name:
            first = self.table.item(row, 0)
            self.table.setCurrentCell(row, 0)
            if first is not None:
                self.table.editItem(first)

    def set_guardians(self, guardians: tuple[Guardian, ...]) -> None:
        self.table.setRowCount(0)
        for guardian in guardians:
            self.add(guardian)

    def guardians(self) -> tuple[Guardian, ...]:
        out = []
        for row in range(self.table.rowCount()):

            def text(col: int, row: int = row) -> str:
                item = self.table.item(row, col)
                return item.text().strip() if item else ""

            informed = self.table.item(row, 3)
            guardian = Guardian(
                text(0),
                text(1),
                text(2),
                informed is not None and informed.checkState() == Qt.CheckState.Checked,
            )
            if guardian.name or guardian.relation or guardian.contact:
                out.append(guardian)
        return tuple(out)

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)


class PersonForm(QWidget):
    """Name, CPR with live check, birth date, sex, contact details and guardians."""

    #: The name or the CPR number changed (an earlier duplicate check no longer holds).
    identity_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = line("personName", tr("Navn", "Name"))
        self.cpr = line("personCpr", tr("CPR-nummer", "CPR number"))
        self.cpr.setPlaceholderText(tr("ddmmåå-xxxx (hvis kendt)", "ddmmyy-xxxx (if known)"))
        self.cpr.setMaxLength(13)
        self.cpr_info = QLabel()
        self.cpr_info.setObjectName("cprInfo")
        self.cpr_info.setWordWrap(True)
        self.birth_date = OptionalDateEdit()
        self.birth_date.setObjectName("personBirthDate")
        self.birth_date.setAccessibleName(tr("Fødselsdato", "Date of birth"))
        self.sex = QComboBox()
        self.sex.setObjectName("personSex")
        self.sex.setAccessibleName(tr("Køn", "Sex"))
        for value in (Sex.UNKNOWN, Sex.FEMALE, Sex.MALE):
            self.sex.addItem(tr(*SEX_LABELS[value]), value)
        self.address = line("personAddress", tr("Adresse", "Address"))
        self.municipality = line("personMunicipality", tr("Bopælskommune", "Municipality"))
        self.phone = line("personPhone", tr("Telefon", "Phone"))
        self.email = line("personEmail", tr("E-mail", "E-mail"))
        self.school_or_work = line(
            "personSchoolWork", tr("Skole, uddannelse eller arbejde", "School, education or work")
        )
        self.guardians = GuardianTable()
        self.guardian_box = QGroupBox(
            tr("Forældremyndighedsindehavere (under 18 år)", "Guardians (under 18)")
        )
        self.guardian_box.setObjectName("guardianBox")
        guardian_layout = QVBoxLayout(self.guardian_box)
        guardian_layout.addWidget(self.guardians)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.marks = FieldMarks()
        self.marks.row(form, tr("&Navn", "&Name"), self.name, required=True)
        # The CPR number's problem is the live line under it (cpr_info): marked, not repeated.
        form.addRow(tr("&CPR-nummer", "&CPR number"), self.cpr)
        form.addRow("", self.cpr_info)
        born = QHBoxLayout()
        born.addWidget(self.birth_date)
        sex_label = QLabel(tr("&Køn", "&Sex"))
        sex_label.setBuddy(self.sex)
        born.addSpacing(12)
        born.addWidget(sex_label)
        born.addWidget(self.sex)
        born.addStretch(1)
        born_label = QLabel(tr("&Fødselsdato", "Date of &birth"))
        born_label.setBuddy(self.birth_date)
        form.addRow(born_label, born)
        form.addRow(tr("&Adresse", "&Address"), self.address)
        form.addRow(tr("Bopæls&kommune", "&Municipality"), self.municipality)
        form.addRow(tr("&Telefon", "&Phone"), self.phone)
        self.marks.row(form, tr("&E-mail", "&E-mail"), self.email)
        form.addRow(tr("Skole/&arbejde", "School/&work"), self.school_or_work)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(form)
        box.addWidget(self.guardian_box)
        box.addStretch(1)

        self.name.textEdited.connect(lambda _t: self.identity_changed.emit())
        self.cpr.textChanged.connect(self._cpr_changed)
        self.cpr.textEdited.connect(lambda _t: self.identity_changed.emit())
        self.cpr.editingFinished.connect(self._format_cpr)
        self.birth_date.dateChanged.connect(lambda _d: self._update_guardians())
        self._cpr_changed(self.cpr.text())

    # -- CPR ---------------------------------------------------------------------------------

    def tab_chain(self) -> list[QWidget]:
        """The form's fields in the order Tab visits them, for the dialogs that embed it."""
        return [
            self.name,
            self.cpr,
            self.birth_date,
            self.sex,
            self.address,
            self.municipality,
            self.phone,
            self.email,
            self.school_or_work,
            self.guardians.table,
            self.guardians.add_button,
            self.guardians.remove_button,
        ]

    def cpr_result(self) -> CprInfo | str | None:
        """The parsed CPR number, a message saying what is wrong, or None when empty."""
        text = self.cpr.text().strip()
        if not text:
            return None
        try:
            return parse_cpr(normalize_cpr(text), date.today())
        except InfohusError as exc:
            return exc.message(language())

    def _typing_cpr(self) -> bool:
        """Still typing: only digits and separators so far, fewer than ten digits."""
        text = self.cpr.text().strip()
        digits = sum(ch.isdigit() for ch in text)
        return digits < 10 and all(ch.isdigit() or ch in " -." for ch in text)

    def _cpr_changed(self, _text: str) -> None:
        result = self.cpr_result()
        derived = isinstance(result, CprInfo)
        self.birth_date.setEnabled(not derived)
        self.sex.setEnabled(not derived)
        self.cpr_info.setStyleSheet("")
        if isinstance(result, CprInfo):
            self.birth_date.set_value(result.birth_date)
            self.sex.setCurrentIndex(self.sex.findData(result.sex))
            sex = tr(*SEX_LABELS[result.sex])
            born = fmt_date(result.birth_date)
            self.cpr_info.setText(tr(f"Født {born} · {sex}", f"Born {born} · {sex}"))
        elif isinstance(result, str) and self._typing_cpr():
            self.cpr_info.setText(tr("Skriv alle 10 cifre.", "Type all 10 digits."))
        elif isinstance(result, str):
            self.cpr_info.setStyleSheet("color: #b00020;")
            self.cpr_info.setText(result)
        else:
            self.cpr_info.setText(
                tr(
                    "CPR-nummeret er ofte ukendt ved modtagelsen; udfyld det, når det kendes.",
                    "The CPR number is often unknown at intake; fill it in when known.",
                )
            )
        self._update_guardians()

    def _format_cpr(self) -> None:
        """Show a valid number the way it is written: ddmmåå-xxxx."""
        result = self.cpr_result()
        if isinstance(result, CprInfo) and self.cpr.text() != result.formatted:
            self.cpr.setText(result.formatted)

    def is_minor(self) -> bool:
        born = self.birth_date.value()
        return born is not None and age_on(born, date.today()) < 18

    def _update_guardians(self) -> None:
        self.guardian_box.setVisible(self.is_minor() or self.guardians.table.rowCount() > 0)

    # -- values ------------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """What must be fixed before saving, field by field."""
        found: list[Problem] = []
        if not self.name.text().strip():
            found.append((self.name, tr("Skriv personens navn.", "Enter the person's name.")))
        result = self.cpr_result()
        if isinstance(result, str):
            found.append((self.cpr, tr(f"CPR-nummer: {result}", f"CPR number: {result}")))
        email = self.email.text().strip()
        if email and ("@" not in email or " " in email):
            found.append(
                (
                    self.email,
                    tr("E-mailadressen ser forkert ud.", "The e-mail address looks wrong."),
                )
            )
        return found

    def problem(self) -> str:
        """The first problem in words, or an empty string."""
        found = self.problems()
        return found[0][1] if found else ""

    def set_person(self, person: Person) -> None:
        self.name.setText(person.name)
        self.guardians.set_guardians(person.guardians)
        self.cpr.setText(f"{person.cpr[:6]}-{person.cpr[6:]}" if person.cpr else "")
        if not person.cpr:
            self.birth_date.set_value(person.birth_date)
            self.sex.setCurrentIndex(self.sex.findData(person.sex))
        self.address.setText(person.address)
        self.municipality.setText(person.municipality)
        self.phone.setText(person.phone)
        self.email.setText(person.email)
        self.school_or_work.setText(person.school_or_work)
        self._update_guardians()

    def person(self) -> Person:
        result = self.cpr_result()
        info = result if isinstance(result, CprInfo) else None
        return Person(
            name=" ".join(self.name.text().split()),
            cpr=info.number if info else None,
            birth_date=info.birth_date if info else self.birth_date.value(),
            sex=info.sex if info else Sex(self.sex.currentData()),
            address=self.address.text().strip(),
            municipality=self.municipality.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            school_or_work=self.school_or_work.text().strip(),
            guardians=self.guardians.guardians(),
        )
