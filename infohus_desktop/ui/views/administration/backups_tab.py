"""Administration → Sikkerhedskopier: make a backup, check one, rehearse a restore, and see
when the last of each was (coordinators act; the DPO reads the dates).

Everything runs on the worker: a backup streams the whole vault through the encryptor, a
verification and a drill derive a key from the passphrase and load the backup. A restore is
not here but on the welcome page, because it is what one does without a vault to unlock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.backups import BackupReport, BackupStatus
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.backups.common import (
    FILE_FILTER,
    PassphrasePrompt,
    counted,
    counts_text,
    header_text,
    size_text,
    when,
)
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.layout import action_button, hide_unless, hint


class BackupsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("adminBackupsTab")
        self.ctx = ctx
        coordinator = ctx.session.member.role is Role.COORDINATOR
        self.last_backup = QLabel()
        self.last_backup.setObjectName("lastBackup")
        self.last_drill = QLabel()
        self.last_drill.setObjectName("lastDrill")
        self.overdue = QLabel()
        self.overdue.setObjectName("backupOverdue")
        self.overdue.setWordWrap(True)
        self.overdue.setStyleSheet("color: #b00020;")
        self.days = QSpinBox()
        self.days.setObjectName("backupReminderDays")
        self.days.setRange(1, 90)
        self.days.setSuffix(tr(" dage", " days"))
        self.days.setAccessibleName(
            tr("Påmind efter dage uden sikkerhedskopi", "Remind after days without a backup")
        )
        self.days.setEnabled(coordinator)
        self.save_days = QPushButton(tr("Gem &påmindelse", "Save &reminder"))
        self.save_days.setObjectName("saveBackupReminder")
        hide_unless(coordinator, self.save_days)
        self.save_days.clicked.connect(self.save_reminder)
        days_row = QHBoxLayout()
        days_label = QLabel(tr("Påmind &koordinatorerne efter", "Remind the &coordinators after"))
        days_label.setBuddy(self.days)
        for widget in (days_label, self.days, self.save_days):
            days_row.addWidget(widget)
        days_row.addStretch(1)
        status_box = QGroupBox(tr("Status", "Status"))
        status = QVBoxLayout(status_box)
        status.addWidget(self.last_backup)
        status.addWidget(self.last_drill)
        status.addWidget(self.overdue)
        status.addLayout(days_row)

        self.create_button = action_button(
            "createBackup", "vault", ("&Lav sikkerhedskopi …", "&Make a backup …")
        )
        self.create_button.clicked.connect(self.ask_create)
        self.verify_button = action_button(
            "verifyBackup", "status", ("&Kontrollér en sikkerhedskopi …", "&Check a backup …")
        )
        self.verify_button.clicked.connect(self.ask_verify)
        self.drill_button = action_button(
            "drillBackup", "refresh", ("&Øv en genskabelse …", "&Rehearse a restore …")
        )
        self.drill_button.clicked.connect(self.ask_drill)
        self.buttons = (self.create_button, self.verify_button, self.drill_button)
        row = QHBoxLayout()
        for button in self.buttons:
            hide_unless(coordinator, button)
            row.addWidget(button)
        row.addStretch(1)
        self.result = QLabel()
        self.result.setObjectName("backupResult")
        self.result.setWordWrap(True)
        actions = QGroupBox(tr("Sikkerhedskopier", "Backups"))
        inner = QVBoxLayout(actions)
        inner.addWidget(
            hint(
                tr(
                    "En sikkerhedskopi rummer hele boksen, krypteret, så kun boksens "
                    "koordinatorer kan åbne den med deres adgangsfrase, og underskrevet af den, "
                    "der laver den. Gem den uden for denne computer. En øvelse genskaber "
                    "kopien i en midlertidig boks, læser alle sager, kontrollerer "
                    "revisionsloggen og sletter boksen igen. Genskab en rigtig boks fra "
                    "velkomstsiden (Skift boks …).",
                    "A backup holds the whole vault, encrypted so that only the vault's "
                    "coordinators can open it with their passphrase, and signed by whoever "
                    "makes it. Keep it away from this computer. A drill restores the backup "
                    "into a temporary vault, reads every case, checks the audit log and "
                    "removes the vault again. Restore a real vault from the welcome page "
                    "(Other vault …).",
                )
            )
        )
        inner.addLayout(row)
        inner.addWidget(self.result)

        outer = QVBoxLayout(self)
        outer.addWidget(status_box)
        outer.addWidget(actions)
        outer.addStretch(1)

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.ctx.run(lambda s: s.backups.status(), self._loaded, self)

    def _loaded(self, status: BackupStatus) -> None:
        self.status = status
        self.last_backup.setText(
            tr("Seneste sikkerhedskopi: ", "Last backup: ") + when(status.last_backup)
        )
        self.last_drill.setText(
            tr("Seneste vellykkede genskabelsesøvelse: ", "Last successful restore drill: ")
            + when(status.last_drill)
        )
        self.days.setValue(status.reminder_days)
        overdue = status.overdue(datetime.now(UTC))
        self.overdue.setVisible(overdue)
        self.overdue.setText(
            tr(
                f"Der er ikke lavet en sikkerhedskopi de sidste {status.reminder_days} dage.",
                f"No backup has been made in the last {status.reminder_days} days.",
            )
        )

    def save_reminder(self) -> None:
        days = self.days.value()
        self.ctx.run(lambda s: s.backups.set_reminder_days(days), lambda _d: self.reload(), self)

    # -- the actions ----------------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        for button in self.buttons:
            button.setEnabled(False)
        self.result.setText(text)

    def _idle(self) -> None:
        for button in self.buttons:
            button.setEnabled(True)

    def _failed(self, error: InfohusError) -> None:
        self._idle()
        self.result.setText("")
        show_error(self.ctx.window, error)

    def ask_create(self) -> None:
        stem = tr("infohus-sikkerhedskopi", "infohus-backup")
        # With the time: a second backup the same day gets a name of its own, where an
        # export would refuse to replace the first (services/core/exports.py).
        name = f"{stem}-{datetime.now():%Y-%m-%d-%H%M}.ihk"
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Gem sikkerhedskopi", "Save backup"), name, FILE_FILTER
        )
        if path:
            self.make_backup(Path(path))

    def make_backup(self, path: Path) -> None:
        self._busy(tr("Laver sikkerhedskopi …", "Making the backup …"))
        self.ctx.run(lambda s: s.backups.create(path), self._created, self, self._failed)

    def _created(self, report: BackupReport) -> None:
        self._idle()
        self.result.setText(
            tr("Sikkerhedskopien er gemt", "The backup is saved")
            + f" ({size_text(report.size)}). "
            + counts_text(report)
        )
        self.reload()

    def _choose(self, title: str) -> Path | None:
        path, _filter = QFileDialog.getOpenFileName(self, title, "", FILE_FILTER)
        return Path(path) if path else None

    def _ask_passphrase(self, title: str, then: object) -> None:
        prompt = PassphrasePrompt(
            title,
            tr(
                "Skriv din adgangsfrase: sikkerhedskopien åbnes med din nøgle.",
                "Type your passphrase: the backup is opened with your key.",
            ),
            self,
        )
        prompt.accepted.connect(lambda: then(prompt.passphrase()))  # type: ignore[operator]
        prompt.finished.connect(lambda _r: prompt.deleteLater())
        prompt.open()

    def ask_verify(self) -> None:
        path = self._choose(tr("Kontrollér sikkerhedskopi", "Check backup"))
        if path is not None:
            self._ask_passphrase(
                tr("Kontrollér sikkerhedskopi", "Check backup"), lambda p: self.verify(path, p)
            )

    def verify(self, path: Path, passphrase: str) -> None:
        from infohus_desktop.services.backups.restore import verify_file

        def work(s: MemberServices) -> BackupReport:
            return verify_file(path, s.member.login, passphrase, s.vault.local)

        self._busy(tr("Kontrollerer …", "Checking …"))
        self.ctx.run(work, self._verified, self, self._failed)

    def _verified(self, report: BackupReport) -> None:
        self._idle()
        self.result.setText(
            tr("✓ Sikkerhedskopien er i orden. ", "✓ The backup is sound. ")
            + header_text(report.header)
            + "\n"
            + counts_text(report)
        )

    def ask_drill(self) -> None:
        path = self._choose(tr("Øv genskabelse", "Rehearse a restore"))
        if path is not None:
            self._ask_passphrase(
                tr("Øv genskabelse", "Rehearse a restore"), lambda p: self.drill(path, p)
            )

    def drill(self, path: Path, passphrase: str) -> None:
        self._busy(tr("Øver genskabelsen …", "Rehearsing the restore …"))
        self.ctx.run(lambda s: s.backups.drill(path, passphrase), self._drilled, self, self._failed)

    def _drilled(self, report: BackupReport) -> None:
        self._idle()
        read = counted(report.cases_read, "sag", "sager", "case", "cases")
        seconds = f"{report.seconds:.1f}"
        self.result.setText(
            tr(
                f"✓ Øvelsen lykkedes på {seconds.replace('.', ',')} s: {read} læst, "
                "revisionsloggen verificeret, den midlertidige boks slettet. ",
                f"✓ The drill succeeded in {seconds} s: {read} read, the audit "
                "log verified, the temporary vault removed. ",
            )
            + counts_text(report)
        )
        self.reload()
