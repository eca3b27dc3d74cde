"""Administration → Adgangskredse: each group with its kind, key generation, members, who holds
its current key and who still waits for it ("venter på nøgle"); for coordinators a new group,
a new name, and members in and out."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.labels import GROUP_KIND_LABELS, group_name
from infohus_desktop.domain.members import GroupKind, Member
from infohus_desktop.domain.organisations import Organisation, Role
from infohus_desktop.services.accounts.group_admin import GroupDetail
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.administration.groups import (
    GroupMemberDialog,
    NewGroupDialog,
    TextDialog,
)
from infohus_desktop.ui.i18n import language, tr
from infohus_desktop.ui.views.administration.common import open_then
from infohus_desktop.ui.widgets.layout import action_button, hide_unless, hint
from infohus_desktop.ui.widgets.tables import fill, selected_data, table

HEADERS = (
    ("Adgangskreds", "Access group"),
    ("Type", "Kind"),
    ("Nøglegeneration", "Key generation"),
    ("Medlemmer", "Members"),
    ("Har nøglen", "Holds the key"),
    ("Venter på nøgle", "Waiting for the key"),
)
WAITING_COLOUR = QColor("#8a5300")

Loaded = tuple[list[GroupDetail], list[Member], list[Organisation]]


def _load(s: MemberServices) -> Loaded:
    return s.group_admin.details(), s.accounts.list(), s.accounts.organisations()


class GroupsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("groupsTab")
        self.ctx = ctx
        self.details: list[GroupDetail] = []
        self.members: list[Member] = []
        self.organisations: list[Organisation] = []
        self.coordinator = ctx.session.member.role == Role.COORDINATOR
        self.table: QTableWidget = table(
            "groupTable", tr("Adgangskredse", "Access groups"), HEADERS
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        # The key holders take the width that is left and wrap, so the whole row fits a
        # 1024-pixel window at 150 % without scrolling sideways.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.new_button = action_button("newGroup", "add", ("&Ny kreds …", "&New group …"))
        self.new_button.clicked.connect(self.new_group)
        self.rename_button = action_button("renameGroup", "edit", ("&Omdøb …", "Re&name …"))
        self.rename_button.clicked.connect(self.rename)
        self.add_button = action_button(
            "addGroupMember", "add", ("&Tilføj medlem …", "&Add member …")
        )
        self.add_button.clicked.connect(lambda: self.change_member(True))
        self.remove_button = action_button(
            "removeGroupMember", "close", ("Fjern &medlem …", "Remove &member …")
        )
        self.remove_button.clicked.connect(lambda: self.change_member(False))
        buttons = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.add_button, self.remove_button):
            hide_unless(self.coordinator, button)
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(
            hint(
                tr(
                    "En adgangskreds er dem, der kan læse dens sager. Nøglegenerationen stiger, "
                    "hver gang nogen forlader kredsen. Et medlem, der venter på nøglen, får den, "
                    "når en, der har den, låser op næste gang.",
                    "An access group is those who can read its cases. The key generation rises "
                    "each time someone leaves the group. A member waiting for the key gets it "
                    "when someone who holds it next unlocks.",
                )
            )
        )
        outer.addLayout(buttons)
        outer.addWidget(self.table, 1)
        self._update_buttons()

    def reload(self) -> None:
        self.ctx.run(_load, self._loaded, self)

    def _loaded(self, loaded: Loaded) -> None:
        self.details, self.members, self.organisations = loaded
        names = {m.login: m.name for m in self.members}

        def people(logins: tuple[str, ...]) -> str:
            return ", ".join(names.get(login, login) for login in logins)

        fill(
            self.table,
            [
                [
                    group_name(d.group.kind, d.group.name, language()),
                    tr(*GROUP_KIND_LABELS[d.group.kind]),
                    str(d.group.epoch),
                    str(len(d.members)),
                    people(d.holders),
                    people(d.waiting) or "–",
                ]
                for d in self.details
            ],
            [str(d.group.id) for d in self.details],
        )
        for row, detail in enumerate(self.details):
            if detail.waiting:
                cell = self.table.item(row, 5)
                if cell is not None:
                    cell.setForeground(WAITING_COLOUR)
        self._update_buttons()

    def selected(self) -> GroupDetail | None:
        group_id = selected_data(self.table)
        return next((d for d in self.details if str(d.group.id) == group_id), None)

    def _update_buttons(self) -> None:
        detail = self.selected()
        editable = detail is not None and detail.group.kind in (GroupKind.CUSTOM, GroupKind.LOCAL)
        self.rename_button.setEnabled(detail is not None and detail.group.kind == GroupKind.CUSTOM)
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and bool(detail and detail.members))

    def new_group(self) -> None:
        dialog = NewGroupDialog(self.ctx, self.members, self.organisations, self)
        open_then(dialog, self.reload)

    def rename(self) -> None:
        detail = self.selected()
        if detail is None:
            return
        current = str(detail.group.id)
        dialog = TextDialog(
            self.ctx,
            tr(f"Omdøb {detail.group.name}", f"Rename {detail.group.name}"),
            tr("&Nyt navn", "&New name"),
            detail.group.name,
            lambda s, name: s.group_admin.rename(current, name),
            parent=self,
        )
        open_then(dialog, self.reload)

    def change_member(self, adding: bool) -> None:
        detail = self.selected()
        if detail is None:
            return
        inside = set(detail.members)
        candidates = [
            m
            for m in self.members
            if m.active
            and (m.login not in inside if adding else m.login in inside)
            and (not adding or m.role != Role.DPO)
        ]
        dialog = GroupMemberDialog(
            self.ctx, str(detail.group.id), detail.group.name, candidates, adding, self
        )
        open_then(dialog, self.reload)
