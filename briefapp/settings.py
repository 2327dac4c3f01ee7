"""The user's preferences and window layout, kept as a small JSON file."""

from __future__ import annotations

import getpass
import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefapp.db.retention import DEFAULT_KEEP, KEEP_RANGE
from briefapp.domain.errors import UserError
from briefapp.services.files import write_atomically

log = logging.getLogger(__name__)


@dataclass
class Settings:
    """Preferences; unknown or malformed entries in the file are ignored."""

    window_geometry: str = ""
    splitter_state: str = ""
    last_folder: str = ""
    last_template: str = ""
    templates_folder: str = ""
    display_name: str = ""
    """The name the user acts under in clearance (empty: the OS login)."""
    backups_kept: int = DEFAULT_KEEP
    """How many daily and manual backups of a database are kept."""
    markings: list[str] = field(default_factory=list)
    """The classification markings the user keeps (empty: the standard list)."""

    def user_name(self) -> str:
        """The display name, or the login name when none is set."""
        return " ".join(self.display_name.split()) or login_name()

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable settings file %s: %s", path, error)
            return cls()
        if not isinstance(stored, dict):
            return cls()
        defaults = asdict(cls())
        values: dict[str, Any] = {
            name: value
            for name, value in stored.items()
            if name in defaults
            and type(value) is type(defaults[name])  # not True for an int
        }
        loaded = cls(**values)
        loaded.markings = [m for m in loaded.markings if isinstance(m, str)]
        low, high = KEEP_RANGE
        loaded.backups_kept = min(max(loaded.backups_kept, low), high)
        return loaded

    def save(self, path: Path) -> None:
        """Write the settings; a failure is logged, never fatal."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(asdict(self), indent=2) + "\n"
            write_atomically(path, text.encode("utf-8"))
        except (OSError, UserError) as error:
            log.warning("could not save settings to %s: %s", path, error)


def login_name() -> str:
    """The operating system's name for the user, or "" if it has none."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
