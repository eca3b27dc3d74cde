"""The *Til sletning* area: for coordinators, the cases whose deletion date has passed or
comes within 30 days, with number, Infohus Kommune, closing reason and dates, never a name;
the deletion of one with a dialog that names it; holds; the retention rules; and the deleted
cases' tombstones. The DPO, who supervises deletion but reads no case, sees the rules in
force and the tombstones (who deleted what, why, and who approved it), nothing to change.

Every list is read on the worker (and audited there, purpose *sletning*), when the area is
first shown and after every change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import TAMPERED_TEXT
from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import RETENTION_LABELS
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.retention import DueCase, RetentionRules, Tombstone
from infohus_desktop.domain.workflow import CLOSING_LABELS, ClosingReason
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.retention.rules import RULES
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.retention.delete_case import DeleteCaseDialog
from infohus_desktop.ui.dialogs.retention.delete_due import DeleteDueDialog
from infohus_desktop.ui.dialogs.retention.hold import HoldDialog
from infohus_desktop.ui.dialogs.retention.rules import open_rules
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.widgets.layout import action_button, hint
from infohus_desktop.ui.widgets.tables import fill, selected_data, table

DUE_HEADERS = (
    ("Sag", "Case"),
    ("Kommune", "Municipality"),
    ("Afslutningsårsag", "Closing reason"),
    # The class sets the deadline with the reason: a 'Minimal' case goes sooner than the
    # reason's months in the rules, which read as wrong without it (user trial).
    ("Opbevaring", "Retention"),
    ("Afsluttet", "Closed"),
    ("Slettefrist", "Delete on"),
    ("Status", "State"),
)
DELETED_HEADERS = (
    ("Sag", "Case"),
    ("Kommune", "Municipality"),
    ("Afslutningsårsag", "Closing reason"),  # the hint above the table promises it
    ("Afsluttet", "Closed"),
    ("Slettet", "Deleted"),
    ("Slettet af", "Deleted by"),
    ("Godkendt af", "Approved by"),
    ("Begrundelse", "Reason"),
)
DUE_COLOUR = QColor("#b3261e")


def _ending(entry: DueCase) -> str:
    """How the case ended: its closing reason, or handed over to another Infohus."""
    return tr("Overdraget", "Transferred") if entry.transferred else _closing(entry.closing_reason)


def _closing(reason: ClosingReason | None) -> str:
    return tr(*CLOSING_LABELS[reason]) if reason else ""


def state_text(entry: DueCase, today: date) -> str:
    if entry.held(today):
        assert entry.hold is not None
        return tr(
            f"Blokeret til {fmt_date(entry.hold.until)}", f"Held until {fmt_date(entry.hold.until)}"
        )
    if entry.due(today):
        return tr("Til sletning", "Due")
    days = (entry.delete_on - today).days
    if days == 1:
        return tr("I morgen", "Tomorrow")
    return tr(f"Om {days} dage", f"In {days} days")


RULE_HEADERS = (("Gælder for", "Applies to"), ("Opbevares i", "Kept for"))


Loaded = tuple[RetentionRules, bool, list[DueCase], list[Tombstone]]


def _load(s: MemberServices, today: date) -> Loaded:
    """The rules (and whether they were changed outside the program), the due list and the
    tombstones. The due list opens the cases' sealed copies: the DPO holds no case key and
    sees none; over tampered rules there is none to make (``due`` refuses). The tombstones
    are shown either way: then the DPO's supervision matters most (review)."""
    rules, tampered = s.retention.rules.for_editing()
    coordinator = s.member.role is Role.COORDINATOR
    due = s.retention.due(today=today) if coordinator and not tampered else []
    return rules, tampered, due, s.retention.tombstones()


def _months(months: int) -> str:
    return tr(
        f"{months} måned{'' if months == 1 else 'er'}", f"{months} month{'s' * (months != 1)}"
    )


def rule_rows(rules: RetentionRules) -> list[list[str]]:
    """The periods in force as a reader checks them: each closing reason, each class with a
    period of its own, the handed-over cases and the audit log."""
    rows = [
        [tr(*CLOSING_LABELS[reason]), _months(rules.by_reason[reason])]
        for reason in ClosingReason
        if reason in rules.by_reason
    ]
    rows += [
        [tr(f"Opbevaring »{da}«", f"Retention '{en}'"), _months(rules.by_class[cls])]
        for cls, (da, en) in RETENTION_LABELS.items()
        if cls in rules.by_class
    ]
    rows.append(
        [
            tr("Sager overdraget til et andet Infohus", "Cases handed over"),
            _months(rules.transferred),
        ]
    )
    rows.append([tr("Revisionsloggen", "The audit log"), _months(rules.audit_months)])
    return rows


class RetentionView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("retentionView")
        self.ctx = ctx
        #: The DPO supervises: the rules and the tombstones, no case and no action.
        self.supervising = ctx.session.member.role is Role.DPO
        self.rules: RetentionRules | None = None
        self.entries: list[DueCase] = []
        self._started = False
        #: What "today" is for the list and its states (a test moves it).
        self.today: Callable[[], date] = date.today

        self.notice = QLabel()
        self.notice.setObjectName("rulesNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "background: #fff4e5; border: 1px solid #f0c36d; padding: 6px; color: #5c3c00;"
        )
        self.notice.hide()
        self.due_table: QTableWidget = table(
            "dueTable", tr("Sager til sletning", "Cases due for deletion"), DUE_HEADERS
        )
        self.due_table.itemSelectionChanged.connect(self._update_buttons)
        self.deleted_table: QTableWidget = table(
            "deletedTable", tr("Slettede sager", "Deleted cases"), DELETED_HEADERS
        )
        self.rules_table: QTableWidget = table(
            "rulesTable", tr("Slettereglerne", "The retention rules"), RULE_HEADERS
        )
        self.delete_button = action_button("deleteCase", "close", ("&Slet sag …", "&Delete case …"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.hold_button = action_button("holdCase", "lock", ("&Blokér sletning …", "&Hold …"))
        self.hold_button.clicked.connect(self.hold_selected)
        self.release_button = action_button(
            "releaseHold", "open", ("&Ophæv blokering", "&Release hold")
        )
        self.release_button.clicked.connect(self.release_selected)
        self.delete_due_button = action_button(
            "deleteDue", "close", ("Slet &alle til sletning …", "Delete &all due …")
        )
        self.delete_due_button.clicked.connect(self.delete_due)
        self.rules_button = action_button("editRules", "settings", ("Slette&regler …", "&Rules …"))
        self.rules_button.clicked.connect(self.edit_rules)
        refresh = action_button("refreshRetention", "refresh", ("", ""))
        refresh.setAccessibleName(tr("Opdater listen", "Refresh the list"))
        refresh.setToolTip(tr("Opdater listen", "Refresh the list"))
        refresh.clicked.connect(self.reload)
        self.count = QLabel()
        self.count.setObjectName("dueCount")

        buttons = QHBoxLayout()
        for button in (
            self.delete_button,
            self.hold_button,
            self.release_button,
            self.delete_due_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.rules_button)
        buttons.addWidget(refresh)
        due_page = QWidget()
        due_box = QVBoxLayout(due_page)
        due_box.addWidget(
            hint(
                tr(
                    "Afsluttede sager, hvis slettefrist er overskredet eller falder inden for "
                    "30 dage. Navne vises ikke her; åbn sagen under Sager for at se den.",
                    "Closed cases whose deletion date has passed or falls within 30 days. "
                    "Names are not shown here; open the case under Cases to see it.",
                )
            )
        )
        due_box.addWidget(self.due_table, 1)
        due_box.addWidget(self.count)
        deleted_page = QWidget()
        deleted_box = QVBoxLayout(deleted_page)
        deleted_box.addWidget(
            hint(
                tr(
                    "Det eneste, der er tilbage af en slettet sag: nummer, datoer, "
                    "afslutningsårsag, og hvem der slettede og hvorfor.",
                    "All that remains of a deleted case: number, dates, closing reason, and "
                    "who deleted it and why.",
                )
            )
        )
        deleted_box.addWidget(self.deleted_table, 1)
        rules_page = QWidget()
        rules_box = QVBoxLayout(rules_page)
        rules_box.addWidget(
            hint(
                tr(
                    "Hvor længe en sag gemmes efter afslutningen, efter afslutningsårsag; en "
                    "opbevaringsklasse med sin egen periode erstatter årsagens. Kortere "
                    "perioder kræver godkendelse af DPO'en eller en anden koordinator.",
                    "How long a case is kept after it is closed, by closing reason; a "
                    "retention class with a period of its own replaces the reason's. Shorter "
                    "periods need the approval of the DPO or another coordinator.",
                )
            )
        )
        rules_box.addWidget(self.rules_table, 1)
        self.tabs = QTabWidget()
        if not self.supervising:
            self.tabs.addTab(due_page, tr("Til sletning", "Due"))
        self.tabs.addTab(deleted_page, tr("Slettede", "Deleted"))
        self.tabs.addTab(rules_page, tr("Sletteregler", "Rules"))
        outer = QVBoxLayout(self)
        outer.addWidget(self.notice)
        outer.addLayout(buttons)
        outer.addWidget(self.tabs, 1)
        if self.supervising:
            for button in (
                self.delete_button,
                self.hold_button,
                self.release_button,
                self.delete_due_button,
                self.rules_button,
            ):
                button.hide()
            due_page.setParent(self)  # kept (the loads fill it, empty), never shown
            due_page.hide()
            self.count.hide()
        self._update_buttons()
        self.ctx.changes.subscribe(self, [Area.CASES], self._changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.reload()

    def _changed(self, _changes: Changes) -> None:
        if self._started:
            self.reload()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        today = self.today()
        self.ctx.run(lambda s: _load(s, today), self._loaded, self, self._failed)

    def _loaded(self, result: Loaded) -> None:
        rules, tampered, entries, stones = result
        self.rules, self.entries = rules, entries
        today = self.today()
        self.notice.setText(
            tr(
                "Infohuset har ikke sat sine egne sletteregler; programmets udgangspunkt "
                "gælder. En koordinator sætter dem efter aftale med dig.",
                "The Infohus has not set its own retention rules; the program's starting "
                "point applies. A coordinator sets them in agreement with you.",
            )
            if self.supervising
            else tr(
                "Infohuset har ikke sat sine egne sletteregler; listen bygger på programmets "
                "udgangspunkt. Aftal perioderne med jeres DPO og sæt dem under Sletteregler.",
                "The Infohus has not set its own retention rules; the list uses the program's "
                "starting point. Agree the periods with your DPO and set them under Rules.",
            )
        )
        fill(self.rules_table, rule_rows(rules))
        if tampered:
            said = RULES.tampered()
            self.notice.setText(tr(said.da, said.en))
        self.notice.setVisible(tampered or not rules.configured)
        fill(
            self.due_table,
            [
                [
                    e.number,
                    e.municipality,
                    tr("Overdraget", "Transferred")
                    if e.transferred
                    else _closing(e.closing_reason),
                    tr(*RETENTION_LABELS[e.retention]),
                    fmt_date(e.closed_on),
                    fmt_date(e.delete_on),
                    state_text(e, today),
                ]
                for e in entries
            ],
            [e.number for e in entries],
        )
        for row, entry in enumerate(entries):
            if entry.due(today) and not entry.held(today):
                for column in (5, 6):
                    cell = self.due_table.item(row, column)
                    if cell is not None:
                        cell.setForeground(DUE_COLOUR)
        fill(
            self.deleted_table,
            [
                [
                    s.number,
                    s.municipality,
                    _closing(s.closing_reason),
                    fmt_date(s.closed_on),
                    fmt_date(s.deleted_at),
                    s.deleted_by,
                    s.approved_by or "",
                    tr(*TAMPERED_TEXT) if s.tampered else s.reason,
                ]
                for s in stones
            ],
        )
        due_now = sum(1 for e in entries if e.due(today) and not e.held(today))
        self.count.setText(
            tr(
                f"{due_now} til sletning nu, {len(entries) - due_now} snart eller blokeret",
                f"{due_now} due now, {len(entries) - due_now} soon or held",
            )
        )
        self._update_buttons()

    def _failed(self, exc: InfohusError) -> None:
        show_error(self.ctx.window, exc)

    # -- actions ------------------------------------------------------------------------------

    def selected(self) -> DueCase | None:
        number = selected_data(self.due_table)
        return next((e for e in self.entries if e.number == number), None)

    def _update_buttons(self) -> None:
        entry = self.selected()
        today = self.today()
        self.delete_button.setEnabled(entry is not None and not entry.held(today))
        self.hold_button.setEnabled(entry is not None)
        self.release_button.setEnabled(entry is not None and entry.held(today))
        self.delete_due_button.setEnabled(bool(self.due_now()))

    def delete_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        dialog = DeleteCaseDialog(self.ctx, entry, self.today(), self)
        dialog.accepted.connect(self.reload)
        dialog.open()

    def due_now(self) -> list[DueCase]:
        today = self.today()
        return [e for e in self.entries if e.due(today) and not e.held(today)]

    def delete_due(self) -> None:
        due = self.due_now()
        if not due:
            return
        dialog = DeleteDueDialog(self.ctx, due, self.today(), self)
        dialog.accepted.connect(self.reload)
        dialog.rejected.connect(self.reload)  # some may have gone before one was refused
        dialog.open()

    def hold_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        dialog = HoldDialog(self.ctx, entry.number, self)
        dialog.accepted.connect(self.reload)
        dialog.open()

    def release_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        number = entry.number
        self.ctx.run(lambda s: s.retention.holds.release(number), lambda _n: self.reload(), self)

    def edit_rules(self) -> None:
        open_rules(self.ctx, self, self.reload)
