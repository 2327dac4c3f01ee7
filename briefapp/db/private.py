"""Files and folders only their owner may read: the database, its backups and
the folders made for them hold classified text.

SQLite gives a database's ``-wal``, ``-shm`` and ``-journal`` files the mode
of the database itself, so a database made here owner-only stays so whole.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing folder above it, each owner-only; a
    folder that exists keeps its mode (it may be shared on purpose).

    Raises:
        OSError: a folder cannot be created.
    """
    missing = []
    for level in (folder, *folder.parents):
        if level.is_dir():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not level.is_dir():
                raise


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty and owner-only unless it exists (SQLite reads an
    empty file as an empty database); whether it was created here. Done
    before SQLite opens it, which would otherwise make it readable by all.

    Raises:
        OSError: it cannot be created.
    """
    if path.exists():
        return False
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(handle)  # a new, empty file: no connection can hold locks on it
    return True
