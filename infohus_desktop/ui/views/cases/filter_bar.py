"""The filter bar above the case list: search box, status, category, municipality, lead and
"follow-up due". It only holds the user's choices; the workspace applies them to the proxy.

The choices (categories, members, municipalities) are handed in by the workspace once its
background fetches arrive; the bar never calls a service.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Role
from infohus_desktop.domain.workflow import OPEN_STATUSES, STATUS_LABELS, CaseStatus
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.models.case_filter import ListFilter
from infohus_desktop.ui.models.case_keys import danish_key
from infohus_desktop.ui.widgets.flow import FlowLayout


class _StayOpenMenu(QMenu):
    """Ticking a status keeps the menu open, so several can be chosen in one go."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        action = self.activeAction()
        if action is not None and action.isEnabled() and action.isCheckable():
            action.trigger()
            event.accept()
            return
        super().mouseReleaseEvent(event)


class StatusButton(QPushButton):
    """Several statuses at once, with the two usual choices on top: all open, all."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("statusFilter")
        self.setAccessibleName(tr("Statusfilter", "Status filter"))
        self.setToolTip(tr("Vis sager med disse statusser", "Show cases with these statuses"))
        menu = _StayOpenMenu(self)
        menu.setObjectName("statusMenu")
        self.all_open = menu.addAction(tr("Alle åbne", "All open"))
        self.all_open.setObjectName("statusAllOpen")
        self.all_open.triggered.connect(lambda: self.set_statuses(OPEN_STATUSES))
        self.every = menu.addAction(tr("Alle", "All"))
        self.every.setObjectName("statusAll")
        self.every.triggered.connect(lambda: self.set_statuses(frozenset()))
        menu.addSeparator()
        self.actions_by_status: dict[CaseStatus, QAction] = {}
        for status in CaseStatus:
            action = menu.addAction(tr(*STATUS_LABELS[status]))
            action.setObjectName(f"status_{status.value}")
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self.actions_by_status[status] = action
        self.setMenu(menu)
        self._updating = False
        self.set_statuses(OPEN_STATUSES)

    def statuses(self) -> frozenset[CaseStatus]:
        """The chosen statuses; empty means every status."""
        chosen = frozenset(s for s, a in self.actions_by_status.items() if a.isChecked())
        return frozenset() if chosen == frozenset(CaseStatus) else chosen

    def set_statuses(self, statuses: Iterable[CaseStatus]) -> None:
        wanted = frozenset(statuses) or frozenset(CaseStatus)
        self._updating = True
        for status, action in self.actions_by_status.items():
            action.setChecked(status in wanted)
        self._updating = False
        self._toggled()

    def _toggled(self) -> None:
        if self._updating:
            return
        chosen = self.statuses()
        if chosen == OPEN_STATUSES:
            summary = tr("Alle åbne", "All open")
        elif not chosen:
            summary = tr("Alle", "All")
        elif len(chosen) <= 2:
            summary = ", ".join(tr(*STATUS_LABELS[s]) for s in CaseStatus if s in chosen)
        else:
            summary = tr(f"{len(chosen)} valgt", f"{len(chosen)} chosen")
        self.setText(tr("Status: ", "Status: ") + summary)
        self.changed.emit()


def _combo(name: str, accessible: str, everything: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setToolTip(accessible)
    combo.addItem(everything, None)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumContentsLength(10)
    return combo


class CaseFilterBar(QWidget):
    """Search box and filters. :attr:`changed` when a filter changes, :attr:`search_edited`
    on every keystroke in the search box."""

    changed = Signal()
    search_edited = Signal(str)

    def __init__(self, own_member_id: uuid.UUID) -> None:
        super().__init__()
        self.setObjectName("caseFilterBar")
        self.own_member_id = own_member_id
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText(
            tr("Søg på sagsnr., navn eller CPR", "Search by case no., name or CPR")
        )
        self.search.setAccessibleName(tr("Søg i sager", "Search cases"))
        self.search.setToolTip(
            tr(
                "Søg på sagsnr., navn eller CPR (Ctrl+F). Søgningen logges.",
                "Search by case no., name or CPR (Ctrl+F). Searches are logged.",
            )
        )
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(220)
        self.search.textChanged.connect(self.search_edited.emit)

        self.status = StatusButton()
        self.category = _combo(
            "categoryFilter", tr("Kategori", "Category"), tr("Alle kategorier", "All categories")
        )
        self.municipality = _combo(
            "municipalityFilter",
            tr("Kommune", "Municipality"),
            tr("Alle kommuner", "All municipalities"),
        )
        self.lead = _combo(
            "leadFilter", tr("Sagsansvarlig", "Lead"), tr("Alle sagsansvarlige", "All leads")
        )
        self.lead.addItem(tr("Mine sager", "My cases"), str(own_member_id))
        self.due = QCheckBox(tr("Opfølgning &forfalden", "Follow-up &due"))
        self.due.setObjectName("dueFilter")
        self.due.setToolTip(
            tr(
                "Kun åbne sager, hvis opfølgningsdato er i dag eller overskredet",
                "Only open cases whose follow-up date is today or past",
            )
        )
        self.status.changed.connect(self.changed.emit)
        for combo in (self.category, self.municipality, self.lead):
            combo.currentIndexChanged.connect(self._emit_changed)
        self.due.toggled.connect(self._emit_changed)

        self.search_row = QHBoxLayout()
        self.search_row.addWidget(self.search, 1)
        filter_row = FlowLayout()  # wraps beside an opened case instead of cutting texts
        for widget in (self.status, self.category, self.municipality, self.lead, self.due):
            filter_row.addWidget(widget)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(self.search_row)
        rows.addLayout(filter_row)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.category)
        self.setTabOrder(self.category, self.municipality)
        self.setTabOrder(self.municipality, self.lead)
        self.setTabOrder(self.lead, self.due)

    def add_to_search_row(self, *widgets: QWidget) -> None:
        """Buttons that belong next to the search box (new case, refresh)."""
        for widget in widgets:
            self.search_row.addWidget(widget)

    def _emit_changed(self, *_args: object) -> None:
        self.changed.emit()

    # -- choices ----------------------------------------------------------------------------

    def set_categories(self, labels: dict[str, tuple[str, str]]) -> None:
        items = sorted(((tr(*pair), code) for code, pair in labels.items()), key=_by_text)
        if _refill(self.category, items):
            self.changed.emit()

    def set_municipalities(self, names: Iterable[str]) -> None:
        items = sorted(((n, n) for n in set(names) if n), key=_by_text)
        if _refill(self.municipality, items):
            self.changed.emit()

    def set_members(self, members: Iterable[Member]) -> None:
        """Active coordinators and members, who can lead a case."""
        leads = [m for m in members if m.active and m.role in (Role.COORDINATOR, Role.MEMBER)]
        items = sorted(((m.name, str(m.id)) for m in leads), key=_by_text)
        if _refill(self.lead, items, keep=2):
            self.changed.emit()

    # -- state ------------------------------------------------------------------------------

    def list_filter(self) -> ListFilter:
        return ListFilter(
            statuses=self.status.statuses(),
            category=self.category.currentData(),
            municipality=self.municipality.currentData(),
            lead_member_id=uuid.UUID(lead) if (lead := self.lead.currentData()) else None,
            follow_up_due=self.due.isChecked(),
        )

    def is_default(self) -> bool:
        return self.list_filter() == ListFilter(statuses=OPEN_STATUSES) and not self.search.text()

    def show_mine(self) -> None:
        """All my open cases, nothing else filtered or searched (the start page's link)."""
        self._start_over(lead_row=1)  # "Mine sager", after "Alle sagsansvarlige"

    def reset(self) -> None:
        """Back to all open cases and no search."""
        self._start_over(lead_row=0)

    def _start_over(self, lead_row: int) -> None:
        self.blockSignals(True)
        for combo in (self.category, self.municipality):
            combo.setCurrentIndex(0)
        self.lead.setCurrentIndex(lead_row)
        self.due.setChecked(False)
        self.status.set_statuses(OPEN_STATUSES)
        self.blockSignals(False)
        self.search.clear()
        self.changed.emit()


def _by_text(item: tuple[str, str]) -> str:
    return danish_key(item[0])


def _refill(combo: QComboBox, items: list[tuple[str, str]], keep: int = 1) -> bool:
    """Replace the choices after the first ``keep`` ones, keeping the current choice if it is
    still there. True when it is not, and the combo fell back to "all"."""
    current = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > keep:
        combo.removeItem(keep)
    if items and keep > 1:
        combo.insertSeparator(keep)
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)
    return index < 0
