"""The SQLite database: connection settings, transactions, bad files."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from briefapp.db import backup
from briefapp.db.engine import Database
from briefapp.db.opening import check_database_whole, open_database
from briefapp.domain.brief_format import dumps_brief
from briefapp.domain.errors import BriefConflictError, StorageError
from briefapp.services import backups
from briefapp.services.session import Services
from tests.integration.test_cli import run
from tests.reliability import BAD_DATABASES, CONFLICTS, HOSTILE_PATHS, tally

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def test_every_connection_gets_the_pragmas(database_path: Path) -> None:
    database = open_database(database_path).database
    try:
        with database.reading() as session:
            connection = session.connection()
            value = connection.exec_driver_sql
            assert value("PRAGMA foreign_keys").scalar() == 1
            assert value("PRAGMA journal_mode").scalar() == "wal"
            assert value("PRAGMA synchronous").scalar() == 2  # FULL
            assert value("PRAGMA busy_timeout").scalar() == 5000
            assert value("PRAGMA trusted_schema").scalar() == 0
    finally:
        database.dispose()


def test_writes_take_the_lock_at_the_start(database_path: Path) -> None:
    database = open_database(database_path).database
    try:
        with database.writing() as session:
            session.execute(text("SELECT 1"))
            other = sqlite3.connect(database_path, timeout=0)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
    finally:
        database.dispose()


def test_a_save_waits_for_another_writer(database_path: Path, tmp_path: Path) -> None:
    """Another process holds the write lock briefly; the save waits and succeeds."""
    from briefapp.services.briefs import BriefService

    database = open_database(database_path).database
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sqlite3, pathlib, time
                c = sqlite3.connect({str(database_path)!r}, isolation_level=None)
                c.execute("BEGIN IMMEDIATE")
                pathlib.Path({str(ready)!r}).write_text("locked")
                deadline = time.monotonic() + 1.0
                while time.monotonic() < deadline:
                    pass
                c.execute("COMMIT")
                """
            ),
        ]
    )
    try:
        while not ready.exists():
            if holder.poll() is not None:
                pytest.fail("the lock holder exited early")
        created = BriefService(database).create_brief()
        assert created.id is not None
    finally:
        holder.wait(timeout=30)
        database.dispose()


def test_busy_database_gives_a_clear_message(database_path: Path) -> None:
    open_database(database_path).database.dispose()
    blocker = sqlite3.connect(database_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    impatient = Database(database_path, busy_timeout_ms=50)
    try:
        with pytest.raises(StorageError) as caught, impatient.writing() as session:
            session.execute(text("SELECT 1"))
        assert str(caught.value) == (
            f"The database {database_path} is busy: another program is writing to "
            "it. Nothing was changed; try again in a moment."
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        impatient.dispose()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"This is a text file, not a database.\n", "is not a Briefapp database"),
        (b"PK\x03\x04" + b"\x00" * 100, "is not a Briefapp database"),
    ],
)
@pytest.mark.reliability
def test_a_file_that_is_not_a_database_is_refused_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StorageError, match=message):
        open_database(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]
    tally(BAD_DATABASES)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder, not a database file"):
        open_database(tmp_path)


def test_a_device_or_a_pipe_is_refused_untouched(tmp_path: Path) -> None:
    pipe = tmp_path / "briefs.db"
    os.mkfifo(pipe)
    for path in (Path("/dev/null"), pipe):
        with pytest.raises(
            StorageError, match="is not a file \\(a device or a pipe\\)"
        ):
            open_database(path)
    assert Path("/dev/null").is_char_device()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefs.db"]


def test_missing_folders_are_created(tmp_path: Path) -> None:
    opened = open_database(tmp_path / "a" / "b" / "briefs.db")
    try:
        assert opened.created
        assert (tmp_path / "a" / "b" / "briefs.db").is_file()
    finally:
        opened.database.dispose()


@pytest.mark.reliability
def test_a_save_from_another_process_is_never_overwritten(
    services: Services, database_path: Path
) -> None:
    """This process opened the brief; another process saves it first, through
    the command line; this process's save, based on the older revision, is
    refused, and the other's edit stays."""
    opened_here = services.briefs.get_brief(1)
    other = replace(opened_here, addressee="Saved by the other process")
    file = database_path.with_name("other.brief.json")
    file.write_text(dumps_brief(other), encoding="utf-8")
    done = run("update", "1", str(file), db=database_path)
    assert done.returncode == 0, done.stderr
    with pytest.raises(BriefConflictError) as caught:
        services.briefs.save_brief(replace(opened_here, addressee="Saved here"))
    assert str(caught.value) == (
        "Brief MOD-2026-014 was changed elsewhere since it was opened; your edits "
        "were not saved over those changes."
    )
    assert services.briefs.get_brief(1).addressee == "Saved by the other process"
    # Saved on top of the latest revision, the edit goes in.
    latest = services.briefs.get_brief(1)
    services.briefs.save_brief(replace(latest, addressee="Saved here, after"))
    assert services.briefs.get_brief(1).addressee == "Saved here, after"
    tally(CONFLICTS)


def _damage_pages(path: Path) -> bytes:
    """Overwrite the headers of a few b-tree pages, as a bad disk would."""
    data = bytearray(path.read_bytes())
    for page in range(2, 8):
        offset = 4096 * (page - 1)
        data[offset : offset + 12] = bytes.fromhex("0d000000050fff0000000000")
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.reliability
def test_a_damaged_or_truncated_database_is_refused_untouched(
    services: Services, database_path: Path, tmp_path: Path
) -> None:
    services.close()
    with sqlite3.connect(database_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    whole = database_path.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(whole[: len(whole) // 3])
    damaged = _damage_pages(database_path)
    for path, content in (
        (database_path, damaged),
        (truncated, truncated.read_bytes()),
    ):
        with pytest.raises(StorageError) as caught:
            open_database(path)
        message = str(caught.value)
        assert message.startswith(f"{path} is damaged")
        assert message.endswith(
            f"It was not changed; its backups are listed by `briefapp --db {path} "
            f"backups` and put back by `briefapp --db {path} restore FILE`."
        )
        assert path.read_bytes() == content
        # A command checks less up front, and still refuses it untouched.
        listed = run("list", db=path)
        assert listed.returncode == 1
        assert listed.stderr.startswith(f"briefapp: {path} is damaged")
        assert "Traceback" not in listed.stderr
        assert path.read_bytes() == content
        tally(BAD_DATABASES)


@pytest.mark.reliability
def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contact (name TEXT)")
        connection.execute("INSERT INTO contact VALUES ('Ona')")
    connection.close()
    content = path.read_bytes()
    with pytest.raises(StorageError) as caught:
        open_database(path)
    assert str(caught.value) == (
        f"{path} is a database of another program, not a Briefapp database. It "
        "was not changed."
    )
    assert path.read_bytes() == content
    with sqlite3.connect(path) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
    connection.close()
    assert tables == ["contact"]
    tally(BAD_DATABASES)


@pytest.mark.reliability
def test_a_link_to_no_database_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "briefs.db"
    link.symlink_to(tmp_path / "elsewhere" / "real.db")
    with pytest.raises(StorageError) as caught:
        open_database(link)
    assert str(caught.value) == (
        f"The database {link} is a link to {tmp_path / 'elsewhere' / 'real.db'}, "
        "which does not exist; give the path of the database itself."
    )
    assert not (tmp_path / "elsewhere").exists()
    tally(HOSTILE_PATHS)


@pytest.mark.reliability
def test_damage_no_command_reads_is_found_by_the_days_first_backup(
    services: Services, database_path: Path
) -> None:
    """A command reads only what it needs; the day's first opening copies and
    checks everything, and refuses the database rather than back up damage."""
    old = backups.backup_now(database_path, clock=lambda: NOW - dt.timedelta(days=2))
    services.close()
    with sqlite3.connect(database_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(database_path.read_bytes())
    data[80 * 1024 : 84 * 1024] = b"\xa5" * 4096
    database_path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="is damaged"):
        check_database_whole(database_path)  # what the window checks at start
    listed = run("list", db=database_path)
    assert listed.returncode == 1
    assert listed.stderr.startswith(f"briefapp: {database_path} is damaged")
    assert database_path.read_bytes() == bytes(data)
    assert [b.path for b in backup.list_backups(database_path)] == [old]
    tally(BAD_DATABASES)
