"""The *Tilsyn* area (the DPO and coordinators): the audit log opened, newest first, filtered
by period, member, organisation, action, purpose and case number; "Verificér loggen" in the
background with the result in words; the filtered log exported as CSV; for coordinators the
insight report and the pruning of entries older than the log's retention period.

Every page is read on the worker (each entry is opened and its signature checked there), a
page at a time as the user scrolls, so the first screen comes quickly however long the log.
Reading the log is itself audited (purpose *tilsyn*).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.audit import AuditEntry, AuditFilter, AuditVerification
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.insight import actions_named
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.audit.pruning import PruningPlan
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import fmt_count, language, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.audit_log import (
    COL_ACTION,
    COL_DETAIL,
    COL_OBJECT,
    COL_ORG,
    COL_PURPOSE,
    COL_TIME,
    COL_USER,
    COL_WORKSTATION,
    PURPOSE_LABELS,
    AuditLogModel,
)
from infohus_desktop.ui.views.supervision.counters import CountersPane
from infohus_desktop.ui.views.supervision.insight import InsightDialog
from infohus_desktop.ui.views.supervision.prune import PruneLogDialog
from infohus_desktop.ui.views.supervision.spot_check import SpotCheckPane
from infohus_desktop.ui.widgets.dates import OptionalDateEdit
from infohus_desktop.ui.widgets.layout import hide_unless
from infohus_desktop.ui.widgets.save_file import ask_csv_path

#: Entries per page: a screen and a half, read and opened in well under a second.
PAGE = 200


class _ProgressRelay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    moved = Signal(int, int)


def verification_text(result: AuditVerification) -> str:
    """The verification's result in words."""
    if result.ok:
        pruned = (
            tr(
                f" {result.pruned_entries} ældre poster er beskåret efter opbevaringstiden "
                "og dækkes af en underskrevet opsummering.",
                f" {result.pruned_entries} older entries were pruned after the retention "
                "period and are covered by a signed summary.",
            )
            if result.pruned_entries
            else ""
        )
        if result.verified_from:
            return (
                tr(
                    f"Loggen er hel: de {result.entries} nye poster efter post "
                    f"{result.verified_from} og de underskrevne kontrolpunkter stemmer (de "
                    "tidligere blev kontrolleret sidst). Uden flueben ved »kun nye poster« læses "
                    "hele loggen.",
                    f"The log is intact: the {result.entries} new entries after entry "
                    f"{result.verified_from} and the signed checkpoints agree (the earlier ones "
                    'were checked last time). Without "new entries only" the whole log is read.',
                )
                + pruned
            )
        return (
            tr(
                f"Loggen er hel: {result.entries} poster, kæden og de underskrevne kontrolpunkter "
                "stemmer.",
                f"The log is intact: {result.entries} entries, the chain and the signed "
                "checkpoints agree.",
            )
            + pruned
        )
    if result.first_bad_seq is None:
        return tr(
            f"Loggen er brudt: {result.problem_in('da')}",
            f"The log is broken: {result.problem_in('en')}",
        )
    return tr(
        f"Loggen er brudt fra post {result.first_bad_seq}: {result.problem_in('da')}",
        f"The log is broken from entry {result.first_bad_seq}: {result.problem_in('en')}",
    )


class SupervisionView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("supervisionView")
        self.ctx = ctx
        self._generation = 0
        self._started = False
        self.filters = AuditFilter()
        self.model = AuditLogModel(self._fetch, self)

        self.since = OptionalDateEdit(date.today() - timedelta(days=30))
        self.since.setObjectName("auditSince")
        self.since.setAccessibleName(tr("Fra dato", "From date"))
        self.until = OptionalDateEdit(None)
        self.until.setObjectName("auditUntil")
        self.until.setAccessibleName(tr("Til dato", "To date"))
        self.login = QLineEdit()
        self.login.setObjectName("auditLogin")
        self.login.setPlaceholderText(tr("Bruger", "User"))
        self.login.setAccessibleName(tr("Bruger", "User"))
        self.action = QLineEdit()
        self.action.setObjectName("auditAction")
        self.action.setPlaceholderText(tr("Handling, fx Opslag", "Action, e.g. Look-up"))
        self.action.setAccessibleName(tr("Handling", "Action"))
        self.case = QLineEdit()
        self.case.setObjectName("auditCase")
        self.case.setPlaceholderText(tr("Sagsnummer", "Case number"))
        self.case.setAccessibleName(tr("Sagsnummer", "Case number"))
        self.purpose = QComboBox()
        self.purpose.setObjectName("auditPurpose")
        self.purpose.setAccessibleName(tr("Formål", "Purpose"))
        self.purpose.addItem(tr("Alle formål", "All purposes"), None)
        for code, labels in PURPOSE_LABELS.items():
            self.purpose.addItem(tr(*labels), code)
        self.organisation = QComboBox()
        self.organisation.setObjectName("auditOrganisation")
        self.organisation.setAccessibleName(tr("Organisation", "Organisation"))
        self.organisation.addItem(tr("Alle organisationer", "All organisations"), None)
        apply = QPushButton(icon("search"), tr("&Vis", "&Show"))
        apply.setObjectName("applyAuditFilter")
        apply.clicked.connect(self.apply_filters)
        for field in (self.login, self.action, self.case):
            field.returnPressed.connect(self.apply_filters)

        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName(tr("Revisionslog", "Audit log"))
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The action, in words ("Krypteret henvisning modtaget …"), takes the room left; the
        # workstation's name is short. It was the other way round, and the action was cut
        # off even at 1920 px (user trial).
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_ACTION, QHeaderView.ResizeMode.Stretch)
        # The detail in words ("Søgt på CPR-nummer, 0 sager fundet") shares that room; its
        # tooltip holds the whole of a long one, and the detail as stored.
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        # The short columns as wide as what they hold (a login, "vm", a time), so that the
        # words of action and detail get the room: at a laptop's width the detail read
        # "Sagsnumm…" beside a workstation column four times its text (user trial).
        # Measured after each page arrives (_fit_short_columns): Qt's own ResizeToContents
        # kept the header's width after a filter emptied the table and filled it again
        # ("08.12.2…", second user trial).
        header.setResizeContentsPrecision(200)  # a page's rows, not the whole log
        fm = self.table.fontMetrics()
        self.table.setColumnWidth(COL_ORG, fm.horizontalAdvance("Kriminalforsorgen Nord") + 16)
        self.table.setColumnWidth(COL_OBJECT, fm.horizontalAdvance("AAR-2026-0000") + 24)

        self.verify_button = QPushButton(icon("status"), tr("Verificér &loggen", "&Verify the log"))
        self.verify_button.setObjectName("verifyAudit")
        self.verify_button.clicked.connect(self.verify)
        self.verify_new_only = QCheckBox(tr("kun nye poster", "new entries only"))
        self.verify_new_only.setObjectName("verifyNewOnly")
        self.verify_new_only.setToolTip(
            tr(
                "Hurtigt: kun posterne siden sidste gode kontrol her. Ser ikke en gammel post, "
                "der er rettet uden om programmet; det gør den fulde kontrol.",
                "Quick: only the entries since the last good check here. Does not see an old "
                "entry changed outside the program; the full check does.",
            )
        )
        self.export_button = QPushButton(icon("pdf"), tr("&Eksportér CSV …", "&Export CSV …"))
        self.export_button.setObjectName("exportAudit")
        self.export_button.clicked.connect(self.export_csv)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("auditCount")

        first = QHBoxLayout()
        for label, widget in (
            (tr("Fra", "From"), self.since),
            (tr("til", "to"), self.until),
        ):
            first.addWidget(QLabel(label))
            first.addWidget(widget)
        first.addWidget(self.login, 1)
        first.addWidget(self.organisation, 1)
        second = QHBoxLayout()
        second.addWidget(self.action, 1)
        second.addWidget(self.purpose, 1)
        second.addWidget(self.case, 1)
        second.addWidget(apply)
        self.insight_button = QPushButton(
            icon("pdf"), tr("&Indsigtsrapport …", "&Insight report …")
        )
        self.insight_button.setObjectName("insightReport")
        self.insight_button.setToolTip(
            tr(
                "Alt om én borger og loggen over opslag i borgerens sager (koordinatorer)",
                "Everything about one citizen and the log of look-ups of their cases "
                "(coordinators)",
            )
        )
        self.insight_button.clicked.connect(self.insight)
        # The DPO holds no case keys: the report is a coordinator's (SECURITY.md §8.2).
        hide_unless(ctx.session.member.role is Role.COORDINATOR, self.insight_button)
        self.prune_button = QPushButton(icon("close"), tr("&Beskær loggen …", "&Prune the log …"))
        self.prune_button.setObjectName("pruneAudit")
        self.prune_button.setToolTip(
            tr(
                "Erstat poster ældre end loggens opbevaringstid med en underskrevet "
                "opsummering (koordinatorer)",
                "Replace entries older than the log's retention period by a signed summary "
                "(coordinators)",
            )
        )
        self.prune_button.clicked.connect(self.prune)
        hide_unless(ctx.session.member.role is Role.COORDINATOR, self.prune_button)
        actions = QHBoxLayout()
        actions.addWidget(self.verify_button)
        actions.addWidget(self.verify_new_only)
        actions.addWidget(self.export_button)
        actions.addWidget(self.insight_button)
        actions.addWidget(self.prune_button)
        actions.addStretch(1)
        actions.addWidget(self.count)
        self.counters = CountersPane(ctx, lambda: (self.since.value(), self.until.value()))
        log_page = QWidget()
        log_box = QVBoxLayout(log_page)
        log_box.setContentsMargins(0, 0, 0, 0)
        log_box.addWidget(self.table, 1)
        log_box.addWidget(self.busy)
        log_box.addWidget(self.status)
        log_box.addLayout(actions)
        self.tabs = QTabWidget()
        self.tabs.addTab(log_page, tr("Log", "Log"))
        self.tabs.addTab(self.counters, tr("Nøgletal", "Figures"))
        self.spot_check = SpotCheckPane(ctx, lambda: (self.since.value(), self.until.value()))
        self.tabs.addTab(self.spot_check, tr("Stikprøve", "Spot check"))
        outer = QVBoxLayout(self)
        outer.addLayout(first)
        outer.addLayout(second)
        outer.addWidget(self.tabs, 1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.ctx.run(_names, self._names, self)
            self.spot_check.refresh()
            self.apply_filters()

    def _names(self, names: tuple[dict[uuid.UUID, str], dict[str, str]]) -> None:
        organisations, self.model.case_numbers = names
        self.spot_check.case_numbers = self.model.case_numbers
        self.model.organisations = organisations
        for org_id, name in sorted(organisations.items(), key=lambda kv: kv[1]):
            self.organisation.addItem(name, org_id)
        self.model.names_changed()

    # -- filters and pages --------------------------------------------------------------------

    def apply_filters(self) -> None:
        """Read the filters, then the first page; a case number is looked up first."""
        self._generation += 1
        generation = self._generation
        case = self.case.text().strip()
        named = actions_named(self.action.text())
        base = AuditFilter(
            since=self.since.value(),
            until=self.until.value(),
            login=self.login.text().strip().lower() or None,
            organisation_id=self.organisation.currentData(),
            # A code (case.read, case) as it is; words (Opslag, Look-up) as every action
            # whose label holds them, since the table shows labels, not codes.
            action=(self.action.text().strip() or None) if named is None else None,
            actions=named,
            purpose=self.purpose.currentData(),
        )
        self.model.reset()
        # No page until the filters are complete: the view asks for one right after a reset,
        # and with the case number still being looked up it would get the old filters'.
        self.model.loading = True

        def start(ids: frozenset[str]) -> None:
            if generation != self._generation:
                return
            self.model.loading = False
            self.filters = replace(base, object_ids=ids) if case else base
            if case and not ids:
                self.model.append([], exhausted=True)
                self._show_count()
                return
            self.model.fetchMore()

        if case:
            self.ctx.run(lambda s: s.audit.case_ids(case), start, self, self._failed)
        else:
            start(frozenset())

    def _fetch(self, before_seq: int | None) -> None:
        generation, filters = self._generation, self.filters
        self.busy.show()
        self.ctx.run(
            lambda s: _page(s, filters, before_seq),
            lambda page: self._page(generation, page),
            self,
            self._failed,
        )

    def _page(self, generation: int, page: list[AuditEntry]) -> None:
        if generation != self._generation:
            return
        self.busy.hide()
        self.model.append(page, exhausted=len(page) < PAGE)
        self._show_count()
        self._fit_short_columns()

    def _fit_short_columns(self) -> None:
        """Time, login, purpose and workstation as wide as what they hold, never narrower
        than their heading, so that the action and the detail get the room."""
        for column in (COL_TIME, COL_USER, COL_PURPOSE, COL_WORKSTATION):
            self.table.resizeColumnToContents(column)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        more = "" if self.model.exhausted else tr(" (rul for flere)", " (scroll for more)")
        self.count.setText(tr(f"{n} poster", f"{n} entries") + more)

    def _failed(self, exc: InfohusError) -> None:
        self.busy.hide()
        self.model.loading = False
        show_error(self.ctx.window, exc)

    # -- verify and export --------------------------------------------------------------------

    def verify(self) -> None:
        """Verify on the worker; the bar and the status line say how far it got (the chain,
        then every entry's signature), from the worker through a queued signal."""
        self.verify_button.setEnabled(False)
        self.busy.show()
        self.status.setStyleSheet("")
        self.status.setText(tr("Verificerer loggen …", "Verifying the log …"))
        relay = _ProgressRelay(self)
        relay.moved.connect(self._verify_progress)

        def finished() -> None:
            self.busy.hide()
            self.busy.setRange(0, 0)
            self.verify_button.setEnabled(True)
            relay.deleteLater()

        def done(result: AuditVerification) -> None:
            finished()
            self.status.setText(verification_text(result))
            self.status.setStyleSheet("" if result.ok else "color: #b3261e;")

        def failed(exc: InfohusError) -> None:
            finished()
            self.status.setText(exc.message(language()))

        new_only = self.verify_new_only.isChecked()
        self.ctx.run(lambda s: s.audit.verify(relay.moved.emit, new_only), done, self, failed)

    def _verify_progress(self, done: int, total: int) -> None:
        if self.verify_button.isEnabled():
            return  # a late signal after the result
        self.busy.setRange(0, max(total, 1))
        self.busy.setValue(done)
        self.status.setText(
            tr(
                f"Verificerer loggen … {fmt_count(done)} af {fmt_count(total)} trin",
                f"Verifying the log … {fmt_count(done)} of {fmt_count(total)} steps",
            )
        )

    def insight(self) -> None:
        dialog = InsightDialog(self.ctx, self)
        dialog.open()

    def prune(self) -> None:
        """Ask the worker what may go, then show the dialog; after a pruning, the list is
        read again and the status line says what went."""
        self.prune_button.setEnabled(False)

        def ask(plan: PruningPlan) -> None:
            self.prune_button.setEnabled(True)
            dialog = PruneLogDialog(self.ctx, plan, self)
            dialog.accepted.connect(lambda: self._pruned(dialog.pruned))
            dialog.open()

        def failed(exc: InfohusError) -> None:
            self.prune_button.setEnabled(True)
            self._failed(exc)

        self.ctx.run(lambda s: s.audit_pruning.plan(), ask, self, failed)

    def _pruned(self, pruned: PruningPlan | None) -> None:
        if pruned is None:
            return
        self.status.setStyleSheet("")
        self.status.setText(
            tr(
                f"{pruned.entries} poster (nr. {pruned.first_seq}–{pruned.last_seq}) er "
                "erstattet af en underskrevet opsummering.",
                f"{pruned.entries} entries (no. {pruned.first_seq}–{pruned.last_seq}) are "
                "replaced by a signed summary.",
            )
        )
        self.apply_filters()

    def choose_csv_file(self) -> Path | None:
        """The save dialog; tests replace this."""
        return ask_csv_path(self, "revisionslog.csv")

    def export_csv(self) -> None:
        target = self.choose_csv_file()
        if target is None:
            return
        filters = self.filters
        self.busy.show()

        def done(count: int) -> None:
            self.busy.hide()
            self.status.setText(
                tr(
                    f"{count} poster gemt som {target.name}",
                    f"{count} entries saved as {target.name}",
                )
            )

        self.ctx.run(lambda s: s.audit.export_csv(filters, target), done, self, self._failed)


def _names(s: MemberServices) -> tuple[dict[uuid.UUID, str], dict[str, str]]:
    return s.audit.organisations(), s.audit.case_numbers()


def _page(s: MemberServices, filters: AuditFilter, before_seq: int | None) -> list[AuditEntry]:
    return s.audit.list(PAGE, before_seq, filters=filters)
