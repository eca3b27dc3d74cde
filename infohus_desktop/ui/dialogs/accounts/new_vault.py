"""The first-run wizard: a new vault for a police district.

Infohus and location → the first coordinator → a passphrase (meter, Danish-word generator) →
the vault is created on the worker thread (key calibration takes a second or two) → the
coordinator's fingerprint, the root of trust, to compare on every other workstation.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.members import validate_login
from infohus_desktop.domain.organisations import OrgKind
from infohus_desktop.local_state import LocalState, default_vault_path
from infohus_desktop.private_files import make_private_dir
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.tasks import TaskRunner
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.passphrase import NewPassphrase
from infohus_desktop.vault.urls import url_for_path


class _InfohusPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("Infohuset", "The Infohus"))
        self.setSubTitle(
            tr(
                "En boks hører til én politikreds: dens Infohus Netværk og hver kommunes "
                "Infohus Kommune.",
                "A vault belongs to one police district: its Infohus network and each "
                "municipality's Infohus Kommune.",
            )
        )
        self.infohus = QLineEdit()
        self.infohus.setObjectName("infohusName")
        self.infohus.setPlaceholderText(tr("fx Østjylland", "e.g. Østjylland"))
        self.path = QLineEdit(str(default_vault_path()))
        self.path.setObjectName("vaultPath")
        browse = QPushButton(tr("&Gennemse …", "&Browse …"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(tr("&Politikreds (Infohus)", "&Police district (Infohus)"), self.infohus)
        form.addRow(tr("Boksens &fil", "Vault &file"), row)
        form.addRow(
            "",
            hint(
                tr(
                    "Boksen er en krypteret fil på denne computer. En fælles PostgreSQL-server "
                    "sættes op med kommandoen 'infohus init --db-url'.",
                    "The vault is an encrypted file on this computer. A shared PostgreSQL "
                    "server is set up with the command 'infohus init --db-url'.",
                )
            ),
        )
        self.registerField("infohus*", self.infohus)
        self.registerField("path*", self.path)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            tr("Gem boksen som", "Save the vault as"),
            self.path.text(),
            tr("Infohus-boks (*.sqlite)", "Infohus vault (*.sqlite)"),
        )
        if chosen:
            self.path.setText(chosen)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        path = Path(self.path.text()).expanduser()
        if path.exists():
            self.setSubTitle(
                tr(
                    "Der findes allerede en fil her. Vælg en anden placering.",
                    "A file already exists there. Choose another location.",
                )
            )
            return False
        return True


class _CoordinatorPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("Den første koordinator", "The first coordinator"))
        self.setSubTitle(
            tr(
                "Du. Koordinatorens nøgle bliver boksens rodnøgle.",
                "You. The coordinator's key becomes the vault's root key.",
            )
        )
        self.name = QLineEdit()
        self.name.setObjectName("coordinatorName")
        self.login = QLineEdit()
        self.login.setObjectName("coordinatorLogin")
        self.login.setPlaceholderText(tr("fx lars", "e.g. lars"))
        self.organisation = QLineEdit()
        self.organisation.setObjectName("organisation")
        self.police = QRadioButton(tr("&Politiet", "The &police"))
        self.police.setChecked(True)
        self.municipality = QRadioButton(tr("En &kommune", "A &municipality"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.police)
        kinds.addButton(self.municipality)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.police)
        kind_row.addWidget(self.municipality)
        kind_row.addStretch()
        self.error = QLabel()
        self.error.setObjectName("pageError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(tr("Fulde &navn", "Full &name"), self.name)
        form.addRow(tr("&Brugernavn", "&Login"), self.login)
        form.addRow(tr("Organisationstype", "Organisation type"), kind_row)
        form.addRow(tr("&Organisation", "&Organisation"), self.organisation)
        form.addRow("", self.error)
        self.police.toggled.connect(self._suggest_org)
        self._suggest_org()
        self.registerField("name*", self.name)
        self.registerField("login*", self.login)
        self.registerField("organisation*", self.organisation)

    def _suggest_org(self) -> None:
        if self.police.isChecked() and not self.organisation.text():
            self.organisation.setPlaceholderText(
                tr("fx Østjyllands Politi", "e.g. Østjyllands Politi")
            )
        elif not self.police.isChecked():
            self.organisation.setPlaceholderText(tr("fx Aarhus Kommune", "e.g. Aarhus Kommune"))

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        try:
            validate_login(self.login.text().strip().lower())
        except InfohusError as exc:
            self.error.setText(exc.message(language()))
            return False
        self.error.clear()
        return True


class _PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("Din adgangsfrase", "Your passphrase"))
        self.setSubTitle(
            tr(
                "Den låser dine nøgler op. Ingen kan nulstille den: skriv den ned og gem "
                "den et sikkert sted.",
                "It unlocks your keys. Nobody can reset it: write it down and keep it "
                "somewhere safe.",
            )
        )
        self.passphrase = NewPassphrase()
        self.error = QLabel()
        self.error.setObjectName("pageError")
        self.error.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.passphrase)
        box.addWidget(self.error)
        self.passphrase.changed.connect(self.completeChanged.emit)
        self.passphrase.changed.connect(
            lambda: self.error.setText(
                self.passphrase.problem() if self.passphrase.second.text() else ""
            )
        )

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return self.passphrase.is_valid()


class _CreatePage(QWizardPage):
    """Creates the vault when shown; shows the fingerprint when done."""

    def __init__(self, wizard: NewVaultWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle(tr("Boksen oprettes", "Creating the vault"))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.text = QLabel(
            tr(
                "Nøglerne laves, og nøgleudledningen kalibreres til denne computer…",
                "Making the keys and calibrating the key derivation for this computer…",
            )
        )
        self.text.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("fingerprint")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.fingerprint.font()
        font.setFamily("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.fingerprint.setFont(font)
        box = QVBoxLayout(self)
        box.addWidget(self.text)
        box.addWidget(self.busy)
        box.addWidget(self.fingerprint)
        box.addStretch()
        self.done = False

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self.wizard_.create_vault()

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return self.done

    def show_done(self, session: MemberServices) -> None:
        self.done = True
        self.busy.hide()
        self.setTitle(tr("Boksen er oprettet", "The vault is ready"))
        self.text.setText(
            tr(
                "Dit fingeraftryk er boksens rodnøgle. Andre arbejdsstationer skal "
                "sammenligne det med dig, før de stoler på boksen:",
                "Your fingerprint is the vault's root key. Other workstations compare it "
                "with you before they trust the vault:",
            )
        )
        self.fingerprint.setText(session.member.fingerprint)
        self.completeChanged.emit()

    def show_failed(self, exc: InfohusError) -> None:
        self.busy.hide()
        self.text.setText(
            exc.message(language())
            + " "
            + tr("Gå tilbage og ret, eller annullér.", "Go back and correct it, or cancel.")
        )


class NewVaultWizard(QWizard):
    def __init__(
        self, runner: TaskRunner, local: LocalState, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newVaultWizard")
        self.setWindowTitle(tr("Ny boks", "New vault"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(620, 460)
        self.runner, self.local = runner, local
        self.session: MemberServices | None = None
        self.infohus_page = _InfohusPage()
        self.coordinator_page = _CoordinatorPage()
        self.passphrase_page = _PassphrasePage()
        self.create_page = _CreatePage(self)
        for page in (
            self.infohus_page,
            self.coordinator_page,
            self.passphrase_page,
            self.create_page,
        ):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("&Næste >", "&Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< &Tilbage", "< &Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("&Åbn boksen", "&Open the vault"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("Annuller", "Cancel"))

    def create_vault(self) -> None:
        if self.session is not None:
            return
        path = Path(self.infohus_page.path.text()).expanduser().resolve()
        spec = NewVault(
            infohus_name=self.infohus_page.infohus.text().strip(),
            login=self.coordinator_page.login.text().strip().lower(),
            name=self.coordinator_page.name.text().strip(),
            organisation=self.coordinator_page.organisation.text().strip(),
            organisation_kind=(
                OrgKind.POLICE if self.coordinator_page.police.isChecked() else OrgKind.MUNICIPALITY
            ),
            passphrase=self.passphrase_page.passphrase.text(),
        )
        local = self.local

        def work() -> MemberServices:
            make_private_dir(path.parent)
            url = url_for_path(path)
            session = Vault.create(url, spec, local)
            local.set_default_vault_url(url)
            return session

        # No way back or out while the vault is made: a cancel then would leave a vault and
        # an unlocked session nobody holds.
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(False)
        self.runner.submit(work, self._created, self._failed, owner=self)

    def _created(self, session: MemberServices) -> None:
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.session = session
        self.create_page.show_done(session)

    def _failed(self, exc: InfohusError) -> None:
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(True)
        self.create_page.show_failed(exc)
