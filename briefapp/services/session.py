"""The services of one open database, built once by the composition root."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from briefapp.db import backup, retention
from briefapp.db.engine import ChangeProbe, Database
from briefapp.db.opening import open_database
from briefapp.domain.errors import DamagedDatabaseError, StorageError
from briefapp.services.briefs import BriefService
from briefapp.services.clearance import ClearanceService
from briefapp.services.export import ExportService
from briefapp.services.locations import Locations, template_service
from briefapp.services.review import ReviewService

__all__ = ["Locations", "Services", "open_services", "template_service"]

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything the window and the command line can ask of Briefapp."""

    briefs: BriefService
    export: ExportService
    clearance: ClearanceService
    review: ReviewService
    _database: Database
    created: bool = False
    """The database was made just now (and given the demo brief)."""
    backups_kept: int = retention.DEFAULT_KEEP
    """How many daily and manual backups are kept (the user's preference)."""
    _probes: list[ChangeProbe] = field(default_factory=list)

    @property
    def database_path(self) -> Path:
        return self._database.path

    @property
    def read_only(self) -> str | None:
        """Why nothing can be changed, when the database is open read-only."""
        if not self._database.read_only:
            return None
        return (
            f"The database {self._database.path} is read-only: briefs can be "
            "read, compared and exported, not changed."
        )

    def watch_changes(self) -> Callable[[], bool]:
        """A check that answers True when another window or program has
        committed to the database since it last answered."""
        probe = ChangeProbe(self._database.path)
        self._probes.append(probe)
        return probe.changed

    def close(self) -> None:
        self.export.stop_renderer()
        for probe in self._probes:
            probe.close()
        self._database.dispose()


def open_services(
    database_path: Path,
    locations: Locations,
    user: str = "",
    backups_kept: int = retention.DEFAULT_KEEP,
    *,
    thorough: bool = True,
) -> Services:
    """Open (creating or upgrading) the database and build the services.

    A database created just now receives the demo brief (a draft, no chain);
    one opened for the first time today is backed up, keeping the newest
    ``backups_kept`` backups; what killed backups left behind is removed.
    ``thorough``: check every page of the database first (see
    ``open_database``).

    Raises:
        StorageError: the database cannot be opened or upgraded.
    """
    opened = open_database(database_path, thorough=thorough)
    export = template_service(locations)
    clearance = ClearanceService(opened.database)
    services = Services(
        briefs=BriefService(opened.database, editor=user),
        export=export,
        clearance=clearance,
        review=ReviewService(
            opened.database, clearance, export, issuing_key=locations.issuing_key
        ),
        _database=opened.database,
        created=opened.created,
        backups_kept=backups_kept,
    )
    if not opened.read_only:
        backup.remove_stale_temporaries(database_path, dt.datetime.now(dt.UTC))
    if not opened.created and not opened.read_only:
        # (A read-only database is someone else's to back up.)
        try:
            _daily_backup(database_path, backups_kept)
        except DamagedDatabaseError:
            services.close()
            raise
    if opened.created:
        # No chain: whatever name the user later takes, they may edit the demo
        # and name its chain.
        demo = services.briefs.import_brief_file(locations.demo_brief)
        log.info("new database %s: added demo brief %s", database_path, demo.id)
    return services


def _daily_backup(database_path: Path, keep: int) -> None:
    """Back the database up once a day, when it is first opened that day,
    checking the copy: a damaged database is refused rather than backed up.

    Raises:
        DamagedDatabaseError: the copy shows the database damaged.
    """
    now = dt.datetime.now(dt.UTC)
    if not backup.daily_backup_due(database_path, now):
        return
    try:
        backup.make_backup(database_path, "daily", now, keep=keep, verify=True)
    except DamagedDatabaseError:
        raise
    except StorageError as error:  # work goes on; the log says why
        log.warning("daily backup skipped: %s", error)
