"""The attachments of an incoming referral, and "Gem en kopi …" for one of them.

The bytes are read on the worker (``IncomingReferrals.read_attachment``, as ``infohus bundle
incoming --attachment`` does: audited, checked chunk by chunk and against its SHA-256) into a
private temporary file beside the chosen name, renamed only when the whole attachment
verified, so a failed read never leaves half a file under the chosen name.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from infohus_desktop.domain.referrals import IncomingAttachment, IncomingReferral
from infohus_desktop.services.core.exports import write_export_stream
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.referrals.incoming import IncomingReferrals
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon
from infohus_desktop.ui.widgets.tables import fill, selected_data, size_text, table

COLUMNS = (("Filnavn", "File name"), ("Type", "Type"), ("Størrelse", "Size"))


def save_incoming_copy(
    session: MemberServices, incoming_id: uuid.UUID, attachment_id: uuid.UUID, target: Path
) -> Path:
    """On the worker: the attachment into a 0600 temporary file, renamed when verified."""
    write_export_stream(
        target,
        lambda sink: IncomingReferrals(session).read_attachment(incoming_id, attachment_id, sink),
    )
    return target


class IncomingFiles(QWidget):
    #: A copy was saved (the path, for a message).
    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incomingFiles")
        self.ctx = ctx
        self.incoming: IncomingReferral | None = None
        self.files: dict[str, IncomingAttachment] = {}
        self.table = table("incomingAttachments", tr("Bilag", "Attachments"), COLUMNS)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.ask_save())
        self.save_button = QPushButton(icon("open"), tr("&Gem en kopi …", "&Save a copy …"))
        self.save_button.setObjectName("saveIncomingAttachment")
        self.save_button.clicked.connect(self.ask_save)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(row)
        box.addWidget(self.table, 1)
        self._selection_changed()

    def show_incoming(self, incoming: IncomingReferral) -> None:
        self.incoming = incoming
        self.files = {str(a.id): a for a in incoming.attachments}
        fill(
            self.table,
            [[a.filename, a.media_type, size_text(a.size)] for a in incoming.attachments],
            [str(a.id) for a in incoming.attachments],
        )
        self._selection_changed()

    def current(self) -> IncomingAttachment | None:
        key = selected_data(self.table)
        return self.files.get(str(key)) if key else None

    def _selection_changed(self) -> None:
        self.save_button.setEnabled(self.current() is not None)

    def ask_save(self) -> None:
        attachment = self.current()
        if attachment is None:
            return
        path, _f = QFileDialog.getSaveFileName(
            self,
            tr("Gem en kopi af bilaget", "Save a copy of the attachment"),
            str(Path.home() / Path(attachment.filename).name),
        )
        if path:
            self.save_copy(attachment, Path(path))

    def save_copy(self, attachment: IncomingAttachment, target: Path) -> None:
        assert self.incoming is not None
        incoming_id, attachment_id = self.incoming.id, attachment.id
        self.ctx.run(
            lambda s: save_incoming_copy(s, incoming_id, attachment_id, target),
            self.saved.emit,
            owner=self,
        )
