"""Preview of a PDF the app built, with Print and "Gem som…".

SECURITY.md: PDFs are built in memory and previewed in the app; a file is written only where
the user saves one. The pages are rasterised with pdfium (``pypdfium2``) from the bytes in
memory, on the worker thread, because the PyPI Qt wheels carry no QtPdf module and a preview
through a temporary file or an external viewer would leave a copy behind. Printing rasterises
page by page at the printer's resolution (capped at 300 dpi) and paints onto the QPrinter.

Every print and save is audited through the ``audit(session, action)`` function the caller
passes (``"print"`` or ``"save"``), on the worker, *before* anything leaves the app; the
preview itself was audited when the service built the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.services.core.exports import write_export
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.context import AppContext
from infohus_desktop.ui.errors import show_error
from infohus_desktop.ui.i18n import tr
from infohus_desktop.ui.icons import icon

AuditFn = Callable[[MemberServices, str], None]

#: Screen rendering: PDF points (1/72 in) to pixels at 100 % zoom on a 96 dpi screen.
_SCREEN_SCALE = 96 / 72
_ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
_PRINT_DPI_CAP = 300


# pdfium is imported by the functions below, first on the worker that renders a preview's pages
# (the print job's page count comes after that): the work area loads this dialog's module
# behind the unlock screen, and most sessions show no PDF (issue 17).


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_page(pdf: bytes, index: int, scale: float) -> QImage:
    """One page as an image (on the worker: QImage, unlike QPixmap, may be made there)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[index]
        bitmap = page.render(scale=scale, rev_byteorder=True)
        image = QImage(
            bitmap.buffer,
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGB888
            if bitmap.n_channels == 3
            else QImage.Format.Format_RGBA8888,
        ).copy()  # own the pixels before pdfium frees its buffer
        page.close()
        return image
    finally:
        doc.close()


def render_pages(pdf: bytes, scale: float) -> list[QImage]:
    return [render_page(pdf, i, scale) for i in range(page_count(pdf))]


class PdfPreviewDialog(QDialog):
    """Pages of one document; Print and Save as; closing drops the bytes and the images."""

    def __init__(
        self,
        ctx: AppContext,
        pdf: bytes,
        title: str,
        suggested_name: str,
        audit: AuditFn,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent or ctx.window)
        self.setObjectName("pdfPreview")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(tr(f"Vis udskrift: {title}", f"Print preview: {title}"))
        self.ctx = ctx
        self._pdf = pdf
        self._audit = audit
        self._suggested = suggested_name
        self._zoom = 1.0
        self._printing: _PrintJob | None = None
        self.pages: list[QLabel] = []

        self.status = QLabel(tr("Sider vises …", "Rendering pages …"))
        self.status.setObjectName("previewStatus")
        self.zoom_label = QLabel("100 %")
        self.zoom_out = QPushButton("−")
        self.zoom_out.setToolTip(tr("Formindsk (Ctrl+-)", "Zoom out (Ctrl+-)"))
        self.zoom_out.setAccessibleName(tr("Formindsk", "Zoom out"))
        self.zoom_in = QPushButton("+")
        self.zoom_in.setToolTip(tr("Forstør (Ctrl++)", "Zoom in (Ctrl++)"))
        self.zoom_in.setAccessibleName(tr("Forstør", "Zoom in"))
        self.print_button = QPushButton(tr("&Udskriv …", "&Print …"))
        self.print_button.setObjectName("printButton")
        self.save_button = QPushButton(icon("open"), tr("&Gem som …", "&Save as …"))
        self.save_button.setObjectName("saveButton")
        self.close_button = QPushButton(tr("&Luk", "&Close"))
        self.close_button.setObjectName("closeButton")
        for button in (self.zoom_out, self.zoom_in):
            button.setFixedWidth(36)
        self.zoom_out.clicked.connect(lambda: self._step_zoom(-1))
        self.zoom_in.clicked.connect(lambda: self._step_zoom(+1))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._step_zoom(+1))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._step_zoom(-1))
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)

        tools = QHBoxLayout()
        tools.addWidget(self.status, 1)
        tools.addWidget(self.zoom_out)
        tools.addWidget(self.zoom_label)
        tools.addWidget(self.zoom_in)
        tools.addSpacing(12)
        tools.addWidget(self.print_button)
        tools.addWidget(self.save_button)
        tools.addWidget(self.close_button)

        self._sheet = QWidget()
        self._sheet.setObjectName("previewSheet")
        self._sheet_layout = QVBoxLayout(self._sheet)
        self._sheet_layout.setSpacing(12)
        self._sheet_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(self._sheet)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setAccessibleName(tr("Sider", "Pages"))
        self.pages_area.setStyleSheet("QScrollArea { background: #8a9099; }")
        self._sheet.setStyleSheet("#previewSheet { background: #8a9099; }")

        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.pages_area, 1)
        self.resize(900, 760)
        self._render()

    # -- showing ----------------------------------------------------------------------------

    def _render(self) -> None:
        pdf, scale = self._pdf, self._zoom * _SCREEN_SCALE
        self.zoom_label.setText(f"{round(self._zoom * 100)} %")
        self.ctx.runner.submit(
            lambda: render_pages(pdf, scale), self._show_pages, self._failed, owner=self
        )

    def _show_pages(self, images: list[QImage]) -> None:
        if not self._pdf:
            return  # closed meanwhile
        for label in self.pages:
            label.deleteLater()
        self.pages = []
        for number, image in enumerate(images, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(tr(f"Side {number}", f"Page {number}"))
            label.setStyleSheet("background: white;")
            self._sheet_layout.addWidget(label)
            self.pages.append(label)
        count = len(images)
        self.status.setText(
            tr(f"{count} sider", f"{count} pages") if count != 1 else tr("1 side", "1 page")
        )

    def _step_zoom(self, step: int) -> None:
        index = min(range(len(_ZOOMS)), key=lambda i: abs(_ZOOMS[i] - self._zoom)) + step
        if 0 <= index < len(_ZOOMS) and _ZOOMS[index] != self._zoom:
            self._zoom = _ZOOMS[index]
            self._render()

    def _failed(self, exc: InfohusError) -> None:
        show_error(self, exc)

    # -- printing ---------------------------------------------------------------------------

    def choose_printer(self) -> QPrinter | None:
        """The system print dialog; tests replace this with a PDF-file printer."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def print_document(self) -> None:
        if self._printing is not None or not self._pdf:
            return
        printer = self.choose_printer()
        if printer is None:
            return
        audit = self._audit
        self.status.setText(tr("Udskriver …", "Printing …"))
        self.ctx.run(
            lambda s: audit(s, "print"),
            lambda _r: self._start_printing(printer),
            owner=self,
            on_error=self._failed,
        )

    def _start_printing(self, printer: QPrinter) -> None:
        self._printing = _PrintJob(self, printer, self._pdf)
        self._printing.next_page()

    def _printed(self, pages: int) -> None:
        self._printing = None
        self.status.setText(tr(f"Udskrevet: {pages} sider", f"Printed: {pages} pages"))

    # -- saving -----------------------------------------------------------------------------

    def choose_file(self) -> Path | None:
        """The save dialog; tests replace this."""
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Gem PDF", "Save PDF"), self._suggested, "PDF (*.pdf)"
        )
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() == ".pdf" else target.with_name(target.name + ".pdf")

    def save_document(self) -> None:
        target = self.choose_file()
        if target is None or not self._pdf:
            return
        pdf, audit = self._pdf, self._audit

        def save(session: MemberServices) -> None:
            audit(session, "save")
            write_export(target, pdf)

        self.ctx.run(
            save,
            lambda _r: self.status.setText(
                tr(f"Gemt som {target.name}", f"Saved as {target.name}")
            ),
            owner=self,
            on_error=self._failed,
        )

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self._pdf = b""
        for label in self.pages:
            label.clear()
        super().closeEvent(event)


class _PrintJob:
    """Rasterise one page on the worker, paint it on the GUI thread, then the next."""

    def __init__(self, dialog: PdfPreviewDialog, printer: QPrinter, pdf: bytes) -> None:
        self.dialog = dialog
        self.printer = printer
        self.pdf = pdf
        self.count = page_count(pdf)
        self.index = 0
        self.scale = min(printer.resolution(), _PRINT_DPI_CAP) / 72
        self.painter = QPainter()
        self.started = False

    def next_page(self) -> None:
        if self.index >= self.count:
            if self.started:
                self.painter.end()
            self.dialog._printed(self.count)
            return
        pdf, index, scale = self.pdf, self.index, self.scale
        self.dialog.ctx.runner.submit(
            lambda: render_page(pdf, index, scale),
            self._paint,
            self.dialog._failed,
            owner=self.dialog,
        )

    def _paint(self, image: QImage) -> None:
        if not self.started:
            if not self.painter.begin(self.printer):
                self.dialog._printing = None
                self.dialog.status.setText(
                    tr("Printeren kunne ikke startes.", "The printer could not be started.")
                )
                return
            self.started = True
        else:
            self.printer.newPage()
        # The painter's origin is the top left of the printable area.
        area = self.printer.pageRect(QPrinter.Unit.DevicePixel)
        size = image.size().toSizeF().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRectF(0, 0, size.width(), size.height())
        target.moveLeft((area.width() - size.width()) / 2)
        self.painter.drawImage(target, image)
        self.index += 1
        self.next_page()
