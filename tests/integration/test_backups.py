"""Backups with SQLite's backup API: on demand, before a migration, daily;
checked before a restore, and the database replaced is kept."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from briefapp import paths
from briefapp.db import backup, migrate, retention
from briefapp.db.opening import open_database
from briefapp.domain.errors import StorageError
from briefapp.services import backups
from briefapp.services.session import Locations, Services, open_services
from briefapp.settings import Settings
from tests.integration.test_cli import run

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def titles(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [
            row[0] for row in connection.execute("SELECT title FROM brief ORDER BY id")
        ]


def test_a_live_database_is_backed_up_whole(
    services: Services, database_path: Path
) -> None:
    services.briefs.create_brief()  # a write still in the write-ahead log
    made = backups.backup_now(database_path, clock=lambda: NOW)
    assert made == database_path.parent / "backups" / "briefs-20261128-090000-manual.db"
    assert titles(made) == titles(database_path) == [titles(made)[0], "Untitled brief"]
    assert backup.check_backup(made) == migrate.HEAD_REVISION
    assert not made.with_name(made.name + "-wal").exists()  # one self-contained file


def test_only_the_newest_backups_are_kept(
    services: Services, database_path: Path
) -> None:
    for minute in range(12):
        backups.backup_now(database_path, clock=lambda m=minute: NOW.replace(minute=m))
    kept = backup.list_backups(database_path)
    assert len(kept) == retention.DEFAULT_KEEP
    assert kept[0].made_at == NOW + dt.timedelta(minutes=11)
    assert kept[-1].made_at == NOW + dt.timedelta(minutes=2)
    # Fewer, as the user chose; a backup before an upgrade deletes none, and
    # none is deleted to make room for daily and manual ones.
    backups.backup_now(database_path, clock=lambda: NOW + dt.timedelta(hours=1), keep=3)
    assert len(backup.list_backups(database_path)) == 3
    backup.make_backup(database_path, "before-0005", NOW + dt.timedelta(hours=2))
    assert len(backup.list_backups(database_path)) == 4
    backups.backup_now(database_path, clock=lambda: NOW + dt.timedelta(hours=3), keep=1)
    assert [b.reason for b in backup.list_backups(database_path)] == [
        "manual",
        "before-0005",
    ]


def test_backups_in_the_same_second_are_all_kept(
    services: Services, database_path: Path
) -> None:
    made = [backups.backup_now(database_path, clock=lambda: NOW) for _ in range(3)]
    assert [path.name for path in made] == [
        "briefs-20261128-090000-manual.db",
        "briefs-20261128-090000-2-manual.db",
        "briefs-20261128-090000-3-manual.db",
    ]
    listed = backup.list_backups(database_path)
    assert [b.path for b in listed] == made[::-1]
    assert {b.reason for b in listed} == {"manual"}
    assert sorted(p.name for p in made[0].parent.iterdir()) == sorted(
        p.name for p in made
    )  # no temporary files left


def test_the_count_kept_is_the_users_preference(
    tmp_path: Path, database_path: Path, locations: Locations
) -> None:
    settings_path = paths.settings_file()
    Settings(backups_kept=2).save(settings_path)
    assert Settings.load(settings_path).backups_kept == 2
    settings_path.write_text('{"backups_kept": 0}', encoding="utf-8")
    assert Settings.load(settings_path).backups_kept == 1  # never none at all
    settings_path.write_text('{"backups_kept": true}', encoding="utf-8")
    assert Settings.load(settings_path).backups_kept == retention.DEFAULT_KEEP

    Settings(backups_kept=2).save(settings_path)
    open_services(database_path, locations).close()
    for minute in range(3):
        backups.backup_now(database_path, clock=lambda m=minute: NOW.replace(minute=m))
    assert run("backup", db=database_path).returncode == 0
    kept = backup.list_backups(database_path)
    assert len(kept) == 2
    assert kept[1].made_at == NOW.replace(minute=2)


def test_a_migration_is_preceded_by_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parents[1] / "data" / "schema-0003.db", path)
    before = titles(path)
    open_database(path).database.dispose()
    (made,) = backup.list_backups(path)
    assert made.reason == f"before-{migrate.HEAD_REVISION}"
    assert backup.check_backup(made.path) == "0003"
    assert titles(made.path) == before


def test_a_daily_backup_is_made_on_the_first_opening_of_the_day(
    database_path: Path, locations: Locations
) -> None:
    open_services(database_path, locations).close()  # new: nothing to back up
    assert backup.list_backups(database_path) == []
    open_services(database_path, locations).close()
    assert [b.reason for b in backup.list_backups(database_path)] == ["daily"]
    open_services(database_path, locations).close()  # the same day: no second one
    assert len(backup.list_backups(database_path)) == 1


def test_a_restore_checks_the_backup_and_keeps_what_it_replaces(
    services: Services, database_path: Path, tmp_path: Path
) -> None:
    saved = backups.backup_now(database_path, clock=lambda: NOW)
    services.briefs.create_brief()
    services.close()

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database")
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(saved.read_bytes()[:5000])
    newer = tmp_path / "newer.db"
    shutil.copyfile(saved, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    current = titles(database_path)
    for bad, message in (
        (junk, r"is not a Briefapp database \(not an SQLite file\)"),
        (truncated, "is damaged"),
        (newer, r"was made by a newer Briefapp \(schema 9999\); nothing was restored"),
    ):
        with pytest.raises(StorageError, match=message):
            backups.restore(database_path, bad)
        assert titles(database_path) == current

    done = backups.restore(
        database_path, saved, clock=lambda: NOW + dt.timedelta(hours=1)
    )
    assert titles(database_path) == titles(saved)
    assert not done.damaged
    assert titles(done.kept_as) == current


def test_a_damaged_database_is_moved_aside_and_restored(
    services: Services, database_path: Path
) -> None:
    saved = backups.backup_now(database_path, clock=lambda: NOW)
    services.close()
    database_path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    with pytest.raises(StorageError, match="is damaged"):
        open_database(database_path)
    done = backups.restore(
        database_path, saved, clock=lambda: NOW + dt.timedelta(hours=1)
    )
    assert done.damaged
    assert done.kept_as.read_bytes().startswith(b"SQLite format 3")
    assert titles(database_path) == titles(saved)


@pytest.mark.slow
def test_backup_and_restore_on_the_command_line(database_path: Path) -> None:
    assert run("list", db=database_path).returncode == 0
    made = run("backup", db=database_path)
    assert made.returncode == 0, made.stderr
    copy = Path(made.stdout.strip())
    demo = "resources/demo.brief.json"
    assert run("import", "--as-new", demo, db=database_path).returncode == 0
    listed = run("backups", db=database_path)
    assert listed.stdout.splitlines()[0].endswith(f"\tmanual\t{copy}")
    restored = run("restore", str(copy), db=database_path)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored {database_path} from {copy}; ")
    assert len(run("list", db=database_path).stdout.splitlines()) == 1
    refused = run("restore", "README.md", db=database_path)
    assert (refused.returncode, refused.stderr) == (
        1,
        "briefapp: README.md is not a Briefapp database (not an SQLite file).\n",
    )


def test_a_restore_that_cannot_keep_the_database_first_changes_nothing(
    services: Services, database_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = backups.backup_now(database_path, clock=lambda: NOW)
    services.briefs.create_brief()
    services.close()
    before = titles(database_path)

    def disk_full(database: Path, *_args: object, **_kwargs: object) -> Path:
        raise StorageError(f"The backup of {database} could not be written: disk full.")

    monkeypatch.setattr(backup, "make_backup", disk_full)
    with pytest.raises(StorageError) as caught:
        backups.restore(database_path, saved)
    assert str(caught.value).endswith(
        "Nothing was restored: the database as it is must be kept first."
    )
    assert titles(database_path) == before  # healthy, in place, not "damaged"
    assert [b.reason for b in backup.list_backups(database_path)] == ["manual"]
    with pytest.raises(StorageError, match="is the database itself"):
        backups.restore(database_path, database_path)
