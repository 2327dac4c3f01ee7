"""The services of one open database, built once by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from briefapp.db.engine import Database
from briefapp.db.opening import open_database
from briefapp.services.briefs import BriefService
from briefapp.services.export import ExportService

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything the window and the command line can ask of Briefapp."""

    briefs: BriefService
    export: ExportService
    _database: Database
    created: bool = False
    """The database was made just now (and given the demo brief)."""

    @property
    def database_path(self) -> Path:
        return self._database.path

    def close(self) -> None:
        self._database.dispose()


def open_services(
    database_path: Path, templates_dir: Path, demo_brief: Path
) -> Services:
    """Open (creating or upgrading) the database and build the services.

    A database created just now receives the demo brief from ``demo_brief``.

    Raises:
        StorageError: the database cannot be opened or upgraded.
    """
    opened = open_database(database_path)
    services = Services(
        briefs=BriefService(opened.database),
        export=ExportService(templates_dir),
        _database=opened.database,
        created=opened.created,
    )
    if opened.created:
        demo = services.briefs.import_brief_file(demo_brief)
        log.info("new database %s: added demo brief %s", database_path, demo.id)
    return services
