"""Every `infohus` command that reads or changes vault data has its place in the window, or
is in the table of command-line-only commands with the reason (issue 14).

The test walks the CLI's whole argparse tree. Each leaf command must appear in exactly one
of the two tables. A place in the window is named by the UI module and a string that module
must contain (an object name, an action key): if the control is renamed or removed, the
test fails here, not in a user's hands.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from infohus_desktop.cli import build_parser

UI = Path(__file__).resolve().parents[2] / "infohus_desktop" / "ui"

#: command → (module under infohus_desktop/ui, text the module contains).
IN_THE_WINDOW: dict[str, tuple[str, str]] = {
    "init": ("dialogs/accounts/new_vault.py", '"newVaultWizard"'),
    "vault info": ("views/administration/settings_tab.py", '"rootFingerprint"'),
    "vault trust": ("dialogs/accounts/account.py", '"trustRootDialog"'),
    "vault upgrade": ("views/overview/upgrade_box.py", '"upgradeVault"'),
    "vault accept-restore": ("pages/unlock.py", '"acceptRestore"'),
    "municipality add": ("views/administration/municipalities_tab.py", '"newMunicipality"'),
    "municipality list": ("views/administration/municipalities_tab.py", '"municipalityTable"'),
    "municipality rename": (
        "views/administration/municipalities_tab.py",
        '"renameMunicipality"',
    ),
    "municipality prefix": ("views/administration/municipalities_tab.py", '"changePrefix"'),
    "member add": ("views/administration/members_tab.py", '"addMember"'),
    "member list": ("views/administration/members_tab.py", '"memberTable"'),
    "member remove": ("views/administration/members_tab.py", '"removeMember"'),
    "member passphrase": ("dialogs/accounts/account.py", '"changePassphraseDialog"'),
    "member role": ("views/administration/members_tab.py", '"changeRole"'),
    "member reset": ("views/administration/members_tab.py", '"resetPassphrase"'),
    "group add": ("views/administration/groups_tab.py", '"newGroup"'),
    "group list": ("views/administration/groups_tab.py", '"groupTable"'),
    "group add-member": ("views/administration/groups_tab.py", '"addGroupMember"'),
    "group remove-member": ("views/administration/groups_tab.py", '"removeGroupMember"'),
    "group keys": ("views/administration/groups_tab.py", '("Venter på nøgle"'),
    "group rename": ("views/administration/groups_tab.py", '"renameGroup"'),
    "case add": ("views/cases/workspace.py", '"newCase"'),
    "case list": ("views/cases/case_table.py", '"caseTable"'),
    "case show": ("views/cases/case_view.py", '"caseTabs"'),
    "case screen": ("views/cases/case_view.py", '("screen"'),
    "case status": ("views/cases/case_view.py", '("status"'),
    "case assess": ("views/cases/case_view.py", '("assess"'),
    "case measure": ("views/cases/measures_tab.py", '"newMeasure"'),
    "case journal": ("views/cases/case_view.py", '("journal"'),
    "case disclose": ("views/cases/case_view.py", '("disclose"'),
    "case attach add": ("views/cases/attachments_tab.py", '"addAttachment"'),
    "case attach list": ("views/cases/attachments_tab.py", '"attachmentsTab"'),
    "case attach get": ("views/cases/attachments_tab.py", '"saveAttachment"'),
    "case attach remove": ("views/cases/attachments_tab.py", '"removeAttachment"'),
    "case move": ("views/cases/case_view.py", '"move"'),
    "case edit": ("views/cases/case_view.py", '("edit"'),
    "case information": ("views/cases/case_view.py", '"information"'),
    "case assessments": ("views/cases/assessment_tab.py", '"assessmentHistory"'),
    "case indicators": ("views/administration/settings_tab.py", '"loadIndicators"'),
    "case categories": ("views/administration/settings_tab.py", '"saveCategories"'),
    "case hold": ("views/retention/view.py", '"holdCase"'),
    "case release-hold": ("views/retention/view.py", '"releaseHold"'),
    "case delete": ("views/retention/view.py", '"deleteCase"'),
    "case transfer": ("views/cases/case_view.py", '"transfer"'),
    "retention rules": ("views/retention/view.py", '"editRules"'),
    "retention due": ("views/retention/view.py", '"dueTable"'),
    "retention delete-due": ("views/retention/view.py", '"deleteDue"'),
    "retention deleted": ("views/retention/view.py", '"deletedTable"'),
    "insight": ("views/supervision/view.py", '"insightReport"'),
    "meeting list": ("views/meetings/workspace.py", '"meetingListPage"'),
    "meeting show": ("views/meetings/meeting_view.py", '"meetingTabs"'),
    "meeting agenda": ("views/meetings/meeting_view.py", '"printMenu"'),
    "meeting minutes": ("views/meetings/meeting_view.py", '"printMenu"'),
    "meeting ics": ("views/meetings/meeting_view.py", '"ics"'),
    "meeting add": ("views/meetings/workspace.py", '"newMeeting"'),
    "meeting item add": ("views/meetings/agenda_tab.py", '"addItemAction"'),
    "meeting notes": ("views/meetings/item_panel.py", '"itemNotes"'),
    "meeting decision": ("dialogs/meetings/meeting_items.py", '"decisionKind"'),
    "meeting action add": ("dialogs/meetings/meeting_items.py", '"actionDeadline"'),
    "meeting action list": ("views/meetings/action_items.py", '"actionItemsView"'),
    "meeting action close": ("views/meetings/action_items.py", '"closeActionItemAction"'),
    "meeting attend": ("views/meetings/participants_tab.py", '"attendanceSummary"'),
    "meeting held": ("views/meetings/meeting_view.py", '("hold"'),
    "meeting approve": ("views/meetings/meeting_view.py", '"approve"'),
    "meeting send": ("views/meetings/meeting_view.py", '"send"'),
    "meeting addendum": ("views/meetings/meeting_view.py", '"addendum"'),
    "trend add": ("views/trends/workspace.py", '"newTrend"'),
    "trend edit": ("views/trends/note_view.py", '"editTrendNote"'),
    "trend list": ("views/trends/workspace.py", '"trendTable"'),
    "trend show": ("views/trends/note_view.py", '"trendNoteView"'),
    "trend link": ("views/trends/note_view.py", '"linkTrendNote"'),
    "trend access": ("views/trends/note_view.py", '"trendAccess"'),
    "stats": ("views/statistics/view.py", '"statisticsTable"'),
    "referral add": ("views/referrals/case_tab.py", '"newReferral"'),
    "referral edit": ("views/referrals/referral_pane.py", '"editReferral"'),
    "referral list": ("views/referrals/workspace.py", '"referralSearch"'),
    "referral show": ("views/referrals/referral_pane.py", '"referralPane"'),
    "referral status": ("views/referrals/referral_pane.py", "ACTION_LABELS[step]"),
    "referral pdf": ("views/referrals/referral_pane.py", '"referralPdf"'),
    "referral form show": ("views/referrals/workspace.py", '"configureForm"'),
    "referral form set": ("views/referrals/workspace.py", '"configureForm"'),
    "referral form reset": (
        "dialogs/referrals/referral_form_config.py",
        '"restoreDefaultForm"',
    ),
    "referral export": ("views/referrals/referral_pane.py", '"exportBundle"'),
    "bundle import": ("views/referrals/workspace.py", '"importBundle"'),
    "bundle inspect": ("dialogs/referrals/bundle_import.py", "inspect_file"),
    "bundle incoming": ("views/referrals/incoming_files.py", '"incomingFiles"'),
    "keys export-public": ("views/referrals/workspace.py", '"exportPublicKey"'),
    "recipient add": ("dialogs/referrals/recipients.py", '"addRecipient"'),
    "recipient list": ("views/administration/settings_tab.py", '"adminRecipients"'),
    "backup create": ("views/administration/backups_tab.py", '"createBackup"'),
    "backup verify": ("views/administration/backups_tab.py", '"verifyBackup"'),
    "backup restore": ("dialogs/backups/restore.py", '"restoreBackupDialog"'),
    "backup drill": ("views/administration/backups_tab.py", '"drillBackup"'),
    "backup status": ("views/administration/backups_tab.py", '"backupReminderDays"'),
    "backup inspect": ("dialogs/backups/restore.py", "inspect_file"),
    "audit verify": ("views/supervision/view.py", '"verifyAudit"'),
    "audit list": ("views/supervision/view.py", '"auditTable"'),
    "audit prune": ("views/supervision/view.py", '"pruneAudit"'),
}

#: command → why it stays on the command line.
COMMAND_LINE_ONLY: dict[str, str] = {
    "selftest": "a check of the cryptography for support and the frozen build's smoke test",
    "gui": "starts the window itself",
    "demo": "builds a synthetic vault for trying the program; the window's welcome page "
    "has its own 'Prøv demoen' button",
    "server init": "the server administrator's setup, with a superuser's connection on the "
    "server, not a member's work (docs/SERVER.md)",
    "server migrate": "the same administrator updates the server's schema as its owner role; "
    "the window says when that is due",
}


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _leaves(sub, (*prefix, name))
            return
    yield " ".join(prefix)


def test_every_command_has_a_place_in_the_window_or_a_reason() -> None:
    commands = set(_leaves(build_parser()))
    missing = sorted(commands - IN_THE_WINDOW.keys() - COMMAND_LINE_ONLY.keys())
    assert not missing, f"commands with neither a place in the window nor a reason: {missing}"
    both = sorted(IN_THE_WINDOW.keys() & COMMAND_LINE_ONLY.keys())
    assert not both, f"in both tables: {both}"
    gone = sorted((IN_THE_WINDOW.keys() | COMMAND_LINE_ONLY.keys()) - commands)
    assert not gone, f"in a table but not a command any more: {gone}"


def test_every_place_named_exists() -> None:
    wrong = []
    for command, (module, needle) in IN_THE_WINDOW.items():
        path = UI / module
        if not path.is_file() or needle not in path.read_text(encoding="utf-8"):
            wrong.append(f"{command}: {needle} not in ui/{module}")
    assert not wrong, "\n".join(wrong)
