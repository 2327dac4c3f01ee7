"""Files are written whole or not at all, and never over a document in use."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from briefapp.domain.errors import ExportError
from briefapp.services.files import write_atomically


def test_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_a_failure_mid_write_leaves_the_old_file_and_no_debris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.docx"
    target.write_bytes(b"previous version")

    def fail(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(ExportError) as caught:
        write_atomically(target, b"new content")
    assert str(caught.value) == "The disk is full; out.docx was not written."
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_a_document_open_in_word_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "brief-2026.docx"
    target.write_bytes(b"open in Word")
    (tmp_path / "~$ief-2026.docx").write_bytes(b"owner")
    with pytest.raises(ExportError, match="is open in another program"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"open in Word"


def test_a_document_open_in_libreoffice_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "brief.docx"
    target.write_bytes(b"open")
    (tmp_path / ".~lock.brief.docx#").write_text("lock")
    with pytest.raises(ExportError, match="is open in another program"):
        write_atomically(target, b"new")


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        write_atomically(tmp_path / "nowhere" / "out.docx", b"x")
    assert str(caught.value) == f"The folder {tmp_path / 'nowhere'} does not exist."


def test_a_folder_the_user_cannot_write_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(ExportError) as caught:
        write_atomically(tmp_path / "out.docx", b"x")
    assert str(caught.value) == (
        f"out.docx cannot be written in {tmp_path}: permission denied (the folder "
        "is read-only or the file is open in another program)."
    )


def test_a_link_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "brief.docx"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.docx"
    link.symlink_to(real)
    write_atomically(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as caught:
        write_atomically(Path("/dev/null"), b"x")
    assert str(caught.value) == (
        "/dev/null is not a plain file (a device or a pipe); choose another name."
    )
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


def test_permissions_are_kept_or_usual(tmp_path: Path) -> None:
    existing = tmp_path / "shared.docx"
    existing.write_bytes(b"old")
    existing.chmod(0o664)
    write_atomically(existing, b"new")
    assert stat.S_IMODE(existing.stat().st_mode) == 0o664
    old_umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "fresh.docx", b"new")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "fresh.docx").stat().st_mode) == 0o644
