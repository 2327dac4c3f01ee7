"""Writing and reading the user's files safely.

A file is written whole or not at all: the bytes go to a temporary file in the
same folder, are synced to disk, and only then replace the target. A target
that is a link to a file is written through (the link stays); a link to
nothing is refused, since writing through it would create a file elsewhere; a
target that is not a plain file (a device, a pipe) is refused; an existing
file keeps its permissions and a new one gets the usual ones. A target that
Word or LibreOffice has open is not overwritten.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefapp.db import live
from briefapp.domain.errors import ExportError, UserError

log = logging.getLogger(__name__)


NAME_MAX = 255
"""The longest file name most file systems take, in bytes (when the system
cannot say)."""
PATH_MAX = 4096


def name_problem(path: Path | str) -> str | None:
    """Why the file system cannot take ``path`` as a name (a part of it, or
    the whole, too long), as a sentence naming the file; ``None`` if it can."""
    path = Path(path)
    folder = _nearest_folder(path)
    longest = _limit(folder, "PC_NAME_MAX", NAME_MAX)
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > longest:
            return (
                f"The file name {_shortened(part)} in {path.parent} is {size} bytes "
                f"long; the file system takes names of at most {longest} bytes: "
                "choose a shorter name."
            )
    size = len(os.fsencode(str(path)))
    if size > (limit := _limit(folder, "PC_PATH_MAX", PATH_MAX)):
        return (
            f"The path {_shortened(str(path))} is {size} bytes long; the system "
            f"takes paths of at most {limit} bytes: choose a shorter one."
        )
    return None


def refuse_long_name(path: Path | str, error: type[UserError] = UserError) -> None:
    """Raise ``error`` with ``name_problem``'s sentence, if it has one."""
    problem = name_problem(path)
    if problem is not None:
        raise error(problem)


def _nearest_folder(path: Path) -> Path:
    for folder in path.absolute().parents:
        try:
            if folder.is_dir():
                return folder
        except OSError:
            continue
    return Path("/")


def _limit(folder: Path, name: str, default: int) -> int:
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError, AttributeError):  # not on Windows
        return default


def _shortened(name: str) -> str:
    return f"“{name}”" if len(name) <= 60 else f"“{name[:40]}…{name[-12:]}”"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one step; on failure ``path`` is untouched.

    Raises:
        ExportError: the folder is missing or not writable, the disk is full,
            the target is not a plain file, or it is open in another program.
    """
    with staged_write(path, data):
        pass


@contextmanager
def staged_write(path: Path, data: bytes) -> Iterator[None]:
    """Write ``data`` beside ``path``, run the block, then put the file in
    place; if the block fails, remove it and leave ``path`` untouched.

    Lets a caller commit a record of the file first, so that the file and the
    record exist together or (but for a failing final rename) not at all.

    Raises:
        ExportError: as ``write_atomically``.
    """
    refuse_long_name(path, ExportError)
    if not os.path.isdir(path.parent):
        # As the system sees it: "missing/../x.docx" names no place at all,
        # though the real path of it would be "x.docx".
        raise ExportError(f"The folder {path.parent} does not exist.")
    target = Path(os.path.realpath(path))
    if path.is_symlink() and not target.exists():
        # Writing through it would make a file somewhere the user never chose.
        raise ExportError(
            f"{path} is a link to {target}, which does not exist; choose another "
            "name or remove the link."
        )
    mode = _existing_mode(target, shown=path)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    _refuse_if_open_elsewhere(target)
    if live.database_holding(target) is not None:
        raise ExportError(
            f"{path} is a file of a database Briefapp has open; choose another "
            "file. Nothing was written."
        )
    # Beside the target, named after it unless that would make the name too
    # long for the folder (the target's own name may just fit).
    stem = target.name if len(os.fsencode(target.name)) <= 120 else target.name[:30]
    temporary = folder / f".{stem}.{secrets.token_hex(4)}.tmp"
    created = False
    try:
        try:
            # 0o666 minus the umask, as for any new file; an existing file's mode.
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            created = True
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                if mode is not None:
                    os.fchmod(file.fileno(), mode)
                os.fsync(file.fileno())
        except OSError as error:
            raise _write_error(path, error) from error
        yield
        try:
            os.replace(temporary, target)
            created = False
        except OSError as error:
            raise _write_error(path, error) from error
    finally:
        if created:
            temporary.unlink(missing_ok=True)


def read_user_file(path: Path, *, limit: int = 50_000_000) -> bytes:
    """The bytes of a file the user chose, or a ``UserError`` saying why not.

    A file of a database this process has open is never read: closing the
    descriptor would drop the locks SQLite holds on it here.
    """
    refuse_long_name(path)
    if live.database_holding(path) is not None:
        raise UserError(
            f"{path} is a file of a database Briefapp has open, not a file to "
            "read in; it was not read."
        )
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise UserError(f"{path} is a folder, not a file.")
        if not stat.S_ISREG(status.st_mode):
            raise UserError(f"{path} is not a regular file (a pipe or a device?).")
        if status.st_size > limit:
            raise UserError(
                f"{path} is too large ({status.st_size:,} bytes; at most {limit:,})."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path} does not exist.") from None
    except OSError as error:
        raise UserError(f"{path} cannot be read: {error.strerror}.") from error


def _existing_mode(target: Path, *, shown: Path) -> int | None:
    """The permission bits of an existing plain file; refuse anything else."""
    try:
        status = target.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ExportError(f"{shown} cannot be checked: {error.strerror}.") from error
    if stat.S_ISDIR(status.st_mode):
        raise ExportError(f"{shown} is a folder; choose a file name.")
    if not stat.S_ISREG(status.st_mode):
        raise ExportError(
            f"{shown} is not a plain file (a device or a pipe); choose another name."
        )
    return stat.S_IMODE(status.st_mode)


def _refuse_if_open_elsewhere(path: Path) -> None:
    # Word keeps "~$" + the name (its first two letters dropped when long) beside
    # an open document; LibreOffice keeps ".~lock.<name>#".
    owners = {
        path.with_name(f"~${path.name[2:]}"),
        path.with_name(f"~${path.name}"),
        path.with_name(f".~lock.{path.name}#"),
    }
    if path.exists() and any(_exists(owner) for owner in owners):
        raise ExportError(
            f"{path.name} is open in another program (Word or LibreOffice); "
            "close it there and try again, or choose another name."
        )


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; a name too long to exist does not."""
    try:
        return path.exists()
    except OSError:
        return False


def _write_error(path: Path, error: OSError) -> ExportError:
    log.warning("writing a file failed: %s", error.strerror)
    if error.errno == errno.ENOSPC:
        return ExportError(f"The disk is full; {path.name} was not written.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportError(
            f"{path.name} cannot be written in {path.parent}: permission denied "
            "(the folder is read-only or the file is open in another program)."
        )
    return ExportError(f"{path.name} was not written: {error.strerror or error}.")


STEM_BYTES = 150
"""The longest file name suggested, in UTF-8 bytes, before its suffix (file
systems take 255 bytes, and "-v12-review.docx" must still fit)."""


def file_stem(reference: str) -> str:
    """A file name (without suffix) suggested from a brief reference: no
    character a file system refuses, no path, and short enough for any disk."""
    stem = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "-", reference).strip("-.")
    while len(stem.encode("utf-8")) > STEM_BYTES:
        stem = stem[:-1]
    return stem.rstrip("-.") or "brief"


def issue_file_name(reference: str, version: int) -> str:
    """The file name suggested for issuing version ``version`` of a brief,
    ``MOD-2026-014-v3.docx``: the number its footer and history carry."""
    return f"{file_stem(reference)}-v{version}.docx"
