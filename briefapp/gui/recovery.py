"""When the database cannot be opened at start: say why, and offer to put
back one of its backups (the file itself is never changed by opening)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from briefapp.domain.errors import StorageError, UserError
from briefapp.gui.dialogs import BACKUP_FILTER, ChoiceDialog, FileDialog, NoticeDialog
from briefapp.services import backups
from briefapp.services.session import Services

TITLE = "Briefapp cannot open its database"


def open_or_recover(
    database: Path, opener: Callable[[], Services], parent: QWidget | None = None
) -> Services | None:
    """``opener()``'s services; if the database cannot be opened, the reason,
    and the choice of restoring a backup and trying again (``None``: quit)."""
    while True:
        try:
            return opener()
        except StorageError as error:
            found = backups.list_backups(database)
            if not found:
                NoticeDialog.tell(
                    parent, TITLE, f"{error}\n\nThere is no backup of it."
                )
                return None
            newest = found[0]
            when = newest.made_at.astimezone().strftime("%d %B %Y, %H:%M")
            choice = ChoiceDialog.ask(
                parent,
                TITLE,
                f"{error}\n\nBriefapp can put back a backup: the newest is from "
                f"{when}. The database as it is now is kept (moved aside if it is "
                "damaged).",
                [
                    ("newest", "Restore the newest backup"),
                    ("other", "Choose a backup…"),
                ],
            )
            if choice is None:
                return None
            source: Path | None = newest.path
            if choice == "other":
                source = FileDialog.ask_open(
                    parent,
                    "Restore from backup",
                    str(newest.path.parent),
                    BACKUP_FILTER,
                )
                if source is None:
                    return None
            try:
                backups.restore(database, source)
            except UserError as restore_error:
                NoticeDialog.tell(
                    parent, "The backup was not restored", str(restore_error)
                )
        except UserError as error:
            NoticeDialog.tell(parent, TITLE, str(error))
            return None
