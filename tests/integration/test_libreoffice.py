"""A second reader: LibreOffice opens the exported brief and prints its marking.

CI installs LibreOffice and sets BRIEFAPP_REQUIRE_LIBREOFFICE=1, so there this
test fails rather than skips when the converter is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from briefapp.domain.entities import Brief
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


def test_libreoffice_opens_the_demo_brief_with_marking_on_every_page(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    soffice, pdftotext = _tool("soffice"), _tool("pdftotext")
    docx_path = services.export.export_docx(demo_brief, tmp_path / "demo.docx")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "demo.pdf"
    assert pdf.is_file()
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page.count("RESTRICTED") >= 2, f"page {number} lacks the marking"
        assert f"Page {number} of {len(pages)}" in page
    flat = " ".join(text.split())
    assert "Acquisition of cluster munitions for national defence" in flat
    assert "Option D: Do not buy cluster munitions" in flat
