"""One referral as the member reads it: its form by section, its status history, and the
actions that apply now (edit a draft, each workflow step, the PDF, the encrypted bundle).

Shared by the case's "Henvisninger" tab and the referrals area. The referral is read on the
worker (``session.referrals.show``, audited there); the PDF is built on the worker too and
shown in the preview, whose print and save are audited through the referral service. An
incoming referral (received in a bundle) is shown with the sender's own form and no actions:
it is their document, not one of our cases.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.access import CASE_ROLES, CaseOp
from infohus_desktop.domain.referral_workflow import (
    REFERRAL_STATUS_LABELS,
    REFERRAL_TRANSITIONS,
    SEND_METHOD_LABELS,
    ReferralStatus,
)
from infohus_desktop.domain.referrals import (
    PROGRAMME_LABELS,
    IncomingReferral,
    Referral,
)
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.case_format import CaseNames, load_names
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from infohus_desktop.ui.dialogs.referrals.bundle_export import BundleExportDialog
from infohus_desktop.ui.dialogs.referrals.referral_form import ReferralFormDialog
from infohus_desktop.ui.dialogs.referrals.referral_status import ACTION_LABELS, ReferralStatusDialog
from infohus_desktop.ui.i18n import fmt_date, fmt_datetime, language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.referrals.form_view import form_view
from infohus_desktop.ui.views.referrals.incoming_files import IncomingFiles
from infohus_desktop.ui.widgets.flow import FlowLayout
from infohus_desktop.ui.widgets.layout import heading
from infohus_desktop.ui.widgets.tables import fill, scrolled, size_text, table

R = ReferralStatus
#: The workflow steps in the order their buttons appear.
STEP_ORDER = (R.SENT, R.RECEIVED, R.ACCEPTED, R.DECLINED, R.CLOSED, R.WITHDRAWN)
HISTORY_COLUMNS = (
    ("Dato", "Date"),
    ("Status", "Status"),
    ("Sendt som", "Sent by"),
    ("Begrundelse / note", "Reason / note"),
    ("Af", "By"),
    ("Registreret", "Recorded"),
)


class ReferralPane(QWidget):
    """Shows one referral; emits :attr:`changed` (its id) after any save from here."""

    changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralPane")
        self.ctx = ctx
        self.referral: Referral | None = None
        self.incoming: IncomingReferral | None = None
        self._names: CaseNames | None = None
        role = ctx.session.member.role
        self.can_edit = role in CASE_ROLES[CaseOp.EDIT]
        self.can_step = role in CASE_ROLES[CaseOp.STATUS]
        self.title = heading("", 2)
        self.title.setObjectName("referralTitle")
        self.facts = QLabel()
        self.facts.setObjectName("referralFacts")
        self.facts.setWordWrap(True)
        self.notice = QLabel(tr("Vælg en henvisning.", "Choose a referral."))
        self.notice.setObjectName("referralNotice")
        self.notice.setWordWrap(True)

        self.edit_button = QPushButton(icon("edit"), tr("&Rediger …", "&Edit …"))
        self.edit_button.setObjectName("editReferral")
        self.edit_button.clicked.connect(self.edit)
        self.step_buttons: dict[ReferralStatus, QPushButton] = {}

        for step in STEP_ORDER:
            button = QPushButton(tr(*ACTION_LABELS[step]))
            button.setObjectName(f"step_{step.value}")
            button.clicked.connect(lambda _c=False, s=step: self.step(s))
            self.step_buttons[step] = button
        self.pdf_button = QPushButton(icon("pdf"), tr("&PDF …", "&PDF …"))
        self.pdf_button.setObjectName("referralPdf")
        self.pdf_button.setToolTip(
            tr("Vis, udskriv eller gem som PDF", "Preview, print or save as PDF")
        )
        self.pdf_button.clicked.connect(self.preview_pdf)
        self.bundle_button = QPushButton(
            icon("bundle"), tr("&Eksportér krypteret pakke …", "E&xport encrypted bundle …")
        )
        self.bundle_button.setObjectName("exportBundle")
        self.bundle_button.clicked.connect(self.export_bundle)
        actions = QWidget()
        flow = FlowLayout(actions)
        for button in (
            self.edit_button,
            *self.step_buttons.values(),
            self.pdf_button,
            self.bundle_button,
        ):
            flow.addWidget(button)
        self.action_bar = actions

        self.values_host = QVBoxLayout()
        values_page = QWidget()
        values_page.setLayout(self.values_host)
        self.values_host.setContentsMargins(0, 0, 0, 0)
        self.history = table(
            "referralHistory", tr("Statushistorik", "Status history"), HISTORY_COLUMNS
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("referralTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(values_page, tr("Formular", "Form"))
        self.tabs.addTab(self.history, tr("Statushistorik", "Status history"))
        self.incoming_files = IncomingFiles(ctx)
        self.incoming_files.saved.connect(
            lambda path: self._say(
                tr(f"Kopien er gemt: {path.name}", f"The copy was saved: {path.name}")
            )
        )
        self.tabs.addTab(self.incoming_files, tr("Bilag", "Attachments"))
        self.tabs.setTabVisible(2, False)
        self._values_widget: QWidget | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.title)
        outer.addWidget(self.facts)
        outer.addWidget(self.notice)
        outer.addWidget(self.action_bar)
        outer.addWidget(self.tabs, 1)
        self.clear()

    # -- showing -----------------------------------------------------------------------------

    def clear(self, notice: str = "") -> None:
        self.referral = self.incoming = None
        self.title.setText(tr("Henvisning", "Referral"))
        self.facts.clear()
        self.notice.setText(notice or tr("Vælg en henvisning.", "Choose a referral."))
        self.notice.show()
        self.tabs.setEnabled(False)
        self._set_values(QWidget())
        fill(self.history, [])
        self._update_actions()

    def show_referral(self, referral_id: uuid.UUID) -> None:
        self.notice.setText(tr("Henter henvisningen …", "Loading the referral …"))
        self.notice.show()
        known = self._names

        def load(s: MemberServices) -> tuple[Referral, CaseNames]:
            # The members' names on the first referral shown, for "Af" in its history.
            return s.referrals.show(referral_id), known or load_names(s)

        self.ctx.run(
            load,
            self._loaded,
            owner=self,
            on_error=lambda exc: self.clear(exc.message(language())),
        )

    def show_incoming(self, incoming_id: uuid.UUID) -> None:
        self.notice.setText(tr("Henter henvisningen …", "Loading the referral …"))
        self.notice.show()
        self.ctx.run(
            lambda s: s.referrals.show_incoming(incoming_id),
            self._show_incoming,
            owner=self,
            on_error=lambda exc: self.clear(exc.message(language())),
        )

    def _set_values(self, widget: QWidget) -> None:
        if self._values_widget is not None:
            self.values_host.removeWidget(self._values_widget)
            self._values_widget.deleteLater()
        self._values_widget = scrolled(widget)
        self.values_host.addWidget(self._values_widget)

    def _loaded(self, loaded: tuple[Referral, CaseNames]) -> None:
        referral, self._names = loaded
        self.show_loaded(referral)

    def show_loaded(self, referral: Referral) -> None:
        self.referral, self.incoming = referral, None
        s = referral.summary
        self.title.setText(tr(f"Henvisning fra {s.case_number}", f"Referral from {s.case_number}"))
        parts = [
            label(PROGRAMME_LABELS, s.programme),
            label(REFERRAL_STATUS_LABELS, s.status),
            tr("Oprettet ", "Created ") + fmt_date(s.referral_date)
            if s.sent_on is None
            else tr("Sendt ", "Sent ") + fmt_date(s.sent_on),
        ]
        self.facts.setText(" · ".join(parts))
        self.notice.hide()
        names = {str(a.id): a.filename for a in referral.attachments}
        self._set_values(form_view(referral.form, referral.values, names))
        fill(
            self.history,
            [
                [
                    fmt_date(e.on),
                    label(REFERRAL_STATUS_LABELS, e.new),
                    label(SEND_METHOD_LABELS, e.how) if e.how else "",
                    e.reason,
                    self._names.person(e.by_login) if self._names else e.by_login,
                    fmt_datetime(e.at),
                ]
                for e in referral.history
            ],
        )
        self.tabs.setTabVisible(1, True)
        self.tabs.setTabVisible(2, False)
        self.tabs.setTabText(
            1, tr("Statushistorik", "Status history") + f" ({len(referral.history)})"
        )
        self.tabs.setEnabled(True)
        self._update_actions()

    def _show_incoming(self, incoming: IncomingReferral) -> None:
        self.referral, self.incoming = None, incoming
        self.title.setText(tr("Indgående henvisning", "Incoming referral"))
        self.facts.setText(
            " · ".join(
                [
                    tr("Fra ", "From ") + incoming.sender,
                    label(PROGRAMME_LABELS, incoming.programme),
                    tr("Modtaget ", "Received ") + fmt_datetime(incoming.received_at),
                    tr(
                        f"{len(incoming.attachments)} bilag",
                        f"{len(incoming.attachments)} attachments",
                    ),
                ]
            )
        )
        self.notice.hide()
        names = {str(a.id): f"{a.filename} ({size_text(a.size)})" for a in incoming.attachments}
        values = dict(incoming.values)
        if incoming.attachments and not values.get("attachments"):
            values["attachments"] = list(names)
        self._set_values(form_view(incoming.form, values, names))
        fill(self.history, [])
        self.tabs.setTabVisible(1, False)  # the sender's workflow is theirs, not ours
        self.incoming_files.show_incoming(incoming)
        self.tabs.setTabVisible(2, True)
        self.tabs.setTabText(2, tr("Bilag", "Attachments") + f" ({len(incoming.attachments)})")
        self.tabs.setCurrentIndex(0)
        self.tabs.setEnabled(True)
        self._update_actions()

    def _update_actions(self) -> None:
        referral = self.referral
        status = referral.status if referral is not None else None
        allowed = REFERRAL_TRANSITIONS.get(status, frozenset()) if status else frozenset()
        self.action_bar.setVisible(self.incoming is None)
        self.edit_button.setEnabled(self.can_edit and status is R.DRAFT)
        # Only the steps the workflow allows from where the referral stands; none before a
        # referral is chosen (a grid of nine disabled buttons said nothing).
        for step, button in self.step_buttons.items():
            button.setEnabled(self.can_step and step in allowed)
            button.setVisible(step in allowed)
        self.pdf_button.setEnabled(referral is not None)
        # The service exports what is being or has been sent, nothing later in the workflow.
        self.bundle_button.setEnabled(self.can_step and status in (R.DRAFT, R.SENT))

    # -- actions -----------------------------------------------------------------------------

    def _after(self, dialog: QDialog, then: object = None) -> None:
        def finished(result: int) -> None:
            saved = getattr(dialog, "saved", None)
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and saved is not None:
                self.changed.emit(saved.id)
                self.show_loaded(saved)
                if callable(then):
                    then(saved)

        dialog.finished.connect(finished)
        dialog.open()

    def edit(self) -> None:

        referral = self.referral
        if referral is None or referral.status is not R.DRAFT or not self.can_edit:
            return
        dialog = ReferralFormDialog(self.ctx, referral.summary.case_number, referral.id, self)
        self._after(dialog, lambda saved: self.step(R.SENT) if dialog.send_next else None)

    def step(self, target: ReferralStatus) -> None:

        referral = self.referral
        if referral is None or target not in REFERRAL_TRANSITIONS[referral.status]:
            return
        self._after(ReferralStatusDialog(self.ctx, referral.summary, target, self))

    def preview_pdf(self) -> None:
        referral = self.referral
        if referral is None:
            return
        ref_id, lang, number = referral.id, language(), referral.summary.case_number

        def shown(pdf: bytes) -> None:

            def audit(session: MemberServices, action: str) -> None:
                session.referrals.record_output(ref_id, action)

            self.preview = PdfPreviewDialog(
                self.ctx,
                pdf,
                tr(f"Henvisning {number}", f"Referral {number}"),
                f"henvisning-{number}.pdf",
                audit=audit,
                parent=self,
            )
            self.preview.show()

        self.ctx.run(lambda s: s.referrals.referral_pdf(ref_id, lang), shown, owner=self)

    def export_bundle(self) -> None:

        referral = self.referral
        if referral is None or not self.can_step:
            return
        dialog = BundleExportDialog(self.ctx, referral, self)
        self._after(dialog, lambda _saved: self._exported(dialog.written))

    def _exported(self, path: Path | None) -> None:
        name = path.name if path is not None else ""
        self._say(
            tr(f"Den krypterede pakke er gemt: {name}", f"The encrypted bundle was saved: {name}")
        )

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
