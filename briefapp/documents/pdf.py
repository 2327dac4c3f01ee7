"""PDF copies of Word documents, made by LibreOffice running headless, and
what their pages show.

LibreOffice is optional: ``pdf_converter()`` says whether it is installed.
Each conversion runs with a private LibreOffice profile (so it works beside
an open LibreOffice), a time limit and a way to cancel. A small Basic macro
in that profile opens the document, updates its indexes (a Table of Contents
is filled in) and writes the PDF; ``check_pdf_marking`` then reads each page
back and refuses one whose header or footer lacks the marking.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from briefapp.domain.errors import ExportError, RenderCancelledError, TemplateError

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "Export to PDF needs LibreOffice: install it (on Debian or Ubuntu: "
    "sudo apt install libreoffice-writer) and restart Briefapp."
)


def pdf_converter() -> str | None:
    """The LibreOffice program, or ``None`` when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(
    docx: bytes,
    *,
    timeout: float,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The PDF of a DOCX.

    Raises:
        ExportError: LibreOffice is missing, failed or took too long.
        RenderCancelledError: ``cancelled()`` became true.
    """
    program = pdf_converter()
    if program is None:
        raise ExportError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="briefapp-pdf-") as folder:
        work = Path(folder)
        source, result = work / "brief.docx", work / "brief.pdf"
        source.write_bytes(docx)
        profile = work / "profile"
        start = [
            program, f"-env:UserInstallation={profile.as_uri()}",
            "--headless", "--norestore",
        ]  # fmt: skip
        deadline = time.monotonic() + timeout
        # A new profile is filled in on its first start, Basic library too:
        # the macro goes in after that.
        _run([*start, "--terminate_after_init"], timeout, cancelled)
        _install_macro(profile, source, result)
        _run(
            [*start, "macro:///Standard.BriefappPdf.Convert()"],
            max(deadline - time.monotonic(), 1.0),
            cancelled,
        )
        if not result.is_file():
            raise ExportError("LibreOffice could not convert the document to PDF.")
        return result.read_bytes()


# Runs in the private profile's own Basic library ("My Macros"), which
# LibreOffice trusts; the document's own macros are never run, its links
# never updated. Any error ends LibreOffice without a PDF.
_MACRO = """Sub Convert()
    On Error GoTo Finished
    Dim opening(2) As New com.sun.star.beans.PropertyValue
    opening(0).Name = "Hidden"
    opening(0).Value = True
    opening(1).Name = "MacroExecutionMode"
    opening(1).Value = com.sun.star.document.MacroExecMode.NEVER_EXECUTE
    opening(2).Name = "UpdateDocMode"
    opening(2).Value = com.sun.star.document.UpdateDocMode.NO_UPDATE
    document = StarDesktop.loadComponentFromURL("SOURCE", "_blank", 0, opening())
    indexes = document.getDocumentIndexes()
    For i = 0 To indexes.getCount() - 1
        indexes.getByIndex(i).update()
    Next i
    Dim writing(0) As New com.sun.star.beans.PropertyValue
    writing(0).Name = "FilterName"
    writing(0).Value = "writer_pdf_Export"
    document.storeToURL("TARGET", writing())
    document.close(True)
Finished:
    StarDesktop.terminate()
End Sub
"""
_LIBRARY_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:{0} PUBLIC '
    '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{1}.dtd">\n'
)
_LIBRARY_NS = 'xmlns:library="http://openoffice.org/2000/library"'


def _install_macro(profile: Path, source: Path, target: Path) -> None:
    """Put the conversion macro in the profile's Standard Basic library."""
    basic = profile / "user" / "basic"
    standard = basic / "Standard"
    standard.mkdir(parents=True, exist_ok=True)
    # File URLs are percent-encoded: no quote can end the Basic string early.
    code = _MACRO.replace("SOURCE", source.as_uri()).replace("TARGET", target.as_uri())
    (standard / "BriefappPdf.xba").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
        '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" '
        'script:name="BriefappPdf" script:language="StarBasic">'
        f"{escape(code)}</script:module>\n",
        encoding="utf-8",
    )
    attributes = 'library:name="Standard" library:readonly="false" '
    attributes += 'library:passwordprotected="false"'
    (standard / "script.xlb").write_text(
        _LIBRARY_HEAD.format("library", "library")
        + f"<library:library {_LIBRARY_NS} {attributes}>"
        '<library:element library:name="BriefappPdf"/></library:library>\n',
        encoding="utf-8",
    )
    (standard / "dialog.xlb").write_text(
        _LIBRARY_HEAD.format("library", "library")
        + f"<library:library {_LIBRARY_NS} {attributes}/>\n",
        encoding="utf-8",
    )
    for kind in ("script", "dialog"):
        (basic / f"{kind}.xlc").write_text(
            _LIBRARY_HEAD.format("libraries", "libraries")
            + f'<library:libraries {_LIBRARY_NS} xmlns:xlink="http://www.w3.org/1999/'
            'xlink"><library:library library:name="Standard" xlink:href="$(USER)/'
            f'basic/Standard/{kind}.xlb/" xlink:type="simple" library:link="false"/>'
            "</library:libraries>\n",
            encoding="utf-8",
        )


def _run(
    command: list[str], timeout: float, cancelled: Callable[[], bool] | None
) -> None:
    # Its own process group: soffice starts soffice.bin, and a stop must end both.
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=os.name == "posix",
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                process.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled():
                    raise RenderCancelledError from None
                if time.monotonic() > deadline:
                    raise ExportError(
                        f"LibreOffice took longer than {timeout:g} seconds to make "
                        "the PDF and was stopped."
                    ) from None
    finally:
        _stop(process)
    if process.returncode != 0:
        log.warning("soffice failed with status %s", process.returncode)
        raise ExportError("LibreOffice could not convert the document to PDF.")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the converter and whatever it started, if it is still running."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):  # the group has gone
            os.killpg(process.pid, signal.SIGKILL)
    elif process.poll() is None:
        process.kill()
    process.wait()


def check_pdf_marking(pdf: bytes, docx: bytes, marking: str) -> None:
    """Raise unless every page of ``pdf`` (made from ``docx``) shows
    ``marking`` at its top and its bottom and no other classification there.

    The top is what lies above the body's top margin, or further down when
    the header is taller; the bottom likewise.

    Raises:
        TemplateError: a page lacks the marking or shows another one.
    """
    from briefapp.documents.marking_rule import marking_pattern, other_markings

    top, bottom = _edge_heights(docx)
    shown = marking_pattern(unicodedata.normalize("NFKC", marking).casefold())
    for number, (head, foot) in enumerate(_page_edges(pdf, top, bottom), 1):
        for where, text in (("top", head), ("bottom", foot)):
            # As printed: a marking is written in capitals, and the edges may
            # reach into the body, whose "official" is no marking.
            others = [o for o in other_markings(text, marking) if o == o.upper()]
            if others:
                raise TemplateError(
                    f"Page {number} of the PDF shows “{others[0]}” at its {where}, "
                    f"a classification other than the brief's “{marking}”; nothing "
                    "was written."
                )
            if not shown.search(text.casefold()):
                raise TemplateError(
                    f"Page {number} of the PDF does not show the classification "
                    f"“{marking}” at its {where}, as LibreOffice lays it out; "
                    "nothing was written."
                )


def _edge_heights(docx: bytes) -> tuple[float, float]:
    """How far down from the top and up from the bottom (in points) the
    header and the footer reach: to the body's margin, or further when the
    header or footer is taller (its lines estimated generously), as Word and
    LibreOffice push the body away from it."""
    import io

    import docx as python_docx

    from briefapp.documents.layout_checks import headers_and_footers

    document = python_docx.Document(io.BytesIO(docx))
    reach = {"header": 72.0, "footer": 72.0}
    for section in document.sections:
        margins = {"header": section.top_margin, "footer": section.bottom_margin}
        distances = {
            "header": section.header_distance,
            "footer": section.footer_distance,
        }
        for label, part in headers_and_footers(section, document):
            kind = "footer" if label.endswith("footer") else "header"
            tall = _points(distances[kind], 36) + _LINE * _lines(part._element)
            reach[kind] = max(reach[kind], _points(margins[kind], 72), tall)
    return reach["header"], reach["footer"]


_LINE = 16.0  # points: a generous line of header or footer text


def _lines(part: Any) -> int:
    """About how many lines a header or footer takes (long ones wrap)."""
    from briefapp.documents.wordml import BR, P, T

    count = 0
    for paragraph in part.iter(P):
        text = "".join(str(t.text or "") for t in paragraph.iter(T))
        count += 1 + len(list(paragraph.iter(BR))) + len(text) // 60
    return count


def _points(length: Any, default: float) -> float:
    return abs(float(length.pt)) if length is not None else default


def _page_edges(pdf: bytes, top: float, bottom: float) -> list[tuple[str, str]]:
    """Each page's text at its top and its bottom, a line a line."""
    import io

    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        pages = list(reader.pages)
    except (pypdf.errors.PdfReadError, ValueError) as error:
        raise ExportError("LibreOffice made a PDF that cannot be read back.") from error
    return [_edges_of(page, top, bottom) for page in pages]


def _edges_of(page: Any, top: float, bottom: float) -> tuple[str, str]:
    high, low = float(page.mediabox.top), float(page.mediabox.bottom)
    lines: dict[tuple[str, float], list[str]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        edge = "top" if y >= high - top else "bottom" if y <= low + bottom else ""
        if edge and text.strip():
            lines.setdefault((edge, round(y)), []).append(text)

    page.extract_text(visitor_text=visit)
    ordered = sorted(lines.items(), key=lambda item: -item[0][1])
    top_text, bottom_text = (
        "\n".join(
            unicodedata.normalize("NFKC", "".join(parts))
            for (kind, _), parts in ordered
            if kind == edge
        )
        for edge in ("top", "bottom")
    )
    return top_text, bottom_text
