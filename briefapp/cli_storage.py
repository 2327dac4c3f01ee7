"""Backing up and restoring the database from the command line. These work on
the database file directly, so a damaged database can still be restored."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_storage_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    backing = commands.add_parser(
        "backup",
        parents=[common],
        help="back up the database (into the backups folder beside it, or -o FILE)",
    )
    backing.add_argument("-o", "--output", type=Path, metavar="FILE")
    backing.set_defaults(storage=_backup)
    listing = commands.add_parser(
        "backups", parents=[common], help="list the database's backups, newest first"
    )
    listing.set_defaults(storage=_backups)
    restoring = commands.add_parser(
        "restore",
        parents=[common],
        help="replace the database with a backup (checked first; the database "
        "replaced is kept as a backup)",
    )
    restoring.add_argument("file", type=Path, metavar="BACKUP.db")
    restoring.set_defaults(storage=_restore)


def run_storage_command(args: argparse.Namespace, database: Path) -> None:
    args.storage(args, database)


def _backup(args: argparse.Namespace, database: Path) -> None:
    from briefapp import paths
    from briefapp.services.backups import backup_now
    from briefapp.settings import Settings

    kept = Settings.load(paths.settings_file()).backups_kept
    if args.output is not None:
        _refuse_special(args.output)
    print(backup_now(database, args.output, keep=kept))


def _refuse_special(path: Path) -> None:
    """A device or a pipe is not replaced by a backup (``-o /dev/null`` would
    otherwise turn the device into a file)."""
    import stat

    from briefapp.domain.errors import UserError

    try:
        mode = path.stat().st_mode
    except OSError:  # missing: the backup makes it; unreadable: it says why
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise UserError(
            f"{path} is not a plain file (a device or a pipe); choose another name."
        )


def _backups(_args: argparse.Namespace, database: Path) -> None:
    from briefapp.services.backups import list_backups

    found = list_backups(database)
    for item in found:
        when = item.made_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        print(f"{when}\t{item.reason}\t{item.path}")
    if not found:
        print(f"(no backups yet in {database.parent / 'backups'})")


def _restore(args: argparse.Namespace, database: Path) -> None:
    from briefapp.services.backups import restore

    done = restore(database, args.file)
    kept = "moved aside, damaged, to" if done.damaged else "backed up to"
    print(
        f"Restored {database} from {args.file}; the database it replaced was "
        f"{kept} {done.kept_as}"
    )
