"""Writing and reading the user's files safely.

A file is written whole or not at all: the bytes go to a temporary file in the
same folder, are synced to disk, and only then replace the target. A target
that Word or LibreOffice has open is not overwritten.
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
from pathlib import Path

from briefapp.domain.errors import ExportError, UserError

log = logging.getLogger(__name__)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one step; on failure ``path`` is untouched.

    Raises:
        ExportError: the folder is missing or not writable, the disk is full,
            or the file is open in another program.
    """
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; choose a file name.")
    _refuse_if_open_elsewhere(path)
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(
            dir=folder, prefix=f".{path.name}.", suffix=".tmp"
        )
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise _write_error(path, error) from error
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def read_user_file(path: Path, *, limit: int = 50_000_000) -> bytes:
    """The bytes of a file the user chose, or a ``UserError`` saying why not."""
    try:
        if path.is_dir():
            raise UserError(f"{path} is a folder, not a file.")
        if path.stat().st_size > limit:
            raise UserError(f"{path} is too large to be a brief file.")
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except OSError as error:
        raise UserError(f"{path} cannot be read: {error.strerror}.") from error


def _refuse_if_open_elsewhere(path: Path) -> None:
    # Word keeps "~$" + the name (its first two letters dropped when long) beside
    # an open document; LibreOffice keeps ".~lock.<name>#".
    owners = {
        path.with_name(f"~${path.name[2:]}"),
        path.with_name(f"~${path.name}"),
        path.with_name(f".~lock.{path.name}#"),
    }
    if path.exists() and any(owner.exists() for owner in owners):
        raise ExportError(
            f"{path.name} is open in another program (Word or LibreOffice); "
            "close it there and try again, or choose another name."
        )


def _write_error(path: Path, error: OSError) -> ExportError:
    log.warning("writing %s failed: %s", path, error)
    if error.errno == errno.ENOSPC:
        return ExportError(f"The disk is full; {path.name} was not written.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(
            f"{path.name} cannot be written in {path.parent}: permission denied "
            "(the folder is read-only or the file is open in another program)."
        )
    return ExportError(f"{path.name} was not written: {error.strerror or error}.")
