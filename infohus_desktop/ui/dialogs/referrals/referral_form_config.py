"""The coordinator's configuration of the referral form: rename fields (Danish and English),
move them up and down, mark them required, add custom fields.

The vault's form is read on the worker; the changes are made to a copy here and saved in one
go (``session.referrals.settings.set_form``, checked and audited by the service, which also
refuses what it must: removing or retyping a built-in field, lifting "required" from the
programme). Moving a field keeps it within its section: the sections have a fixed order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from infohus_desktop.domain.referrals import (
    DEFAULT_FORM,
    SECTION_LABELS,
    FieldType,
    FormField,
    ReferralForm,
    Section,
)
from infohus_desktop.services.referrals.settings import FORM, form_json
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.widgets.layout import hint

TYPE_LABELS: dict[FieldType, tuple[str, str]] = {
    FieldType.TEXT: ("Tekst (én linje)", "Text (one line)"),
    FieldType.LONG_TEXT: ("Tekst (flere linjer)", "Text (several lines)"),
    FieldType.CHOICE: ("Valg", "Choice"),
    FieldType.YES_NO_UNKNOWN: ("Ja / nej / ukendt", "Yes / no / unknown"),
    FieldType.DATE: ("Dato", "Date"),
    FieldType.LIST: ("Liste (én pr. linje)", "List (one per line)"),
}
COLUMNS = (
    ("Afsnit", "Section"),
    ("Navn (dansk)", "Name (Danish)"),
    ("Navn (engelsk)", "Name (English)"),
    ("Type", "Type"),
    ("Påkrævet", "Required"),
)
COL_SECTION, COL_DA, COL_EN, COL_TYPE, COL_REQUIRED = range(5)


def key_from(text: str, taken: set[str]) -> str:
    """A stable field key from a label: ascii, lower case, underscores; unique."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("æ", "ae").replace("ø", "oe"))
    folded = folded.replace("å", "aa")
    base = re.sub(r"[^a-z0-9]+", "_", folded.encode("ascii", "ignore").decode()).strip("_")
    base = (base if base[:1].isalpha() else f"felt_{base}")[:36] or "felt"
    key, n = base, 2
    while key in taken or len(key) < 2:
        key, n = f"{base}_{n}", n + 1
    return key


class ReferralFormConfigDialog(SavingDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Tilpas henvisningsformularen", "Adjust the referral form"),
            "referralFormConfig",
            tr("&Gem formularen", "&Save the form"),
            parent,
        )
        self.fields: list[FormField] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("formFields")
        self.table.setAccessibleName(tr("Formularens felter", "The form's fields"))
        self.table.setHorizontalHeaderLabels([tr(*c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DA, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_EN, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)
        self.up = QPushButton(tr("Flyt &op", "Move &up"))
        self.up.setObjectName("moveUp")
        self.up.clicked.connect(lambda: self.move_field(-1))
        self.down = QPushButton(tr("Flyt &ned", "Move &down"))
        self.down.setObjectName("moveDown")
        self.down.clicked.connect(lambda: self.move_field(+1))

        self.new_da = QLineEdit()
        self.new_da.setObjectName("newFieldDa")
        self.new_da.setAccessibleName(tr("Nyt felt, dansk navn", "New field, Danish name"))
        self.new_en = QLineEdit()
        self.new_en.setObjectName("newFieldEn")
        self.new_en.setAccessibleName(tr("Nyt felt, engelsk navn", "New field, English name"))
        self.new_type = QComboBox()
        self.new_type.setObjectName("newFieldType")
        self.new_type.setAccessibleName(tr("Nyt felts type", "New field's type"))
        for kind in FieldType:
            if kind is not FieldType.CHOICE:  # choices need a list of options: the CLI has it
                self.new_type.addItem(label(TYPE_LABELS, kind), kind.value)
        self.new_section = QComboBox()
        self.new_section.setObjectName("newFieldSection")
        self.new_section.setAccessibleName(tr("Nyt felts afsnit", "New field's section"))
        for section in Section:
            self.new_section.addItem(label(SECTION_LABELS, section), section.value)
        self.new_section.setCurrentIndex(self.new_section.findData(Section.OTHER.value))
        self.new_required = QCheckBox(tr("Påkrævet", "Required"))
        self.new_required.setObjectName("newFieldRequired")
        self.add_button = QPushButton(tr("&Tilføj felt", "&Add field"))
        self.add_button.setObjectName("addField")
        self.add_button.clicked.connect(self.add_field)

        self.remove = QPushButton(tr("&Fjern felt", "&Remove field"))
        self.remove.setObjectName("removeField")
        self.remove.setToolTip(
            tr(
                "Kun tilføjede felter kan fjernes; værdier i gemte henvisninger bevares.",
                "Only added fields can be removed; values in saved referrals are kept.",
            )
        )
        self.remove.clicked.connect(self.remove_field)
        self.defaults = QPushButton(tr("&Gendan standardskemaet", "Restore the &standard form"))
        self.defaults.setObjectName("restoreDefaultForm")
        self.defaults.setToolTip(
            tr(
                "Skemaet, som programmet leveres med; gemmes først, når du trykker Gem. "
                "Værdier i gemte henvisninger bevares.",
                "The form the program comes with; saved only when you press Save. Values in "
                "saved referrals are kept.",
            )
        )
        self.defaults.clicked.connect(self.restore_defaults)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        moves = QHBoxLayout()
        moves.addWidget(self.up)
        moves.addWidget(self.down)
        moves.addStretch(1)
        moves.addWidget(self.defaults)
        moves.addWidget(self.remove)
        add = QFormLayout()
        add.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add.addRow(tr("Nyt felt (dansk)", "New field (Danish)"), self.new_da)
        add.addRow(tr("Nyt felt (engelsk)", "New field (English)"), self.new_en)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.new_type)
        kind_row.addWidget(self.new_section)
        kind_row.addWidget(self.new_required)
        kind_row.addStretch(1)
        kind_row.addWidget(self.add_button)
        add.addRow(tr("Type og afsnit", "Type and section"), kind_row)
        self.body.addWidget(
            hint(
                tr(
                    "Dobbeltklik et navn for at omdøbe det. Standardfelterne kan omdøbes, "
                    "flyttes og gøres påkrævede, men ikke fjernes.",
                    "Double-click a name to rename it. The standard fields can be renamed, "
                    "moved and made required, but not removed.",
                )
            )
        )
        self.body.addWidget(self.table, 1)
        self.body.addLayout(moves)
        self.body.addLayout(add)
        self.finish()
        self.ok_button.setEnabled(False)
        self.resize(860, 600)
        ctx.run(
            lambda s: s.referrals.settings.for_editing(),
            self._loaded,
            owner=self,
            on_error=lambda exc: self.show_problem(exc.message(language())),
        )

    def _loaded(self, loaded: tuple[ReferralForm, bool]) -> None:
        form, tampered = loaded
        if tampered:  # the shipped form is shown: saving it sets the form again, signed
            shown = tr(
                "Her vises standardskemaet; Gem formularen sætter den igen.",
                "The standard form is shown here; Save the form sets it again.",
            )
            self.show_problem(f"{tr(FORM.tampered_da, FORM.tampered_en)} {shown}")
        self.fields = list(form.fields)
        self._fill()
        self._selection_changed()
        self.ok_button.setEnabled(True)

    def _fill(self, select: int | None = None) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.fields))
        for row, f in enumerate(self.fields):
            cells = [
                label(SECTION_LABELS, f.section),
                f.label_da,
                f.label_en,
                label(TYPE_LABELS, f.type),
                "",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                if col in (COL_DA, COL_EN):
                    flags |= Qt.ItemFlag.ItemIsEditable
                if col == COL_REQUIRED:
                    flags |= Qt.ItemFlag.ItemIsUserCheckable
                    item.setCheckState(
                        Qt.CheckState.Checked if f.required else Qt.CheckState.Unchecked
                    )
                item.setFlags(flags)
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        if select is not None:
            self.table.selectRow(select)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        row, col = item.row(), item.column()
        f = self.fields[row]
        if col == COL_DA:
            self.fields[row] = replace(f, label_da=item.text().strip())
        elif col == COL_EN:
            self.fields[row] = replace(f, label_en=item.text().strip())
        elif col == COL_REQUIRED:
            self.fields[row] = replace(f, required=item.checkState() == Qt.CheckState.Checked)

    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        self.remove.setEnabled(0 <= row < len(self.fields) and not self.fields[row].builtin)

    def remove_field(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.fields) and not self.fields[row].builtin:
            del self.fields[row]
            self._fill(min(row, len(self.fields) - 1))

    def move_field(self, step: int) -> None:
        row = self.table.currentRow()
        other = row + step
        if row < 0 or not 0 <= other < len(self.fields):
            return
        if self.fields[row].section is not self.fields[other].section:
            return  # sections keep their order; a field moves within its own
        self.fields[row], self.fields[other] = self.fields[other], self.fields[row]
        self._fill(other)

    def add_field(self) -> None:
        da, en = self.new_da.text().strip(), self.new_en.text().strip()
        if not da or not en:
            self.show_problem(
                tr(
                    "Giv det nye felt et dansk og et engelsk navn.",
                    "Give the new field a Danish and an English name.",
                )
            )
            (self.new_da if not da else self.new_en).setFocus()
            return
        self.show_problem("")
        section = Section(str(self.new_section.currentData()))
        key = key_from(en, {f.key for f in self.fields})
        new = FormField(
            key,
            da,
            en,
            FieldType(str(self.new_type.currentData())),
            self.new_required.isChecked(),
            0,
            section,
            builtin=False,
        )
        last = max((n for n, f in enumerate(self.fields) if f.section is section), default=None)
        if last is None:
            before = [
                n
                for n, f in enumerate(self.fields)
                if list(Section).index(f.section) > list(Section).index(section)
            ]
            last = (before[0] - 1) if before else len(self.fields) - 1
        self.fields.insert(last + 1, new)
        self.new_da.clear()
        self.new_en.clear()
        self.new_required.setChecked(False)
        self._fill(last + 1)

    def restore_defaults(self) -> None:
        self.fields = list(DEFAULT_FORM.fields)
        self._fill()

    def form(self) -> ReferralForm:
        """The edited form, with orders as shown (ten apart)."""
        return ReferralForm(
            tuple(replace(f, order=(n + 1) * 10) for n, f in enumerate(self.fields))
        )

    def submit(self) -> None:
        data = form_json(self.form())
        self.save(lambda s: s.referrals.settings.set_form(data), lambda _f: self.finish_saved())
