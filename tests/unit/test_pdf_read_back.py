"""A PDF is read back page by page: each must show the marking at its top and
its bottom and no other classification there (PDFs drawn here with
matplotlib, so no LibreOffice is needed)."""

from __future__ import annotations

import io

import docx
import matplotlib
import pytest
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from briefapp.documents.pdf import check_pdf_marking
from briefapp.domain.errors import TemplateError

Page = dict[float, str]  # height on the page (0 bottom, 1 top) -> text


def _pdf(*pages: Page) -> bytes:
    buffer = io.BytesIO()
    # Embedded TrueType, whose text a PDF reader maps back to characters.
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buffer) as document:
        for page in pages:
            figure = Figure(figsize=(8.5, 11))  # US Letter, as python-docx's default
            for height, text in page.items():
                figure.text(0.5, height, text, ha="center")
            document.savefig(figure)
    return buffer.getvalue()


def _docx(footer_lines: int = 1) -> bytes:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "RESTRICTED"
    made.sections[0].footer.paragraphs[0].text = "RESTRICTED"
    for number in range(footer_lines - 1):
        made.sections[0].footer.add_paragraph(f"line {number}")
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


MARKED = {0.96: "RESTRICTED", 0.5: "Body text", 0.03: "RESTRICTED"}


def test_pages_marked_at_top_and_bottom_pass() -> None:
    body = {**MARKED, 0.5: "SECRET annex held apart", 0.06: "an official visit"}
    check_pdf_marking(_pdf(MARKED, body), _docx(), "RESTRICTED")


def test_a_page_without_the_marking_at_its_bottom_is_refused() -> None:
    unmarked = {**MARKED, 0.03: "Ministry of Defence", 0.5: "RESTRICTED"}
    with pytest.raises(TemplateError) as caught:
        check_pdf_marking(_pdf(MARKED, unmarked), _docx(), "RESTRICTED")
    assert str(caught.value) == (
        "Page 2 of the PDF does not show the classification “RESTRICTED” at its "
        "bottom, as LibreOffice lays it out; nothing was written."
    )


def test_another_classification_at_the_top_is_refused() -> None:
    downgraded = {**MARKED, 0.98: "UNCLASSIFIED"}
    with pytest.raises(TemplateError) as caught:
        check_pdf_marking(_pdf(downgraded), _docx(), "RESTRICTED")
    assert str(caught.value) == (
        "Page 1 of the PDF shows “UNCLASSIFIED” at its top, a classification other "
        "than the brief's “RESTRICTED”; nothing was written."
    )


def test_a_taller_footer_reaches_further_up_the_page() -> None:
    raised = {0.96: "RESTRICTED", 0.12: "RESTRICTED", 0.03: "SHA-256 …"}
    check_pdf_marking(_pdf(raised), _docx(footer_lines=5), "RESTRICTED")
    with pytest.raises(TemplateError, match="at its bottom"):
        check_pdf_marking(_pdf(raised), _docx(footer_lines=1), "RESTRICTED")
