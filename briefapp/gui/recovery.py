"""When the database cannot be opened at start: say why, and offer to put
back one of its backups or to open another database (the file itself is never
changed by opening)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from briefapp.domain.errors import DamagedDatabaseError, StorageError, UserError
from briefapp.gui.dialogs import (
    BACKUP_FILTER,
    DATABASE_FILTER,
    ChoiceDialog,
    FileDialog,
    NoticeDialog,
)
from briefapp.services import backups
from briefapp.services.session import Services

TITLE = "Briefapp cannot open its database"
ANOTHER = ("another", "Open another database…")


def open_or_recover(
    database: Path,
    opener: Callable[[Path], Services],
    parent: QWidget | None = None,
) -> Services | None:
    """``opener(database)``'s services. If the database cannot be opened: the
    reason, and the choice of restoring one of its backups and trying again,
    or of opening another database (``None``: the user gave up; quit)."""
    failed: set[Path] = set()  # backups that would not restore: not offered again
    while True:
        try:
            return opener(database)
        except StorageError as error:
            chosen = _choose_way_out(database, error, parent, failed)
            if chosen is None:
                return None
            database = chosen
        except UserError as error:
            NoticeDialog.tell(parent, TITLE, str(error))
            return None


def _choose_way_out(
    database: Path, error: StorageError, parent: QWidget | None, failed: set[Path]
) -> Path | None:
    """The database to try next (the same one once a backup is put back).

    A backup is offered only for a damaged file: one that is busy, from a
    newer Briefapp or another program's must not be replaced by an older copy.
    """
    found = [
        backup
        for backup in backups.list_backups(database)
        if backup.reason != backups.DAMAGED_REASON and backup.path not in failed
    ]
    if isinstance(error, DamagedDatabaseError) and found:
        newest = found[0]
        when = newest.made_at.astimezone().strftime("%d %B %Y, %H:%M")
        shown = error.in_window if isinstance(error, DamagedDatabaseError) else error
        text = (
            f"{shown}\n\nBriefapp can put back a backup: the newest is from "
            f"{when}. The database as it is now is kept (moved aside if it is "
            "damaged). Or open another database."
        )
        choices = [
            ("newest", "Restore the newest backup"),
            ("other", "Choose a backup…"),
            ANOTHER,
        ]
    else:
        damaged = isinstance(error, DamagedDatabaseError)
        none = "There is no backup of it. " if damaged else ""
        text = f"{error}\n\n{none}Open another database?"
        choices = [ANOTHER]
    choice = ChoiceDialog.ask(parent, TITLE, text, choices)
    if choice is None:
        return None
    if choice == ANOTHER[0]:
        return FileDialog.ask_open(
            parent, "Open another database", str(database.parent), DATABASE_FILTER
        )
    source: Path | None = found[0].path
    if choice == "other":
        source = FileDialog.ask_open(
            parent, "Restore from backup", str(found[0].path.parent), BACKUP_FILTER
        )
        if source is None:
            return None
    try:
        backups.restore(database, source)
    except UserError as restore_error:
        failed.add(source)
        NoticeDialog.tell(parent, "The backup was not restored", str(restore_error))
    return database
