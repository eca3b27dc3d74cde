"""The referrals area (*Henvisninger*): every referral of the cases the member can read, and
the incoming referrals imported from bundles, with status and direction filters; the chosen
referral on the right. Coordinators also find the bundle keys here: the register of
recipients, the export of this vault's public key, and the form's configuration.

The list is read on the worker when the area is first shown and on refresh
(``session.referrals.list()`` and ``.incoming()``, both audited there); filtering is in memory.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.errors import AccessDenied
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.referral_workflow import (
    OPEN_REFERRAL_STATUSES,
    REFERRAL_STATUS_LABELS,
    ReferralStatus,
)
from infohus_desktop.domain.referrals import IncomingReferral, ReferralSummary
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.referrals.bundle_import import ImportResult
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.referrals.bundle_import import BundleImportDialog
from infohus_desktop.ui.dialogs.referrals.recipients import RecipientsDialog, export_public_key
from infohus_desktop.ui.dialogs.referrals.referral_form_config import ReferralFormConfigDialog
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.models.referral_list import (
    ReferralFilter,
    ReferralFilterProxy,
    ReferralListModel,
    rows_of,
)
from infohus_desktop.ui.views.referrals.referral_pane import ReferralPane
from infohus_desktop.ui.views.referrals.table import referral_table
from infohus_desktop.ui.widgets.flow import FlowLayout
from infohus_desktop.ui.widgets.layout import hide_unless

ALL, OPEN = "all", "open"


def load_referrals(
    session: MemberServices,
) -> tuple[list[ReferralSummary], list[IncomingReferral]]:
    """On the worker: our referrals and the incoming ones this member may read."""
    ours = session.referrals.list()
    try:
        incoming = session.referrals.incoming()
    except AccessDenied:
        incoming = []
    return ours, incoming


class ReferralWorkspace(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("referralWorkspace")
        self.ctx = ctx
        self.coordinator = ctx.session.member.role is Role.COORDINATOR
        self.model = ReferralListModel(self)
        self.proxy = ReferralFilterProxy(self.model, self)

        self.status = QComboBox()
        self.status.setObjectName("referralStatusFilter")
        self.status.setAccessibleName(tr("Status", "Status"))
        self.status.addItem(tr("Alle statusser", "Every status"), ALL)
        self.status.addItem(tr("Åbne", "Open"), OPEN)
        for status in ReferralStatus:
            self.status.addItem(label(REFERRAL_STATUS_LABELS, status), status.value)
        self.direction = QComboBox()
        self.direction.setObjectName("referralDirectionFilter")
        self.direction.setAccessibleName(tr("Retning", "Direction"))
        self.direction.addItem(tr("Udgående og indgående", "Outgoing and incoming"), "all")
        self.direction.addItem(tr("Kun udgående", "Outgoing only"), "out")
        self.direction.addItem(tr("Kun indgående", "Incoming only"), "in")
        self.search = QLineEdit()
        self.search.setObjectName("referralSearch")
        self.search.setPlaceholderText(
            tr("Søg sagsnr., afsender, navn", "Search case, sender, name")
        )
        self.search.setAccessibleName(tr("Søg i henvisninger", "Search referrals"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        for signal in (self.status.currentIndexChanged, self.direction.currentIndexChanged):
            signal.connect(lambda _i: self._filter())
        self.search.textChanged.connect(lambda _t: self._filter())

        self.import_button = QPushButton(
            icon("bundle"), tr("&Importér pakke …", "&Import bundle …")
        )
        self.import_button.setObjectName("importBundle")
        self.import_button.clicked.connect(self.import_bundle)
        self.recipients_button = QPushButton(tr("Mo&dtagere …", "Recipie&nts …"))
        self.recipients_button.setObjectName("recipients")
        self.recipients_button.clicked.connect(self.show_recipients)
        self.key_button = QPushButton(tr("Eksportér offentlig &nøgle …", "Export public &key …"))
        self.key_button.setObjectName("exportPublicKey")
        self.key_button.clicked.connect(self.export_public_key)
        self.form_button = QPushButton(icon("settings"), tr("&Formular …", "&Form …"))
        self.form_button.setObjectName("configureForm")
        self.form_button.setToolTip(tr("Tilpas henvisningsformularen", "Adjust the referral form"))
        self.form_button.clicked.connect(self.configure_form)
        for button in (self.recipients_button, self.key_button, self.form_button):
            hide_unless(self.coordinator, button)
        # Guests read the cases shared with them; bundles are for members and coordinators.
        hide_unless(ctx.session.member.role in (Role.COORDINATOR, Role.MEMBER), self.import_button)
        self.refresh_button = QPushButton(icon("refresh"), "")
        self.refresh_button.setObjectName("refreshReferrals")
        self.refresh_button.setAccessibleName(tr("Opdater listen", "Refresh the list"))
        self.refresh_button.setToolTip(tr("Opdater listen (F5)", "Refresh the list (F5)"))
        self.refresh_button.clicked.connect(lambda: self.reload())
        QShortcut(QKeySequence("F5"), self, lambda: self.reload())

        self.table = referral_table(self.proxy, "referralTable", tr("Henvisninger", "Referrals"))
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._chosen())
        self.count = QLabel()
        self.count.setObjectName("referralCount")
        self.pane = ReferralPane(ctx)
        self.pane.changed.connect(self._select_after_reload)
        self._select_next: uuid.UUID | None = None
        ctx.changes.subscribe(self, [Area.REFERRALS, Area.CASES], self._referrals_changed)

        bar = QWidget()
        flow = FlowLayout(bar)
        for widget in (
            self.status,
            self.direction,
            self.search,
            self.refresh_button,
            self.import_button,
            self.recipients_button,
            self.key_button,
            self.form_button,
        ):
            flow.addWidget(widget)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.table, 1)
        left_box.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.pane)
        # The list gets the larger share: with a referral open the pane is a form that reads
        # well at 450 px, while the list's columns (status, programme, date) need the room.
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 450])
        outer = QVBoxLayout(self)
        outer.addWidget(bar)
        outer.addWidget(split, 1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """Read the list each time the area is shown: referrals made or moved on in a case
        since then appear without a manual refresh."""
        super().showEvent(event)
        if not event.spontaneous():
            self.reload()

    # -- the list ----------------------------------------------------------------------------

    def _select_after_reload(self, ref_id: uuid.UUID) -> None:
        """The pane saved ``ref_id``: the reload that its change brings selects it."""
        self._select_next = ref_id

    def _referrals_changed(self, _changes: Changes) -> None:
        select, self._select_next = self._select_next, None
        self.reload(select)

    def reload(self, select: uuid.UUID | None = None) -> None:
        current = select or self._current_id()
        self.count.setText(tr("Henter henvisninger …", "Fetching referrals …"))
        self.ctx.run(load_referrals, lambda r: self._show(r, current), owner=self)

    def _show(
        self,
        result: tuple[list[ReferralSummary], list[IncomingReferral]],
        select: uuid.UUID | None,
    ) -> None:
        ours, incoming = result
        self.model.set_rows(rows_of(ours, incoming))
        self._update_count()
        row = self.model.row_of(select) if select else None
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.table.selectRow(index.row())
                self._chosen()

    def _filter(self) -> None:
        code = self.status.currentData()
        statuses: frozenset[ReferralStatus] = frozenset()
        if code == OPEN:
            statuses = OPEN_REFERRAL_STATUSES
        elif code != ALL:
            statuses = frozenset({ReferralStatus(code)})
        self.proxy.set_filter(
            ReferralFilter(statuses, str(self.direction.currentData()), self.search.text())
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            tr(f"{shown} af {total} henvisninger", f"{shown} of {total} referrals")
            if shown != total
            else tr(f"{total} henvisninger", f"{total} referrals")
        )

    def _current_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row()).id

    def _chosen(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        if row.is_incoming:
            self.pane.show_incoming(row.id)
        else:
            self.pane.show_referral(row.id)

    # -- bundles and keys --------------------------------------------------------------------

    def import_bundle(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self,
            tr("Vælg en krypteret pakke", "Choose an encrypted bundle"),
            str(Path.home()),
            tr(
                "Infohus-pakker (*.infohus);;Alle filer (*)",
                "Infohus bundles (*.infohus);;All files (*)",
            ),
        )
        if not path:
            return
        self.open_import(Path(path))

    def open_import(self, path: Path) -> None:

        dialog = BundleImportDialog(self.ctx, path, self)

        def finished(_result: int) -> None:
            imported = dialog.imported
            dialog.deleteLater()
            if imported is not None and imported.case is not None:
                self._show_transferred_case(imported)
            elif imported is not None:
                self.reload(imported.incoming_id)

        dialog.finished.connect(finished)
        dialog.open()

    def _show_transferred_case(self, imported: ImportResult) -> None:
        """A transferred case lands in the case list, not among the incoming referrals: say
        where, and what the duplicate check found."""
        case = imported.case
        assert case is not None
        text = tr(
            f"Sagen fra {imported.sender_name} (deres {case.original_number}) er oprettet som "
            f"{case.number} med {imported.attachments} bilag. Du finder den under Sager.",
            f"The case from {imported.sender_name} (their {case.original_number}) was opened "
            f"as {case.number} with {imported.attachments} attachments. It is under Cases.",
        )
        if case.possible_duplicates or case.possibly_elsewhere:
            known = ", ".join(case.possible_duplicates) or tr(
                "en sag, du ikke kan læse", "a case you cannot read"
            )
            text += tr(
                f"\n\nMulig dublet: personen kan være kendt i {known}. Sagerne er ikke lagt "
                "sammen.",
                f"\n\nPossible duplicate: the person may be known in {known}. The cases were "
                "not merged.",
            )
        box = QMessageBox(QMessageBox.Icon.Information, tr("Sag modtaget", "Case received"), text)
        box.setObjectName("transferReceived")
        box.setParent(self, box.windowFlags())
        box.open()

    def show_recipients(self) -> None:

        dialog = RecipientsDialog(self.ctx, self)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def export_public_key(self) -> None:

        export_public_key(self.ctx, self)

    def configure_form(self) -> None:

        dialog = ReferralFormConfigDialog(self.ctx, self)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()
