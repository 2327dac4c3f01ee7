"""Where Briefapp's data, settings, logs, bundled templates and resources live.

This is the one module that knows file locations. Bundled folders are found
relative to this package, never relative to the working directory: a wheel
carries them inside the package (``briefapp/templates``), a source checkout or
editable install keeps them at the project root beside ``briefapp/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Briefapp"
APP_AUTHOR = "Briefapp"
DB_ENV_VAR = "BRIEFAPP_DB"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_dir(name: str) -> Path:
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def templates_dir() -> Path:
    """The built-in Word templates shipped with the application."""
    return _bundled_dir("templates")


def resources_dir() -> Path:
    """Icons, the demo brief and other bundled resources."""
    return _bundled_dir("resources")


def demo_brief_file() -> Path:
    """The illustrative brief added to a new, empty database."""
    return resources_dir() / "demo.brief.json"


def user_data_dir() -> Path:
    """The per-user data folder (database, backups)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_config_dir() -> Path:
    """The per-user settings folder."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def user_log_dir() -> Path:
    """The folder for the application log."""
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def recovery_dir() -> Path:
    """Where edits not yet saved are kept while the user types (the recovery
    journal)."""
    return Path(platformdirs.user_state_dir(APP_NAME, APP_AUTHOR)) / "recovery"


def template_checks_dir() -> Path:
    """The user's cache of template check results, kept by the template's
    content (a folder only its owner may enter)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "template-checks"


def user_templates_dir() -> Path:
    """The user's own Word templates (added in the window)."""
    return user_data_dir() / "templates"


def issuing_key_file() -> Path:
    """The private key that signs issued files: the user's own, in a folder
    only they may enter, never in the database."""
    return user_data_dir() / "keys" / "issuing-key.pem"


def settings_file() -> Path:
    return user_config_dir() / "settings.json"


def log_file() -> Path:
    return user_log_dir() / "briefapp.log"


def default_database_path() -> Path:
    """The embedded SQLite database used when no other is chosen."""
    return user_data_dir() / "briefapp.db"


def database_path(cli_value: str | None) -> Path:
    """The database chosen by ``--db``, else ``$BRIEFAPP_DB``, else the default."""
    chosen = cli_value or os.environ.get(DB_ENV_VAR)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return default_database_path()
