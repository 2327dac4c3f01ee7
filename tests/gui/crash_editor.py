"""A window that types into a brief and is then killed (run by test_recovery_journal).

Run as ``python -m tests.gui.crash_editor DATABASE FIELD TEXT``: opens the
window on DATABASE with autosave held back, types TEXT into the brief's FIELD
line, waits until the recovery journal holds it, prints ``journaled`` and
waits to be killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from briefapp import paths
from briefapp.app import locations
from briefapp.gui import autosave
from briefapp.gui.main_window import MainWindow
from briefapp.services.session import open_services
from briefapp.settings import Settings

DEADLINE_S = 60


def wait_for(condition: object, app: QApplication) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            sys.exit("crash_editor: gave up waiting")
        # Blocks until Qt has something to do (a timer, a finished save).
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 100)


def main(database: str, field: str, text: str) -> None:
    app = QApplication([])
    autosave.AUTOSAVE_DELAY_MS = 3_600_000  # killed before it would save
    services = open_services(Path(database), locations())
    window = MainWindow(services, Settings(), None)
    window.show()
    wait_for(lambda: window.document.brief is not None, app)
    line = window.editor.lines[field].widget
    line.setFocus()
    line.selectAll()
    QTest.keyClicks(line, text)
    journal = paths.recovery_dir()
    wait_for(
        lambda: any(text in p.read_text("utf-8") for p in journal.glob("*.json")),
        app,
    )
    print("journaled", flush=True)
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:4])
