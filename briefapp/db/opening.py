"""Opening a database file: refuse what is not ours (before anything could
write to it), create it owner-only or upgrade its schema; a file the user may
not change is opened read-only."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from briefapp.db.engine import Database
from briefapp.db.identity import Check, Identity, examine, refuse_working_file
from briefapp.db.migrate import HEAD_REVISION, stored_revision, upgrade_database
from briefapp.db.private import create_private_file, make_private_folder
from briefapp.domain.errors import StorageError


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    database: Database
    created: bool
    """True when the schema was made just now, in a new or empty file."""

    @property
    def read_only(self) -> bool:
        return self.database.read_only


def open_database(path: Path, *, thorough: bool = True) -> OpenedDatabase:
    """Open the database at ``path``, creating it if missing; read-only if the
    user may not write to the file. ``thorough``: have SQLite check every page
    first (the window does, at start; a command need not, since a damaged
    page is reported when it is read).

    Raises:
        StorageError: the file is not a Briefapp database, is damaged, was
            written by a newer Briefapp, or cannot be created or upgraded (or
            is read-only and needs an upgrade).
    """
    if path.is_symlink() and not path.exists():
        # Creating it would make a database (and folders) the user never chose.
        raise StorageError(
            f"The database {path} is a link to {os.path.realpath(path)}, which "
            "does not exist; give the path of the database itself."
        )
    identity = check_database_whole(path, thorough=thorough)
    if identity is not None and identity.newer:
        raise StorageError(
            f"The database {path} was written by a newer version of Briefapp "
            f"(schema {identity.revision}); update Briefapp to open it."
        )
    if is_read_only(path):
        return OpenedDatabase(_open_read_only(path), created=False)
    try:
        make_private_folder(path.parent)
        create_private_file(path)
    except OSError as error:
        raise StorageError(
            f"The database {path} cannot be created: {error.strerror}."
        ) from error
    database = Database(path)
    try:
        created = upgrade_database(database)
    except BaseException:
        database.dispose()
        raise
    return OpenedDatabase(database, created)


def check_database_whole(path: Path, *, thorough: bool = True) -> Identity | None:
    """Refuse, reading it through SQLite only, a file that is not a whole
    Briefapp database (``None``: there is no file yet, or it is empty).

    ``thorough``: have SQLite read every page (``PRAGMA quick_check``):
    milliseconds for a team's briefs, about 0.4 s for 10,000
    (``benchmarks/run.py``). The schema is always compared, table by table.

    Raises:
        StorageError: a folder, another program's database, damaged, or
            holding objects Briefapp never makes.
    """
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a database file.")
    if path.exists() and not path.is_file():
        # A device or a pipe: SQLite would write into it, or wait on it.
        raise StorageError(
            f"{path} is not a file (a device or a pipe); give the path of a "
            "database file."
        )
    refuse_working_file(path)  # even empty: SQLite would write a schema in it
    if not path.exists() or path.stat().st_size == 0:
        return None
    return examine(path, Check.QUICK if thorough else Check.NONE)


def is_read_only(path: Path) -> bool:
    """An existing database that this user may not change: the file or its
    folder (where SQLite keeps its log) is not writable, by permissions, an
    immutable flag or a read-only disk."""
    return (
        path.is_file()
        and path.stat().st_size > 0
        and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    )


def _open_read_only(path: Path) -> Database:
    database = Database(path, read_only=True)
    try:
        with database.reading() as session:
            revision = stored_revision(session.connection())
    except BaseException:
        database.dispose()
        raise
    if revision != HEAD_REVISION:
        database.dispose()
        raise StorageError(
            f"The database {path} is read-only, and it must first be upgraded to "
            "this Briefapp's schema by someone who may change it (it was not "
            "changed)."
        )
    return database
