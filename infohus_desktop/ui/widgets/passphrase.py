"""A new passphrase: typed twice, a strength meter, and a generator of Danish words."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from infohus_desktop.crypto.passphrase_policy import MIN_LENGTH
from infohus_desktop.crypto.passphrase_words import estimate_strength, generate_passphrase
from infohus_desktop.ui.i18n import tr

_COLOURS = {0: "#b3261e", 1: "#b3261e", 2: "#a15c00", 3: "#2e7d32", 4: "#1b5e20"}


class NewPassphrase(QWidget):
    """Valid when both fields agree and the policy accepts the passphrase."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = QLineEdit()
        self.first.setObjectName("newPassphrase")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.first.setAccessibleName(tr("Ny adgangsfrase", "New passphrase"))
        self.second = QLineEdit()
        self.second.setObjectName("repeatPassphrase")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.second.setAccessibleName(tr("Gentag adgangsfrasen", "Repeat the passphrase"))
        self.meter = QProgressBar()
        self.meter.setObjectName("strengthMeter")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.meter.setAccessibleName(tr("Styrke", "Strength"))
        self.verdict = QLabel()
        self.verdict.setObjectName("strengthLabel")
        self.show_text = QCheckBox(tr("&Vis adgangsfrasen", "&Show the passphrase"))
        self.show_text.toggled.connect(self._toggle_echo)
        generate = QPushButton(tr("&Foreslå en adgangsfrase", "&Suggest a passphrase"))
        generate.setObjectName("generatePassphrase")
        generate.clicked.connect(self.generate)

        meter_row = QHBoxLayout()
        meter_row.addWidget(self.meter, 1)
        meter_row.addWidget(self.verdict)
        tools = QHBoxLayout()
        tools.addWidget(self.show_text)
        tools.addStretch()
        tools.addWidget(generate)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("&Ny adgangsfrase", "&New passphrase"), self.first)
        form.addRow(tr("&Gentag", "&Repeat"), self.second)
        form.addRow(tr("Styrke", "Strength"), meter_row)
        form.addRow("", tools)
        rule = QLabel(
            tr(
                f"Mindst {MIN_LENGTH} tegn. Flere almindelige ord er lette at huske og "
                "svære at gætte.",
                f"At least {MIN_LENGTH} characters. Several ordinary words are easy to "
                "remember and hard to guess.",
            )
        )
        rule.setWordWrap(True)
        form.addRow("", rule)
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.first.text()

    def is_valid(self) -> bool:
        return (
            self.first.text() == self.second.text()
            and estimate_strength(self.first.text()).acceptable
        )

    def problem(self) -> str:
        """Why the passphrase cannot be used yet, or an empty string."""
        if not estimate_strength(self.first.text()).acceptable:
            return tr(
                f"Adgangsfrasen skal være mindst {MIN_LENGTH} tegn og ikke en almindelig "
                "adgangskode.",
                f"The passphrase must be at least {MIN_LENGTH} characters and not a common "
                "password.",
            )
        if self.first.text() != self.second.text():
            return tr("De to adgangsfraser er ikke ens.", "The two passphrases differ.")
        return ""

    def generate(self) -> None:
        phrase = generate_passphrase()
        self.first.setText(phrase)
        self.second.setText(phrase)
        self.show_text.setChecked(True)  # a suggestion must be seen to be written down

    def _toggle_echo(self, visible: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if visible else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _update(self) -> None:
        strength = estimate_strength(self.first.text())
        self.meter.setValue(strength.score)
        self.meter.setStyleSheet(
            f"QProgressBar::chunk {{ background: {_COLOURS[strength.score]}; }}"
        )
        self.verdict.setText(tr(strength.label_da, strength.label_en) if self.first.text() else "")
        self.changed.emit()
