"""Where the services find their files, and the template service alone: what
the template commands need, without the database's libraries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefapp.documents.library import TemplateFolder
from briefapp.domain.templates import TemplateOrigin
from briefapp.services.export import DEFAULT_RENDER_TIMEOUT, ExportService


@dataclass(frozen=True, slots=True)
class Locations:
    """Where the services find their files."""

    builtin_templates: Path
    user_templates: Path
    demo_brief: Path
    extra_templates: Path | None = None
    render_timeout: float = DEFAULT_RENDER_TIMEOUT
    template_checks: Path | None = None
    """The cache of template check results (none: every check runs)."""
    issuing_key: Path | None = None
    """The key file that signs issued files (none: they are issued unsigned)."""

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
        check_cache=locations.template_checks,
    )
