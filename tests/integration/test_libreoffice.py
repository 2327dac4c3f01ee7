"""A second reader: LibreOffice opens the exported brief and prints its marking.

CI installs LibreOffice and sets BRIEFAPP_REQUIRE_LIBREOFFICE=1, so there this
test fails rather than skips when the converter is missing.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefapp import paths
from briefapp.documents.pdf import check_pdf_marking, convert_to_pdf
from briefapp.domain.entities import Brief
from briefapp.domain.errors import ExportError, TemplateError
from briefapp.services.session import Services

pytestmark = pytest.mark.slow


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("BRIEFAPP_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"{name} is required here but is not installed")
        pytest.skip(
            f"{name} is not installed (Debian: libreoffice-writer-nogui, poppler-utils)"
        )
    return found


TEMPLATES = sorted(p.stem for p in paths.templates_dir().glob("*.docx"))


@pytest.mark.parametrize("template", TEMPLATES)
def test_libreoffice_opens_every_export_with_marking_on_every_page(
    services: Services, demo_brief: Brief, tmp_path: Path, template: str
) -> None:
    soffice, pdftotext = _tool("soffice"), _tool("pdftotext")
    docx_path = services.export.export_docx(
        demo_brief, tmp_path / f"{template}.docx", template=template
    )
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / f"{template}.pdf"
    assert pdf.is_file()
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    pages = [page for page in text.split("\f") if page.strip()]
    page_word = "Puslapis" if template.endswith("-lt") else "Page"
    of = "iš" if template.endswith("-lt") else "of"
    for number, page in enumerate(pages, start=1):
        assert page.count("RESTRICTED") >= 2, f"page {number} lacks the marking"
        assert f"{page_word} {number} {of} {len(pages)}" in page
    if template.startswith("decision-brief"):  # asked on the front page
        sought = (
            "Prašomas sprendimas" if template.endswith("-lt") else "Decision sought"
        )
        first = " ".join(pages[0].split())
        assert sought in first
        assert " ".join(demo_brief.decision_sought.split()) in first
    flat = " ".join(text.split())
    assert "Acquisition of cluster munitions for national defence" in flat
    assert "Combined" in flat  # narrow table columns wrap the rest of the title


def test_render_to_pdf_from_the_command_line(
    tmp_path: Path, database_path: Path
) -> None:
    _tool("soffice")
    pdftotext = _tool("pdftotext")
    output = tmp_path / "brief.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "briefapp", "--db", str(database_path), "render", "1",
         "-t", "one-page-summary", "-o", str(output)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert output.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        [pdftotext, str(output), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "RESTRICTED" in text
    assert "Recommended option" in text


def test_pdf_export_without_libreoffice_says_how_to_get_it(
    services: Services,
    demo_brief: Brief,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert not services.export.pdf_available()
    with pytest.raises(ExportError) as caught:
        services.export.export_pdf(demo_brief, tmp_path / "brief.pdf")
    assert str(caught.value) == (
        "Export to PDF needs LibreOffice: install it (on Debian or Ubuntu: sudo apt "
        "install libreoffice-writer) and restart Briefapp."
    )
    assert not (tmp_path / "brief.pdf").exists()


def _marked_document(footer: str = "{{ classification }}") -> docx.document.Document:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = footer
    return made


def _field(paragraph: Paragraph, code: str, shown: str) -> None:
    for kind in ("begin", "instr", "separate", "shown", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {code} "
            run._r.append(instruction)
        elif kind == "shown":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def test_a_table_of_contents_is_filled_in_the_pdf(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    _tool("soffice")
    made = _marked_document()
    made.add_paragraph("Contents")
    _field(made.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', "No entries yet.")
    made.add_page_break()
    made.add_heading("Decision sought", 1)
    made.add_paragraph("{{ decision_sought }}")
    made.add_page_break()
    made.add_heading("Options considered", 1)
    made.add_paragraph("{{ title }}")
    template = tmp_path / "contents.docx"
    made.save(str(template))
    output = services.export.export_pdf(
        demo_brief, tmp_path / "brief.pdf", template=str(template)
    )
    first = " ".join(pypdf.PdfReader(output).pages[0].extract_text().split())
    assert "No entries yet." not in first
    assert re.search(r"Decision sought\W*2", first), first
    assert re.search(r"Options considered\W*3", first), first


def test_a_pdf_page_without_the_marking_is_refused_and_nothing_written(
    services: Services,
    demo_brief: Brief,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What LibreOffice lays out is read back: a page whose footer lacks the
    marking is refused even if the Word file got past the output check."""
    _tool("soffice")
    made = _marked_document(footer="Ministry of Defence")
    made.sections[0].header.paragraphs[0].text = "RESTRICTED"
    made.add_paragraph("Body text")
    buffer = io.BytesIO()
    made.save(buffer)
    unmarked = buffer.getvalue()
    monkeypatch.setattr(
        services.export,
        "render_with",
        lambda *args, **kwargs: (unmarked, None),
    )
    output = tmp_path / "brief.pdf"
    with pytest.raises(TemplateError) as caught:
        services.export.export_pdf(demo_brief, output)
    assert str(caught.value) == (
        "Page 1 of the PDF does not show the classification “RESTRICTED” at its "
        "bottom, as LibreOffice lays it out; nothing was written."
    )
    assert not output.exists()


def test_a_pdf_page_showing_another_classification_is_refused(
    tmp_path: Path,
) -> None:
    _tool("soffice")
    made = _marked_document(footer="RESTRICTED")
    made.sections[0].header.paragraphs[0].text = "RESTRICTED UNCLASSIFIED"
    buffer = io.BytesIO()
    made.save(buffer)
    pdf = convert_to_pdf(buffer.getvalue(), timeout=240)
    with pytest.raises(TemplateError) as caught:
        check_pdf_marking(pdf, buffer.getvalue(), "RESTRICTED")
    assert str(caught.value) == (
        "Page 1 of the PDF shows “UNCLASSIFIED” at its top, a classification "
        "other than the brief's “RESTRICTED”; nothing was written."
    )


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_built_in_template_exports_a_pdf_that_reads_back(
    services: Services, demo_brief: Brief, tmp_path: Path, template: str
) -> None:
    _tool("soffice")
    output = services.export.export_pdf(
        demo_brief, tmp_path / f"{template}.pdf", template=template
    )
    pages = pypdf.PdfReader(output).pages
    assert len(pages) >= 1
    assert all("RESTRICTED" in page.extract_text() for page in pages)
