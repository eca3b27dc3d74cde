"""What the backup screens share: the report in words, the file filter, and the one-field
passphrase question of a drill or a verification."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.backups import BackupHeaderInfo, BackupReport, counts_words
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.ui.i18n import tr

FILE_FILTER = tr(
    "Infohus-sikkerhedskopi (*.ihk);;Alle filer (*)", "Infohus backup (*.ihk);;All files (*)"
)


def when(moment: datetime | None) -> str:
    if moment is None:
        return tr("aldrig", "never")
    return moment.astimezone(COPENHAGEN).strftime(tr("%d.%m.%Y kl. %H.%M", "%d.%m.%Y at %H:%M"))


def size_text(size: int) -> str:
    """A backup's size, with the Danish decimal comma in a Danish window."""
    if size < 100_000:
        return f"{size / 1024:.0f} kB"
    text = f"{size / 1_048_576:.1f} MB"
    return tr(text.replace(".", ","), text)


def header_text(header: BackupHeaderInfo) -> str:
    return tr(
        f"Lavet {when(header.created)} af {header.created_by}.\n"
        f"Kan åbnes af: {', '.join(header.key_holders)}.\n"
        f"Boksens rodnøgle: {header.root_fingerprint}",
        f"Made {when(header.created)} by {header.created_by}.\n"
        f"Opened by: {', '.join(header.key_holders)}.\n"
        f"The vault's root key: {header.root_fingerprint}",
    )


def counted(n: int, one_da: str, many_da: str, one_en: str, many_en: str) -> str:
    return tr(f"{n} {one_da if n == 1 else many_da}", f"{n} {one_en if n == 1 else many_en}")


def counts_text(report: BackupReport) -> str:
    return tr(*counts_words(report))


class PassphrasePrompt(QDialog):
    """Asks the coordinator for their passphrase again: opening a backup derives the key
    from it (the unlocked session keeps no passphrase)."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupPassphrase")
        self.setWindowTitle(title)
        self.field = QLineEdit()
        self.field.setObjectName("backupPassphraseField")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMinimumWidth(320)
        explain = QLabel(text)
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("&Adgangsfrase:", "&Passphrase:"), self.field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Fortsæt", "Continue"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Annuller", "Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(explain)
        box.addLayout(form)
        box.addWidget(buttons)

    def passphrase(self) -> str:
        return self.field.text()

    def done(self, result: int) -> None:
        super().done(result)
        if result != QDialog.DialogCode.Accepted:
            self.field.clear()
