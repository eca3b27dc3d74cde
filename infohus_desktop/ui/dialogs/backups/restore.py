"""Genskab fra en sikkerhedskopi: from the welcome page, with nothing but the file and a
coordinator's passphrase (every workstation may be lost).

The dialog shows the backup's signed header first (who made it, when, which coordinators can
open it, the vault's root fingerprint), then restores into a new file or an empty server
database on the worker. On a computer that does not know the vault, the user confirms that
the fingerprint matches the welcome letter, as when a vault is opened for the first time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.backups import DELETIONS_NOTES, BackupHeaderInfo, BackupReport
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.local_state import LocalState
from infohus_desktop.private_files import make_private_dir
from infohus_desktop.ui.dialogs.backups.common import FILE_FILTER, counts_text, header_text
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.tasks import TaskRunner
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.vault.urls import file_of_url, url_for_path


class RestoreBackupDialog(QDialog):
    #: The restored vault's database URL, once the restore has finished.
    restored = Signal(str)

    def __init__(self, runner: TaskRunner, local: LocalState, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("restoreBackupDialog")
        self.setWindowTitle(tr("Genskab fra en sikkerhedskopi", "Restore from a backup"))
        self.setMinimumWidth(640)
        self.runner, self.local = runner, local
        self.header: BackupHeaderInfo | None = None
        self.report: BackupReport | None = None

        self.file = QLineEdit()
        self.file.setObjectName("backupFile")
        self.file.setReadOnly(True)
        self.file.setMinimumWidth(360)
        choose = QPushButton(tr("&Vælg …", "&Choose …"))
        choose.setObjectName("chooseBackupFile")
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        self.about = QLabel()
        self.about.setObjectName("backupHeader")
        self.about.setWordWrap(True)

        self.to_file = QRadioButton(tr("En ny &fil på denne computer", "A new &file here"))
        self.to_file.setObjectName("restoreToFile")
        self.to_file.setChecked(True)
        self.to_server = QRadioButton(tr("Distriktets &server", "The district's &server"))
        self.to_server.setObjectName("restoreToServer")
        where = QButtonGroup(self)
        where.addButton(self.to_file)
        where.addButton(self.to_server)
        self.target = QLineEdit()
        self.target.setObjectName("restoreTarget")
        self.target.setPlaceholderText(tr("Den nye boks' fil", "The new vault's file"))
        choose_target = QPushButton(tr("Vælg &placering …", "Choose &location …"))
        choose_target.setObjectName("chooseRestoreTarget")
        choose_target.clicked.connect(self.choose_target)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(choose_target)
        self.server = QLineEdit()
        self.server.setObjectName("restoreServer")
        self.server.setPlaceholderText(
            tr(
                "postgresql+psycopg://bruger@vært/database",
                "postgresql+psycopg://user@host/database",
            )
        )
        self.server.setEnabled(False)
        self.to_server.toggled.connect(self.server.setEnabled)
        self.to_server.toggled.connect(lambda on: self.target.setEnabled(not on))
        self.to_server.toggled.connect(lambda on: choose_target.setEnabled(not on))

        self.login = QComboBox()
        self.login.setObjectName("restoreLogin")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("restorePassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.compared = QCheckBox(
            tr(
                "Jeg har sammenlignet rodnøglens fingeraftryk med velkomstbrevet",
                "I compared the root key's fingerprint with the welcome letter",
            )
        )
        self.compared.setObjectName("fingerprintCompared")
        self.compared.hide()

        form = QFormLayout()
        form.addRow(tr("Sikkerhedskopi:", "Backup:"), file_row)
        form.addRow("", self.about)
        form.addRow(tr("Genskab som:", "Restore as:"), self.to_file)
        form.addRow("", target_row)
        form.addRow("", self.to_server)
        form.addRow("", self.server)
        form.addRow(tr("&Koordinator:", "&Coordinator:"), self.login)
        form.addRow(tr("&Adgangsfrase:", "&Passphrase:"), self.passphrase)
        form.addRow("", self.compared)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("restoreStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("&Genskab", "&Restore"))
        self.ok.setObjectName("restoreBackupButton")
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("Annuller", "Cancel")
        )
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addWidget(
            hint(
                tr(
                    "Sikkerhedskopien genskabes i en ny, tom boks; en eksisterende boks "
                    "overskrives aldrig. Alt kontrolleres, før boksen kan åbnes: underskrift, "
                    "indhold og revisionslog. Sager, som denne computer ved er slettet efter "
                    "sikkerhedskopien, fjernes igen.",
                    "The backup is restored into a new, empty vault; an existing vault is "
                    "never overwritten. Everything is checked before the vault can be opened: "
                    "signature, content and audit log. Cases this computer knows were deleted "
                    "after the backup are removed again.",
                )
            )
        )
        box.addLayout(form)
        box.addWidget(self.busy)
        box.addWidget(self.status)
        box.addWidget(self.buttons)

    # -- choosing -------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Vælg sikkerhedskopi", "Choose backup"), "", FILE_FILTER
        )
        if path:
            self.load(Path(path))

    def load(self, path: Path) -> None:
        from infohus_desktop.services.backups.restore import inspect_file

        self.file.setText(str(path))
        self._busy(tr("Læser sikkerhedskopiens hoved …", "Reading the backup's header …"))
        self.runner.submit(lambda: inspect_file(path), self._inspected, self._failed, self)

    def _inspected(self, header: BackupHeaderInfo) -> None:
        self._busy(None)
        self.status.setText("")
        self.header = header
        self.about.setText(header_text(header))
        self.login.clear()
        self.login.addItems(list(header.key_holders))
        if header.created_by in header.key_holders:  # most often who restores it
            self.login.setCurrentText(header.created_by)
        known = self.local.pin(header.vault_id) is not None
        self.compared.setVisible(not known)
        if not self.target.text():
            name = f"{tr('genskabt', 'restored')}-{header.created:%Y-%m-%d}.sqlite"
            self.target.setText(str(self.local.home / "vaults" / name))
        self.ok.setEnabled(True)
        self.passphrase.setFocus()
        # The layout first takes in the backup's lines (and the fingerprint box shown or
        # not): adjustSize alone kept the old height, and the lines overlapped (user trial).
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.adjustSize()

    def choose_target(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            tr("Den genskabte boks", "The restored vault"),
            self.target.text(),
            tr("Infohus-boks (*.sqlite)", "Infohus vault (*.sqlite)"),
        )
        if path:
            self.target.setText(path)

    # -- restoring ------------------------------------------------------------------------------

    def target_url(self) -> str:
        if self.to_server.isChecked():
            return self.server.text().strip()
        path = Path(self.target.text().strip()).expanduser()
        if path.suffix != ".sqlite":
            path = path.with_name(path.name + ".sqlite")
        return url_for_path(path.resolve())

    def start(self) -> None:
        from infohus_desktop.services.backups.restore import restore_file

        header = self.header
        if header is None:
            return
        problem = self._problem()
        if problem:
            self.status.setText(problem)
            return
        path, url = Path(self.file.text()), self.target_url()
        login, secret, local = self.login.currentText(), self.passphrase.text(), self.local
        fingerprint = header.root_fingerprint if self.compared.isChecked() else None
        self.passphrase.clear()
        self._busy(
            tr(
                "Genskaber: nøglen afledes, indholdet dekrypteres og kontrolleres …",
                "Restoring: deriving the key, decrypting and checking the content …",
            )
        )
        own_folder = self.local.home / "vaults"

        def restore() -> BackupReport:
            if url.startswith("sqlite") and Path(file_of_url(url)).parent == own_folder.resolve():
                make_private_dir(own_folder)  # the folder proposed; new on a new computer
            return restore_file(path, url, login, secret, local=local, fingerprint=fingerprint)

        self.runner.submit(
            restore,
            lambda report: self._restored(report, url),
            self._failed,
            self,
        )

    def _problem(self) -> str:
        if self.to_server.isChecked() and not self.server.text().strip():
            return tr("Skriv serverens adresse.", "Type the server's address.")
        if self.to_file.isChecked() and not self.target.text().strip():
            return tr("Vælg hvor boksen skal ligge.", "Choose where the vault goes.")
        if not self.passphrase.text():
            return tr("Skriv din adgangsfrase.", "Type your passphrase.")
        if self.compared.isVisible() and not self.compared.isChecked():
            return tr(
                "Sammenlign fingeraftrykket med velkomstbrevet først.",
                "Compare the fingerprint with the welcome letter first.",
            )
        return ""

    def _restored(self, report: BackupReport, url: str) -> None:
        self._busy(None)
        self.report = report
        self.status.setText(
            tr("Boksen er genskabt. ", "The vault is restored. ") + counts_text(report)
        )
        if report.left_behind or report.deletions_note:
            _tell_after_restore(self.parentWidget(), report)
        self.restored.emit(url)
        self.accept()

    def _failed(self, error: InfohusError) -> None:
        self._busy(None)
        self.status.setText("")
        self.ok.setEnabled(self.header is not None)
        show_error(self, error)

    def _busy(self, text: str | None) -> None:
        self.busy.setVisible(text is not None)
        self.ok.setEnabled(text is None and self.header is not None)
        if text is not None:
            self.status.setText(text)


def _tell_after_restore(parent: QWidget | None, report: BackupReport) -> None:
    """What the member must know of the restored copy, said once, beside its unlock
    screen: it is the vault on this workstation from now on (the copy this workstation knew
    before, if still there, is refused here as another one: the rollback guard keeps one);
    and, without this workstation's deletion register, that cases deleted elsewhere after
    the backup may be back."""
    box = QMessageBox(parent)
    box.setObjectName("leftBehindBox" if report.left_behind else "deletionsNoteBox")
    box.setIcon(QMessageBox.Icon.Warning if report.deletions_note else QMessageBox.Icon.Information)
    box.setWindowTitle(tr("Boksen er genskabt", "The vault is restored"))
    notes = []
    if report.left_behind:
        notes.append(
            tr(
                f"Denne arbejdsstation kendte boksen på {report.left_behind}. Fra nu af er det "
                f"kopien i {report.target}. Åbnes den gamle kopi her, afvises den som en anden, "
                "ændret kopi, indtil en koordinator godkender den. En sikkerhedskopi prøves uden "
                "at skifte med »Øv en genskabelse …« under Administration › Sikkerhedskopier.",
                f"This workstation knew the vault at {report.left_behind}. From now on it is "
                f"the copy in {report.target}. The old copy, opened here, is refused as another, "
                "changed copy until a coordinator accepts it. A backup is tried without "
                "switching with “Rehearse a restore …” under Administration › Backups.",
            )
        )
    if report.deletions_note:
        notes.append(tr(*DELETIONS_NOTES[report.deletions_note]))
    box.setText(tr("Boksen er genskabt.", "The vault is restored."))
    box.setInformativeText("\n\n".join(notes))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
