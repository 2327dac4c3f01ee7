"""Restore from backup in the window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from briefapp.gui.main_window import MainWindow
from briefapp.services import backups
from briefapp.services.session import Services
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
