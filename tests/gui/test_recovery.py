"""A database that cannot be opened at start: a backup can be put back."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

import pytest

from briefapp.gui.recovery import TITLE, open_or_recover
from briefapp.services import backups
from briefapp.services.session import Locations, Services, open_services
from tests.gui.conftest import Dialogs
from tests.reliability import BAD_DATABASES, tally

DAMAGED = b"SQLite format 3\x00" + b"\x00" * 4000


def test_a_damaged_database_is_restored_from_its_newest_backup(
    services: Services,
    database_path: Path,
    locations: Locations,
    scripted_dialogs: Dialogs,
) -> None:
    backups.backup_now(database_path)
    services.close()
    database_path.write_bytes(DAMAGED)
    opener = partial(open_services, locations=locations)

    scripted_dialogs.choose.append(None)  # Cancel: quit, the file untouched
    assert open_or_recover(database_path, opener) is None
    assert database_path.read_bytes() == DAMAGED
    assert not database_path.with_name("briefs.db-wal").exists()

    scripted_dialogs.choose.append("newest")
    reopened = open_or_recover(database_path, opener)
    assert reopened is not None
    try:
        assert [b.reference for b in reopened.briefs.list_briefs()] == ["MOD-2026-014"]
    finally:
        reopened.close()
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("choice", TITLE)
    assert "is damaged (SQLite's check says: file is not a database)" in text
    assert "the newest is from" in text
    assert "briefapp --db" not in text  # the window offers the backups itself
    assert [b.reason for b in backups.list_backups(database_path)].count("damaged") == 1


@pytest.mark.reliability
def test_without_backups_another_database_can_be_opened(
    database_path: Path,
    locations: Locations,
    scripted_dialogs: Dialogs,
    tmp_path: Path,
) -> None:
    database_path.write_bytes(b"this is a letter, not a database")
    opener = partial(open_services, locations=locations)
    scripted_dialogs.choose.append(None)  # Cancel: quit
    assert open_or_recover(database_path, opener) is None
    assert scripted_dialogs.shown == [
        (
            "choice",
            TITLE,
            f"{database_path} is not a Briefapp database (not an SQLite file).\n\n"
            "There is no backup of it. Open another database?",
        )
    ]
    assert database_path.read_bytes() == b"this is a letter, not a database"

    other = tmp_path / "team" / "briefs.db"
    open_services(other, locations).close()
    scripted_dialogs.choose.append("another")
    scripted_dialogs.open_file.append(other)
    reopened = open_or_recover(database_path, opener)
    assert reopened is not None
    try:
        assert reopened.database_path == other
        assert [b.reference for b in reopened.briefs.list_briefs()] == ["MOD-2026-014"]
    finally:
        reopened.close()
    assert database_path.read_bytes() == b"this is a letter, not a database"
    tally(BAD_DATABASES)


def test_a_newer_database_is_never_replaced_by_a_backup(
    services: Services,
    database_path: Path,
    locations: Locations,
    scripted_dialogs: Dialogs,
) -> None:
    backups.backup_now(database_path)
    services.close()
    with sqlite3.connect(database_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    before = database_path.read_bytes()
    scripted_dialogs.choose.append(None)
    assert (
        open_or_recover(database_path, partial(open_services, locations=locations))
        is None
    )
    ((kind, title, text),) = scripted_dialogs.shown
    assert (kind, title) == ("choice", TITLE)
    assert "newer" in text
    assert text.endswith("\n\nOpen another database?")
    assert "backup" not in text
    assert database_path.read_bytes() == before
