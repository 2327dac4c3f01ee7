"""Rendering in a child process: runaway templates are stopped, cancels are honoured."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from briefapp.documents.context import brief_context
from briefapp.documents.isolation import RenderJob, render_isolated
from briefapp.documents.render import DocumentProperties
from briefapp.domain.entities import Brief
from briefapp.domain.errors import RenderCancelledError, TemplateError
from briefapp.services.session import Services

RUNAWAY = (
    "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
)


def _template(tmp_path: Path, body: str) -> Path:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    made.add_paragraph(body)
    path = tmp_path / "runaway.docx"
    made.save(path)
    return path


def _job(template: Path, brief: Brief) -> RenderJob:
    return RenderJob(
        template=template,
        context=brief_context(brief, today=dt.date(2026, 11, 28)),
        marking=brief.classification,
        properties=DocumentProperties("t", "a", "s", "k", "c", "i"),
        language="en-GB",
    )


def test_a_runaway_loop_is_stopped_and_reported(
    tmp_path: Path, demo_brief: Brief
) -> None:
    with pytest.raises(TemplateError) as caught:
        render_isolated(_job(_template(tmp_path, RUNAWAY), demo_brief), timeout=2)
    assert str(caught.value) == (
        "Filling in the template runaway.docx took longer than 2 seconds and was "
        "stopped; a loop in it may never end."
    )


def test_a_render_can_be_cancelled(tmp_path: Path, demo_brief: Brief) -> None:
    asked = []

    def cancelled() -> bool:
        """The user presses Cancel while the child is busy with the loop."""
        asked.append(True)
        return len(asked) > 3

    with pytest.raises(RenderCancelledError, match="The export was cancelled"):
        render_isolated(
            _job(_template(tmp_path, RUNAWAY), demo_brief),
            timeout=60,
            cancelled=cancelled,
        )


def test_template_errors_come_back_from_the_child(
    tmp_path: Path, demo_brief: Brief
) -> None:
    with pytest.raises(TemplateError, match="'titel' is undefined"):
        render_isolated(
            _job(_template(tmp_path, "{{ titel }}"), demo_brief), timeout=30
        )


def test_exports_through_the_service_are_stopped_too(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    services.export.render_timeout = 2
    output = tmp_path / "out.docx"
    with pytest.raises(TemplateError, match="took longer than 2 seconds"):
        services.export.export_docx(
            demo_brief, output, template=str(_template(tmp_path, RUNAWAY))
        )
    assert not output.exists()
