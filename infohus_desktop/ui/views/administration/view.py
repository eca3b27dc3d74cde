"""The *Administration* area: members, access groups, Infohus Kommuner and the settings, for
coordinators (who change them) and the data protection officer (who reads them).

Each tab reads its list on the worker when it is first shown and again whenever work
elsewhere changed members, groups or municipalities (``Area.ACCOUNTS``).
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.views.administration.backups_tab import BackupsTab
from infohus_desktop.ui.views.administration.groups_tab import GroupsTab
from infohus_desktop.ui.views.administration.members_tab import MembersTab
from infohus_desktop.ui.views.administration.municipalities_tab import MunicipalitiesTab
from infohus_desktop.ui.views.administration.settings_tab import SettingsTab


class AdministrationView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("administrationView")
        self.ctx = ctx
        self.members = MembersTab(ctx)
        self.groups = GroupsTab(ctx)
        self.municipalities = MunicipalitiesTab(ctx)
        self.settings = SettingsTab(ctx)
        self.backups = BackupsTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("administrationTabs")
        self.tabs.addTab(self.members, tr("Medlemmer", "Members"))
        self.tabs.addTab(self.groups, tr("Adgangskredse", "Access groups"))
        self.tabs.addTab(self.municipalities, tr("Infohus Kommuner", "Infohus Kommuner"))
        self.tabs.addTab(self.settings, tr("Indstillinger", "Settings"))
        self.tabs.addTab(self.backups, tr("Sikkerhedskopier", "Backups"))
        self.tabs.currentChanged.connect(lambda _i: self._load_current())
        self._loaded: set[int] = set()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.tabs)
        ctx.changes.subscribe(self, [Area.ACCOUNTS, Area.CASES], self._changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self._load_current()

    def _load_current(self) -> None:
        index = self.tabs.currentIndex()
        if index in self._loaded or not self.isVisible():
            return
        self._loaded.add(index)
        tab = self.tabs.widget(index)
        if isinstance(tab, MembersTab | GroupsTab | MunicipalitiesTab | SettingsTab | BackupsTab):
            tab.reload()

    def show_backups(self) -> None:
        self.tabs.setCurrentWidget(self.backups)

    def _changed(self, _changes: Changes) -> None:
        """Everything is read again: the shown tab now, the others when next shown."""
        self._loaded.clear()
        self._load_current()
