"""Dialogs around the member's own keys: the forced change of an initial passphrase, pinning
the vault's root fingerprint on a new workstation, and the app settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.settings import IDLE_LOCK_RANGE, UiSettings
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.tasks import TaskRunner
from infohus_desktop.ui.widgets.layout import hint, ok_cancel
from infohus_desktop.ui.widgets.passphrase import NewPassphrase


class ChangePassphraseDialog(QDialog):
    """Change one's own passphrase; after a first unlock with an initial passphrase this is
    required before anything else (cancelling locks again)."""

    def __init__(
        self,
        session: MemberServices,
        runner: TaskRunner,
        forced: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle(tr("Skift adgangsfrase", "Change passphrase"))
        self.session, self.runner = session, runner
        self.current = QLineEdit()
        self.current.setObjectName("currentPassphrase")
        self.current.setEchoMode(QLineEdit.EchoMode.Password)
        self.new = NewPassphrase()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.error = QLabel()
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.buttons = ok_cancel(self, tr("&Skift", "&Change"))
        box = QVBoxLayout(self)
        if forced:
            box.addWidget(
                hint(
                    tr(
                        "Du har fået en første adgangsfrase af koordinatoren. Vælg din egen, "
                        "før du går videre: kun du må kende den.",
                        "The coordinator gave you a first passphrase. Choose your own before "
                        "you go on: only you may know it.",
                    )
                )
            )
        form = QFormLayout()
        form.addRow(tr("&Nuværende adgangsfrase", "&Current passphrase"), self.current)
        box.addLayout(form)
        box.addWidget(self.new)
        box.addWidget(self.busy)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def accept(self) -> None:
        problem = self.new.problem()
        if problem:
            self.error.setText(problem)
            return
        current, new = self.current.text(), self.new.text()
        accounts = self.session.accounts
        self.busy.show()
        self.buttons.setEnabled(False)
        self.runner.submit(
            lambda: accounts.change_passphrase(current, new), self._done, self._failed, owner=self
        )

    def _done(self, _result: object) -> None:
        self.busy.hide()
        super().accept()

    def _failed(self, exc: InfohusError) -> None:
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.error.setText(exc.message(language()))


class TrustRootDialog(QDialog):
    """A workstation meets a vault for the first time: compare the root fingerprint with the
    coordinator (by phone, in person) and type or paste it to pin it."""

    def __init__(
        self,
        vault: Vault,
        fingerprint: str,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trustRootDialog")
        self.setWindowTitle(tr("Bekræft boksens rodnøgle", "Confirm the vault's root key"))
        self.vault, self.runner = vault, runner
        shown = QLabel(fingerprint)
        shown.setObjectName("shownFingerprint")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = shown.font()
        font.setFamily("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.2)
        shown.setFont(font)
        self.typed = QLineEdit()
        self.typed.setObjectName("typedFingerprint")
        self.typed.setPlaceholderText("XXXX XXXX …")
        self.error = QLabel()
        self.error.setWordWrap(True)
        # The instruction is the step itself, not a side note: in the text's own colour
        # (a grey hint looked like a disabled control; user trial).
        instruction = QLabel(
            tr(
                "Denne computer har ikke brugt boksen før. Ring til koordinatoren og "
                "sammenlign fingeraftrykket nedenfor med hendes eller hans. Skriv det "
                "derefter, som koordinatoren læser det op.",
                "This computer has not used the vault before. Call the coordinator and "
                "compare the fingerprint below with theirs. Then type it as the "
                "coordinator reads it out.",
            )
        )
        instruction.setObjectName("trustInstruction")
        instruction.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(instruction)
        box.addWidget(shown)
        form = QFormLayout()
        form.addRow(
            tr("&Fingeraftryk fra koordinatoren", "&Fingerprint from the coordinator"), self.typed
        )
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(ok_cancel(self, tr("&Stol på boksen", "&Trust the vault")))
        self.setMinimumWidth(600)

    def accept(self) -> None:
        typed, vault = self.typed.text(), self.vault
        self.runner.submit(lambda: vault.trust_root(typed), self._trusted, self._failed, owner=self)

    def _trusted(self, _fingerprint: str) -> None:
        super().accept()

    def _failed(self, exc: InfohusError) -> None:
        self.error.setText(exc.message(language()))


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: UiSettings,
        on_save: Callable[[UiSettings], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr("Indstillinger", "Settings"))
        self.on_save = on_save
        self.language = QComboBox()
        self.language.setObjectName("languageChoice")
        self.language.addItem("Dansk", "da")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if settings.language == "da" else 1)
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(*IDLE_LOCK_RANGE)
        self.idle.setValue(settings.idle_lock_minutes)
        self.idle.setSuffix(tr(" min.", " min"))
        self.overview_names = QCheckBox(
            tr("Vis personers navne på &Overblik", "Show persons' names on the &Overview")
        )
        self.overview_names.setObjectName("overviewNames")
        self.overview_names.setChecked(settings.overview_names)
        self.overview_names.setToolTip(
            tr(
                "Uden flueben viser startsiden sager ved nummer, ikke ved navn (den kan ses af "
                "andre over skulderen).",
                "Unticked, the start page shows cases by number, not by name (others may see "
                "it over your shoulder).",
            )
        )
        form = QFormLayout()
        form.addRow(tr("&Sprog", "&Language"), self.language)
        form.addRow(tr("&Lås efter inaktivitet", "&Lock when idle for"), self.idle)
        form.addRow("", self.overview_names)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(ok_cancel(self, tr("&Gem", "&Save")))
        self.setMinimumWidth(420)

    def accept(self) -> None:
        self.on_save(
            UiSettings(
                str(self.language.currentData()),
                self.idle.value(),
                self.overview_names.isChecked(),
            )
        )
        super().accept()
