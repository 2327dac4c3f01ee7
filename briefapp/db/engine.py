"""Opening the SQLite database: connection settings and units of work.

Every connection gets the same pragmas (foreign keys on, WAL journal,
``synchronous=FULL``, a busy timeout, untrusted schema). Reads start a deferred
transaction; writes start with ``BEGIN IMMEDIATE`` so a second writer waits
for the lock at the start instead of failing half-way with
``SQLITE_BUSY_SNAPSHOT``. Storage failures leave this module as
``StorageError`` with a sentence for the user.
"""

from __future__ import annotations

import logging
import os
import shlex
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from briefapp.db import live
from briefapp.domain.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    ReadOnlyDatabaseError,
    StorageError,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
# WAL with synchronous=FULL syncs the log on every commit: an autosaved edit
# survives a power cut, not only a crash of the app. At the rate people type
# and save (at most a few commits a second) the extra fsync is not noticeable.
CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA trusted_schema = OFF",
)
_WRITE_OPTION = "briefapp_write"


class Database:
    """One database file, with sessions for reading and for writing."""

    def __init__(
        self,
        path: Path,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.read_only = read_only
        """Opened for reading only (SQLite refuses every write)."""
        self.engine = _create_engine(path, busy_timeout_ms, read_only)
        live.register(self)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}),
            expire_on_commit=False,
        )

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only unit of work."""
        with self._storage_errors(), self._read_sessions() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A short write unit of work, committed on success."""
        with self._storage_errors(), self._write_sessions.begin() as session:
            yield session

    def write_engine(self) -> Engine:
        """The engine whose connections start write transactions."""
        return self.engine.execution_options(**{_WRITE_OPTION: True})

    def dispose(self) -> None:
        self.engine.dispose()

    def release(self) -> None:
        """Close the idle connections; new ones are made when next needed."""
        self.engine.dispose()

    @contextmanager
    def _storage_errors(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as error:
            raise storage_error(self.path, error) from error


class ChangeProbe:
    """Tells whether another connection (this process or another) committed to
    the database since the last look, from SQLite's ``PRAGMA data_version`` on
    a connection of its own. Looking is cheap: it reads no table."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._version: int | None = None
        live.register(self)
        self.changed()

    def changed(self) -> bool:
        """True if someone else committed since the last call (never raises)."""
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(
                    file_uri(self.path, read_only=True),
                    uri=True,
                    check_same_thread=False,
                )
            version = int(self._connection.execute("PRAGMA data_version").fetchone()[0])
        except (sqlite3.Error, OSError) as error:
            log.warning("cannot look for changes in %s: %s", self.path, error)
            self.close()
            return False
        changed = self._version is not None and version != self._version
        self._version = version
        return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._version = None  # another connection counts afresh

    def release(self) -> None:
        """Close the connection; the next look makes a new one."""
        self.close()


def storage_error(path: Path, error: DBAPIError) -> StorageError:
    """The user's sentence for a database failure."""
    text = str(error.orig).lower()
    log.warning("database error on %s: %s", path, error.orig)
    if "locked" in text or "busy" in text:
        return DatabaseBusyError(
            f"The database {path} is busy: another program is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return damaged_error(path, "is damaged or is not a Briefapp database")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(
            f"The database {path} is read-only; it cannot be changed."
        )
    if "disk" in text and "full" in text:
        return StorageError(f"The disk holding {path} is full; nothing was saved.")
    if "unable to open" in text:
        return StorageError(f"The database {path} cannot be opened.")
    return StorageError(f"The database {path} failed: {error.orig}")


def damaged_error(path: Path, what: str) -> DamagedDatabaseError:
    """That the database at ``path`` ``what`` ("is damaged (…)"), with how to
    get a backup back on the command line."""
    db = f"--db {shlex.quote(str(path))}"
    return DamagedDatabaseError(
        f"{path} {what}. It was not changed; its backups are listed by "
        f"`briefapp {db} backups` and put back by `briefapp {db} restore FILE`.",
        in_window=f"{path} {what}. It was not changed.",
    )


def refuse_damage(path: Path, verdict: str) -> None:
    """Refuse the database at ``path`` unless SQLite's check of it (or of a
    copy of it) said "ok"; the refusal quotes the first thing it found."""
    if verdict != "ok":
        first = " ".join(verdict.replace("*** in database main ***", "").split())
        detail = first if len(first) <= 120 else f"{first[:119]}…"
        raise damaged_error(path, f"is damaged (SQLite's check says: {detail})")


def file_uri(path: Path, *, read_only: bool = False) -> str:
    """The SQLite URI of exactly ``path``: characters such as ``?`` or ``#`` in
    a file name are escaped, never read as URI options.

    Read-only, in a folder where SQLite cannot make the ``-shm`` file it reads
    a write-ahead log with, the file is read as immutable (there is then no
    log to read: nobody can have written one there).
    """
    uri = path.resolve().as_uri()
    if not read_only:
        return uri
    wal = path.with_name(path.name + "-wal")
    fixed = not os.access(path.parent, os.W_OK) and not (
        wal.exists() and wal.stat().st_size > 0
    )
    return uri + ("?mode=ro&immutable=1" if fixed else "?mode=ro")


def _create_engine(path: Path, busy_timeout_ms: int, read_only: bool) -> Engine:
    uri = file_uri(path, read_only=read_only)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            uri, uri=True, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )

    # The connection is made from the URI above, not from SQLAlchemy's URL,
    # so no part of the file name can be taken for an option.
    engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=QueuePool)
    event.listen(engine, "connect", partial(_on_connect, busy_timeout_ms, read_only))
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(
    busy_timeout_ms: int,
    read_only: bool,
    dbapi_connection: sqlite3.Connection,
    _record: Any,
) -> None:
    # Let SQLAlchemy's BEGIN (below) decide where transactions start, rather
    # than the sqlite3 module's implicit deferred BEGIN before each write.
    dbapi_connection.isolation_level = None
    for pragma in CONNECTION_PRAGMAS:
        if read_only and "journal_mode" in pragma:
            continue  # setting it is a write; a read-only file keeps its own
        dbapi_connection.execute(pragma)
    dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")


def _on_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
