"""The meeting's documents from the desktop: agenda and minutes as PDF (built by the service on
the worker, shown in the shared preview), and the invitation as an .ics file.

The same bytes the CLI writes are shown here: ``session.meetings.agenda_pdf`` /
``minutes_pdf`` audit the preview as they build it; printing and saving from the preview are
audited by the service's ``output_audit``. Printing with the persons' names is an explicit
choice behind a warning, never a default. Nothing is written to disk unless the user picks a
file: the .ics is written (private permissions, atomically) where the save dialog says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from infohus_desktop.domain.errors import InvalidInput, os_reason
from infohus_desktop.domain.meetings import Meeting
from infohus_desktop.local_state import atomic_write
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.services.meetings.output import output_audit
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from infohus_desktop.ui.i18n import fmt_date, language, tr
from infohus_desktop.ui.models.meetings import local
from infohus_desktop.ui.widgets.question import ask


def file_stem(meeting: Meeting, what: str) -> str:
    """``referat-2026-11-23-ab12cd34``: date and short id, never a title (it may name a case
    or a person)."""
    day = local(meeting.summary.starts_at).date().isoformat()
    return re.sub(r"[^A-Za-z0-9_.-]", "-", f"{what}-{day}-{meeting.summary.short_id}")


def _show_preview(
    ctx: AppContext,
    parent: QWidget,
    pdf: bytes,
    title: str,
    suggested: str,
    audit: Callable[[MemberServices, str], None],
) -> QWidget:

    dialog = PdfPreviewDialog(ctx, pdf, title, suggested, audit=audit, parent=parent)
    dialog.open()
    return dialog


def preview_agenda(ctx: AppContext, meeting: Meeting, parent: QWidget) -> None:
    meeting_id, lang = meeting.id, language()
    title = tr(
        f"Dagsorden {fmt_date(local(meeting.summary.starts_at).date())}",
        f"Agenda {fmt_date(local(meeting.summary.starts_at).date())}",
    )
    suggested = file_stem(meeting, tr("dagsorden", "agenda")) + ".pdf"
    ctx.run(
        lambda s: s.meetings.agenda_pdf(meeting_id, lang),
        lambda pdf: _show_preview(
            ctx, parent, pdf, title, suggested, output_audit(meeting_id, "agenda")
        ),
        parent,
    )


def preview_minutes(
    ctx: AppContext, meeting: Meeting, parent: QWidget, with_names: bool = False
) -> None:
    """Build and preview the minutes; with names only after the warning was accepted."""
    if with_names:
        confirm_names(parent, lambda: _minutes(ctx, meeting, parent, True))
        return
    _minutes(ctx, meeting, parent, False)


def _minutes(ctx: AppContext, meeting: Meeting, parent: QWidget, with_names: bool) -> None:
    meeting_id, lang = meeting.id, language()
    when = fmt_date(local(meeting.summary.starts_at).date())
    title = (
        tr(f"Referat {when} – med navne", f"Minutes {when} – with names")
        if with_names
        else tr(f"Referat {when}", f"Minutes {when}")
    )
    suffix = tr("-med-navne", "-with-names") if with_names else ""
    suggested = file_stem(meeting, tr("referat", "minutes")) + suffix + ".pdf"
    ctx.run(
        lambda s: s.meetings.minutes_pdf(meeting_id, with_names, lang),
        lambda pdf: _show_preview(
            ctx, parent, pdf, title, suggested, output_audit(meeting_id, "minutes", with_names)
        ),
        parent,
    )


def confirm_names(parent: QWidget, then: Callable[[], None]) -> QMessageBox:
    """The warning before names are printed; ``then`` runs only on the explicit choice."""
    return ask(
        parent,
        "namesWarning",
        tr("Udskriv med navne", "Print with names"),
        tr(
            "Referatet kommer til at indeholde borgernes navne.",
            "The minutes will contain the citizens' names.",
        ),
        tr("Udskriv med &navne", "Print with &names"),
        then,
        warning=True,
        detail=tr(
            "Udskrifter med navne er personfølsomme: opbevar dem forsvarligt og destruér dem "
            "efter brug. Valget registreres i revisionsloggen.",
            "Printouts with names are sensitive personal data: keep them safe and destroy "
            "them after use. The choice is recorded in the audit log.",
        ),
    )


def export_ics(
    ctx: AppContext, meeting: Meeting, parent: QWidget, on_saved: Callable[[Path], None]
) -> None:
    """Ask where, then build and write the invitation on the worker; ``on_saved(path)``
    tells the user where it went."""
    suggested = str(Path.home() / (file_stem(meeting, tr("invitation", "invitation")) + ".ics"))
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        tr("Gem invitation", "Save invitation"),
        suggested,
        tr("Kalenderfil (*.ics)", "Calendar file (*.ics)"),
    )
    if not chosen:
        return
    path = Path(chosen)
    if path.suffix.lower() != ".ics":
        path = path.with_name(path.name + ".ics")
    meeting_id = meeting.id

    def write(session: MemberServices) -> Path:
        data = session.meetings.ics(meeting_id)
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise InvalidInput(
                f"Filen kunne ikke gemmes ({os_reason(exc)[0]}).",
                f"The file could not be saved ({os_reason(exc)[1]}).",
            ) from None
        return path

    ctx.run(write, on_saved, parent)
