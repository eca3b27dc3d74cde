"""The PDF preview: pages shown from memory, zoom, print through a printer, save only where
the user chooses, and every print and save audited before anything leaves the app."""

from __future__ import annotations

import io
import stat
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pypdf
from PySide6.QtPrintSupport import QPrinter
from reportlab.platypus import Flowable

from infohus_desktop.reports.base import DocumentRenderer, PrintStamp, data_table
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.dialogs.pdf_preview import PdfPreviewDialog
from tests.integration.conftest import District

MakeCtx = Callable[[MemberServices], AppContext]


class _ThreePages(DocumentRenderer):
    def __init__(self) -> None:
        stamp = PrintStamp("Lars Brun", datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        super().__init__(title="Dagsorden", stamp=stamp, header_left="Infohus Østjylland")

    def story(self) -> list[Flowable]:
        rows = [[str(i), f"Punkt {i}"] for i in range(110)]
        return [data_table(["Nr.", "Punkt"], rows)]


def _dialog(qtbot, make_ctx: MakeCtx, district: District, events: list[str]) -> PdfPreviewDialog:  # type: ignore[no-untyped-def]
    ctx = make_ctx(district.coordinator)
    pdf = _ThreePages().render()
    dialog = PdfPreviewDialog(
        ctx, pdf, "Dagsorden", "dagsorden.pdf", audit=lambda _s, action: events.append(action)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.pages) == 3)
    return dialog


def test_preview_shows_every_page_and_zooms(qtbot, make_ctx: MakeCtx, district: District) -> None:
    events: list[str] = []
    dialog = _dialog(qtbot, make_ctx, district, events)
    assert dialog.status.text() == "3 sider"
    width = dialog.pages[0].pixmap().width()
    dialog.zoom_in.click()
    qtbot.waitUntil(lambda: dialog.pages[0].pixmap().width() > width)
    assert dialog.zoom_label.text() == "125 %"
    assert events == []  # looking is audited by whoever built the PDF, not here


def test_print_is_audited_then_every_page_reaches_the_printer(
    qtbot, make_ctx: MakeCtx, district: District, tmp_path: Path, monkeypatch
) -> None:
    events: list[str] = []
    dialog = _dialog(qtbot, make_ctx, district, events)
    out = tmp_path / "printer.pdf"

    def pdf_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(dialog, "choose_printer", pdf_printer)
    dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.status.text() == "Udskrevet: 3 sider")
    assert events == ["print"]
    assert len(pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages) == 3


def test_cancelled_print_and_save_do_nothing(
    qtbot, make_ctx: MakeCtx, district: District, monkeypatch
) -> None:
    events: list[str] = []
    dialog = _dialog(qtbot, make_ctx, district, events)
    monkeypatch.setattr(dialog, "choose_printer", lambda: None)
    monkeypatch.setattr(dialog, "choose_file", lambda: None)
    dialog.print_button.click()
    dialog.save_button.click()
    qtbot.wait(50)
    assert events == []


def test_save_writes_a_private_file_only_where_chosen(
    qtbot, make_ctx: MakeCtx, district: District, tmp_path: Path, monkeypatch
) -> None:
    events: list[str] = []
    dialog = _dialog(qtbot, make_ctx, district, events)
    target = tmp_path / "dagsorden.pdf"
    monkeypatch.setattr(dialog, "choose_file", lambda: target)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.status.text() == "Gemt som dagsorden.pdf")
    assert events == ["save"]
    assert target.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_failed_audit_writes_no_file(
    qtbot, make_ctx: MakeCtx, district: District, tmp_path: Path, monkeypatch
) -> None:
    from infohus_desktop.domain.errors import AccessDenied

    ctx = make_ctx(district.coordinator)

    def refuse(_session: MemberServices, _action: str) -> None:
        raise AccessDenied("Boksen er låst.", "The vault is locked.")

    dialog = PdfPreviewDialog(ctx, _ThreePages().render(), "Dagsorden", "d.pdf", audit=refuse)
    qtbot.addWidget(dialog)
    errors: list[object] = []
    monkeypatch.setattr(dialog, "_failed", errors.append)
    target = tmp_path / "d.pdf"
    monkeypatch.setattr(dialog, "choose_file", lambda: target)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(errors))
    assert not target.exists()
