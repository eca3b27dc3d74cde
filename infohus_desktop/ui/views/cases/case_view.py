"""One opened case: a header, seven tabs and the actions on the case.

The case is read on the worker (``session.cases.show`` and the assessment history) and shown
when it arrives; every change goes through a dialog that saves on the worker. After each save
the view emits :attr:`CaseView.changed` and reloads (open lists learn of the change from
``ctx.changes``),
keeping the tab and the selection the user had. The person's name is shown only inside the
Person tab, never in a window title or the header, so a glance at the screen or the taskbar
gives away no more than a case number.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.access import CASE_ROLES, CaseOp
from infohus_desktop.domain.cases import JournalEntry, Measure
from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import OPEN_STATUSES, STATUS_LABELS, CaseStatus, handover_hint
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.case_format import CaseNames
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.cases.assessment import AssessmentDialog
from infohus_desktop.ui.dialogs.cases.case_edit import CaseEditDialog
from infohus_desktop.ui.dialogs.cases.journal import JournalDialog
from infohus_desktop.ui.dialogs.cases.measure import MeasureDialog
from infohus_desktop.ui.dialogs.cases.records import (
    DisclosureDialog,
    InformationDialog,
    MoveDialog,
    ScreeningDialog,
)
from infohus_desktop.ui.dialogs.cases.status import StatusDialog
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.cases.assessment_tab import AssessmentTab
from infohus_desktop.ui.views.cases.attachments_tab import AttachmentsTab
from infohus_desktop.ui.views.cases.case_data import CaseData, load_case
from infohus_desktop.ui.views.cases.history_tab import HistoryTab
from infohus_desktop.ui.views.cases.journal_tab import JournalTab
from infohus_desktop.ui.views.cases.measures_tab import MeasuresTab
from infohus_desktop.ui.views.cases.overview_tab import OverviewTab
from infohus_desktop.ui.views.cases.person_tab import PersonTab
from infohus_desktop.ui.views.referrals.case_tab import ReferralsTab
from infohus_desktop.ui.widgets.changed_elsewhere import ChangedElsewhereBar
from infohus_desktop.ui.widgets.layout import heading

#: (key, label, icon, shortcut, operation) of the actions in the header.
_ACTIONS = (
    ("status", ("Skift status …", "Change status …"), "status", "Ctrl+Shift+S", CaseOp.STATUS),
    ("assess", ("Ny vurdering …", "New assessment …"), "assess", "Ctrl+Shift+V", CaseOp.ASSESS),
    ("journal", ("Nyt journalnotat …", "New journal entry …"), "journal", "Ctrl+J", CaseOp.JOURNAL),
    ("edit", ("Rediger …", "Edit …"), "edit", "Ctrl+E", CaseOp.EDIT),
    ("attach", ("Tilføj bilag …", "Add attachment …"), "attach", "Ctrl+Shift+B", CaseOp.ATTACH_ADD),
)
#: Below this width the action buttons show icons only.
COMPACT_WIDTH = 640
_STATUS_STYLE = "padding: 2px 8px; border-radius: 8px; background: {bg}; color: #1b2a3a;"


class CaseView(QWidget):
    #: The case (by number) was changed from this view.
    changed = Signal(str)
    #: The case was read (first time and after each reload).
    loaded = Signal(str)

    def __init__(self, ctx: AppContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.ctx = ctx
        self.number = number
        self.data: CaseData | None = None
        self.names: CaseNames | None = None
        role = ctx.session.member.role
        self.allowed = {op for op in CaseOp if role in CASE_ROLES[op]}

        self.title = heading(number)
        self.title.setObjectName("caseNumber")
        self.title.setWordWrap(False)
        self.status = QLabel()
        self.status.setObjectName("caseStatus")
        self.facts = QLabel()
        self.facts.setObjectName("caseFacts")
        self.facts.setWordWrap(True)
        self.notice = QLabel(tr("Henter sagen …", "Loading the case …"))
        self.notice.setObjectName("caseNotice")
        self.notice.setWordWrap(True)
        # Someone on another workstation changed this case (district server live updates).
        self.changed_elsewhere = ChangedElsewhereBar()
        self.changed_elsewhere.reload_requested.connect(self.reload)
        ctx.changes.subscribe(self, [Area.CASES], self._cases_changed)

        self.case_actions: dict[str, QAction] = {}
        self.buttons: list[QToolButton] = []
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for key, text, icon_name, keys, op in _ACTIONS:
            action = QAction(icon(icon_name), tr(*text), self)
            action.setObjectName(f"{key}Action")
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tr(*text)} ({native})")
            action.setEnabled(False)
            action.setProperty("allowed", op in self.allowed)
            self.addAction(action)
            self.case_actions[key] = action
            button = QToolButton()
            button.setObjectName(f"{key}Button")
            button.setDefaultAction(action)
            # Icons only until the first resize says there is room for the names: the
            # view must not demand the width of five labelled buttons before it is laid out.
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            button.setAccessibleName(tr(*text))
            buttons.addWidget(button)
            self.buttons.append(button)
        # The rarer actions behind one button, so the row keeps its width.
        self.more_menu = QMenu(self)
        self.more_menu.setToolTipsVisible(True)  # why an action is not offered
        self.more_menu.setObjectName("moreMenu")
        for key, text, op, slot in (
            ("screen", ("Screening …", "Screening …"), CaseOp.SCREEN, self.record_screening),
            (
                "information",
                ("Oplysninger fra myndighed …", "Information from an authority …"),
                CaseOp.SCREEN,
                self.add_information,
            ),
            ("disclose", ("Videregivelse …", "Disclosure …"), CaseOp.DISCLOSE, self.disclose),
            (
                "move",
                ("Flyt til anden adgangskreds …", "Move to another group …"),
                CaseOp.MOVE,
                self.move_case,
            ),
            (
                "transfer",
                ("Overdrag sagen til et andet Infohus …", "Hand over to another Infohus …"),
                CaseOp.STATUS,
                self.transfer_case,
            ),
        ):
            action = self.more_menu.addAction(tr(*text))
            action.setObjectName(f"{key}Action")
            action.setEnabled(False)
            coordinator_only = key == "transfer" and role is not Role.COORDINATOR
            action.setProperty("allowed", op in self.allowed and not coordinator_only)
            action.triggered.connect(slot)
            self.case_actions[key] = action
        more = QToolButton()
        more.setObjectName("moreButton")
        more.setText(tr("Mere", "More"))
        more.setAccessibleName(tr("Flere handlinger", "More actions"))
        more.setToolTip(tr("Flere handlinger", "More actions"))
        more.setMenu(self.more_menu)
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        more.setVisible(any(a.property("allowed") for a in self.more_menu.actions()))
        buttons.addWidget(more)
        reload = QAction(icon("refresh"), tr("Hent igen", "Reload"), self)
        reload.setObjectName("reloadAction")
        reload.setShortcut(QKeySequence("Ctrl+Shift+R"))
        reload.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reload.setToolTip(tr("Hent sagen igen (Ctrl+Shift+R)", "Reload the case (Ctrl+Shift+R)"))
        reload.triggered.connect(self.reload)
        self.addAction(reload)
        reload_button = QToolButton()
        reload_button.setObjectName("reloadButton")
        reload_button.setDefaultAction(reload)
        reload_button.setAccessibleName(tr("Hent sagen igen", "Reload the case"))
        buttons.addWidget(reload_button)
        self.case_actions["status"].triggered.connect(self.change_status)
        self.case_actions["assess"].triggered.connect(self.new_assessment)
        self.case_actions["journal"].triggered.connect(lambda: self.new_journal())
        self.case_actions["edit"].triggered.connect(self.edit_case)
        self.case_actions["attach"].triggered.connect(self.add_attachment)

        self.overview = OverviewTab()
        self.person = PersonTab(ctx)
        self.assessment = AssessmentTab()
        self.measures = MeasuresTab()
        self.journal = JournalTab()
        self.attachments = AttachmentsTab(ctx)
        self.history = HistoryTab()
        self.referrals = ReferralsTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("caseTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setUsesScrollButtons(True)
        self._tab_labels = [
            (self.overview, ("Overblik", "Overview")),
            (self.person, ("Person", "Person")),
            (self.assessment, ("Vurdering", "Assessment")),
            (self.measures, ("Indsatser", "Measures")),
            (self.journal, ("Journal", "Journal")),
            (self.attachments, ("Bilag", "Attachments")),
            (self.referrals, ("Henvisninger", "Referrals")),
            (self.history, ("Historik", "History")),
        ]
        for widget, labels in self._tab_labels:
            self.tabs.addTab(widget, tr(*labels))
        self.tabs.setEnabled(False)
        self.journal.new_requested.connect(lambda: self.new_journal())
        self.journal.correct_requested.connect(self.correct_journal)
        self.measures.new_requested.connect(lambda: self.edit_measure(None))
        self.measures.update_requested.connect(self.edit_measure)
        self.attachments.changed.connect(self._after_save)
        # A referral sent moves the case to henvist (or notes it in the journal): reload.
        self.referrals.changed.connect(self._after_save)
        self.attachments.saved.connect(
            lambda _path: self.notice.setText(
                tr("Kopien af bilaget er gemt.", "The copy of the attachment was saved.")
            )
        )
        self.journal.set_can_write(CaseOp.JOURNAL in self.allowed)
        self.measures.set_can_write(CaseOp.MEASURE in self.allowed)
        self.attachments.set_permissions(
            CaseOp.ATTACH_ADD in self.allowed,
            CaseOp.ATTACH_READ in self.allowed,
            CaseOp.ATTACH_REMOVE in self.allowed,
        )

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        # The actions on their own row under the title, with their names where there is
        # room (beside the title they were six bare icons beside a case list).
        buttons.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addLayout(buttons)
        outer.addWidget(self.facts)
        outer.addWidget(self.changed_elsewhere)
        outer.addWidget(self.notice)
        outer.addWidget(self.tabs, 1)
        self.reload()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Beside a case list the view may be narrow: then the actions show icons only
        (their names stay in tooltips and for screen readers)."""
        style = (
            Qt.ToolButtonStyle.ToolButtonIconOnly
            if event.size().width() < COMPACT_WIDTH
            else Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        )
        for button in self.buttons:
            button.setToolButtonStyle(style)
        super().resizeEvent(event)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        number, names = self.number, self.names
        self.ctx.run(
            lambda s: load_case(s, number, names),
            self._loaded,
            owner=self,
            on_error=self._load_failed,
        )

    def _loaded(self, data: CaseData) -> None:
        self.data, self.names = data, data.names
        self.changed_elsewhere.hide()
        self.number = data.number
        summary = data.case.summary
        self.notice.clear()
        self.notice.hide()
        self.title.setText(summary.number)
        self.status.setText(label(STATUS_LABELS, summary.status))
        bg = "#dceaf7" if summary.status in OPEN_STATUSES else "#e4e4e4"
        self.status.setStyleSheet(_STATUS_STYLE.format(bg=bg))
        self.status.setAccessibleName(
            tr(f"Status: {self.status.text()}", f"Status: {self.status.text()}")
        )
        self.facts.setText(
            " · ".join(
                [
                    data.names.category(summary.category),
                    summary.municipality,
                    tr("Sagsansvarlig: ", "Lead: ") + data.names.lead(summary),
                ]
            )
        )
        for tab in (
            self.overview,
            self.person,
            self.assessment,
            self.measures,
            self.journal,
            self.attachments,
            self.referrals,
            self.history,
        ):
            tab.show_case(data)
        counts = {
            self.assessment: len(data.assessments),
            self.measures: len(data.case.measures),
            self.journal: len(data.case.journal),
            self.attachments: len(data.case.attachments),
        }
        for n, (widget, labels) in enumerate(self._tab_labels):
            text = tr(*labels)
            if counts.get(widget):
                text += f" ({counts[widget]})"
            self.tabs.setTabText(n, text)
        self.tabs.setEnabled(True)
        # A case handed over to another Infohus is only read here (services/core/access.py).
        handed_over = summary.status is CaseStatus.TRANSFERRED
        for action in self.case_actions.values():
            action.setEnabled(bool(action.property("allowed")) and not handed_over)
        # Only from a status the workflow lets go to "Overdraget" (not before the Infohus
        # took the case up, nor while it is referred): not a refusal after the form is filled.
        transfer = self.case_actions["transfer"]
        hint = handover_hint(summary.status)
        transfer.setEnabled(transfer.isEnabled() and hint is None)
        transfer.setToolTip(tr(*hint) if hint else "")  # why not, and what to do first
        self.journal.set_can_write(CaseOp.JOURNAL in self.allowed and not handed_over)
        self.measures.set_can_write(CaseOp.MEASURE in self.allowed and not handed_over)
        self.attachments.set_permissions(
            CaseOp.ATTACH_ADD in self.allowed and not handed_over,
            CaseOp.ATTACH_READ in self.allowed,
            CaseOp.ATTACH_REMOVE in self.allowed and not handed_over,
        )
        if handed_over:
            self.notice.setText(
                tr(
                    "Sagen er overdraget til et andet Infohus og kan kun læses her.",
                    "The case was handed over to another Infohus and can only be read here.",
                )
            )
            self.notice.show()
        self.loaded.emit(self.number)

    def _cases_changed(self, changes: Changes) -> None:
        """Another workstation changed this very case: say who and when, and offer to
        reload (the name is looked up on the worker; the notice carries no name)."""
        origin, data = changes.origin, self.data
        if origin is None or data is None or str(data.case.summary.id) not in changes.objects:
            return
        at = origin.at
        self.ctx.run(
            lambda s: s.live_updates.changed_by(origin),
            lambda name: self.changed_elsewhere.show_change(name, at),
            owner=self,
            on_error=lambda _exc: self.changed_elsewhere.show_change(None, at),
        )

    def _load_failed(self, exc: InfohusError) -> None:
        self.notice.setText(exc.message(language()))
        self.notice.show()

    def _after_save(self) -> None:
        self.changed.emit(self.number)
        self.reload()

    def _open(self, dialog: QDialog) -> None:
        """Open a case dialog; after it saved, tell others and reload."""

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                self._after_save()
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    # -- actions -----------------------------------------------------------------------------

    def change_status(self) -> None:

        if self.data is not None and CaseOp.STATUS in self.allowed:
            self._open(StatusDialog(self.ctx, self.data.case.summary, self))

    def new_assessment(self) -> None:

        if self.data is not None and CaseOp.ASSESS in self.allowed:
            self._open(AssessmentDialog(self.ctx, self.number, self.data.latest, self))

    def new_journal(self) -> None:

        if self.data is not None and CaseOp.JOURNAL in self.allowed:
            self._open(JournalDialog(self.ctx, self.number, None, self))

    def correct_journal(self, entry: JournalEntry) -> None:

        if self.data is not None and CaseOp.JOURNAL in self.allowed:
            self._open(JournalDialog(self.ctx, self.number, entry, self))

    def edit_case(self) -> None:

        if self.data is not None and CaseOp.EDIT in self.allowed:
            self._open(CaseEditDialog(self.ctx, self.data.case, self))

    def record_screening(self) -> None:
        if self.data is not None and CaseOp.SCREEN in self.allowed:
            self._open(ScreeningDialog(self.ctx, self.number, self))

    def add_information(self) -> None:
        if self.data is not None and CaseOp.SCREEN in self.allowed:
            self._open(InformationDialog(self.ctx, self.number, self))

    def disclose(self) -> None:
        if self.data is not None and CaseOp.DISCLOSE in self.allowed:
            self._open(DisclosureDialog(self.ctx, self.number, self))

    def move_case(self) -> None:
        if self.data is None or CaseOp.MOVE not in self.allowed:
            return
        current, me = self.data.case.summary.group_id, self.ctx.session.member.id

        def targets(s: MemberServices) -> list[str]:
            return [
                g.name
                for g in s.groups.list()
                if g.kind in (GroupKind.LOCAL, GroupKind.CUSTOM)
                and me in g.member_ids
                and g.id != current
            ]

        self.ctx.run(
            targets,
            lambda groups: self._open(MoveDialog(self.ctx, self.number, groups, self)),
            self,
        )

    def transfer_case(self) -> None:
        from infohus_desktop.ui.dialogs.cases.transfer import TransferDialog

        if self.data is None or self.ctx.session.member.role is not Role.COORDINATOR:
            return

        def recipients(s: MemberServices) -> list[tuple[str, str, str]]:
            return [(str(r.id), r.name, r.organisation) for r in s.bundles.recipients()]

        self.ctx.run(
            recipients,
            lambda found: self._open(TransferDialog(self.ctx, self.number, found, self)),
            self,
        )

    def add_attachment(self) -> None:
        if self.data is not None:
            self.attachments.ask_add()

    def edit_measure(self, measure: Measure | None) -> None:

        if self.data is None or CaseOp.MEASURE not in self.allowed:
            return
        case = self.data.case
        known = {m.owner for m in case.measures} | set(case.participating_organisations)
        known.add(case.summary.municipality)
        authorities = tuple(sorted(a for a in known if a))
        self._open(MeasureDialog(self.ctx, self.number, measure, authorities, self))
