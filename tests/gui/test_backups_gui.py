"""Restore from backup in the window."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from briefapp.gui import clearance_dialogs
from briefapp.gui.clearance_dialogs import Preferences
from briefapp.gui.main_window import MainWindow
from briefapp.services import backups
from briefapp.services.session import Services
from briefapp.settings import Settings
from tests.gui.conftest import Dialogs


def test_restore_from_a_backup_in_the_window(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    database_path: Path,
    scripted_dialogs: Dialogs,
) -> None:
    saved = backups.backup_now(database_path)
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2)

    scripted_dialogs.open_file.append(saved)
    scripted_dialogs.confirm.append(False)  # thought better of it
    window.restore_action.trigger()
    assert len(services.briefs.list_briefs()) == 2

    junk = saved.with_name("junk.db")
    junk.write_bytes(b"not a database")
    scripted_dialogs.open_file.append(junk)
    scripted_dialogs.confirm.append(True)
    window.restore_action.trigger()
    qtbot.waitUntil(lambda: scripted_dialogs.shown[-1][0] == "notice")
    assert scripted_dialogs.shown[-1][1] == "Cannot restore from junk.db"
    qtbot.waitUntil(lambda: window.document.brief is not None)  # work goes on
    assert len(services.briefs.list_briefs()) == 2

    scripted_dialogs.open_file.append(saved)
    scripted_dialogs.confirm.append(True)
    window.restore_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.statusBar()
            .currentMessage()
            .startswith(
                f"Restored from {saved.name}; the database it replaced is kept as "
            )
        ),
        timeout=20_000,
    )
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 1)
    assert [b.reference for b in services.briefs.list_briefs()] == ["MOD-2026-014"]
    qtbot.waitUntil(lambda: window.document.brief is not None)
    kept = backups.list_backups(database_path)
    assert sorted(b.reason for b in kept) == ["before-restore", "manual"]


def test_the_backups_kept_are_a_preference(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    database_path: Path,
    settings_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offered: list[Preferences] = []

    def choose(_parent: object, current: Preferences) -> Preferences:
        offered.append(current)
        return Preferences("Ona", 2)

    monkeypatch.setattr(clearance_dialogs.PreferencesDialog, "ask", choose)
    window.preferences_action.trigger()
    assert offered == [Preferences("", 10)]
    assert Settings.load(settings_path).backups_kept == 2

    for made in range(3):
        window.backup_action.trigger()
        qtbot.waitUntil(
            lambda: window.statusBar().currentMessage().startswith("Backed up to ")
        )
        shown = window.statusBar().currentMessage().removeprefix("Backed up to ")
        assert Path(shown.rstrip(".")).parent == database_path.parent / "backups"
        assert len(backups.list_backups(database_path)) == min(made + 1, 2)
        window.statusBar().clearMessage()


def test_a_restore_by_another_program_is_shown(
    qtbot: QtBot, window: MainWindow, services: Services, database_path: Path
) -> None:
    title = window.editor.lines["title"].widget
    before = title.text()
    saved = backups.backup_now(database_path)
    services.briefs.save_brief(replace(services.briefs.get_brief(1), title="Later"))
    qtbot.waitUntil(lambda: title.text() == "Later", timeout=5000)
    backups.restore(database_path, saved)
    qtbot.waitUntil(lambda: title.text() == before, timeout=5000)
    assert not window.document.is_dirty()
