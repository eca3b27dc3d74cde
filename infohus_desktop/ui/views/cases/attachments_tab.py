"""The "Bilag" tab: a case's attachments, added from and saved to files.

Files are streamed on the worker (never read whole on the GUI thread). Saving a copy writes
to a private temporary file in the chosen folder and renames it only when the attachment was
read and verified completely, as ``infohus case attachment get`` does, so a failed read never
leaves a half file under the chosen name.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.cases import AttachmentInfo
from infohus_desktop.domain.errors import InvalidInput, os_reason
from infohus_desktop.services.core.exports import write_export_stream
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import fmt_datetime, tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.views.cases.case_data import CaseData
from infohus_desktop.ui.widgets.question import ask
from infohus_desktop.ui.widgets.tables import fill, selected_data, size_text, table

COLUMNS = (
    ("Filnavn", "File name"),
    ("Type", "Type"),
    ("Størrelse", "Size"),
    ("Tilføjet", "Added"),
    ("Af", "By"),
)


def _file_error(exc: OSError, reading: bool) -> InvalidInput:
    """A file problem as an expected error; the path is not repeated (it may name a person)."""
    da, en = os_reason(exc)
    if reading:
        return InvalidInput(
            f"Filen kunne ikke læses ({da}). Intet er gemt.",
            f"The file could not be read ({en}). Nothing was saved.",
        )
    return InvalidInput(
        f"Kopien kunne ikke skrives ({da}).", f"The copy could not be written ({en})."
    )


def add_file(session: MemberServices, number: str, path: Path) -> AttachmentInfo:
    """On the worker: stream the file into the case."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise _file_error(exc, reading=True) from None
    with stream:
        return session.attachments.add(number, path.name, stream)


def save_copy(
    session: MemberServices, number: str, attachment_id: uuid.UUID, target: Path
) -> AttachmentInfo:
    """On the worker: into a private temporary file beside ``target``, renamed when complete."""
    return write_export_stream(
        target, lambda sink: session.attachments.read(number, attachment_id, sink)
    )


class AttachmentsTab(QWidget):
    #: An attachment was added or removed.
    changed = Signal()
    #: A copy was saved (the path, for a status message).
    saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsTab")
        self.ctx = ctx
        self.number = ""
        self.attachments: dict[str, AttachmentInfo] = {}
        self.table = table("attachmentList", tr("Bilag", "Attachments"), COLUMNS)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.ask_save_copy())
        self.add_button = QPushButton(icon("attach"), tr("&Tilføj bilag …", "&Add attachment …"))
        self.add_button.setObjectName("addAttachment")
        self.add_button.clicked.connect(self.ask_add)
        self.save_button = QPushButton(icon("open"), tr("&Gem en kopi …", "&Save a copy …"))
        self.save_button.setObjectName("saveAttachment")
        self.save_button.clicked.connect(self.ask_save_copy)
        self.remove_button = QPushButton(tr("&Fjern …", "&Remove …"))
        self.remove_button.setObjectName("removeAttachment")
        self.remove_button.clicked.connect(self.ask_remove)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(buttons)
        outer.addWidget(self.table, 1)
        self.can_add = self.can_remove = self.can_read = True
        self._selection_changed()

    def show_case(self, data: CaseData) -> None:
        self.number = data.number
        items = data.case.attachments
        self.attachments = {str(a.id): a for a in items}
        fill(
            self.table,
            [
                [
                    a.filename,
                    a.media_type,
                    size_text(a.size),
                    fmt_datetime(a.added),
                    data.names.person(a.by_login),
                ]
                for a in items
            ],
            [str(a.id) for a in items],
        )
        self._selection_changed()

    def set_permissions(self, add: bool, read: bool, remove: bool) -> None:
        self.can_add, self.can_read, self.can_remove = add, read, remove
        self.add_button.setEnabled(add)
        self._selection_changed()

    def current(self) -> AttachmentInfo | None:
        key = selected_data(self.table)
        return self.attachments.get(str(key)) if key else None

    def _selection_changed(self) -> None:
        chosen = self.current() is not None
        self.save_button.setEnabled(chosen and self.can_read)
        self.remove_button.setEnabled(chosen and self.can_remove)

    # -- add ---------------------------------------------------------------------------------

    def ask_add(self) -> None:
        if not self.can_add or not self.number:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self, tr("Vælg bilag", "Choose attachment"), str(Path.home())
        )
        if path:
            self.add(Path(path))

    def add(self, path: Path) -> None:
        number = self.number
        self.ctx.run(lambda s: add_file(s, number, path), lambda _i: self.changed.emit(), self)

    # -- save a copy -------------------------------------------------------------------------

    def ask_save_copy(self) -> None:
        attachment = self.current()
        if attachment is None or not self.can_read:
            return
        suggested = str(Path.home() / attachment.filename)
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Gem en kopi af bilaget", "Save a copy of the attachment"), suggested
        )
        if path:
            self.save_copy(attachment, Path(path))

    def save_copy(self, attachment: AttachmentInfo, target: Path) -> None:
        number, attachment_id = self.number, attachment.id
        self.ctx.run(
            lambda s: save_copy(s, number, attachment_id, target),
            lambda _i: self.saved.emit(str(target)),
            self,
        )

    # -- remove ------------------------------------------------------------------------------

    def ask_remove(self) -> None:
        attachment = self.current()
        if attachment is None or not self.can_remove:
            return
        number, attachment_id = self.number, attachment.id
        # As every other removal asks: the action named on its button, Annuller the default.
        ask(
            self,
            "removeAttachmentQuestion",
            tr("Fjern bilag", "Remove attachment"),
            tr(
                f"Fjern bilaget »{attachment.filename}« fra {self.number}? Det kan ikke fortrydes.",
                f"Remove the attachment '{attachment.filename}' from {self.number}? This cannot "
                "be undone.",
            ),
            tr("&Fjern bilaget", "&Remove the attachment"),
            lambda: self.ctx.run(
                lambda s: s.attachments.remove(number, attachment_id),
                lambda _r: self.changed.emit(),
                self,
            ),
            warning=True,
        )
