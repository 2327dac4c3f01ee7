"""Telling the user what went wrong: calmly for expected trouble, loudly for bugs.

A ``UserError`` carries a sentence the user can act on and is shown as such.
Anything else is a bug: it is logged with its traceback and reported in a
crash dialog that says where the log is. Nothing is swallowed.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QWidget

from briefapp.domain.errors import UserError
from briefapp.gui.dialogs import CrashDialog, NoticeDialog

log = logging.getLogger(__name__)

_log_path: Path = Path("briefapp.log")


def report_error(parent: QWidget | None, title: str, error: BaseException) -> None:
    """Show ``error`` to the user in the way its kind deserves."""
    if isinstance(error, UserError):
        # The message may quote the user's text; the log keeps only its kind.
        log.info("%s: %s", title, type(error).__name__)
        NoticeDialog.tell(parent, title, str(error))
        return
    log.error(
        "%s: unexpected error\n%s",
        title,
        "".join(traceback.format_exception(error)),
    )
    CrashDialog.tell(parent, f"{title}: {type(error).__name__}: {error}", _log_path)


def install_crash_handler(log_path: Path) -> None:
    """Route uncaught exceptions on the GUI thread to the log and a crash dialog."""
    global _log_path  # noqa: PLW0603 - one handler for the one application
    _log_path = log_path
    sys.excepthook = _on_uncaught


def _on_uncaught(
    kind: type[BaseException],
    error: BaseException,
    trace: TracebackType | None,
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    window = QApplication.activeWindow()
    report_error(window, "Unexpected error", error.with_traceback(trace))
