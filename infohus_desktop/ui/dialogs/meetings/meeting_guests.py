"""The guests part of the plan dialog: named people who are not members of the vault (a
psychiatrist, a school head), each with their organisation and an optional e-mail.

Guests typed here are kept in the dialog until it saves; guests already invited are shown
but taken off in the meeting's participant list. A half-typed guest is never dropped
silently: :meth:`GuestEditor.half_typed` lets the dialog ask the user to add or clear it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.meetings import GuestInput, Participant
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.person_form import line


class GuestEditor(QGroupBox):
    """``problem(text)`` shows a message in the dialog ("" clears it)."""

    def __init__(self, problem: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(tr("Gæster (ikke medlemmer)", "Guests (not members)"), parent)
        self.problem = problem
        self.guests: list[GuestInput] = []
        self.name = line("guestName", tr("Gæstens navn", "Guest's name"))
        self.name.setPlaceholderText(tr("Navn", "Name"))
        self.organisation = line(
            "guestOrganisation", tr("Gæstens organisation", "Guest's organisation")
        )
        self.organisation.setPlaceholderText(tr("Organisation", "Organisation"))
        self.email = line("guestEmail", tr("Gæstens e-mail", "Guest's e-mail"))
        self.email.setPlaceholderText(tr("E-mail (valgfri)", "E-mail (optional)"))
        self.add_button = QPushButton(icon("add"), tr("Tilf&øj gæst", "Add &guest"))
        self.add_button.setObjectName("addGuest")
        self.add_button.clicked.connect(self.add)
        self.list = QListWidget()
        self.list.setObjectName("meetingGuests")
        self.list.setAccessibleName(tr("Gæster", "Guests"))
        self.list.setMaximumHeight(90)
        self.remove_button = QPushButton(tr("Fjern gæst", "Remove guest"))
        self.remove_button.setObjectName("removeGuest")
        self.remove_button.setToolTip(
            tr("Fjern en gæst, du har tilføjet her", "Remove a guest you added here")
        )
        self.remove_button.clicked.connect(self.remove)
        box = QVBoxLayout(self)
        box.addWidget(self.name)
        box.addWidget(self.organisation)
        row = QHBoxLayout()
        row.addWidget(self.email, 1)
        row.addWidget(self.add_button)
        box.addLayout(row)
        box.addWidget(self.list)
        box.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)

    def tab_chain(self) -> list[QWidget]:
        return [self.name, self.organisation, self.email, self.add_button, self.list,
                self.remove_button]  # fmt: skip

    def show_invited(self, participants: tuple[Participant, ...]) -> None:
        for guest in (p for p in participants if p.is_guest):
            self.list.addItem(f"{guest.name} ({guest.organisation})")

    def half_typed(self) -> bool:
        return bool(self.name.text().strip() or self.organisation.text().strip())

    def add(self) -> None:
        name, org = self.name.text().strip(), self.organisation.text().strip()
        if not name or not org:
            self.problem(
                tr(
                    "En gæst skal have navn og organisation.",
                    "A guest needs a name and an organisation.",
                )
            )
            (self.name if not name else self.organisation).setFocus()
            return
        self.problem("")
        self.guests.append(GuestInput(name, org, self.email.text().strip()))
        self.list.addItem(f"{name} ({org})")
        for edit in (self.name, self.organisation, self.email):
            edit.clear()
        self.name.setFocus()

    def remove(self) -> None:
        """Only guests added in this dialog; the stored ones come first in the list."""
        row = self.list.currentRow()
        offset = self.list.count() - len(self.guests)
        if row >= offset:
            self.list.takeItem(row)
            del self.guests[row - offset]
