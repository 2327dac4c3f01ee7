"""Printing the preview through Qt's print dialog, with the classification
marking at the top and the foot of every page, as on the Word document."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

BAND_INCHES = 0.5
"""The height kept for the marking above and below the text of a page."""


class PrintDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, printer: QPrinter) -> bool:
        """Qt's print dialog; whether the user chose to print."""
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print the brief")
        return dialog.exec() == QDialog.DialogCode.Accepted


def print_html(printer: QPrinter, html: str, marking: str, title: str) -> int:
    """Print ``html`` page by page on ``printer``, ``marking`` centred in bold
    above and below the text of each page. Returns the number of pages."""
    printer.setDocName(title)
    dots = printer.resolution()
    page = printer.pageLayout().paintRectPixels(dots)
    band = BAND_INCHES * dots
    body = QSizeF(page.width(), page.height() - 2 * band)
    document = QTextDocument()
    document.documentLayout().setPaintDevice(printer)
    document.setHtml(html)
    document.setPageSize(body)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        font = QFont(painter.font())
        font.setBold(True)
        for number in range(document.pageCount()):
            if number:
                printer.newPage()
            _draw_marking(painter, font, marking, page.width(), band, body.height())
            painter.save()
            painter.translate(0, band - number * body.height())
            document.drawContents(
                painter, QRectF(0, number * body.height(), body.width(), body.height())
            )
            painter.restore()
    finally:
        painter.end()
    return document.pageCount()


def _draw_marking(
    painter: QPainter,
    font: QFont,
    marking: str,
    width: float,
    band: float,
    body_height: float,
) -> None:
    painter.save()
    painter.setFont(font)
    centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter
    painter.drawText(QRectF(0, 0, width, band), int(centred), marking)
    painter.drawText(QRectF(0, band + body_height, width, band), int(centred), marking)
    painter.restore()
