"""PDF copies of Word documents, made by LibreOffice running headless.

LibreOffice is optional: ``pdf_converter()`` says whether it is installed.
Each conversion runs with a private LibreOffice profile (so it works beside
an open LibreOffice), a time limit and a way to cancel.
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
from collections.abc import Callable
from pathlib import Path

from briefapp.domain.errors import ExportError, RenderCancelledError

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
        source = work / "brief.docx"
        source.write_bytes(docx)
        command = [
            program, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--convert-to", "pdf",
            "--outdir", str(work), str(source),
        ]  # fmt: skip
        _run(command, timeout, cancelled)
        result = work / "brief.pdf"
        if not result.is_file():
            raise ExportError("LibreOffice could not convert the document to PDF.")
        return result.read_bytes()


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
