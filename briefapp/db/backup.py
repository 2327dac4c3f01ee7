"""Backups of the database with SQLite's online backup API, never a file copy
of a live database: on demand, before every migration and once a day on start,
keeping the newest few. A backup is checked before it is restored, and the
database it replaces is backed up first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefapp.db.engine import file_uri, refuse_damage
from briefapp.db.identity import Check, Role, examine
from briefapp.db.private import create_private_file, make_private_folder
from briefapp.db.retention import ROTATED
from briefapp.domain.errors import StorageError

DAILY = dt.timedelta(hours=24)
STALE_AFTER = dt.timedelta(hours=6)
"""A backup's temporary file untouched this long was left by a backup that
was killed (a backup writes it within seconds, and renames it at once)."""
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<when>\d{8}-\d{6})(?:-\d+)?-(?P<reason>[a-z][a-z0-9-]*)\.db$"
)
_TEMPORARY = re.compile(
    r"^\.(?P<stem>.+)-\d{8}-\d{6}-[a-z][a-z0-9-]*-[0-9a-f]{8}\.tmp"
    r"(?:-journal|-wal|-shm)?$"
)


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    made_at: dt.datetime
    reason: str


def backup_folder(database: Path) -> Path:
    """Where the backups of ``database`` are kept: beside it, in ``backups``."""
    return database.parent / "backups"


def make_backup(
    database: Path,
    reason: str,
    now: dt.datetime,
    *,
    folder: Path | None = None,
    output: Path | None = None,
    keep: int | None = None,
    verify: bool = False,
) -> Path:
    """Copy ``database`` with SQLite's backup API into the backup folder (or to
    ``output``), then, if ``keep`` is given, delete all but the newest ``keep``
    daily and manual backups in the folder (backups taken before an upgrade or
    a restore, and damaged databases moved aside, are never deleted).

    ``verify``: check the copy with ``PRAGMA quick_check`` and keep it only
    if it is whole (the daily backup does, so it never prunes good backups to
    make room for a copy of damage).

    Raises:
        DamagedDatabaseError: ``verify`` found the copy, hence the database,
            damaged; no backup was kept or deleted.
        StorageError: the database cannot be read or the copy not written.
    """
    folder = folder or backup_folder(database)
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    target = output or folder / f"{database.stem}-{stamp}-{reason}.db"
    temporary = target.with_name(f".{target.stem}-{secrets.token_hex(4)}.tmp")
    try:
        make_private_folder(target.parent)
        create_private_file(temporary)  # SQLite would make it readable by all
        with _connect(database, read_only=True) as source, _connect(temporary) as copy:
            source.backup(copy)
            # A backup is one self-contained file, whatever the source's journal.
            copy.execute("PRAGMA journal_mode = DELETE")
            if verify:
                _refuse_damaged_copy(copy, database)
        if output is None:
            target = _put_under_free_name(
                temporary, folder, database.stem, stamp, reason
            )
        else:
            os.replace(temporary, target)
    except (OSError, sqlite3.Error) as error:
        raise StorageError(
            f"The backup of {database} could not be written to {target}: {error}."
        ) from error
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            temporary.with_name(temporary.name + suffix).unlink(missing_ok=True)
    if output is None and keep is not None:
        rotated = [b for b in list_backups(database, folder) if b.reason in ROTATED]
        for old in rotated[max(keep, 1) :]:
            old.path.unlink(missing_ok=True)
    return target


def _refuse_damaged_copy(copy: sqlite3.Connection, database: Path) -> None:
    try:
        verdict = str(copy.execute("PRAGMA quick_check(1)").fetchone()[0])
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    refuse_damage(database, verdict)


def _put_under_free_name(
    temporary: Path, folder: Path, stem: str, stamp: str, reason: str
) -> Path:
    """Give ``temporary`` the backup's name (``-2``, ``-3``… after the time if
    another backup took it this second, even in another process)."""
    number = 1
    while True:
        counter = f"-{number}" if number > 1 else ""
        target = folder / f"{stem}-{stamp}{counter}-{reason}.db"
        try:
            os.link(temporary, target)  # fails, rather than replaces, if taken
        except FileExistsError:
            number += 1
            continue
        except OSError:  # a file system without hard links
            if target.exists():
                number += 1
                continue
            os.replace(temporary, target)
        return target


def list_backups(database: Path, folder: Path | None = None) -> list[Backup]:
    """The backups of ``database`` in its backup folder, newest first."""
    folder = folder or backup_folder(database)
    found = []
    pattern = f"{glob.escape(database.stem)}-*.db"
    for path in folder.glob(pattern) if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match is None or match["stem"] != database.stem:
            continue
        made = dt.datetime.strptime(match["when"], "%Y%m%d-%H%M%S").replace(
            tzinfo=dt.UTC
        )
        try:
            written = path.stat().st_mtime_ns  # orders backups of the same second
        except OSError:
            continue
        found.append((made, written, Backup(path, made, match["reason"])))
    return [item for *_, item in sorted(found, key=lambda f: f[:2], reverse=True)]


def daily_backup_due(database: Path, now: dt.datetime) -> bool:
    """Whether a day has passed since the newest backup (or there is none)."""
    backups = list_backups(database)
    return not backups or now - backups[0].made_at >= DAILY


def check_backup(path: Path) -> str | None:
    """Check, through SQLite only, that ``path`` is a whole Briefapp database
    holding nothing its migrations do not make; return the schema revision
    it records (possibly a newer Briefapp's).

    Raises:
        StorageError: naming the file and what is wrong with it.
    """
    if path.is_dir():
        raise StorageError(f"{path} is a folder, not a backup.")
    if not path.exists():
        raise StorageError(f"{path} does not exist.")
    identity = examine(path, Check.FULL, Role.BACKUP)
    if identity.revision is None:
        raise StorageError(f"{path} is an empty database, not a Briefapp backup.")
    return identity.revision


def remove_stale_temporaries(
    database: Path, now: dt.datetime, folder: Path | None = None
) -> list[Path]:
    """Delete what backups of ``database`` killed before they finished left
    in its backup folder: only Briefapp's own temporary names, and only those
    untouched for ``STALE_AFTER`` (a running backup keeps its file fresh);
    the files deleted.
    """
    folder = folder or backup_folder(database)
    removed = []
    pattern = f".{glob.escape(database.stem)}-*.tmp*"
    for path in folder.glob(pattern) if folder.is_dir() else ():
        match = _TEMPORARY.match(path.name)
        if match is None or match["stem"] != database.stem:
            continue
        try:
            touched = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
            if now - touched >= STALE_AFTER:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone meanwhile, or not ours to delete
    return removed


def restore_backup(backup: Path, database: Path) -> None:
    """Replace the content of ``database`` with that of ``backup`` (already
    checked), page by page with SQLite's backup API.

    Raises:
        StorageError: the copy failed; the database is as it was.
    """
    try:
        create_private_file(database)  # if it was moved aside, damaged
        with _connect(backup, read_only=True) as source, _connect(database) as target:
            source.backup(target)
    except (OSError, sqlite3.Error) as error:
        raise StorageError(
            f"{database} could not be restored from {backup} ({error}); it is "
            "unchanged."
        ) from error


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(
        file_uri(path, read_only=read_only), uri=True, timeout=30
    )
    try:
        yield connection
    finally:
        connection.close()
