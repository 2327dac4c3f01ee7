"""Which databases this process holds connections to (kept apart from the
engine, so that checking a path loads no SQLAlchemy).

Closing any descriptor this process has on a database file drops every lock
SQLite's connections here hold on it; so no file of a database listed here
may be opened other than through SQLite, and none may be moved while a
connection is left on it.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from pathlib import Path
from typing import Protocol

SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The database file and the files SQLite keeps beside it."""


class Holder(Protocol):
    path: Path

    def release(self) -> None:
        """Close its idle connections; new ones are made when next needed."""


_HOLDERS: weakref.WeakSet[Holder] = weakref.WeakSet()


def register(holder: Holder) -> None:
    _HOLDERS.add(holder)


def database_holding(path: Path) -> Path | None:
    """The database open in this process that ``path`` is a file of (the
    database or a file SQLite keeps beside it, by the file system's identity
    of files, not by name), if any."""
    for holder in list(_HOLDERS):
        for suffix in SQLITE_SUFFIXES:
            mine = holder.path.with_name(holder.path.name + suffix)
            with contextlib.suppress(OSError):
                if os.path.samefile(path, mine):
                    return holder.path
    return None


def release_connections(path: Path) -> None:
    """Close every idle connection this process holds on the database at
    ``path``, so that the file can be moved aside with none of them left on
    it: they are made again, on whatever file is then at ``path``, when next
    needed."""
    where = path.resolve()
    for holder in list(_HOLDERS):
        if holder.path.resolve() == where:
            holder.release()
