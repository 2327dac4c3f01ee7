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

from briefapp.db.engine import file_uri, refuse_damage, require_sqlite_header
from briefapp.db.retention import ROTATED
from briefapp.domain.errors import StorageError

DAILY = dt.timedelta(hours=24)
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<when>\d{8}-\d{6})(?:-\d+)?-(?P<reason>[a-z][a-z0-9-]*)\.db$"
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
        target.parent.mkdir(parents=True, exist_ok=True)
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
        temporary.unlink(missing_ok=True)
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
    """Check that ``path`` is a whole, undamaged Briefapp database; return
    the schema revision it records (``None`` for none).

    Raises:
        StorageError: naming the file and what is wrong with it.
    """
    require_sqlite_header(path)
    try:
        with _connect(path, read_only=True) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StorageError(f"{path} is damaged ({verdict}).")
            tables = {
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
            }
            if "brief" not in tables or "alembic_version" not in tables:
                raise StorageError(
                    f"{path} is an SQLite file but not a Briefapp database."
                )
            row = connection.execute(
                "SELECT version_num FROM alembic_version"
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise StorageError(f"{path} is damaged or not a database ({error}).") from error
    return None if row is None else str(row[0])


def restore_backup(backup: Path, database: Path) -> None:
    """Replace the content of ``database`` with that of ``backup`` (already
    checked), page by page with SQLite's backup API.

    Raises:
        StorageError: the copy failed; the database is as it was.
    """
    try:
        with _connect(backup, read_only=True) as source, _connect(database) as target:
            source.backup(target)
    except sqlite3.Error as error:
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
