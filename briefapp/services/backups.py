"""Backing up and restoring a database file, as whole files, without opening it
as the window or a command does (a damaged database can still be restored)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from briefapp.db import backup
from briefapp.db.backup import Backup
from briefapp.db.migrate import known_revisions
from briefapp.db.opening import open_database
from briefapp.domain.errors import StorageError
from briefapp.services.briefs import Clock, utc_now

log = logging.getLogger(__name__)

DAMAGED_REASON = "damaged"
"""The reason in the name of a damaged database moved aside by a restore."""
KEEP_RANGE = backup.KEEP_RANGE
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
    keep: int = backup.DEFAULT_KEEP,
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
        StorageError: the backup is not a whole Briefapp database, or was made
            by a newer Briefapp; nothing was changed.
    """
    revision = backup.check_backup(source)
    if revision is not None and revision not in known_revisions():
        raise StorageError(
            f"{source} was made by a newer Briefapp (schema {revision}); nothing "
            "was restored."
        )
    now = clock()
    kept, damaged = _keep_current(database, now)
    backup.restore_backup(source, database)
    open_database(database).database.dispose()  # upgrades an older schema
    log.info("restored %s from %s", database, source)
    return Restored(kept, damaged)


def _keep_current(database: Path, now: dt.datetime) -> tuple[Path, bool]:
    if not database.exists():
        return database, False
    try:
        backup.check_backup(database)
        return backup.make_backup(database, "before-restore", now), False
    except StorageError:
        pass
    # Damaged: move it (and its journal files) aside, untouched.
    folder = backup.backup_folder(database)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    aside = folder / f"{database.stem}-{stamp}-{DAMAGED_REASON}.db"
    try:
        os.replace(database, aside)
        for suffix in ("-wal", "-shm"):
            journal = database.with_name(database.name + suffix)
            if journal.exists():
                os.replace(journal, aside.with_name(aside.name + suffix))
    except OSError as error:
        raise StorageError(
            f"{database} could not be moved aside before restoring: {error.strerror}."
        ) from error
    return aside, True
