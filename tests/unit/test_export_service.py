"""Word export as a user asks for it: a template by name or path, a file name."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from briefapp import paths
from briefapp.domain.entities import Brief
from briefapp.domain.errors import BriefFormatError, ExportError, TemplateError
from briefapp.domain.templates import distinct_labels
from briefapp.services.session import Services


def test_exports_with_the_default_template(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    output = services.export.export_docx(demo_brief, tmp_path / "brief.docx")
    document = docx.Document(io.BytesIO(output.read_bytes()))
    assert any(p.text == demo_brief.title for p in document.paragraphs)


def test_lists_the_built_in_templates(services: Services) -> None:
    templates = services.export.list_templates()
    assert next((t.name, t.origin, t.label) for t in templates) == (
        "decision-brief",
        "built-in",
        "Decision brief",
    )


def test_failed_export_leaves_an_existing_file_untouched(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    output = folder / "brief.docx"
    output.write_bytes(b"the previous export")
    broken = tmp_path / "broken.docx"
    document = docx.Document()
    document.add_paragraph("{{ titel }}")
    document.sections[0].header.paragraphs[0].text = "{{ classification }}"
    document.save(broken)
    with pytest.raises(TemplateError) as caught:
        services.export.export_docx(demo_brief, output, template=str(broken))
    assert str(caught.value) == (
        "The template broken.docx has a mistake: body, in “{{ titel }}”: “titel” is "
        "not a value a brief provides (did you mean “title”?)."
    )
    assert output.read_bytes() == b"the previous export"
    assert [p.name for p in folder.iterdir()] == ["brief.docx"]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("no-such-template", "There is no template called “no-such-template”"),
        ("missing.docx", "The template missing.docx does not exist."),
    ],
)
def test_unknown_templates_are_named(
    services: Services, demo_brief: Brief, tmp_path: Path, template: str, message: str
) -> None:
    with pytest.raises(TemplateError, match=message):
        services.export.export_docx(demo_brief, tmp_path / "x.docx", template=template)


def test_not_a_word_file_as_template(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    with pytest.raises(TemplateError, match="is not a Word document"):
        services.export.export_docx(demo_brief, tmp_path / "x.docx", template=str(fake))


def test_output_must_be_a_docx_name(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match=r"must end in \.docx"):
        services.export.export_docx(demo_brief, tmp_path / "brief.pdf")


def test_a_brief_without_classification_is_not_exported(
    services: Services, demo_brief: Brief, tmp_path: Path
) -> None:
    with pytest.raises(BriefFormatError, match=r"brief\.classification: is empty"):
        services.export.export_docx(
            replace(demo_brief, classification=""), tmp_path / "x.docx"
        )
    assert not (tmp_path / "x.docx").exists()


def test_a_copy_that_kept_a_built_in_title_is_told_and_listed_apart(
    services: Services, tmp_path: Path
) -> None:
    copy = tmp_path / "my-brief.docx"
    shutil.copy(paths.templates_dir() / "decision-brief.docx", copy)
    check = services.export.check_template(str(copy))
    assert check.errors == ()
    assert check.warnings == (
        "properties: the title “Decision brief” is a built-in template's; give "
        "yours a title of its own (in Word: File › Info › Properties › Title) so "
        "that lists tell them apart",
    )
    services.export.set_extra_folder(tmp_path)
    labels = distinct_labels(services.export.list_templates())
    twin = tmp_path / "twin" / "decision-brief.docx"
    twin.parent.mkdir()
    shutil.copy(copy, twin)
    assert services.export.check_template(str(twin)).warnings[0] == (
        "file name: a built-in template is called “decision-brief”; rename your "
        "copy (for example decision-brief-own.docx) to add it to your templates"
    )
    assert labels[copy] == "Decision brief – my-brief.docx"
    assert labels[paths.templates_dir() / "decision-brief.docx"] == (
        "Decision brief – decision-brief.docx"
    )
    assert labels[paths.templates_dir() / "one-page-summary.docx"] == (
        "One-page summary"
    )


def test_the_template_context_is_built_within_the_render_time_limit(
    services: Services,
    demo_brief: Brief,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Building the context of a huge brief takes long: it happens in the
    render child, under the same wall-clock limit as filling the template."""
    from briefapp.documents import context, isolation

    def built_here(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the context was built outside the time-limited child")

    jobs: list[isolation.RenderJob] = []
    real_render = isolation.render_isolated

    def spy(job: isolation.RenderJob, **kwargs: object) -> bytes:
        jobs.append(job)
        return real_render(job, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(context, "brief_context", built_here)
    monkeypatch.setattr(isolation, "render_isolated", spy)
    output = services.export.export_docx(demo_brief, tmp_path / "brief.docx")
    document = docx.Document(io.BytesIO(output.read_bytes()))
    assert any(p.text == demo_brief.title for p in document.paragraphs)
    assert jobs[0].context == isolation.ContextRequest(
        demo_brief, jobs[0].context.today
    )  # type: ignore[union-attr]
