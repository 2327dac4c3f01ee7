"""An export that cannot be written (a full disk, a read-only folder, a file
open in Word) says why, leaves no partial file, and changes nothing else."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from briefapp.gui.dialogs import ExportChoice
from briefapp.gui.main_window import MainWindow
from briefapp.services.session import Services
from tests.gui.conftest import Dialogs
from tests.reliability import DISK_FAULTS, tally

PREVIOUS = b"the copy exported last week"


def full_disk(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    yield "The disk is full; brief.docx was not written."


def read_only_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    folder.chmod(0o555)
    # Root may write in any folder whatever its mode; an immutable folder
    # refuses even root.
    immutable = (
        os.geteuid() == 0
        and subprocess.run(["chattr", "+i", str(folder)], check=False).returncode == 0
    )
    if os.geteuid() == 0 and not immutable:

        def refuse(*_args: object, **_kwargs: object) -> int:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(os, "open", refuse)
    try:
        yield (
            f"brief.docx cannot be written in {folder}: permission denied (the "
            "folder is read-only or the file is open in another program)."
        )
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def open_in_word(folder: Path, _monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    (folder / "~$ief.docx").write_bytes(b"Word's owner file")
    yield (
        "brief.docx is open in another program (Word or LibreOffice); close it "
        "there and try again, or choose another name."
    )


@pytest.mark.reliability
@pytest.mark.parametrize("fault", [full_disk, read_only_folder, open_in_word])
def test_a_failed_export_leaves_everything_as_it_was(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    scripted_dialogs: Dialogs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: Callable[[Path, pytest.MonkeyPatch], Iterator[str]],
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    output = folder / "brief.docx"
    output.write_bytes(PREVIOUS)
    before = services.briefs.get_brief(1)
    faults = fault(folder, monkeypatch)
    message = next(faults)
    before_files = sorted(p.name for p in folder.iterdir())
    try:
        scripted_dialogs.export.append(ExportChoice("decision-brief", output))
        scripted_dialogs.confirm.append(True)  # replace last week's copy
        window.export_word_action.trigger()
        qtbot.waitUntil(
            lambda: any(s[0] == "notice" for s in scripted_dialogs.shown),
            timeout=30_000,
        )
    finally:
        next(faults, None)
    assert scripted_dialogs.shown[-1] == ("notice", "Export to Word failed", message)
    assert output.read_bytes() == PREVIOUS
    assert sorted(p.name for p in folder.iterdir()) == before_files  # no debris
    assert services.briefs.get_brief(1) == before
    assert not window.document.is_dirty()
    tally(DISK_FAULTS)
