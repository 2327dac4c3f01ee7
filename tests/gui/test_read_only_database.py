"""A database the user may not change opens read-only: a banner says so, and
nothing offers to change it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from briefapp.db import opening
from briefapp.domain.errors import ReadOnlyDatabaseError
from briefapp.gui.main_window import MainWindow
from briefapp.services.review import Verdict
from briefapp.services.session import Locations, Services, open_services
from briefapp.settings import Settings
from tests.unit.test_review_service import issue


@pytest.fixture
def read_only_database(
    services: Services, database_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    with read_only(services, database_path, monkeypatch):
        yield database_path


@contextmanager
def read_only(
    services: Services, database_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The database, closed and made unwritable: immutable for root (who may
    write any file whatever its mode), read-only by its mode for others."""
    services.close()
    database_path.chmod(0o444)
    immutable = (
        subprocess.run(
            ["chattr", "+i", str(database_path)], capture_output=True, check=False
        ).returncode
        == 0
    )
    if not immutable and os.access(database_path, os.W_OK):
        # Root on a file system without the immutable flag: SQLite is still
        # told to open the file read-only, as it would be for the user.
        monkeypatch.setattr(opening, "is_read_only", lambda _path: True)
    try:
        yield database_path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(database_path)], check=True)
        database_path.chmod(0o644)


def test_the_services_read_but_never_write(
    read_only_database: Path, locations: Locations
) -> None:
    before = read_only_database.read_bytes()
    opened = open_services(read_only_database, locations)
    try:
        assert opened.read_only == (
            f"The database {read_only_database} is read-only: briefs can be read, "
            "compared and exported, not changed."
        )
        brief = opened.briefs.get_brief(1)
        assert brief.reference == "MOD-2026-014"
        with pytest.raises(ReadOnlyDatabaseError) as caught:
            opened.briefs.save_brief(replace(brief, title="Changed"))
        assert str(caught.value) == (
            f"The database {read_only_database} is read-only; it cannot be changed."
        )
        assert opened.briefs.get_brief(1).title == brief.title
    finally:
        opened.close()
    assert read_only_database.read_bytes() == before


def test_the_window_shows_a_banner_and_offers_no_edit(
    qtbot: QtBot,
    read_only_database: Path,
    locations: Locations,
    tmp_path: Path,
) -> None:
    opened = open_services(read_only_database, locations)
    window = MainWindow(opened, Settings(), tmp_path / "settings.json")
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.clearance.clearance is not None)
        assert window.database_banner.isVisible()
        assert window.database_banner.text() == opened.read_only
        assert window.windowTitle().endswith("— Briefapp (read-only)")
        assert window.save_state.text() == "Read-only"
        for action in (
            window.new_action,
            window.duplicate_action,
            window.delete_action,
            window.import_action,
            window.restore_action,
        ):
            assert not action.isEnabled(), action.text()
        assert window.export_word_action.isEnabled()
        assert window.editor.read_only
        assert window.editor.banner.message("locked") == (
            "Nothing can be changed in a read-only database. It is shown read-only."
        )
        assert not any(b.isEnabled() for b in window.clearance.buttons.values())
        assert not window.clearance.save_chain.isEnabled()
        assert not window.clearance.comments.add_comment.isEnabled()
        assert not window.clearance.versions.save_version.isEnabled()
        for name, lists in window.editor.lists.items():
            lists.table.select_row(1)
            buttons = (
                lists.table.remove_button,
                lists.table.up_button,
                lists.table.down_button,
            )
            assert not any(b.isEnabled() for b in buttons), name
    finally:
        window.close()
        opened.close()


def test_a_database_in_a_read_only_folder_opens_read_only(
    services: Services, database_path: Path, locations: Locations
) -> None:
    """SQLite cannot keep its log beside the file: it is read as it stands,
    nothing is made beside it, and it is not taken for a damaged file."""
    services.close()
    folder = database_path.parent
    before = sorted(p.name for p in folder.iterdir())
    folder.chmod(0o555)
    immutable = (
        os.geteuid() == 0
        and subprocess.run(
            ["chattr", "+i", str(folder)], capture_output=True, check=False
        ).returncode
        == 0
    )
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user may write in any folder (no immutable flag here)")
        opened = open_services(database_path, locations)
        try:
            assert opened.read_only is not None
            assert opened.briefs.get_brief(1).reference == "MOD-2026-014"
        finally:
            opened.close()
        assert sorted(p.name for p in folder.iterdir()) == before  # no log, no backup
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_an_issued_brief_in_a_read_only_database_verifies_but_is_not_copied(
    services: Services,
    database_path: Path,
    locations: Locations,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issued = issue(services, tmp_path)
    with read_only(services, database_path, monkeypatch):
        opened = open_services(database_path, locations)
        try:
            assert opened.review.verify(issued).verdict is Verdict.VERIFIED
            with pytest.raises(ReadOnlyDatabaseError) as caught:
                opened.review.issued_copy(1, tmp_path / "copy.docx", "Ona Analyst")
            assert str(caught.value) == (
                "Brief MOD-2026-014 is issued, and every copy of an issued brief is "
                f"recorded so that it verifies; the database {database_path} is "
                "read-only, so no copy can be made from it."
            )
            assert not (tmp_path / "copy.docx").exists()
        finally:
            opened.close()
