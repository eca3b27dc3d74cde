"""The "Henvisninger" tab of a case: the case's referrals, a new referral, and the chosen
referral with its actions (the shared :class:`ReferralPane`).

The list is read on the worker when the tab is first shown for a case
(``session.referrals.for_case``, audited there), not with every reload of the case: a member
who never opens the tab causes no referral read.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.access import CASE_ROLES, CaseOp
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import ReferralSummary
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.referrals.referral_form import ReferralFormDialog
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.referral_list import (
    COL_CASE,
    COL_DIRECTION,
    COL_NAME,
    ReferralFilterProxy,
    ReferralListModel,
    rows_of,
)
from infohus_desktop.ui.views.cases.case_data import CaseData
from infohus_desktop.ui.views.referrals.referral_pane import ReferralPane
from infohus_desktop.ui.views.referrals.table import referral_table


class ReferralsTab(QWidget):
    #: The case's referrals changed (a referral was made or moved on).
    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralsTab")
        self.ctx = ctx
        self.number = ""
        self._loaded_for = ""
        self.can_create = ctx.session.member.role in CASE_ROLES[CaseOp.EDIT]
        self.model = ReferralListModel(self)
        self.proxy = ReferralFilterProxy(self.model, self)
        self.table: QTableView = referral_table(
            self.proxy, "caseReferralList", tr("Sagens henvisninger", "The case's referrals")
        )
        for column in (COL_DIRECTION, COL_CASE, COL_NAME):
            self.table.hideColumn(column)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._chosen())
        self.new_button = QPushButton(icon("add"), tr("&Ny henvisning …", "&New referral …"))
        self.new_button.setObjectName("newReferral")
        self.new_button.clicked.connect(self.new_referral)
        self.new_button.setEnabled(self.can_create)
        self.pane = ReferralPane(ctx)
        self.pane.changed.connect(self._pane_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addLayout(buttons)
        left_box.addWidget(self.table, 1)
        # A case has few referrals: the list above, short, and the chosen one below it,
        # with the whole width for its form.
        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.pane)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 3)
        split.setSizes([140, 560])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)

    def show_case(self, data: CaseData) -> None:
        self.number = data.number
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.number and self._loaded_for != self.number:
            self.reload()

    def reload(self, select: uuid.UUID | None = None) -> None:
        number = self.number
        if not number:
            return
        self._loaded_for = number
        current = select or self._current_id()
        self.ctx.run(
            lambda s: s.referrals.for_case(number),
            lambda rows: self._show(rows, current),
            owner=self,
        )

    def _show(self, summaries: list[ReferralSummary], select: uuid.UUID | None) -> None:
        self.model.set_rows(rows_of(summaries))
        row = self.model.row_of(select) if select else (0 if summaries else None)
        if row is None:
            self.pane.clear(
                tr("Sagen har ingen henvisninger.", "The case has no referrals.")
                if not summaries
                else ""
            )
            return
        self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        self._chosen()

    def _current_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row()).id

    def _chosen(self) -> None:
        referral_id = self._current_id()
        if referral_id is not None:
            self.pane.show_referral(referral_id)

    def _pane_changed(self, referral_id: uuid.UUID) -> None:
        self.changed.emit()
        self.reload(referral_id)

    def new_referral(self) -> None:

        if not self.number or not self.can_create:
            return
        dialog = ReferralFormDialog(self.ctx, self.number, None, self)

        def finished(result: int) -> None:
            saved, send_next = dialog.saved, dialog.send_next
            dialog.deleteLater()
            if result != QDialog.DialogCode.Accepted or saved is None:
                return
            self.changed.emit()
            self.reload(saved.id)
            self.pane.show_loaded(saved)
            if send_next:
                self.pane.step(ReferralStatus.SENT)

        dialog.finished.connect(finished)
        dialog.open()
