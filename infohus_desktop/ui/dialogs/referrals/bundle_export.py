"""Export a referral as an encrypted bundle (*Eksportér krypteret pakke …*).

The member chooses a recipient from the vault's register (name, organisation and the
fingerprint they confirmed when it was pinned), ticks the case attachments to include, and
names the file. The bundle is built and written on the worker, streamed to a private temporary
file beside the chosen name and renamed when complete
(``session.bundles.export_referral_to_file``): a file exists only where the user saved it,
whole. Only then does a draft become "sent by bundle" (the service does that), so the pane
reloads the referral afterwards; a failed write (a full disk) shows the service's message and
leaves the referral as it was.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from infohus_desktop.domain.cases import AttachmentInfo
from infohus_desktop.domain.referrals import Referral
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.referrals.bundle_keys import Recipient
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order
from infohus_desktop.ui.i18n import fmt_datetime, language, tr
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import size_text

BUNDLE_SUFFIX = ".infohus"


def load_choices(
    session: MemberServices, number: str
) -> tuple[list[Recipient], tuple[AttachmentInfo, ...]]:
    """On the worker: the register and the case's attachments."""
    return session.bundles.recipients(), session.cases.show(number).attachments


def export_to_file(
    session: MemberServices,
    referral_id: uuid.UUID,
    recipient_id: uuid.UUID,
    attachment_ids: list[str],
    target: Path,
) -> Path:
    """On the worker: the service streams the bundle (audited) into a private temporary file
    and renames it; only then does it mark a draft sent. A failed write changes nothing."""
    session.bundles.export_referral_to_file(referral_id, recipient_id, target, attachment_ids)
    return target


class BundleExportDialog(SavingDialog):
    """:attr:`written` is the file after a successful export."""

    def __init__(self, ctx: AppContext, referral: Referral, parent: QWidget | None = None) -> None:
        number = referral.summary.case_number
        super().__init__(
            ctx,
            tr(f"Eksportér krypteret pakke – {number}", f"Export encrypted bundle – {number}"),
            "bundleExportDialog",
            tr("&Eksportér …", "&Export …"),
            parent,
        )
        self.referral = referral
        self.written: Path | None = None
        self.saved: Referral | None = None
        self.recipients = QListWidget()
        self.recipients.setObjectName("bundleRecipients")
        self.recipients.setAccessibleName(tr("Modtager", "Recipient"))
        self.recipients.setMinimumHeight(90)
        self.attachments = QListWidget()
        self.attachments.setObjectName("bundleAttachments")
        self.attachments.setAccessibleName(tr("Bilag i pakken", "Attachments in the bundle"))
        self.attachments.setMinimumHeight(70)
        self.status = QLabel(tr("Henter modtagere …", "Loading recipients …"))
        self.status.setObjectName("bundleStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        recipients_label = QLabel(tr("&Modtager", "&Recipient"))
        recipients_label.setBuddy(self.recipients)
        attachments_label = QLabel(tr("&Bilag", "&Attachments"))
        attachments_label.setBuddy(self.attachments)
        form.addRow(recipients_label, self.recipients)
        form.addRow(attachments_label, self.attachments)
        self.body.addWidget(self.status)
        self.body.addLayout(form)
        self.body.addWidget(
            hint(
                tr(
                    "Pakken krypteres til modtagerens nøgle og signeres af boksen. Kontrollér "
                    "fingeraftrykket. En kladde registreres som sendt som krypteret pakke.",
                    "The bundle is encrypted to the recipient's key and signed by this vault. "
                    "Check the fingerprint. A draft is recorded as sent as an encrypted bundle.",
                )
            )
        )
        self.finish()
        chain_tab_order([self.recipients, self.attachments, self.ok_button])
        self.ok_button.setEnabled(False)
        self.resize(620, 440)
        ctx.run(
            lambda s: load_choices(s, number),
            self._loaded,
            owner=self,
            on_error=lambda exc: self.status.setText(exc.message(language())),
        )

    def _loaded(self, result: tuple[list[Recipient], tuple[AttachmentInfo, ...]]) -> None:
        recipients, attachments = result
        chosen = set(self.referral.values.get("attachments") or [])
        for r in recipients:
            item = QListWidgetItem(f"{r.name} ({r.organisation})\n{r.fingerprint}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            item.setToolTip(tr("Fingeraftryk: ", "Fingerprint: ") + r.fingerprint)
            self.recipients.addItem(item)
        for a in attachments:
            item = QListWidgetItem(f"{a.filename} ({size_text(a.size)}, {fmt_datetime(a.added)})")
            item.setData(Qt.ItemDataRole.UserRole, str(a.id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if str(a.id) in chosen else Qt.CheckState.Unchecked
            )
            self.attachments.addItem(item)
        if recipients:
            self.recipients.setCurrentRow(0)
            self.status.setText(
                tr("Vælg modtager og bilag.", "Choose the recipient and attachments.")
            )
        else:
            self.status.setText(
                tr(
                    "Registret har ingen modtagere. En koordinator tilføjer dem under "
                    "Henvisninger → Modtagere.",
                    "The register has no recipients. A coordinator adds them under "
                    "Referrals → Recipients.",
                )
            )
        self.ok_button.setEnabled(bool(recipients))
        self.recipients.setFocus()

    def chosen_attachments(self) -> list[str]:
        return [
            str(self.attachments.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.attachments.count())
            if self.attachments.item(i).checkState() == Qt.CheckState.Checked
        ]

    def choose_file(self) -> Path | None:
        number = self.referral.summary.case_number
        path, _f = QFileDialog.getSaveFileName(
            self,
            tr("Gem den krypterede pakke", "Save the encrypted bundle"),
            str(Path.home() / f"henvisning-{number}{BUNDLE_SUFFIX}"),
            tr("Infohus-pakker (*.infohus)", "Infohus bundles (*.infohus)"),
        )
        return Path(path) if path else None

    def submit(self) -> None:
        item: QListWidgetItem | None = self.recipients.currentItem()
        if item is None:
            self.show_problem(tr("Vælg en modtager.", "Choose a recipient."))
            self.recipients.setFocus()
            return
        target = self.choose_file()
        if target is None:
            return
        recipient_id = item.data(Qt.ItemDataRole.UserRole)
        ref_id, ids = self.referral.id, self.chosen_attachments()
        self.save(
            lambda s: (
                export_to_file(s, ref_id, recipient_id, ids, target),
                s.referrals.show(ref_id),
            ),
            self._done,
        )

    def _done(self, result: tuple[Path, Referral]) -> None:
        self.written, self.saved = result
        self.finish_saved()
