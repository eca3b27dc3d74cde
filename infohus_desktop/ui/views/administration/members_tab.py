"""Administration → Medlemmer: every member with organisation, role, status and last unlock;
for coordinators the enrolment, a new role, a passphrase reset and the removal. The DPO sees
the list and nothing to press."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.labels import ROLE_LABELS
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Organisation, Role
from infohus_desktop.services.accounts.members import Enrolment, Removal
from infohus_desktop.services.accounts.reset import PassphraseReset, server_acceptance
from infohus_desktop.services.accounts.roster import RosterEntry
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.administration.members import (
    FirstPassphraseDialog,
    NewMemberDialog,
    RoleDialog,
)
from infohus_desktop.ui.i18n import fmt_datetime, tr
from infohus_desktop.ui.views.administration.common import open_then
from infohus_desktop.ui.widgets.layout import action_button, hide_unless, hint
from infohus_desktop.ui.widgets.question import ask
from infohus_desktop.ui.widgets.tables import fill, selected_data, table

HEADERS = (
    ("Navn", "Name"),
    ("Brugernavn", "Login"),
    ("Organisation", "Organisation"),
    ("Rolle", "Role"),
    ("Status", "Status"),
    ("Sidst låst op", "Last unlock"),
    ("Kredse", "Groups"),
)


def status_text(entry: RosterEntry) -> str:
    if not entry.member.active:
        return tr("Fjernet", "Removed")
    if entry.member.must_change_passphrase:
        return tr("Venter på første oplåsning", "Waiting for first unlock")
    return tr("Aktiv", "Active")


class MembersTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("membersTab")
        self.ctx = ctx
        self.entries: list[RosterEntry] = []
        self.coordinator = ctx.session.member.role == Role.COORDINATOR
        self.table: QTableWidget = table("memberTable", tr("Medlemmer", "Members"), HEADERS)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.show_removed = QCheckBox(tr("Vis &fjernede", "Show &removed"))
        self.show_removed.setObjectName("showRemoved")
        self.show_removed.toggled.connect(lambda _on: self._show())
        self.add_button = action_button("addMember", "add", ("&Nyt medlem …", "&New member …"))
        self.add_button.clicked.connect(self.add_member)
        self.role_button = action_button("changeRole", "edit", ("Skift &rolle …", "Change &role …"))
        self.role_button.clicked.connect(self.change_role)
        self.reset_button = action_button(
            "resetPassphrase", "lock", ("Nulstil &adgangsfrase …", "Reset &passphrase …")
        )
        self.reset_button.clicked.connect(self.reset_passphrase)
        self.remove_button = action_button("removeMember", "close", ("&Fjern …", "&Remove …"))
        self.remove_button.clicked.connect(self.remove_member)
        self.count = QLabel()
        self.count.setObjectName("memberCount")

        buttons = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.reset_button, self.remove_button):
            hide_unless(self.coordinator, button)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_removed)
        outer = QVBoxLayout(self)
        outer.addWidget(
            hint(
                tr(
                    "Hvem der kan låse boksen op, fra hvilken organisation og i hvilken rolle. "
                    "Sidst låst op kommer fra revisionsloggen.",
                    "Who can unlock the vault, from which organisation and in which role. "
                    "Last unlock comes from the audit log.",
                )
                if self.coordinator
                else tr(
                    "Medlemmerne og deres roller (kun til læsning for databeskyttelsesrådgiveren).",
                    "The members and their roles (read only for the data protection officer).",
                )
            )
        )
        outer.addLayout(buttons)
        outer.addWidget(self.table, 1)
        outer.addWidget(self.count)
        self._update_buttons()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.ctx.run(lambda s: s.accounts.roster(), self._loaded, self)

    def _loaded(self, entries: list[RosterEntry]) -> None:
        self.entries = entries
        self._show()

    def _shown_entries(self) -> list[RosterEntry]:
        if self.show_removed.isChecked():
            return self.entries
        return [e for e in self.entries if e.member.active]

    def _show(self) -> None:
        shown = self._shown_entries()
        fill(
            self.table,
            [
                [
                    e.member.name,
                    e.member.login,
                    e.member.organisation_name,
                    tr(*ROLE_LABELS[e.member.role]),
                    status_text(e),
                    fmt_datetime(e.last_unlock) if e.last_unlock else "–",
                    str(e.groups),
                ]
                for e in shown
            ],
            [e.member.login for e in shown],
        )
        active = sum(1 for e in self.entries if e.member.active)
        self.count.setText(tr(f"{active} aktive medlemmer", f"{active} active members"))
        self._update_buttons()

    def selected(self) -> RosterEntry | None:
        login = selected_data(self.table)
        return next((e for e in self.entries if e.member.login == login), None)

    def _update_buttons(self) -> None:
        entry = self.selected()
        me = self.ctx.session.member.id
        other_active = entry is not None and entry.member.active and entry.member.id != me
        for button in (self.role_button, self.reset_button, self.remove_button):
            button.setEnabled(other_active)

    # -- actions ------------------------------------------------------------------------------

    def add_member(self) -> None:
        self.ctx.run(lambda s: s.accounts.organisations(), self._ask_new_member, self)

    def _ask_new_member(self, organisations: list[Organisation]) -> None:
        dialog = NewMemberDialog(self.ctx, organisations, self)

        def added() -> None:
            enrolment: Enrolment | None = dialog.enrolment
            if enrolment is not None:
                self._show_passphrase(enrolment.member, dialog.passphrase, False, 0)
            self.reload()

        dialog.accepted.connect(added)
        dialog.open()

    def _show_passphrase(self, member: Member, passphrase: str, reset: bool, waiting: int) -> None:
        shown = FirstPassphraseDialog(self.ctx, member, passphrase, reset, waiting, self)
        shown.open()

    def change_role(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        dialog = RoleDialog(self.ctx, entry.member, self)
        open_then(dialog, self.reload)

    def reset_passphrase(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        member, login = entry.member, entry.member.login

        def reset() -> None:
            self.ctx.run(lambda s: s.accounts.reset_passphrase(login), self._was_reset, self)

        ask(
            self,
            "confirmReset",
            tr("Nulstil adgangsfrase", "Reset passphrase"),
            tr(
                f"Nulstil adgangsfrasen for {member.name}?",
                f"Reset the passphrase of {member.name}?",
            ),
            tr("&Nulstil", "&Reset"),
            reset,
            warning=True,
            detail=tr(
                "Medlemmet får nye nøgler og en ny første adgangsfrase, som du giver personligt. "
                "Den gamle adgangsfrase holder op med at virke. Adgangskredsene deles med "
                "medlemmet igen: nu de kredse, hvis nøgle du har, de andre når en anden i "
                "kredsen låser op. Er en computer eller adgangsfrasen stjålet, så fjern "
                "medlemmet i stedet og opret det igen.",
                "The member gets new keys and a new first passphrase that you hand over in "
                "person. The old passphrase stops working. The access groups are shared with "
                "the member again: now for the groups whose key you hold, the others when "
                "another member of the group unlocks. If a computer or the passphrase was "
                "stolen, remove the member instead and enrol them again.",
            ),
        )

    def _was_reset(self, result: PassphraseReset) -> None:
        guard = self.ctx.session.vault.guard_status
        server = server_acceptance(guard is not None and guard.active, result.member.id)
        shown = FirstPassphraseDialog(
            self.ctx, result.member, result.passphrase, True, result.waiting, self
        )
        if server is not None:
            shown.add_note(tr(*server))
        shown.open()
        self.reload()

    def remove_member(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        member, login, groups = entry.member, entry.member.login, entry.groups

        def remove() -> None:
            self.ctx.run(lambda s: _remove(s, login), lambda _r: self.reload(), self)

        ask(
            self,
            "confirmRemove",
            tr("Fjern medlem", "Remove member"),
            tr(f"Fjern {member.name} ({login})?", f"Remove {member.name} ({login})?"),
            tr("&Fjern medlemmet", "&Remove the member"),
            remove,
            warning=True,
            detail=tr(
                f"{member.name} kan ikke låse op mere. {groups} adgangskredse får ny nøgle, "
                "så intet nyt i dem kan læses med de gamle. Det, medlemmet har skrevet, bliver "
                "i sagerne.",
                f"{member.name} can no longer unlock. {groups} access groups get a new key, so "
                "nothing new in them can be read with the old ones. What the member wrote "
                "stays in the cases.",
            ),
        )


def _remove(s: MemberServices, login: str) -> Removal:
    return s.accounts.remove(login)
