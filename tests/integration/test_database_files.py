"""What Briefapp takes for its database, what it refuses in one or in a backup,
who may read the files it makes, and what killed backups leave behind."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefapp.db import backup
from briefapp.db.identity import Check, examine, known_schemas, read_schema
from briefapp.db.migrate import HEAD_REVISION, known_revisions
from briefapp.domain.errors import DamagedDatabaseError, StorageError
from briefapp.services import backups
from briefapp.services.session import Locations, Services, open_services
from tests.integration.test_cli import run

DATA = Path(__file__).parents[1] / "data"
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def sql(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def head_columns(table: str) -> str:
    return ", ".join(sorted(known_schemas()[HEAD_REVISION].tables[table]))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------ which files are Briefapp's


def test_every_revision_has_its_schema_written_down(
    database_path: Path, locations: Locations, tmp_path: Path
) -> None:
    assert set(known_schemas()) == known_revisions()
    for number in ("0001", "0002", "0003", "0004", "0005"):
        # A copy: reading a database in WAL mode leaves SQLite's files beside it.
        path = tmp_path / f"schema-{number}.db"
        shutil.copyfile(DATA / f"schema-{number}.db", path)
        assert examine(path, Check.FULL).revision == number
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            assert read_schema(connection) == (known_schemas()[number], number)
        connection.close()
    open_services(database_path, locations).close()
    with sqlite3.connect(database_path) as connection:
        assert read_schema(connection) == (
            known_schemas()[HEAD_REVISION],
            HEAD_REVISION,
        )
    connection.close()


@pytest.fixture(params=["alembic", "briefapp-like"])
def foreign(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Another program's database: one that uses Alembic too, or one with a
    Briefapp revision and some of Briefapp's tables."""
    (tmp_path / "elsewhere").mkdir()
    path = tmp_path / "elsewhere" / "other.db"
    if request.param == "alembic":
        sql(
            path,
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('3f2a9c1b7d4e')",
            "CREATE TABLE invoice (id INTEGER PRIMARY KEY, amount TEXT)",
            "INSERT INTO invoice VALUES (1, '12.50')",
        )
    else:
        sql(
            path,
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('0004')",
            f"CREATE TABLE brief ({head_columns('brief')})",
            f"CREATE TABLE brief_option ({head_columns('brief_option')})",
            "INSERT INTO brief (id, title) VALUES (1, 'Not ours')",
        )
    return path


def test_another_programs_database_is_refused_byte_for_byte_unchanged(
    foreign: Path, locations: Locations
) -> None:
    before = foreign.read_bytes()
    sentence = (
        f"{foreign} is a database of another program, not a Briefapp database. "
        "It was not changed."
    )
    with pytest.raises(StorageError) as caught:
        open_services(foreign, locations)  # as the window opens it
    assert str(caught.value) == sentence
    listed = run("list", db=foreign)
    assert (listed.returncode, listed.stderr) == (1, f"briefapp: {sentence}\n")
    made = run("backup", db=foreign)
    assert (made.returncode, made.stderr) == (1, f"briefapp: {sentence}\n")
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in foreign.parent.iterdir()) == ["other.db"]


def test_a_restore_never_replaces_another_programs_database(
    services: Services, database_path: Path, foreign: Path
) -> None:
    made = backups.backup_now(database_path)
    before = foreign.read_bytes()
    with pytest.raises(StorageError, match="is a database of another program"):
        backups.restore(foreign, made)
    assert foreign.read_bytes() == before
    assert not (foreign.parent / "backups").exists()


# ------------------------------------------- objects the migrations never make

INJECTED = (
    "CREATE TRIGGER declassify AFTER UPDATE ON brief BEGIN "
    "UPDATE brief SET classification = 'UNCLASSIFIED' "
    "WHERE id = new.id AND classification = 'RESTRICTED'; END",
    "CREATE VIEW titles_only AS SELECT title FROM brief",
)
NAMED = "trigger “declassify”, view “titles_only”"


@pytest.fixture
def closed_database(services: Services, database_path: Path) -> Path:
    services.close()
    return database_path


def test_a_trigger_or_view_put_into_the_database_is_refused_by_name(
    closed_database: Path, locations: Locations
) -> None:
    sql(closed_database, *INJECTED)
    before = closed_database.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_services(closed_database, locations)  # the window's opening
    assert str(caught.value).startswith(
        f"{closed_database} holds what Briefapp never makes, which may change "
        f"briefs unseen: {NAMED}. It was not changed;"
    )
    listed = run("list", db=closed_database)
    assert listed.returncode == 1
    assert NAMED in listed.stderr
    assert closed_database.read_bytes() == before


@pytest.mark.parametrize("revision", ["0003", HEAD_REVISION])
def test_a_backup_holding_a_trigger_or_view_is_never_restored(
    services: Services, database_path: Path, tmp_path: Path, revision: str
) -> None:
    source = tmp_path / "hostile.db"
    if revision == HEAD_REVISION:
        shutil.copyfile(backups.backup_now(database_path), source)
    else:
        shutil.copyfile(DATA / f"schema-{revision}.db", source)
    sql(source, *INJECTED)
    kept_before = backup.list_backups(database_path)
    services.close()
    before = database_path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        backups.restore(database_path, source)
    assert str(caught.value) == (
        f"{source} holds what Briefapp never makes, which may change briefs "
        f"unseen: {NAMED}. It was not used."
    )
    refused = run("restore", str(source), db=database_path)
    assert (refused.returncode, refused.stderr) == (1, f"briefapp: {caught.value}\n")
    assert database_path.read_bytes() == before
    assert backup.list_backups(database_path) == kept_before
    with sqlite3.connect(database_path) as connection:
        kinds = {row[0] for row in connection.execute("SELECT type FROM sqlite_master")}
    connection.close()
    assert kinds == {"table", "index"}


# ----------------------------------------------------------- owner-only files


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("usual_umask")
def test_the_database_and_its_backups_are_readable_by_their_owner_only(
    tmp_path: Path, locations: Locations
) -> None:
    """As README.md's *Where data lives* says: files 0600, folders 0700."""
    database = tmp_path / "new" / "data" / "briefs.db"
    services = open_services(database, locations)
    try:
        services.briefs.create_brief()
        wal = database.with_name("briefs.db-wal")
        shm = database.with_name("briefs.db-shm")
        assert [mode(p) for p in (database, wal, shm)] == [0o600] * 3
        assert mode(tmp_path / "new") == mode(database.parent) == 0o700
        manual = backups.backup_now(database)
        chosen = backups.backup_now(database, tmp_path / "copy.db")
        restored = backups.restore(database, manual).kept_as
    finally:
        services.close()
    assert mode(database.parent / "backups") == 0o700
    assert [mode(p) for p in (manual, chosen, restored)] == [0o600] * 3
    # The day's backup, and the one before an upgrade, alike.
    old = tmp_path / "old.db"
    shutil.copyfile(DATA / "schema-0003.db", old)
    old.chmod(0o600)
    open_services(old, locations).close()
    (before_upgrade,) = backup.list_backups(old)
    assert before_upgrade.reason == f"before-{HEAD_REVISION}"
    shutil.rmtree(database.parent / "backups")
    open_services(database, locations).close()
    (daily,) = backup.list_backups(database)
    assert daily.reason == "daily"
    assert mode(database.parent / "backups") == 0o700
    assert [mode(before_upgrade.path), mode(daily.path)] == [0o600] * 2


@pytest.mark.usefixtures("usual_umask")
def test_a_database_made_by_someone_else_keeps_its_permissions(
    tmp_path: Path, locations: Locations
) -> None:
    shared = tmp_path / "team"
    shared.mkdir(mode=0o770)
    shared.chmod(0o770)
    database = shared / "briefs.db"
    shutil.copyfile(DATA / "schema-0003.db", database)
    database.chmod(0o660)
    open_services(database, locations).close()
    assert (mode(shared), mode(database)) == (0o770, 0o660)


# ------------------------------------------------ what killed backups leave


def test_a_start_removes_what_killed_backups_left_and_nothing_else(
    services: Services, database_path: Path, locations: Locations
) -> None:
    folder = backups.backup_folder_of(database_path)
    made = backups.backup_now(database_path)
    services.close()
    left = [
        folder / ".briefs-20261120-090000-manual-0a1b2c3d.tmp",
        folder / ".briefs-20261120-090000-manual-0a1b2c3d.tmp-journal",
        folder / ".briefs-20261120-093000-before-0004-99aa88bb.tmp",
    ]
    running = folder / ".briefs-20261128-085959-daily-1234abcd.tmp"
    others = [
        folder / ".other-20261120-090000-manual-0a1b2c3d.tmp",  # another database's
        folder / ".briefs-notes.tmp",  # not a name a backup uses
        folder / "briefs-draft.tmp",
    ]
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=7)).timestamp()
    for path in [*left, running, *others]:
        path.write_bytes(b"partial copy")
        if path is not running:
            os.utime(path, (long_ago, long_ago))
    open_services(database_path, locations).close()
    remaining = {p.name for p in folder.iterdir()}
    assert remaining == {made.name, running.name, *(p.name for p in others)}
    listed = run("list", db=database_path)  # a command cleans up as well
    assert listed.returncode == 0
    os.utime(running, (long_ago, long_ago))
    assert run("list", db=database_path).returncode == 0
    assert {p.name for p in folder.iterdir()} == remaining - {running.name}
