"""Parts of the intake dialog: the choices it offers and the duplicate warning."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from infohus_desktop.domain.cases import DuplicateCheck
from infohus_desktop.domain.members import AccessGroup, GroupKind
from infohus_desktop.domain.organisations import LocalInfohus
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon


@dataclass(frozen=True)
class IntakeChoices:
    """What the pickers offer, read on the worker when the dialog opens."""

    categories: dict[str, tuple[str, str]]
    local_infohuse: list[LocalInfohus]
    custom_groups: list[AccessGroup]


def load_choices(session: MemberServices) -> IntakeChoices:
    me = session.member.id
    groups = [g for g in session.groups.list() if g.kind == GroupKind.CUSTOM and me in g.member_ids]
    return IntakeChoices(
        session.case_settings.categories(), session.groups.local_infohuse(), groups
    )


def duplicate_text(check: DuplicateCheck) -> str:
    parts = []
    if check.known_in:
        numbers = ", ".join(check.known_in)
        parts.append(
            tr(
                f"Personen er allerede kendt i {numbers}.",
                f"The person is already known in {numbers}.",
            )
        )
    if check.possibly_elsewhere:
        parts.append(
            tr(
                "Personen er muligvis kendt i en sag, du ikke kan se; spørg koordinatoren.",
                "The person is possibly known in a case you cannot see; ask the coordinator.",
            )
        )
    return " ".join(parts)


class DuplicatePanel(QFrame):
    """The inline warning that the person may be known, with "Opret alligevel"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#duplicatePanel { background: #fff4d6; }")
        self.text = QLabel()
        self.text.setObjectName("duplicateText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.create_anyway = QPushButton(tr("Opret &alligevel", "Open &anyway"))
        self.create_anyway.setObjectName("createAnyway")
        self.create_anyway.setAutoDefault(False)
        warn = QLabel()
        warn.setPixmap(icon("warning").pixmap(24, 24))
        warn.setAccessibleName(tr("Advarsel", "Warning"))
        row = QHBoxLayout(self)
        row.addWidget(warn, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)
        row.addWidget(self.create_anyway, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()
