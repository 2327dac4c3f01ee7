"""Exporting a brief to Word through a template."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from briefapp.documents.library import list_templates, resolve_template
from briefapp.domain.entities import Brief
from briefapp.domain.errors import ExportError
from briefapp.domain.templates import TemplateInfo
from briefapp.domain.validation import brief_problems, raise_for_problems
from briefapp.services.files import write_atomically

log = logging.getLogger(__name__)


class ExportService:
    """Word export with the templates found in the built-in folder."""

    def __init__(self, builtin_templates: Path) -> None:
        self._builtin_templates = builtin_templates

    def list_templates(self) -> list[TemplateInfo]:
        return list_templates(self._builtin_templates)

    def export_docx(
        self,
        brief: Brief,
        output: Path,
        template: str | None = None,
        today: dt.date | None = None,
    ) -> Path:
        """Render ``brief`` with ``template`` (a name or a path) into ``output``.

        The file appears only once the whole document is rendered and checked;
        on any error an existing file at ``output`` is left as it was.

        Raises:
            BriefFormatError: the brief breaks a rule (an empty classification…).
            TemplateError: the template is unusable or its output failed a check.
            ExportError: the file cannot be written.
        """
        if output.suffix.lower() != ".docx":
            name = f"The Word file name {output.name}" if output.name else "The name"
            raise ExportError(f"{name} must end in .docx.")
        # Rendering pulls in Jinja, Babel and lxml: imported on the first export,
        # not at start-up.
        from briefapp.documents.context import brief_context
        from briefapp.documents.render import DocumentProperties, render_docx

        raise_for_problems(brief_problems(brief))
        template_path = resolve_template(template, self._builtin_templates)
        context = brief_context(brief, today=today or dt.date.today())
        data = render_docx(
            template_path,
            context,
            marking=brief.classification,
            properties=DocumentProperties(
                title=brief.title,
                author=brief.drafter,
                subject=brief.decision_sought.split("\n", 1)[0][:250],
                keywords=", ".join(["procurement", brief.brief_type.value]),
                category=brief.classification,
                identifier=brief.reference,
            ),
        )
        write_atomically(output, data)
        log.info("exported brief %s with %s", brief.id, template_path.name)
        return output
