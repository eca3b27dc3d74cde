"""Administration → Indstillinger: what the Infohus decides once for everyone (case categories,
the indicators of an assessment, retention rules, bundle recipients), and what belongs to this
workstation (the vault's root fingerprint against the one pinned here).

The categories are edited in a table (code, Danish, English); the indicator list is longer and
structured, so it is loaded from a JSON file as on the command line (``docs/``'s example). The
retention rules and recipients open the dialogs their own areas use.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.assessment import DEFAULT_INDICATORS
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.cases.settings import (
    CATEGORIES,
    INDICATORS,
    EditableSettings,
    indicators_to_json,
)
from infohus_desktop.services.core.signed_settings import SignedSetting
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.settings import IDLE_LOCK_DEFAULT_MINUTES
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import error_label
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.layout import hide_unless, hint
from infohus_desktop.ui.widgets.tables import table

CATEGORY_HEADERS = (("Kode", "Code"), ("Dansk", "Danish"), ("Engelsk", "English"))

Loaded = tuple[EditableSettings, str, str, int | None]


def _load(s: MemberServices) -> Loaded:
    return (
        s.case_settings.for_editing(),
        s.vault.root_fingerprint(),
        s.vault.pinned_root(),
        s.vault_defaults.idle_lock_minutes(),
    )


def warning(name: str) -> QLabel:
    """The dialogs' error line (hidden, red, read as "Fejl"), named for this tab."""
    label = error_label()
    label.setObjectName(name)
    return label


def warn(label: QLabel, setting: SignedSetting, tampered: bool, then: str) -> None:
    """Say that ``setting`` was changed outside the program, and ``then`` what to do here."""
    what = tr(setting.tampered_da, setting.tampered_en)
    label.setText(f"{what} {then}" if tampered else "")
    label.setVisible(tampered)


class SettingsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("adminSettingsTab")
        self.ctx = ctx
        coordinator = ctx.session.member.role == Role.COORDINATOR
        self.coordinator = coordinator

        self.categories: QTableWidget = table(
            "categoryTable", tr("Sagskategorier", "Case categories"), CATEGORY_HEADERS
        )
        self.categories.setMinimumHeight(180)
        if coordinator:  # edited in place: a double click, F2 or typing over a cell
            self.categories.setEditTriggers(
                QAbstractItemView.EditTrigger.DoubleClicked
                | QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.AnyKeyPressed
            )
            self.categories.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.add_category = QPushButton(icon("add"), tr("&Tilføj kategori", "&Add category"))
        self.add_category.setObjectName("addCategory")
        self.add_category.clicked.connect(lambda: self._add_row())
        self.remove_category = QPushButton(icon("close"), tr("&Fjern kategori", "&Remove category"))
        self.remove_category.setObjectName("removeCategory")
        self.remove_category.clicked.connect(self._remove_row)
        self.save_categories = QPushButton(tr("&Gem kategorier", "&Save categories"))
        self.save_categories.setObjectName("saveCategories")
        self.save_categories.clicked.connect(self.save)
        row = QHBoxLayout()
        for button in (self.add_category, self.remove_category, self.save_categories):
            hide_unless(coordinator, button)
            row.addWidget(button)
        row.addStretch(1)
        categories_box = QGroupBox(tr("Sagskategorier", "Case categories"))
        inner = QVBoxLayout(categories_box)
        inner.addWidget(
            hint(
                tr(
                    "Kategorierne i indberetningen og statistikken. En kode er 2-32 tegn a-z, "
                    "0-9 eller _ og ændres ikke, når sager bruger den.",
                    "The categories of the intake and the statistics. A code is 2-32 "
                    "characters a-z, 0-9 or _ and is not changed once cases use it.",
                )
            )
        )
        self.categories_warning = warning("categoriesTampered")
        inner.addWidget(self.categories_warning)
        inner.addWidget(self.categories)
        inner.addLayout(row)

        self.indicator_count = QLabel()
        self.indicator_count.setObjectName("indicatorCount")
        self.load_indicators = QPushButton(
            icon("open"), tr("Indlæs &indikatorer fra fil …", "Load &indicators from file …")
        )
        self.load_indicators.setObjectName("loadIndicators")
        hide_unless(coordinator, self.load_indicators)
        self.load_indicators.clicked.connect(self.ask_indicators)
        self.rules_button = QPushButton(
            icon("settings"), tr("Slette&regler …", "Retention &rules …")
        )
        self.rules_button.setObjectName("adminRules")
        hide_unless(coordinator, self.rules_button)
        self.rules_button.clicked.connect(self.edit_rules)
        self.recipients_button = QPushButton(
            icon("bundle"), tr("&Modtagere af pakker …", "Bundle &recipients …")
        )
        self.recipients_button.setObjectName("adminRecipients")
        hide_unless(coordinator, self.recipients_button)
        self.recipients_button.clicked.connect(self.edit_recipients)
        more = QGroupBox(tr("Vurdering, sletning og modtagere", "Assessment, deletion, recipients"))
        more_box = QVBoxLayout(more)
        self.indicators_warning = warning("indicatorsTampered")
        more_box.addWidget(self.indicators_warning)
        more_box.addWidget(self.indicator_count)
        self.shipped_indicators = QPushButton(
            tr("Gem &programmets indikatorer", "Save the &program's indicators")
        )
        self.shipped_indicators.setObjectName("saveShippedIndicators")
        self.shipped_indicators.hide()  # only when the stored ones were changed outside
        self.shipped_indicators.clicked.connect(self.save_shipped_indicators)
        buttons = QHBoxLayout()
        buttons.addWidget(self.shipped_indicators)
        for button in (self.load_indicators, self.rules_button, self.recipients_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        more_box.addLayout(buttons)
        self.idle = QSpinBox()
        self.idle.setObjectName("vaultIdleLock")
        self.idle.setRange(1, 30)
        self.idle.setSuffix(tr(" min.", " min."))
        self.idle.setAccessibleName(
            tr("Lås efter minutter uden brug", "Lock after minutes without use")
        )
        self.idle.setEnabled(coordinator)
        self.save_idle = QPushButton(tr("Gem &tid", "Save &time"))
        self.save_idle.setObjectName("saveVaultIdleLock")
        hide_unless(coordinator, self.save_idle)
        self.save_idle.clicked.connect(self.save_idle_lock)
        idle_row = QHBoxLayout()
        idle_label = QLabel(tr("&Lås efter", "&Lock after"))
        idle_label.setBuddy(self.idle)
        idle_row.addWidget(idle_label)
        idle_row.addWidget(self.idle)
        idle_row.addWidget(self.save_idle)
        idle_row.addStretch(1)
        more_box.addLayout(idle_row)
        more_box.addWidget(
            hint(
                tr(
                    "Infohusets standard for, hvor længe en computer må stå ulåst (1-30 "
                    "minutter). En bruger, der selv har valgt en tid under Indstillinger, "
                    "beholder sin.",
                    "The Infohus's default for how long a computer may stand unlocked (1-30 "
                    "minutes). A user who chose a time under Settings keeps theirs.",
                )
            )
        )

        self.root = QLabel()
        self.root.setObjectName("rootFingerprint")
        self.pinned = QLabel()
        self.pinned.setObjectName("pinnedFingerprint")
        self.match = QLabel()
        self.match.setObjectName("fingerprintMatch")
        self.match.setWordWrap(True)
        for label in (self.root, self.pinned):
            font = label.font()
            font.setFamily("monospace")
            label.setFont(font)
        workstation = QGroupBox(tr("Denne arbejdsstation", "This workstation"))
        station = QVBoxLayout(workstation)
        station.addWidget(QLabel(tr("Boksens rodnøgle (fingeraftryk):", "The vault's root key:")))
        station.addWidget(self.root)
        station.addWidget(QLabel(tr("Godkendt på denne computer:", "Trusted on this computer:")))
        station.addWidget(self.pinned)
        station.addWidget(self.match)
        station.addWidget(
            hint(
                tr(
                    "Sammenlign fingeraftrykket med det på medlemmernes velkomstbreve. En ny "
                    "rodnøgle godkendes, når boksen åbnes næste gang og viser et andet "
                    "fingeraftryk; programmet beder så om at sammenligne det.",
                    "Compare the fingerprint with the one on the members' welcome letters. A "
                    "new root key is trusted when the vault next opens with another "
                    "fingerprint; the program then asks you to compare it.",
                )
            )
        )

        outer = QVBoxLayout(self)
        outer.addWidget(categories_box, 1)
        outer.addWidget(more)
        outer.addWidget(workstation)

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.ctx.run(_load, self._loaded, self)

    def _loaded(self, loaded: Loaded) -> None:
        settings, root, pinned, idle = loaded
        self.idle.setValue(idle if idle is not None else IDLE_LOCK_DEFAULT_MINUTES)
        self.categories.setRowCount(0)
        for code, (da, en) in settings.categories.items():
            self._add_row(code, da, en)
        # Lists changed outside the program: the shipped ones are shown, to be saved again.
        warn(
            self.categories_warning,
            CATEGORIES,
            settings.categories_tampered,
            tr(
                "Her vises programmets egne; Infohusets egne kategorier er ikke med og må "
                "tilføjes igen. Gem kategorier sætter listen igen.",
                "The program's own are shown here; the Infohus's own categories are not among "
                "them and must be added again. Save categories sets the list again.",
            ),
        )
        warn(
            self.indicators_warning,
            INDICATORS,
            settings.indicators_tampered,
            tr(
                "Indtil de er sat igen, kan ingen vurdering laves: gem programmets egne, eller "
                "indlæs jeres egne fra fil.",
                "Until they are set again, no assessment can be made: save the program's own, "
                "or load your own from a file.",
            ),
        )
        self.shipped_indicators.setVisible(self.coordinator and settings.indicators_tampered)
        n = len(settings.indicators)
        self.indicator_count.setText(
            tr(
                f"Programmets egen liste har {n} indikatorer.",
                f"The program's own list has {n} indicators.",
            )
            if settings.indicators_tampered
            else tr(f"Vurderingen bruger {n} indikatorer.", f"The assessment uses {n} indicators.")
        )
        self.root.setText(root)
        self.pinned.setText(pinned)
        same = root == pinned
        self.match.setText(
            tr("✓ De er ens.", "✓ They match.")
            if same
            else tr(
                "De er forskellige: kontakt en koordinator.", "They differ: call a coordinator."
            )
        )
        self.match.setStyleSheet("color: #1b5e20;" if same else "color: #b00020;")

    # -- categories ---------------------------------------------------------------------------

    def _add_row(self, code: str = "", da: str = "", en: str = "") -> None:
        row = self.categories.rowCount()
        self.categories.insertRow(row)
        for column, text in enumerate((code, da, en)):
            self.categories.setItem(row, column, QTableWidgetItem(text))
        if not code:
            self.categories.setCurrentCell(row, 0)
            first = self.categories.item(row, 0)
            if first is not None:
                self.categories.editItem(first)

    def _remove_row(self) -> None:
        row = self.categories.currentRow()
        if row >= 0:
            self.categories.removeRow(row)

    def table_categories(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for row in range(self.categories.rowCount()):
            cells = [self.categories.item(row, c) for c in range(3)]
            code, da, en = (cell.text().strip() if cell else "" for cell in cells)
            if code or da or en:
                out[code] = [da, en]
        return out

    def save(self) -> None:
        data = self.table_categories()
        self.ctx.run(lambda s: s.case_settings.set_categories(data), lambda _c: self.reload(), self)

    # -- the rest -----------------------------------------------------------------------------

    def save_shipped_indicators(self) -> None:
        data = indicators_to_json(DEFAULT_INDICATORS)
        self.ctx.run(lambda s: s.case_settings.set_indicators(data), lambda _i: self.reload(), self)

    def ask_indicators(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Indikatorer fra fil", "Indicators from file"), "", "JSON (*.json)"
        )
        if not path:
            return
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            show_error(
                self.ctx.window,
                InvalidInput(
                    f"Filen kunne ikke læses som JSON ({type(exc).__name__}).",
                    f"The file could not be read as JSON ({type(exc).__name__}).",
                ),
            )
            return
        self.ctx.run(lambda s: s.case_settings.set_indicators(data), lambda _i: self.reload(), self)

    def save_idle_lock(self) -> None:
        minutes = self.idle.value()
        self.ctx.run(
            lambda s: s.vault_defaults.set_idle_lock_minutes(minutes),
            lambda _m: self.reload(),
            self,
        )

    def edit_rules(self) -> None:
        from infohus_desktop.ui.dialogs.retention.rules import open_rules

        open_rules(self.ctx, self)

    def edit_recipients(self) -> None:
        from infohus_desktop.ui.dialogs.referrals.recipients import RecipientsDialog

        dialog = RecipientsDialog(self.ctx, self)
        dialog.open()
