"""Grab the main window showing the demo brief, for the README.

Runs headless: ``python scripts/screenshot.py [OUT.png]`` (default
``docs/main-window.png``). Uses a throw-away database and settings folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    default = ROOT / "docs" / "main-window.png"
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    # A throw-away home, so the status bar shows the usual database location.
    scratch = Path(tempfile.mkdtemp(prefix="briefapp-shot-"))
    os.environ["HOME"] = str(scratch)
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        os.environ.pop(variable, None)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from briefapp import paths
    from briefapp.app import locations
    from briefapp.gui.main_window import MainWindow
    from briefapp.services.session import open_services
    from briefapp.settings import Settings

    app = QApplication([])
    services = open_services(paths.default_database_path(), locations())
    window = MainWindow(services, Settings())
    window.resize(1280, 800)
    window.show()
    loop = QEventLoop()
    window.document.changed.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    loop.exec()
    window.editor.tabs.setCurrentIndex(1)
    app.processEvents()
    output.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(output)):
        raise SystemExit(f"could not write {output}")
    print(f"wrote {output}")
    window.close()
    services.close()


if __name__ == "__main__":
    main()
