"""The services of one open database, built once by the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from briefapp.db.engine import Database
from briefapp.db.opening import open_database
from briefapp.documents.library import TemplateFolder
from briefapp.domain.templates import TemplateOrigin
from briefapp.services.briefs import BriefService
from briefapp.services.export import DEFAULT_RENDER_TIMEOUT, ExportService

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
        self.export.stop_renderer()
        self._database.dispose()


@dataclass(frozen=True, slots=True)
class Locations:
    """Where the services find their files."""

    builtin_templates: Path
    user_templates: Path
    demo_brief: Path
    extra_templates: Path | None = None
    render_timeout: float = DEFAULT_RENDER_TIMEOUT

    def template_folders(self) -> list[TemplateFolder]:
        """Built-in first, then the user's own, then the extra folder."""
        folders = [
            TemplateFolder(TemplateOrigin.BUILT_IN, self.builtin_templates),
            TemplateFolder(TemplateOrigin.USER, self.user_templates),
        ]
        if self.extra_templates is not None:
            folders.append(TemplateFolder(TemplateOrigin.FOLDER, self.extra_templates))
        return folders


def template_service(locations: Locations) -> ExportService:
    """Templates and exports alone, for work that needs no database."""
    return ExportService(
        locations.template_folders(),
        locations.user_templates,
        locations.demo_brief,
        render_timeout=locations.render_timeout,
    )


def open_services(database_path: Path, locations: Locations) -> Services:
    """Open (creating or upgrading) the database and build the services.

    A database created just now receives the demo brief.

    Raises:
        StorageError: the database cannot be opened or upgraded.
    """
    opened = open_database(database_path)
    services = Services(
        briefs=BriefService(opened.database),
        export=template_service(locations),
        _database=opened.database,
        created=opened.created,
    )
    if opened.created:
        demo = services.briefs.import_brief_file(locations.demo_brief)
        log.info("new database %s: added demo brief %s", database_path, demo.id)
    return services
