"""The coordinator's dialogs for access groups and Infohus Kommuner: a new group with its
members and organisations, a member in or out of a group, one line of text (a new name, a
case-number prefix), and a new Infohus Kommune."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Organisation, Role, suggest_prefix
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import SavingDialog
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.widgets.layout import hint
from infohus_desktop.ui.widgets.tables import form


def _checklist(name: str, accessible: str, items: Sequence[tuple[str, str]]) -> QListWidget:
    """Rows with a check box each; ``items`` are (text, value)."""
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    for text, value in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMinimumHeight(120)
    return widget


def checked(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class NewGroupDialog(SavingDialog):
    """A custom access group ("kun politiet", a case shared with Kriminalforsorgen)."""

    def __init__(
        self,
        ctx: AppContext,
        members: list[Member],
        organisations: list[Organisation],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr("Ny adgangskreds", "New access group"),
            "newGroupDialog",
            tr("&Opret kreds", "&Create group"),
            parent,
        )
        self.name = QLineEdit()
        self.name.setObjectName("groupName")
        self.name.setAccessibleName(tr("Kredsens navn", "The group's name"))
        people = [
            (f"{m.name} ({m.login}, {m.organisation_name})", m.login)
            for m in members
            if m.active and m.role != Role.DPO
        ]
        self.members = _checklist("groupMembers", tr("Medlemmer", "Members"), people)
        self.organisations = _checklist(
            "groupOrganisations",
            tr("Organisationer", "Organisations"),
            [(o.name, o.name) for o in organisations],
        )
        fields = form()
        label = QLabel(tr("&Navn *", "&Name *"))
        label.setBuddy(self.name)
        fields.addRow(label, self.name)
        members_label = QLabel(tr("&Medlemmer", "&Members"))
        members_label.setBuddy(self.members)
        fields.addRow(members_label, self.members)
        orgs_label = QLabel(tr("Hele &organisationer", "Whole &organisations"))
        orgs_label.setBuddy(self.organisations)
        fields.addRow(orgs_label, self.organisations)
        self.body.addWidget(
            hint(
                tr(
                    "Kun medlemmerne af kredsen kan læse dens sager. En hel organisation tager "
                    "dens koordinatorer og medlemmer med, også dem der kommer til senere. Du er "
                    "ikke selv med, medmindre du sætter kryds ved dig.",
                    "Only the group's members can read its cases. A whole organisation brings "
                    "its coordinators and members, also those who join later. You are not in it "
                    "yourself unless you tick your name.",
                )
            )
        )
        self.body.addLayout(fields)
        self.finish()
        self.setMinimumWidth(560)

    def submit(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.show_problem(tr("Kredsen skal have et navn.", "The group needs a name."))
            return
        logins, orgs = checked(self.members), checked(self.organisations)
        self.save(lambda s: s.groups.add(name, logins, orgs), lambda _g: self.finish_saved())


class GroupMemberDialog(SavingDialog):
    """Put one member into a group, or take one out (a new key for the rest). ``group`` is
    its id (what the service finds it by), ``group_name`` what the title shows."""

    def __init__(
        self,
        ctx: AppContext,
        group: str,
        group_name: str,
        candidates: list[Member],
        adding: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            tr(f"Tilføj medlem til {group_name}", f"Add a member to {group_name}")
            if adding
            else tr(f"Fjern medlem fra {group_name}", f"Remove a member from {group_name}"),
            "groupMemberDialog",
            tr("&Tilføj", "&Add") if adding else tr("&Fjern", "&Remove"),
            parent,
        )
        self.group, self.adding = group, adding
        self.member = QComboBox()
        self.member.setObjectName("groupMember")
        self.member.setAccessibleName(tr("Medlem", "Member"))
        for m in candidates:
            self.member.addItem(f"{m.name} ({m.login}, {m.organisation_name})", m.login)
        fields = form()
        label = QLabel(tr("&Medlem", "&Member"))
        label.setBuddy(self.member)
        fields.addRow(label, self.member)
        self.body.addLayout(fields)
        self.body.addWidget(
            hint(
                tr(
                    "Medlemmet får kredsens nøgle nu, hvis du selv har den; ellers når en anden "
                    "i kredsen låser op næste gang.",
                    "The member gets the group's key now if you hold it; otherwise when another "
                    "member of the group next unlocks.",
                )
                if adding
                else tr(
                    "Kredsen får en ny nøgle, som medlemmet ikke får. Hvad medlemmet allerede "
                    "har læst, kan ikke tages tilbage.",
                    "The group gets a new key the member does not get. What the member has "
                    "already read cannot be taken back.",
                )
            )
        )
        self.finish()
        self.ok_button.setEnabled(self.member.count() > 0)
        self.setMinimumWidth(480)

    def submit(self) -> None:
        group, login = self.group, str(self.member.currentData())
        if self.adding:
            self.save(lambda s: s.groups.add_member(group, login), lambda _c: self.finish_saved())
        else:
            self.save(
                lambda s: s.groups.remove_member(group, login), lambda _c: self.finish_saved()
            )


class TextDialog(SavingDialog):
    """One line of text saved through ``call`` (a new name, a prefix)."""

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        label: str,
        value: str,
        call: Callable[[MemberServices, str], object],
        explanation: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, title, "textDialog", tr("&Gem", "&Save"), parent)
        self.call = call
        self.field = QLineEdit(value)
        self.field.setObjectName("textValue")
        self.field.setAccessibleName(label.replace("&", ""))
        self.field.selectAll()
        fields = form()
        caption = QLabel(label)
        caption.setBuddy(self.field)
        fields.addRow(caption, self.field)
        self.body.addLayout(fields)
        if explanation:
            self.body.addWidget(hint(explanation))
        self.finish()
        self.setMinimumWidth(460)

    def submit(self) -> None:
        text, call = self.field.text().strip(), self.call
        if not text:
            self.show_problem(tr("Skriv en værdi.", "Type a value."))
            return
        self.save(lambda s: call(s, text), lambda _r: self.finish_saved())


class NewMunicipalityDialog(SavingDialog):
    """A municipality of the district, with its Infohus Kommune and access group."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            tr("Ny Infohus Kommune", "New Infohus Kommune"),
            "newMunicipalityDialog",
            tr("&Opret", "&Add"),
            parent,
        )
        self.name = QLineEdit()
        self.name.setObjectName("municipalityName")
        self.name.setAccessibleName(tr("Kommunens navn", "The municipality's name"))
        self.name.setPlaceholderText("Silkeborg Kommune")
        self.prefix = QLineEdit()
        self.prefix.setObjectName("municipalityPrefix")
        self.prefix.setAccessibleName(tr("Sagspræfiks", "Case prefix"))
        self.prefix.setMaxLength(8)
        self._prefix_typed = False
        self.prefix.textEdited.connect(lambda _t: setattr(self, "_prefix_typed", True))
        self.name.textChanged.connect(self._suggest)
        fields = form()
        for text, widget in (
            (tr("&Kommune *", "&Municipality *"), self.name),
            (tr("Sags&præfiks *", "Case &prefix *"), self.prefix),
        ):
            caption = QLabel(text)
            caption.setBuddy(widget)
            fields.addRow(caption, widget)
        self.body.addLayout(fields)
        self.body.addWidget(
            hint(
                tr(
                    "Kommunens og politiets koordinatorer og medlemmer kommer i Infohus "
                    "Kommunens adgangskreds. Sagsnumrene begynder med præfikset (SIL-2026-0001).",
                    "The coordinators and members of the municipality and of the police join "
                    "the Infohus Kommune's access group. Case numbers start with the prefix "
                    "(SIL-2026-0001).",
                )
            )
        )
        self.finish()
        self.setMinimumWidth(480)

    def _suggest(self, name: str) -> None:
        if not self._prefix_typed:
            self.prefix.setText(suggest_prefix(name) if name.strip() else "")

    def submit(self) -> None:
        name, prefix = self.name.text().strip(), self.prefix.text().strip()
        if not name or not prefix:
            self.show_problem(tr("Udfyld kommune og præfiks.", "Fill in municipality and prefix."))
            return
        self.save(lambda s: s.groups.add_municipality(name, prefix), lambda _l: self.finish_saved())
