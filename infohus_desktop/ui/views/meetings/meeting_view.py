"""One opened meeting: a header with its facts and actions, and three tabs: agenda and minutes,
participants (attendance), addenda.

The meeting is read on the worker (``session.meetings.get``: audited, case items withheld for
a reader outside the case's group) and fetched again after every change, keeping the tab and
the chosen item. Who may do what follows the service's rules, so no button is offered that
would only be refused: coordinators plan and edit; the chair, the minute taker and the
coordinators write the agenda and minutes; the chair approves. After approval the whole view
is read-only and a line says who approved it and when; corrections are addenda.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.labels import MEETING_STATUS_LABELS
from infohus_desktop.domain.meetings import Meeting, MeetingStatus
from infohus_desktop.domain.organisations import Role
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.meetings.meeting_plan import MeetingPlanDialog
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.labels import label
from infohus_desktop.ui.views.meetings import printing
from infohus_desktop.ui.views.meetings.addenda_tab import AddendaTab
from infohus_desktop.ui.views.meetings.agenda_tab import AgendaTab
from infohus_desktop.ui.views.meetings.meeting_rights import (
    MeetingRights,
    approval_notice,
    facts_text,
)
from infohus_desktop.ui.views.meetings.participants_tab import ParticipantsTab
from infohus_desktop.ui.widgets.layout import heading
from infohus_desktop.ui.widgets.question import ask

_STATUS_COLOURS = {
    MeetingStatus.PLANNED: "#e3ecf7",
    MeetingStatus.HELD: "#fdf1d6",
    MeetingStatus.APPROVED: "#dcefdc",
    MeetingStatus.SENT: "#e6e6e6",
}


class MeetingView(QWidget):
    #: The meeting changed (its summary in the list may be stale).
    changed = Signal()
    #: The user wants the list back.
    back_requested = Signal()

    def __init__(
        self, ctx: AppContext, meeting_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meetingView")
        self.ctx = ctx
        self.meeting_id = meeting_id
        self.meeting: Meeting | None = None
        #: A step (hold, approve) waiting for the saves it started to come back.
        self._after_reload: Callable[[], None] | None = None
        self.today: Callable[[], date] = date.today
        member = ctx.session.member
        self.me = member.id
        self.coordinator = member.role is Role.COORDINATOR

        self.back = QToolButton()
        self.back.setObjectName("backToMeetings")
        self.back.setText(tr("← Møder", "← Meetings"))
        self.back.setAccessibleName(tr("Tilbage til mødelisten", "Back to the meeting list"))
        self.back.setToolTip(
            tr("Tilbage til mødelisten (Alt+Venstre)", "Back to the list (Alt+Left)")
        )
        self.back.setShortcut(QKeySequence("Alt+Left"))
        self.back.clicked.connect(self.leave)
        self.title = heading(tr("Henter mødet …", "Loading the meeting …"))
        self.title.setObjectName("meetingTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel()
        self.status.setObjectName("meetingStatus")
        self.facts = QLabel()
        self.facts.setObjectName("meetingFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.notice = QLabel()
        self.notice.setObjectName("meetingNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()

        self.meeting_actions: dict[str, QAction] = {}
        self.action_buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setSpacing(4)
        self.print_menu = QMenu(self)
        self.print_menu.setObjectName("printMenu")
        for key, text, icon_name, keys, slot in (
            ("edit", ("Redigér møde …", "Edit meeting …"), "edit", "Ctrl+E", self.edit),
            (
                "ics",
                ("Invitation (.ics) …", "Invitation (.ics) …"),
                "open",
                "Ctrl+Shift+I",
                self.export_ics,
            ),
            ("hold", ("Marker som afholdt", "Mark as held"), "status", "Ctrl+Shift+H", self.hold),
            (
                "approve",
                ("Godkend referat …", "Approve minutes …"),
                "status",
                "Ctrl+Shift+G",
                self.approve,
            ),
            (
                "send",
                ("Marker som udsendt", "Mark as sent"),
                "status",
                "Ctrl+Shift+U",
                self.mark_sent,
            ),
            (
                "addendum",
                ("Tilføj tillæg …", "Add addendum …"),
                "add",
                "Ctrl+Shift+T",
                self.add_addendum,
            ),
        ):
            action = self._action(key, text, icon_name, keys, slot)
            button = QToolButton()
            button.setObjectName(f"{key}MeetingButton")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAccessibleName(tr(*text))
            bar.addWidget(button)
            # Shown once the meeting says which steps apply: six labelled buttons at once
            # would widen the window beyond 1024 pixels while the meeting loads.
            button.setVisible(key == "ics")
            self.action_buttons[key] = button
        for key, text, keys, slot in (
            ("agendaPdf", ("Dagsorden (PDF) …", "Agenda (PDF) …"), "Ctrl+P", self.agenda_pdf),
            (
                "minutesPdf",
                ("Referat (PDF) …", "Minutes (PDF) …"),
                "Ctrl+Shift+P",
                self.minutes_pdf,
            ),
            (
                "minutesNames",
                ("Referat med navne …", "Minutes with names …"),
                "",
                self.minutes_with_names,
            ),
        ):
            self.print_menu.addAction(self._action(key, text, None, keys, slot))
        self.print_button = QToolButton()
        self.print_button.setObjectName("printMeetingButton")
        self.print_button.setText(tr("Udskriv", "Print"))
        self.print_button.setAccessibleName(tr("Udskriv dagsorden eller referat", "Print"))
        self.print_button.setToolTip(
            tr(
                "Dagsorden (Ctrl+P) eller referat (Ctrl+Shift+P)",
                "Agenda (Ctrl+P) or minutes (Ctrl+Shift+P)",
            )
        )
        self.print_button.setMenu(self.print_menu)
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar.addWidget(self.print_button)
        bar.addStretch()
        reload = self._action("reload", ("Hent igen", "Reload"), "refresh", "F5", self.reload)
        reload_button = QToolButton()
        reload_button.setObjectName("reloadMeetingButton")
        reload_button.setDefaultAction(reload)
        reload_button.setAccessibleName(tr("Hent mødet igen", "Reload the meeting"))
        bar.addWidget(reload_button)

        self.agenda = AgendaTab(ctx)
        self.participants = ParticipantsTab(ctx)
        self.addenda = AddendaTab(ctx)
        for tab in (self.agenda, self.participants, self.addenda):
            tab.changed.connect(self.reload)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("meetingTabs")
        self.tabs.addTab(self.agenda, tr("&Dagsorden og referat", "&Agenda and minutes"))
        self.tabs.addTab(self.participants, tr("De&ltagere", "&Participants"))
        self.tabs.addTab(self.addenda, tr("T&illæg", "Add&enda"))

        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.addLayout(top)
        outer.addWidget(self.facts)
        outer.addLayout(bar)
        outer.addWidget(self.notice)
        outer.addWidget(self.tabs, 1)
        self.tabs.setEnabled(False)
        # Tab order: back, the actions, then the tab bar before what the tab shows.
        QWidget.setTabOrder(reload_button, self.tabs.tabBar())
        QWidget.setTabOrder(self.tabs.tabBar(), self.agenda.table)
        QWidget.setTabOrder(self.agenda.table, self.agenda.add_button)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its tab bar takes the focus
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.reload()

    def _action(
        self,
        key: str,
        text: tuple[str, str],
        icon_name: str | None,
        keys: str,
        slot: Callable[[], None],
    ) -> QAction:
        action = QAction(tr(*text), self)
        if icon_name:
            action.setIcon(icon(icon_name))
        action.setObjectName(f"{key}Action")
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tr(*text)} ({native})")
        action.triggered.connect(slot)
        action.setEnabled(False)
        self.addAction(action)
        self.meeting_actions[key] = action
        return action

    # -- loading --------------------------------------------------------------------------

    def reload(self) -> None:
        meeting_id = self.meeting_id
        self.ctx.run(lambda s: s.meetings.get(meeting_id), self.show_meeting, self, self._failed)

    def _failed(self, exc: InfohusError) -> None:
        self.title.setText(tr("Mødet kunne ikke hentes", "The meeting could not be read"))
        show_error(self.ctx.window, exc)

    def show_meeting(self, meeting: Meeting) -> None:
        first = self.meeting is None
        self.meeting = meeting
        summary = meeting.summary
        rights = MeetingRights.of(meeting, self.me, self.coordinator)
        self.title.setText(summary.title)
        self.status.setText(label(MEETING_STATUS_LABELS, summary.status))
        colour = _STATUS_COLOURS.get(summary.status, "#e6e6e6")
        self.status.setStyleSheet(
            f"padding: 2px 8px; border-radius: 8px; background: {colour}; color: #1b2a3a;"
        )
        self.facts.setText(facts_text(meeting))
        self.notice.setVisible(meeting.status.locked)
        if meeting.status.locked:
            self.notice.setText(approval_notice(meeting))
        for key, action in self.meeting_actions.items():
            action.setEnabled(rights.actions.get(key, False))
        for key, button in self.action_buttons.items():
            # The lifecycle steps that do not apply now are not shown at all.
            button.setVisible(key == "ics" or rights.actions.get(key, False))
        today = self.today()
        self.agenda.show_meeting(meeting, rights.can_write, rights.can_write, today)
        self.participants.show_meeting(meeting, rights.can_write, rights.can_plan)
        self.addenda.show_meeting(meeting, rights.can_add_addendum)
        people, addenda = len(meeting.participants), len(meeting.addenda)
        self.tabs.setTabText(1, tr(f"De&ltagere ({people})", f"&Participants ({people})"))
        self.tabs.setTabText(2, tr(f"T&illæg ({addenda})", f"Add&enda ({addenda})"))
        self.tabs.setEnabled(True)
        step, self._after_reload = self._after_reload, None
        if step is not None:
            step()
        if first:
            self.agenda.focus_agenda()
        else:
            self.changed.emit()

    # -- actions --------------------------------------------------------------------------

    def save_pending(self) -> bool:
        """Store what was typed or ticked and not yet saved (notes, attendance): leaving the
        meeting must not lose it. The saves run on the worker even if the view is gone.
        True when something was saved (the meeting's version then changes)."""
        saved = False
        if self.agenda.panel.notes_dirty:
            self.agenda.panel.save_notes()
            saved = True
        if self.participants.dirty:
            self.participants.save_attendance()
            saved = True
        return saved

    def _then_after_saving(self, step: Callable[[], None]) -> bool:
        """Save what is pending first; ``step`` runs again once the saved meeting (with its
        new version) has been fetched. False when nothing was pending."""
        if not self.save_pending():
            return False
        self._after_reload = step
        return True

    def leave(self) -> None:
        self.save_pending()
        self.back_requested.emit()

    def edit(self) -> None:
        if self.meeting is None:
            return

        dialog = MeetingPlanDialog(self.ctx, self.meeting, self)
        dialog.accepted.connect(lambda: self.show_meeting(dialog.saved) if dialog.saved else None)
        dialog.open()

    def export_ics(self) -> None:
        if self.meeting is not None:
            printing.export_ics(self.ctx, self.meeting, self, self._ics_saved)

    def _ics_saved(self, path: Path) -> None:
        self.say(tr(f"Invitationen er gemt i {path}.", f"The invitation is saved in {path}."))

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()

    def hold(self) -> None:
        if self.meeting is None or self._then_after_saving(self.hold):
            return
        meeting_id, version = self.meeting.id, self.meeting.version
        self.ctx.run(lambda s: s.meetings.mark_held(meeting_id, version), self.show_meeting, self)

    def approve(self) -> None:
        if self.meeting is None or self._then_after_saving(self.approve):
            return
        meeting_id, version = self.meeting.id, self.meeting.version
        ask(
            self,
            "approveQuestion",
            tr("Godkend referat", "Approve minutes"),
            tr(
                "Godkend referatet? Derefter er det låst; rettelser kan kun tilføjes som tillæg.",
                "Approve the minutes? They are then locked; corrections can only be added as "
                "addenda.",
            ),
            tr("&Godkend", "&Approve"),
            lambda: self.ctx.run(
                lambda s: s.meetings.approve(meeting_id, version), self.show_meeting, self
            ),
        )

    def mark_sent(self) -> None:
        if self.meeting is None:
            return
        meeting_id, version = self.meeting.id, self.meeting.version
        self.ctx.run(lambda s: s.meetings.mark_sent(meeting_id, version), self.show_meeting, self)

    def add_addendum(self) -> None:
        self.tabs.setCurrentWidget(self.addenda)
        self.addenda.add_addendum()

    def agenda_pdf(self) -> None:
        if self.meeting is not None:
            printing.preview_agenda(self.ctx, self.meeting, self)

    def minutes_pdf(self) -> None:
        if self.meeting is not None:
            printing.preview_minutes(self.ctx, self.meeting, self)

    def minutes_with_names(self) -> None:
        if self.meeting is not None:
            printing.preview_minutes(self.ctx, self.meeting, self, with_names=True)
