"""*Overblik*: the first view after unlock, with what needs the member's attention.

Every section is one list; a line opens its object (Enter or a double click): a case in
*Sager*, a meeting or an action item's meeting in *Møder*, a referral in *Henvisninger*, the
deletion list in *Til sletning*. The page is read on the worker (each section through its
feature's audited read) when it is first shown and on *Opdater*. It shows no person's name:
cases by number, action items by meeting and deadline (services/overview/service.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.backups import BackupStatus
from infohus_desktop.domain.changes import Area, Changes
from infohus_desktop.domain.danish_time import COPENHAGEN
from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.referrals import PROGRAMME_LABELS, Programme
from infohus_desktop.services.overview.service import FOLLOW_UP_DAYS, MEETING_DAYS, Overview
from infohus_desktop.settings import load_settings
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.saving import error_label
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import fmt_count, fmt_date, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.views.overview.upgrade_box import UpgradeBox

X = TypeVar("X")

#: The object a line opens: (kind, reference) — kind is case, meeting, referral or retention.
Target = tuple[str, str]


class _Section(QGroupBox):
    """A titled list whose lines open their object; "Intet" when empty, "Henter" until the
    page is first read (at unlock, "nothing right now" would be read as an answer)."""

    def __init__(self, name: str, title: str, opened: SignalInstance) -> None:
        super().__init__(title)
        self.setObjectName(name)
        self.list = QListWidget()
        self.list.setObjectName(f"{name}List")
        self.list.setAccessibleName(title)
        self.list.itemActivated.connect(
            lambda item: opened.emit(*item.data(Qt.ItemDataRole.UserRole))
        )
        self.empty = QLabel(tr("Henter …", "Loading …"))
        self.empty.setObjectName(f"{name}Empty")
        self.filled = False
        self.list.hide()
        box = QVBoxLayout(self)
        box.addWidget(self.empty)
        box.addWidget(self.list)
        # As tall as its lines, never more: the page's spare room stays at the bottom.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def not_read(self) -> None:
        """The page's read failed: a section it never filled says so, not "Henter"."""
        if not self.filled:
            self.empty.setText(tr("Ikke hentet.", "Not loaded."))

    def fill(self, lines: list[tuple[str, Target]]) -> None:
        self.list.clear()
        for text, target in lines:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, target)
            self.list.addItem(item)
        self.filled = True
        self.empty.setText(tr("Intet lige nu.", "Nothing right now."))
        self.empty.setVisible(not lines)
        self.list.setVisible(bool(lines))
        rows = max(1, min(len(lines), 6))
        frame = 2 * self.list.frameWidth()
        self.list.setFixedHeight(
            (self.list.sizeHintForRow(0) + 4) * rows + frame + 4 if lines else 0
        )
        self.list.setSpacing(2)


class OverviewView(QWidget):
    #: (kind, reference) of the object a line stands for.
    open_requested = Signal(str, str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("overviewView")
        self.ctx = ctx
        self._started = False
        self._stale = False
        self.overview: Overview | None = None
        ctx.changes.subscribe(self, [Area.CASES, Area.MEETINGS, Area.REFERRALS], self._changed)
        self.follow_ups = _Section(
            "followUps",
            tr(
                f"Mine opfølgninger (forfaldne og de næste {FOLLOW_UP_DAYS} dage)",
                f"My follow-ups (overdue and the next {FOLLOW_UP_DAYS} days)",
            ),
            self.open_requested,
        )
        self.tasks = _Section(
            "tasks", tr("Mine åbne opgaver", "My open tasks"), self.open_requested
        )
        self.meetings = _Section(
            "meetings",
            tr(f"Møder de næste {MEETING_DAYS} dage", f"Meetings in the next {MEETING_DAYS} days"),
            self.open_requested,
        )
        self.referrals = _Section(
            "referrals",
            tr("Henvisninger der venter på svar", "Referrals waiting for an answer"),
            self.open_requested,
        )
        self.others = _Section(
            "others",
            tr("Modtaget, til sletning og nøgler", "Received, due and keys"),
            self.open_requested,
        )
        self.upgrade = UpgradeBox(ctx, self.refresh)
        self.status = QLabel()
        self.status.setObjectName("overviewStatus")
        refresh = QPushButton(icon("refresh"), tr("&Opdater", "&Refresh"))
        refresh.setObjectName("refreshOverview")
        refresh.clicked.connect(self.refresh)
        heading = QLabel(tr("Overblik", "Overview"))
        heading.setObjectName("overviewHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.status)
        top.addWidget(refresh)
        #: Settings changed outside the program: what stops working, in red, for everyone.
        self.problems = error_label()
        self.problems.setObjectName("settingsProblems")
        self.problems.setStyleSheet(
            "color: #b00020; border: 1px solid #b00020; padding: 6px; background: #fdecee;"
        )
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.problems)
        column.addWidget(self.upgrade)
        self.sections = (self.follow_ups, self.tasks, self.meetings, self.referrals, self.others)
        for section in self.sections:
            column.addWidget(section)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(scroll, 1)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if not self._started or self._stale:
            self._started = True
            self.refresh()

    def _changed(self, _changes: Changes) -> None:
        """Work done elsewhere: read the page again now if it is shown, else when it is
        next shown (each read is audited; a hidden page need not read)."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        self.status.setText(tr("Henter …", "Loading …"))
        names = load_settings(self.ctx.session.vault.local).overview_names
        self.ctx.run(
            lambda s: s.overview.build(with_names=names), self.show_overview, self, self._failed
        )

    def _failed(self, error: InfohusError) -> None:
        """A read that failed (the server gone, say) is told, and the page stops saying it
        is loading; what an earlier read filled stays."""
        self.status.setText(tr("Overblikket kunne ikke hentes.", "The overview could not load."))
        for section in self.sections:
            section.not_read()
        show_error(self.ctx.window, error)

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        self.status.setText("")
        self.problems.setText("\n".join(tr(da, en) for da, en in overview.settings_problems))
        self.problems.setVisible(bool(overview.settings_problems))
        self.upgrade.show_for(overview)
        today = overview.today
        _show(
            self.follow_ups,
            overview.follow_ups,
            lambda f: (
                f"{f.case_number} · {tr('opfølgning', 'follow-up')} {fmt_date(f.follow_up)}"
                + (tr(" (overskredet)", " (overdue)") if f.overdue(today) else "")
                + (f" · {f.person_name}" if f.person_name else ""),
                ("case", f.case_number),
            ),
            _more_follow_ups(overview.follow_ups_more),
        )
        _show(
            self.tasks,
            overview.tasks,
            lambda t: (
                tr("Frist ", "Due ")
                + (fmt_date(t.deadline) if t.deadline else tr("ingen", "none"))
                + f" · {tr('møde', 'meeting')} {fmt_date(t.meeting_date)}"
                + (f" · {t.case_number}" if t.case_number else "")
                + (f" · {t.text}" if t.text else ""),
                ("meeting", str(t.meeting_id)),
            ),
        )
        _show(
            self.meetings,
            overview.meetings,
            lambda m: (
                f"{m.starts_at.astimezone(COPENHAGEN):%d.%m.%Y %H.%M} · {m.title} · {m.forum}",
                ("meeting", str(m.meeting_id)),
            ),
        )
        _show(
            self.referrals,
            overview.referrals,
            lambda r: (
                f"{r.case_number} · {tr(*PROGRAMME_LABELS[Programme(r.programme)])}"
                + (f" · {tr('sendt', 'sent')} {fmt_date(r.sent_on)}" if r.sent_on else ""),
                ("referral", str(r.referral_id)),
            ),
        )
        others: list[tuple[str, Target]] = []
        if incoming := overview.incoming:
            others.append(
                (
                    tr("1 modtaget henvisning fra andre", "1 referral received from others")
                    if incoming == 1
                    else tr(
                        f"{incoming} modtagne henvisninger fra andre",
                        f"{incoming} referrals received from others",
                    ),
                    ("incoming", ""),
                )
            )
        if overview.due_now or overview.due_soon:
            others.append(
                (
                    tr(
                        f"{overview.due_now or 0} {'sag' if overview.due_now == 1 else 'sager'} "
                        f"til sletning nu, {overview.due_soon or 0} inden for 30 dage",
                        f"{overview.due_now or 0} {'case' if overview.due_now == 1 else 'cases'} "
                        f"due for deletion now, {overview.due_soon or 0} within 30 days",
                    ),
                    ("retention", ""),
                )
            )
        for group, logins in overview.waiting or ():
            others.append(
                (
                    tr(
                        f"Venter på nøglen til {group}: {', '.join(logins)} (deles, når et "
                        "medlem af kredsen låser op)",
                        f"Waiting for the key of {group}: {', '.join(logins)} (shared when a "
                        "member of the group unlocks)",
                    ),
                    ("none", ""),
                )
            )
        backup = overview.backup
        if backup is not None and backup.overdue(datetime.now(UTC)):
            others.append((_backup_reminder(backup), ("backups", "")))
        self.others.fill(others)
        self.others.setVisible(overview.incoming is not None or overview.due_now is not None)


def _backup_reminder(status: BackupStatus) -> str:
    last = status.last_backup
    drill = (
        f"{status.last_drill.astimezone(COPENHAGEN):%d.%m.%Y}"
        if status.last_drill
        else tr("aldrig", "never")
    )
    if last is None:
        return tr(
            f"Der er aldrig lavet en sikkerhedskopi af boksen (seneste øvelse: {drill})",
            f"No backup of the vault has ever been made (last drill: {drill})",
        )
    return tr(
        f"Ingen sikkerhedskopi siden {last.astimezone(COPENHAGEN):%d.%m.%Y} "
        f"(påmindelse efter {status.reminder_days} dage; seneste øvelse: {drill})",
        f"No backup since {last.astimezone(COPENHAGEN):%d.%m.%Y} (reminder after "
        f"{status.reminder_days} days; last drill: {drill})",
    )


def _show(
    section: _Section,
    lines: Sequence[X] | None,
    line: Callable[[X], tuple[str, Target]],
    last: tuple[str, Target] | None = None,
) -> None:
    """Fill ``section`` with one line per item (and ``last`` after them), or hide it when
    the role does not see it."""
    if lines is None:
        section.hide()
        return
    section.show()
    section.fill([line(x) for x in lines] + ([last] if last else []))


def _more_follow_ups(more: int) -> tuple[str, Target] | None:
    """The line under the listed follow-ups that counts the rest and opens my cases."""
    if more <= 0:
        return None
    return (
        tr(
            f"… og {fmt_count(more)} {'mere' if more == 1 else 'flere'}: vis mine sager",
            f"… and {fmt_count(more)} more: show my cases",
        ),
        ("my_cases", ""),
    )


__all__ = ["OverviewView"]
