"""Backing up and restoring a database file, as whole files, without opening it
as the window or a command does (a damaged database can still be restored).

Every look at a database or a backup goes through SQLite: this process may
hold connections to it (the window does), and any other descriptor on the
file, once closed, would drop the locks they hold."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from briefapp.db import backup, retention
from briefapp.db.backup import Backup
from briefapp.db.identity import known_schemas
from briefapp.db.live import release_connections
from briefapp.db.opening import open_database
from briefapp.db.private import make_private_folder
from briefapp.domain.errors import DamagedDatabaseError, StorageError
from briefapp.services.briefs import Clock, utc_now

log = logging.getLogger(__name__)

DAMAGED_REASON = "damaged"
"""The reason in the name of a damaged database moved aside by a restore."""
KEEP_RANGE = retention.KEEP_RANGE
"""The fewest and most backups the user may choose to keep."""


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did with the database it replaced."""

    kept_as: Path
    damaged: bool
    """The replaced database could not be read, so it was moved aside whole."""


def backup_now(
    database: Path,
    output: Path | None = None,
    clock: Clock = utc_now,
    keep: int = retention.DEFAULT_KEEP,
) -> Path:
    """Back up ``database`` into its backup folder (or to ``output``), keeping
    the newest ``keep`` backups there.

    Raises:
        StorageError: there is no database there, or the copy failed.
    """
    if not database.exists():
        raise StorageError(f"There is no database at {database} to back up.")
    backup.check_backup(database)
    return backup.make_backup(database, "manual", clock(), output=output, keep=keep)


def backup_folder_of(database: Path) -> Path:
    """Where the backups of ``database`` are kept."""
    return backup.backup_folder(database)


def list_backups(database: Path) -> list[Backup]:
    return backup.list_backups(database)


def restore(database: Path, source: Path, clock: Clock = utc_now) -> Restored:
    """Replace ``database`` with the backup ``source``, after checking it.

    The database replaced is backed up first; if it cannot be read (damaged),
    it is moved aside whole instead. A backup from an older Briefapp is
    upgraded; one from a newer Briefapp is refused.

    Raises:
        StorageError: the backup is not a whole Briefapp database, holds
            objects Briefapp never makes (triggers, views…), or was made by a
            newer Briefapp; or the database is another program's. Nothing
            was changed.
    """
    if database.exists() and source.exists() and database.samefile(source):
        raise StorageError(f"{source} is the database itself, not a backup of it.")
    revision = backup.check_backup(source)
    if revision is not None and revision not in known_schemas():
        raise StorageError(
            f"{source} was made by a newer Briefapp (schema {revision}); nothing "
            "was restored."
        )
    now = clock()
    kept, damaged = _keep_current(database, now)
    try:
        backup.restore_backup(source, database)
    except StorageError:
        if damaged:  # put the damaged file back where it was, as it was
            _move_with_journals(kept, database)
        raise
    open_database(database).database.dispose()  # upgrades an older schema
    log.info("restored %s from %s", database, source)
    return Restored(kept, damaged)


def _keep_current(database: Path, now: dt.datetime) -> tuple[Path, bool]:
    """Back up the database about to be replaced or, if it is damaged, move
    it aside whole; (where it is kept, whether it was damaged).

    Raises:
        StorageError: neither could be done; nothing was changed.
    """
    if not database.exists() or database.stat().st_size == 0:
        return database, False
    try:
        backup.check_backup(database)
    except DamagedDatabaseError:
        damaged = True  # another program's file, say, is refused as it is
    else:
        damaged = False
    if not damaged:
        try:
            return backup.make_backup(database, "before-restore", now), False
        except StorageError as error:
            raise StorageError(
                f"{error} Nothing was restored: the database as it is must be "
                "kept first."
            ) from error
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    aside = (
        backup.backup_folder(database) / f"{database.stem}-{stamp}-{DAMAGED_REASON}.db"
    )
    try:
        make_private_folder(aside.parent)
        # None of this process's connections may stay on the file moved away.
        release_connections(database)
        _move_with_journals(database, aside)
    except OSError as error:
        raise StorageError(
            f"{database} is damaged, and could not be moved aside into "
            f"{aside.parent} before restoring ({error.strerror}); nothing was "
            "restored."
        ) from error
    return aside, True


def _move_with_journals(source: Path, target: Path) -> None:
    """Move a database file and its ``-wal``/``-shm`` files, if any."""
    os.replace(source, target)
    for suffix in ("-wal", "-shm"):
        journal = source.with_name(source.name + suffix)
        if journal.exists():
            os.replace(journal, target.with_name(target.name + suffix))
