"""The register of bundle recipients (coordinators), adding one from its public-key file, and
exporting this vault's own public key.

Adding a recipient pins its key: the coordinator reads the fingerprint from the key card the
other organisation sent, and types the fingerprint that organisation read out to them on
another channel (telephone); the service refuses unless both agree. The key file is read and
parsed on the worker; the register is read there too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.crypto.bundle_keys import MAX_CARD_BYTES, KeyCard
from infohus_desktop.domain.errors import InfohusError, InvalidInput, os_reason
from infohus_desktop.services.core.exports import write_export
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.referrals.bundle_keys import BundleKeys, Recipient
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog, chain_tab_order, error_label
from infohus_desktop.ui.i18n import fmt_datetime, language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import fill, table, value_label

COLUMNS = (
    ("Navn", "Name"),
    ("Organisation", "Organisation"),
    ("Fingeraftryk", "Fingerprint"),
    ("Tilføjet", "Added"),
)


def read_card(path: Path) -> tuple[bytes, KeyCard]:
    """On the worker: the key file's bytes and the card they hold (nothing is stored). A file
    larger than a card is refused before it is read."""
    try:
        if path.stat().st_size > MAX_CARD_BYTES + 1:  # the card's JSON and a final newline
            raise InvalidInput(
                "Filen er for stor til at være en nøglefil.",
                "The file is too large to be a key file.",
            )
        data = path.read_bytes()
    except OSError as exc:
        da, en = os_reason(exc)
        raise InvalidInput(
            f"Filen kunne ikke læses ({da}).", f"The file could not be read ({en})."
        ) from None
    return data, BundleKeys.read_card(data)


class RecipientsDialog(QDialog):
    """The register, with "Tilføj fra nøglefil …"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent or ctx.window)
        self.setObjectName("recipientsDialog")
        self.setWindowTitle(tr("Modtagere af krypterede pakker", "Recipients of encrypted bundles"))
        self.ctx = ctx
        self.table = table("recipientList", tr("Modtagere", "Recipients"), COLUMNS)
        self.error = error_label()
        self.add_button = QPushButton(
            icon("add"), tr("&Tilføj fra nøglefil …", "&Add from key file …")
        )
        self.add_button.setObjectName("addRecipient")
        self.add_button.clicked.connect(self.ask_add)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("&Luk", "&Close"))
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(
            hint(
                tr(
                    "Pakker kan kun krypteres til organisationer i dette register. En modtager "
                    "tilføjes fra den nøglefil, organisationen har eksporteret, efter at "
                    "fingeraftrykket er bekræftet med dem ad en anden vej.",
                    "Bundles can only be encrypted to organisations in this register. A "
                    "recipient is added from the key file the organisation exported, after "
                    "the fingerprint is confirmed with them on another channel.",
                )
            )
        )
        outer.addLayout(row)
        outer.addWidget(self.table, 1)
        outer.addWidget(self.error)
        outer.addWidget(close)
        self.resize(760, 420)
        self.reload()

    def reload(self) -> None:
        self.ctx.run(
            lambda s: s.bundles.recipients(), self._show, owner=self, on_error=self._failed
        )

    def _show(self, recipients: list[Recipient]) -> None:
        fill(
            self.table,
            [[r.name, r.organisation, r.fingerprint, fmt_datetime(r.added_at)] for r in recipients],
            [str(r.id) for r in recipients],
        )

    def _failed(self, exc: InfohusError) -> None:
        self.error.setText(exc.message(language()))
        self.error.show()

    def ask_add(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self,
            tr("Vælg modtagerens nøglefil", "Choose the recipient's key file"),
            str(Path.home()),
        )
        if path:
            self.add_from(Path(path))

    def add_from(self, path: Path) -> None:
        self.ctx.run(lambda _s: read_card(path), self._card_read, owner=self, on_error=self._failed)

    def _card_read(self, result: tuple[bytes, KeyCard]) -> None:
        data, card = result
        self.confirm = AddRecipientDialog(self.ctx, data, card, self)
        self.confirm.finished.connect(
            lambda r: self.reload() if r == QDialog.DialogCode.Accepted else None
        )
        self.confirm.open()


class AddRecipientDialog(SavingDialog):
    """Pin a key card: the card's organisation and fingerprint, a name, and the fingerprint
    as the other side confirmed it."""

    def __init__(
        self, ctx: AppContext, data: bytes, card: KeyCard, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            tr("Tilføj modtager", "Add recipient"),
            "addRecipientDialog",
            tr("&Tilføj", "&Add"),
            parent,
        )
        self.data = data
        self.card = card
        self.saved: Recipient | None = None
        self.organisation = value_label(card.organisation, "cardOrganisation")
        self.card_fingerprint = value_label(card.fingerprint, "cardFingerprint")
        self.name = QLineEdit(card.organisation)
        self.name.setObjectName("recipientName")
        self.name.setAccessibleName(tr("Navn i registret", "Name in the register"))
        self.confirmed = QLineEdit()
        self.confirmed.setObjectName("confirmedFingerprint")
        self.confirmed.setAccessibleName(tr("Bekræftet fingeraftryk", "Confirmed fingerprint"))
        self.confirmed.setPlaceholderText("XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            tr("Organisation i nøglefilen", "Organisation in the key file"), self.organisation
        )
        form.addRow(
            tr("Fingeraftryk i nøglefilen", "Fingerprint in the key file"), self.card_fingerprint
        )
        name_label = QLabel(tr("&Navn i registret", "&Name in the register"))
        name_label.setBuddy(self.name)
        form.addRow(name_label, self.name)
        confirm_label = QLabel(tr("&Bekræftet fingeraftryk", "&Confirmed fingerprint"))
        confirm_label.setBuddy(self.confirmed)
        form.addRow(confirm_label, self.confirmed)
        self.body.addLayout(form)
        self.body.addWidget(
            hint(
                tr(
                    "Ring til organisationen og få dem til at læse deres fingeraftryk op. "
                    "Skriv det, de siger: det skal være det samme som i nøglefilen.",
                    "Call the organisation and have them read their fingerprint aloud. Type "
                    "what they say: it must equal the one in the key file.",
                )
            )
        )
        self.finish()
        chain_tab_order([self.name, self.confirmed, self.ok_button])
        self.setMinimumWidth(600)
        self.confirmed.setFocus()

    def submit(self) -> None:
        name, confirmed = self.name.text().strip(), self.confirmed.text().strip()
        if not name:
            self.show_problem(tr("Giv modtageren et navn.", "Give the recipient a name."))
            self.name.setFocus()
            return
        if not confirmed:
            self.show_problem(
                tr("Skriv det bekræftede fingeraftryk.", "Type the confirmed fingerprint.")
            )
            self.confirmed.setFocus()
            return
        data = self.data
        self.save(lambda s: s.bundles.add_recipient(name, data, confirmed), self._saved)

    def _saved(self, recipient: Recipient) -> None:
        self.saved = recipient
        self.finish_saved()


def export_public_key(ctx: AppContext, parent: QWidget) -> None:
    """Choose a file, then on the worker export the key card there; show the fingerprint to
    read out to the other organisation."""
    path, _f = QFileDialog.getSaveFileName(
        parent,
        tr("Gem boksens offentlige nøgle", "Save this vault's public key"),
        str(Path.home() / "infohus-offentlig-noegle.key"),
    )
    if not path:
        return
    target = Path(path)

    def export(session: MemberServices) -> str:
        data, fingerprint = session.bundles.export_public_key()
        write_export(target, data)
        return fingerprint

    def done(fingerprint: str) -> None:
        box = QMessageBox(parent)
        box.setObjectName("publicKeyExported")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(tr("Offentlig nøgle eksporteret", "Public key exported"))
        box.setText(
            tr(
                f"Nøglen er gemt. Læs fingeraftrykket op for modtageren:\n\n{fingerprint}",
                f"The key was saved. Read the fingerprint aloud to the recipient:\n\n{fingerprint}",
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    ctx.run(export, done, owner=parent)
