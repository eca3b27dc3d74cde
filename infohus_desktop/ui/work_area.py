"""The unlocked window's body: navigation on the left, the chosen work area on the right.
Only the areas that exist are listed (no dead buttons for what later issues add)."""

from __future__ import annotations

import importlib
import uuid
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QWidget,
)

from infohus_desktop.domain.access import ADMINISTRATION_ROLES, STATISTICS_ROLES
from infohus_desktop.domain.organisations import Role
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon


@dataclass(frozen=True)
class Area:
    """A work area in the navigation: only areas that exist are listed. Its view is named,
    not imported: the module is imported when the area is first made (:meth:`build`)."""

    key: str
    label: tuple[str, str]
    icon: str
    view: str  # "module:Class", a QWidget made with the AppContext
    roles: frozenset[Role] = frozenset(Role)

    @property
    def module(self) -> str:
        return self.view.partition(":")[0]

    def build(self, ctx: AppContext) -> QWidget:
        module, _, name = self.view.partition(":")
        made: QWidget = getattr(importlib.import_module(module), name)(ctx)
        return made


#: The modules of the areas made at unlock (MADE_AT_UNLOCK and the area most members see
#: first), imported on the worker while the member types the passphrase (load_views). The
#: other areas' modules are imported when the area is first shown (5 to 20 ms each on this
#: machine): a session that never opens them does not hold them (1.7 MiB, issue 17).
VIEW_MODULES = (
    "infohus_desktop.ui.views.cases.workspace",
    "infohus_desktop.ui.views.overview.view",
)


def load_views() -> None:
    """Import the modules of the areas made at unlock (VIEW_MODULES), on the worker while the
    member types the passphrase (``VaultDoor.open``), so that the first unlock does not pay
    for them on the GUI thread. Importing defines classes only: no widget is made and
    nothing is painted, and the module-level Qt values in them (colours, dates) are plain
    values, safe on any thread."""
    for name in VIEW_MODULES:
        importlib.import_module(name)


def _areas() -> list[Area]:
    return [
        Area(
            "overview",
            ("Overblik", "Overview"),
            "app",
            "infohus_desktop.ui.views.overview.view:OverviewView",
            frozenset({Role.COORDINATOR, Role.MEMBER, Role.GUEST}),
        ),
        Area(
            "cases",
            ("Sager", "Cases"),
            "cases",
            "infohus_desktop.ui.views.cases.workspace:CaseWorkspace",
            frozenset({Role.COORDINATOR, Role.MEMBER, Role.GUEST}),
        ),
        Area(
            "meetings",
            ("Møder", "Meetings"),
            "meetings",
            "infohus_desktop.ui.views.meetings.workspace:MeetingWorkspace",
            frozenset({Role.COORDINATOR, Role.MEMBER}),
        ),
        Area(
            "referrals",
            ("Henvisninger", "Referrals"),
            "referral",
            "infohus_desktop.ui.views.referrals.workspace:ReferralWorkspace",
            frozenset({Role.COORDINATOR, Role.MEMBER, Role.GUEST}),
        ),
        Area(
            "trends",
            ("Tendenser", "Trends"),
            "trends",
            "infohus_desktop.ui.views.trends.workspace:TrendWorkspace",
            frozenset({Role.COORDINATOR, Role.MEMBER, Role.GUEST}),
        ),
        Area(
            "statistics",
            ("Statistik", "Statistics"),
            "statistics",
            "infohus_desktop.ui.views.statistics.view:StatisticsView",
            STATISTICS_ROLES,
        ),
        Area(
            "retention",
            ("Til sletning", "Deletion"),
            "close",
            "infohus_desktop.ui.views.retention.view:RetentionView",
            frozenset({Role.COORDINATOR, Role.DPO}),
        ),
        Area(
            "supervision",
            ("Tilsyn", "Supervision"),
            "status",
            "infohus_desktop.ui.views.supervision.view:SupervisionView",
            frozenset({Role.COORDINATOR, Role.DPO}),
        ),
        Area(
            "administration",
            ("Administration", "Administration"),
            "vault",
            "infohus_desktop.ui.views.administration.view:AdministrationView",
            ADMINISTRATION_ROLES,
        ),
    ]


#: The areas made when the window opens, whichever is shown: the case list starts loading
#: at unlock, as most members go to their cases first. Every other area is made the first
#: time it is shown (:class:`BuiltOnDemand`).
MADE_AT_UNLOCK = frozenset({"cases"})


class BuiltOnDemand(Mapping[str, QWidget]):
    """The work areas of one window by key, in the navigation's order, each made the first
    time it is asked for. Making all nine at unlock cost 60 ms on the GUI thread while the
    worker read the case list (issue 17's "unlock to a usable case list"), for areas most
    sessions never open; an area loads its content when first shown anyway."""

    def __init__(self, specs: list[Area], make: Callable[[Area], QWidget]) -> None:
        self._specs = {area.key: area for area in specs}
        # Weakly: the window body holds this mapping, and a strong bound method back would
        # make a cycle, leaving a locked window's widgets to wait for a collection instead
        # of going at once when the window lets go of its body.
        self._make = weakref.WeakMethod(make)
        self._made: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        return self.make(key)

    def make(self, key: str) -> QWidget:
        """The area ``key``, made now if it was not (KeyError: not an area of this member)."""
        made = self._made.get(key)
        if made is None:
            maker = self._make()
            if maker is None:  # the window body is gone
                raise KeyError(key)
            made = self._made[key] = maker(self._specs[key])
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def made(self, key: str) -> QWidget | None:
        """The area ``key`` if it was made already (nothing is made here)."""
        return self._made.get(key)


class WorkArea(QWidget):
    """Navigation on the left, the chosen area on the right."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("workArea")
        self.ctx = ctx
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(tr("Navigation", "Navigation"))
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFixedWidth(180)
        self.stack = QStackedWidget()
        allowed = [area for area in _areas() if ctx.session.member.role in area.roles]
        self._rows = [area.key for area in allowed]
        self.areas = BuiltOnDemand(allowed, self._make)
        for area in allowed:
            item = QListWidgetItem(icon(area.icon), tr(*area.label))
            item.setData(Qt.ItemDataRole.UserRole, area.key)
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # its place, until the area is made
        if not allowed:
            empty = QLabel(
                tr(
                    "Din rolle giver ikke adgang til sager. Revisionsloggen bruges fra "
                    "kommandoen 'infohus audit'.",
                    "Your role gives no access to cases. The audit log is used with the "
                    "command 'infohus audit'.",
                )
            )
            empty.setObjectName("noAreas")
            empty.setWordWrap(True)
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.stack.addWidget(empty)
        for key in self._rows:
            if key in MADE_AT_UNLOCK or key == self._rows[0]:  # and the area shown first
                self.areas.make(key)
        self.nav.currentRowChanged.connect(self._show_row)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.nav.setCurrentRow(0)

    def _make(self, area: Area) -> QWidget:
        """Make ``area`` and put it in its place in the stack."""
        widget = area.build(self.ctx)
        index = self._rows.index(area.key)
        placeholder = self.stack.widget(index)
        shown = self.stack.currentIndex() == index
        self.stack.insertWidget(index, widget)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        if shown:
            self.stack.setCurrentIndex(index)
        if area.key == "overview":
            from infohus_desktop.ui.views.overview.view import OverviewView

            assert isinstance(widget, OverviewView)
            widget.open_requested.connect(self.open_object)
        return widget

    def _show_row(self, row: int) -> None:
        """Show the area of navigation row ``row``, made now if it was not."""
        if 0 <= row < len(self._rows):
            self.areas.make(self._rows[row])
        self.stack.setCurrentIndex(row)

    def current_area(self) -> str | None:
        """The key of the area shown now."""
        item = self.nav.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def show_area(self, key: str) -> QWidget | None:
        """Switch to the area ``key``; None when this member's role has no such area."""
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return self.areas[key]
        return None

    def open_object(self, kind: str, ref: str) -> None:
        """Open what a line of the start page stands for, in its own area."""
        from infohus_desktop.ui.views.administration.view import AdministrationView
        from infohus_desktop.ui.views.cases.workspace import CaseWorkspace
        from infohus_desktop.ui.views.meetings.workspace import MeetingWorkspace
        from infohus_desktop.ui.views.referrals.workspace import ReferralWorkspace

        if kind == "case":
            cases = self.show_area("cases")
            if isinstance(cases, CaseWorkspace):
                cases.open_case(ref)
        elif kind == "meeting":
            meetings = self.show_area("meetings")
            if isinstance(meetings, MeetingWorkspace):
                meetings.open_meeting(uuid.UUID(ref))
        elif kind == "referral":
            referrals = self.show_area("referrals")
            if isinstance(referrals, ReferralWorkspace):
                referrals.pane.show_referral(uuid.UUID(ref))
        elif kind == "my_cases":
            cases = self.show_area("cases")
            if isinstance(cases, CaseWorkspace):
                cases.show_my_cases()
        elif kind == "incoming":
            self.show_area("referrals")
        elif kind == "retention":
            self.show_area("retention")
        elif kind == "backups":
            administration = self.show_area("administration")
            if isinstance(administration, AdministrationView):
                administration.show_backups()
