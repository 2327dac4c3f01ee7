"""Opening a database file: refuse what is not ours, create or upgrade the schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefapp.db.engine import Database, check_database_file, check_database_whole
from briefapp.db.migrate import upgrade_database
from briefapp.domain.errors import StorageError


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    database: Database
    created: bool
    """True when the schema was made just now, in a new or empty file."""


def open_database(path: Path) -> OpenedDatabase:
    """Open the database at ``path``, creating it if missing.

    Raises:
        StorageError: the file is not a Briefapp database, is damaged, was
            written by a newer Briefapp, or cannot be created or upgraded.
    """
    check_database_file(path)
    check_database_whole(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(
            f"The folder for the database {path} cannot be created: {error.strerror}."
        ) from error
    database = Database(path)
    try:
        created = upgrade_database(database)
    except BaseException:
        database.dispose()
        raise
    return OpenedDatabase(database, created)
