"""A second reader: LibreOffice opens the exported brief and prints its marking.

CI installs LibreOffice and sets BRIEFAPP_REQUIRE_LIBREOFFICE=1, so there this
test fails rather than skips when the converter is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefapp import paths
from briefapp.domain.entities import Brief
from briefapp.domain.errors import ExportError
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
