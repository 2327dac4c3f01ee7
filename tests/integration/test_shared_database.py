"""The window and the command line on one database: nothing either does may
drop the locks SQLite holds in the other, so both see every write and none is
lost. The window is its services here, as it uses them."""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import io
import os
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from briefapp.db import backup
from briefapp.db.opening import check_database_whole
from briefapp.domain.brief_format import dumps_brief
from briefapp.domain.entities import Brief
from briefapp.domain.errors import DamagedDatabaseError, UserError
from briefapp.services import backups
from briefapp.services.session import Locations, Services, open_services
from tests.integration.test_cli import run


def stored_titles(path: Path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        titles = {row[0] for row in connection.execute("SELECT title FROM brief")}
    connection.close()
    return titles


def brief_file(folder: Path, brief: Brief, title: str) -> Path:
    path = folder / f"{title.replace(' ', '-')}.brief.json"
    # References are unique in a database: each file has its own.
    reference = "REF-" + title.upper().replace(" ", "-")
    path.write_text(
        dumps_brief(replace(brief, title=title, reference=reference)), encoding="utf-8"
    )
    return path


def save_here(services: Services, title: str) -> None:
    """A save in the window: a new brief, then its title typed in."""
    created = services.briefs.create_brief()
    services.briefs.save_brief(replace(created, title=title))


# ---------------------------------------------------------------- the guard


@pytest.fixture
def outside_reads(database_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every attempt in this process to open the database or SQLite's files
    beside it other than through SQLite (each would drop SQLite's locks)."""
    live = {
        os.path.realpath(database_path.with_name(database_path.name + suffix))
        for suffix in ("", "-wal", "-shm", "-journal")
    }
    caught: list[str] = []

    def check(name: str, file: object) -> None:
        if isinstance(file, str | bytes | os.PathLike) and (
            os.path.realpath(os.fsdecode(file)) in live
        ):
            caught.append(f"{name}({os.fsdecode(file)})")

    def watch(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def opener(file: object, *args: Any, **kwargs: Any) -> Any:
            flags = args[0] if name == "os.open" and args else 0
            if flags & (os.O_CREAT | os.O_EXCL) != os.O_CREAT | os.O_EXCL:
                check(name, file)  # (a file made new cannot be locked yet)
            return real(file, *args, **kwargs)

        return opener

    monkeypatch.setattr(builtins, "open", watch("open", builtins.open))
    monkeypatch.setattr(io, "open", watch("io.open", io.open))
    monkeypatch.setattr(os, "open", watch("os.open", os.open))
    for method in ("open", "read_bytes", "read_text"):
        monkeypatch.setattr(
            Path, method, watch(f"Path.{method}", getattr(Path, method))
        )
    return caught


def test_no_action_opens_the_live_database_outside_sqlite(
    services: Services,
    database_path: Path,
    locations: Locations,
    demo_brief: Brief,
    tmp_path: Path,
    outside_reads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = backups.backup_now(database_path)
    services.briefs.import_brief_file(brief_file(tmp_path, demo_brief, "Imported"))
    for own in (database_path, database_path.with_name(database_path.name + "-wal")):
        with pytest.raises(UserError, match="is a file of a database Briefapp has"):
            services.briefs.import_brief_file(own)
        with pytest.raises(UserError, match="is a file of a database Briefapp has"):
            services.briefs.export_brief_file(1, own)
        with contextlib.suppress(UserError):  # (not a template, whatever it says)
            assert services.export.add_template(own).errors
        with contextlib.suppress(UserError):  # refused, by name or as the database
            services.export.export_docx(services.briefs.get_brief(1), own)
    services.export.export_docx(services.briefs.get_brief(1), tmp_path / "out.docx")
    check_database_whole(database_path, thorough=True)
    backup.check_backup(database_path)
    backups.list_backups(database_path)
    backup.make_backup(database_path, "daily", dt.datetime.now(dt.UTC), verify=True)
    backup.remove_stale_temporaries(database_path, dt.datetime.now(dt.UTC))
    backups.restore(database_path, made)
    for suffix in ("-wal", "-shm"):
        beside = database_path.with_name(database_path.name + suffix)
        with pytest.raises(UserError, match="is a file SQLite keeps beside"):
            backups.restore(database_path, beside)
        with pytest.raises(UserError, match="is a file SQLite keeps beside"):
            open_services(beside, locations)

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    with pytest.raises(UserError):
        backups.restore(database_path, junk)
    other = open_services(tmp_path / "other.db", locations)
    other.close()
    again = open_services(database_path, locations)
    again.close()
    # A restore over a database found damaged moves it aside, closing the
    # connections this process holds on it first.
    real_check = backup.check_backup

    def live_damaged(path: Path) -> str | None:
        if path == database_path:
            raise DamagedDatabaseError("damaged")
        return real_check(path)

    monkeypatch.setattr(backup, "check_backup", live_damaged)
    done = backups.restore(database_path, made)
    assert done.damaged
    assert outside_reads == []
    # The window's next save goes into the restored database, not the one
    # moved aside.
    save_here(services, "Saved after the restore")
    assert "Saved after the restore" in stored_titles(database_path)
    assert "Saved after the restore" not in stored_titles(done.kept_as)


def test_an_empty_log_beside_a_database_is_not_opened_as_one(
    tmp_path: Path, locations: Locations
) -> None:
    database = tmp_path / "briefs.db"
    open_services(database, locations).close()
    log = database.with_name("briefs.db-wal")
    log.write_bytes(b"")  # as a checkpoint leaves it
    with pytest.raises(UserError) as caught:
        open_services(log, locations)
    assert str(caught.value) == (
        f"{log} is a file SQLite keeps beside the database briefs.db, not a "
        "database; it was not read."
    )
    assert log.read_bytes() == b""


# ------------------------------------------------------ two processes at once


def test_the_window_and_the_command_line_share_a_database(
    services: Services,
    database_path: Path,
    locations: Locations,
    demo_brief: Brief,
    tmp_path: Path,
) -> None:
    window = services
    wal = database_path.with_name(database_path.name + "-wal")
    save_here(window, "A at start")
    wal_file = wal.stat().st_ino
    made = backups.backup_now(database_path)
    backed_up = stored_titles(made)
    expected = set(backed_up)

    def restore() -> None:
        backups.restore(database_path, made)
        expected.clear()
        expected.update(backed_up)

    def open_another_and_back() -> None:
        open_services(tmp_path / "another.db", locations).close()
        open_services(database_path, locations).close()

    actions: dict[str, Callable[[], object]] = {
        "back up now": lambda: backups.backup_now(database_path),
        "import": lambda: window.briefs.import_brief_file(
            brief_file(tmp_path, demo_brief, "A imported")
        ),
        "restore": restore,
        "export to Word": lambda: window.export.export_docx(
            window.briefs.get_brief(1), tmp_path / "brief.docx"
        ),
        "opening check": lambda: check_database_whole(database_path, thorough=True),
        "the day's backup check": lambda: backup.check_backup(database_path),
        "another database and back": open_another_and_back,
    }
    for number, (name, action) in enumerate(actions.items()):
        action()
        expected |= {"A imported"} if name == "import" else set()
        save_here(window, f"A after {name}")
        expected.add(f"A after {name}")
        # The command line, in another process, imports, saves and lists.
        imported = run(
            "import",
            str(brief_file(tmp_path, demo_brief, f"B {number}")),
            db=database_path,
        )
        assert imported.returncode == 0, (name, imported.stderr)
        saved = brief_file(tmp_path, demo_brief, f"B saved {number}")
        updated = run("update", imported.stdout.strip(), str(saved), db=database_path)
        assert updated.returncode == 0, (name, updated.stderr)
        expected.add(f"B saved {number}")
        listed = run("list", db=database_path)
        assert listed.returncode == 0, (name, listed.stderr)
        seen_there = {line.split("\t")[3] for line in listed.stdout.splitlines()}
        seen_here = {brief.title for brief in window.briefs.list_briefs()}
        assert seen_there == seen_here == expected, name
        # The command line, not the last user of the database, left its log
        # in place: the window still writes into the file everyone reads.
        assert wal.exists(), name
        assert wal.stat().st_ino == wal_file, name
    window.close()
    stored = stored_titles(database_path)
    assert stored == expected
    since_restore = list(actions)[list(actions).index("restore") :]
    assert {f"A after {name}" for name in since_restore} <= stored
    assert {f"B saved {n}" for n in range(2, len(actions))} <= stored
