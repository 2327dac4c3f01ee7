"""Composition root of the window: logging, settings, services, then Qt."""

from __future__ import annotations

import dataclasses
import logging
import logging.handlers
import signal
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from briefapp import __version__, paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from briefapp.services.locations import Locations

log = logging.getLogger(__name__)

ORGANIZATION = "Briefapp"
APPLICATION = "Briefapp"


def configure_logging() -> None:
    """Log to a rotating file in the user's log folder (never user content)."""
    root = logging.getLogger()
    if any(getattr(h, "_briefapp", False) for h in root.handlers):
        return
    try:
        paths.user_log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler._briefapp = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def locations(
    extra_templates: str | None = None, render_timeout: float | None = None
) -> Locations:
    """Where the services find templates and the demo brief, and their limits.

    The extra template folder is ``extra_templates`` if given, else the one
    chosen in the window (its settings), so the window and the command line
    list the same templates.
    """
    from briefapp.services.locations import Locations
    from briefapp.settings import Settings

    if not extra_templates:
        extra_templates = Settings.load(paths.settings_file()).templates_folder or None

    found = Locations(
        builtin_templates=paths.templates_dir(),
        user_templates=paths.user_templates_dir(),
        demo_brief=paths.demo_brief_file(),
        extra_templates=Path(extra_templates).expanduser() if extra_templates else None,
        template_checks=paths.template_checks_dir(),
        issuing_key=paths.issuing_key_file(),
    )
    if render_timeout is not None:
        found = dataclasses.replace(found, render_timeout=render_timeout)
    return found


def run_window(
    database: Path,
    extra_templates: str | None = None,
    render_timeout: float | None = None,
) -> int:
    """Open the main window on ``database``; returns the exit status."""
    from PySide6.QtWidgets import QApplication

    from briefapp.gui.feedback import install_crash_handler
    from briefapp.gui.main_window import MainWindow
    from briefapp.gui.recovery import open_or_recover
    from briefapp.gui.resources import app_icon
    from briefapp.services.session import open_services
    from briefapp.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    install_crash_handler(paths.log_file())
    settings_path = paths.settings_file()
    settings = Settings.load(settings_path)
    services = open_or_recover(
        database,
        partial(
            open_services,
            locations=locations(extra_templates, render_timeout),
            user=settings.user_name(),
            backups_kept=settings.backups_kept,
        ),
    )
    if services is None:
        return 1
    window = MainWindow(services, settings, settings_path)
    close_on_signals(window)
    window.show()
    status = app.exec()
    services.close()
    return status


def close_on_signals(window: QWidget) -> None:
    """Close ``window`` properly (saving) when asked to stop with SIGTERM or Ctrl+C."""
    from PySide6.QtCore import QTimer

    def on_signal(_number: int, _frame: object) -> None:
        log.info("stop signal received; closing the window")
        window.close()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # Python runs signal handlers only between bytecodes; a quiet timer gives it
    # the chance while Qt's event loop is waiting.
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(_let_python_run)
    heartbeat.start(250)


def _let_python_run() -> None:
    """Nothing: returning to Python is the point."""
