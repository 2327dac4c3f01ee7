"""Icons and other bundled resources for the window."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from briefapp import paths


def app_icon() -> QIcon:
    return QIcon(str(paths.resources_dir() / "icons" / "briefapp.svg"))
