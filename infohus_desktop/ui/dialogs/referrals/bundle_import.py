"""Import an encrypted bundle (*Importér pakke …*): inspect, confirm, import.

The file is read on the worker by the service, and its signed header is checked against the
pinned senders (``session.bundles.inspect_file``: nothing is decrypted). The dialog shows who
sent it, the sender's fingerprint, when it was made and until when it is valid, and whether it
is addressed to this vault; only after the member confirms is it imported
(``session.bundles.import_file``, which runs every check again, in BUNDLE.md's order). A
rejected bundle shows the service's one clear message; nothing is stored but the one audit
entry ``bundle.import.rejected`` the service writes for every failed attempt (the dialog does
no check of its own that could skip it).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from infohus_desktop.domain.bundles import BundleKind
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.referrals.bundles import ImportResult, Inspection
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog
from infohus_desktop.ui.i18n import fmt_datetime, language, tr
from infohus_desktop.ui.widgets.tables import size_text, value_label


def inspect_file(session: MemberServices, path: Path) -> Inspection:
    """On the worker: the service reads the file (its size checked first) and checks the
    signed header. As the first step of an import, any refusal — too large, unreadable, not
    a bundle, not for this vault — is audited as that attempt's ``bundle.import.rejected``."""
    return session.bundles.inspect_file(path, importing=True)


def import_file(
    session: MemberServices, path: Path, municipality: str | None = None
) -> ImportResult:
    """On the worker: every check again, in order; a refusal is audited by the service."""
    return session.bundles.import_file(path, municipality)


def inspect_with_municipalities(
    session: MemberServices, path: Path
) -> tuple[Inspection, list[str]]:
    """The inspection, and for a transferred case the Infohus Kommuner it may be opened in."""
    inspection = inspect_file(session, path)
    names = []
    if inspection.info.kind == BundleKind.CASE_TRANSFER:
        names = [local.name for local in session.groups.local_infohuse()]
    return inspection, names


class BundleImportDialog(SavingDialog):
    """:attr:`imported` holds the service's ImportResult after a successful import."""

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Importér krypteret pakke", "Import encrypted bundle"),
            "bundleImportDialog",
            tr("&Importér", "&Import"),
            parent,
        )
        self.path = path
        self.imported: ImportResult | None = None
        self.status = QLabel(tr("Kontrollerer pakken …", "Checking the bundle …"))
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.file = value_label(path.name, "bundleFile")
        self.sender_label = value_label("", "bundleSender")
        self.fingerprint = value_label("", "bundleFingerprint")
        self.created = value_label("", "bundleCreated")
        self.expires = value_label("", "bundleExpires")
        self.size_label = value_label("", "bundleSize")
        self.municipality = QComboBox()
        self.municipality.setObjectName("importMunicipality")
        self.municipality.setAccessibleName(
            tr("Infohus Kommune for den overdragne sag", "Infohus Kommune for the case")
        )
        self.municipality_hint = QLabel(
            tr(
                "Pakken er en sag, der overdrages fra et andet Infohus. Den oprettes som ny sag "
                "i det valgte Infohus Kommune med afsenderens historik i journalen; findes "
                "personen allerede, vises det, og sagerne lægges ikke sammen.",
                "The bundle is a case handed over by another Infohus. It is opened as a new "
                "case in the chosen Infohus Kommune with the sender's history in its journal; "
                "if the person is already known, that is shown and the cases are not merged.",
            )
        )
        self.municipality_hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Fil", "File"), self.file)
        form.addRow(tr("Afsender", "Sender"), self.sender_label)
        form.addRow(tr("Afsenders fingeraftryk", "Sender's fingerprint"), self.fingerprint)
        form.addRow(tr("Oprettet", "Created"), self.created)
        form.addRow(tr("Udløber", "Expires"), self.expires)
        form.addRow(tr("Indhold", "Content"), self.size_label)
        form.addRow(tr("&Infohus Kommune", "&Infohus Kommune"), self.municipality)
        self.municipality_row = form.rowCount() - 1
        form.setRowVisible(self.municipality_row, False)
        self.form = form
        self.municipality_hint.hide()
        self.body.addWidget(self.status)
        self.body.addLayout(form)
        self.body.addWidget(self.municipality_hint)
        self.body.addStretch(1)
        self.finish()
        self.ok_button.setEnabled(False)
        self.setMinimumWidth(560)
        self.set_busy(True)
        ctx.run(
            lambda s: inspect_with_municipalities(s, path),
            self._inspected,
            owner=self,
            on_error=self._refused,
        )

    def _inspected(self, found: tuple[Inspection, list[str]]) -> None:
        self.set_busy(False)
        inspection, municipalities = found
        info = inspection.info
        if info.kind == BundleKind.CASE_TRANSFER:
            self.municipality.addItems(municipalities)
            self.form.setRowVisible(self.municipality_row, True)
            self.municipality_hint.show()
        self.sender_label.setText(f"{inspection.sender_name} ({info.sender.organisation})")
        self.fingerprint.setText(info.sender.fingerprint)
        self.created.setText(fmt_datetime(info.created))
        self.expires.setText(fmt_datetime(info.expires))
        self.size_label.setText(size_text(info.payload_length))
        if not inspection.for_this_vault:
            self.status.setText(
                tr(
                    "Pakken er ikke adresseret til denne boks og kan ikke importeres.",
                    "The bundle is not addressed to this vault and cannot be imported.",
                )
            )
            self.ok_button.setEnabled(False)
            return
        self.status.setText(
            tr(
                "Signaturen er gyldig. Kontrollér afsender og fingeraftryk, og importér.",
                "The signature is valid. Check the sender and the fingerprint, then import.",
            )
        )
        self.ok_button.setEnabled(True)
        self.ok_button.setFocus()
        self.grow_to_fit()  # the sender's lines and the Infohus Kommune row came in

    def _refused(self, exc: InfohusError) -> None:
        self.set_busy(False)
        self.status.setText(tr("Pakken kan ikke importeres.", "The bundle cannot be imported."))
        self.show_problem(exc.message(language()))
        self.ok_button.setEnabled(False)

    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        path = self.path
        chosen = self.municipality.currentText() if self.municipality.count() else None
        self.save(lambda s: import_file(s, path, chosen), self._imported, self._refused)

    def _imported(self, result: ImportResult) -> None:
        self.imported = result
        self.finish_saved()
