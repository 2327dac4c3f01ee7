"""Word rendering: what the reader of the DOCX sees, and what must never get in."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.document import Document

from briefapp import paths
from briefapp.documents.check import check_output
from briefapp.documents.context import brief_context
from briefapp.documents.environment import template_environment
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.documents.text import ZERO_WIDTH_SPACE, clean_text
from briefapp.domain.entities import Brief, Option
from briefapp.domain.errors import TemplateError

TODAY = dt.date(2026, 11, 28)
TEMPLATE = paths.templates_dir() / "decision-brief.docx"


def render(brief: Brief, template: Path = TEMPLATE) -> bytes:
    return render_docx(
        template,
        brief_context(brief, today=TODAY),
        marking=brief.classification,
        properties=DocumentProperties(
            title=brief.title,
            author=brief.drafter,
            subject="subject",
            keywords="procurement",
            category=brief.classification,
            identifier=brief.reference,
        ),
    )


def open_docx(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def body_text(document: Document) -> str:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def headers_and_footers(document: Document) -> list[str]:
    texts = []
    for section in document.sections:
        for part in (section.header, section.footer):
            texts.append("\n".join(p.text for p in part.paragraphs))
    return texts


def test_the_demo_brief_renders_with_all_its_content(demo_brief: Brief) -> None:
    document = open_docx(render(demo_brief))
    text = body_text(document)
    assert demo_brief.title in text
    assert "MOD-2026-014" in text
    assert "15 December 2026" in text
    assert "28 November 2026" in text
    for option in demo_brief.options:
        assert f"Option {option.key}: {option.title}" in text
        for item in option.advantages + option.disadvantages + option.risks:
            assert item in text
    assert "€38,400,000.00" in text
    assert "12,000" in text
    assert "9 months" in text
    for constraint in demo_brief.constraints:
        assert constraint.title in text
    for name in ("Lithuania", "Ukraine", "Germany", "Poland", "United States"):
        assert name in text
    assert "Tamilla Hasanova, Lithuania explores cluster munition acquisition" in text
    assert "{{" not in text
    assert "{%" not in text


def test_every_header_and_footer_carries_the_classification(demo_brief: Brief) -> None:
    document = open_docx(render(replace(demo_brief, classification="NATO SECRET")))
    marks = headers_and_footers(document)
    assert marks
    assert all("NATO SECRET" in text for text in marks)


def test_multi_paragraph_text_becomes_paragraphs_and_lines_breaks(
    demo_brief: Brief,
) -> None:
    brief = replace(demo_brief, background="First paragraph\nsame paragraph\n\nSecond")
    document = open_docx(render(brief))
    paragraphs = [p.text for p in document.paragraphs]
    assert "First paragraph\nsame paragraph" in paragraphs
    assert "Second" in paragraphs
    first = next(p for p in document.paragraphs if p.text.startswith("First paragraph"))
    assert first._p.xpath(".//w:br")


HOSTILE = "Cost < 100 & risk > 0 \"quoted\" 'single' \x0bline\x00nul\x1besc\ufffe end"


def test_user_text_never_corrupts_the_document(demo_brief: Brief) -> None:
    brief = replace(
        demo_brief,
        title=HOSTILE.replace("\x0b", " "),
        classification="RESTRICTED & <SENSITIVE>",
        summary=HOSTILE,
        options=(
            *demo_brief.options,
            Option(key="E", title=HOSTILE.replace("\x0b", "")),
        ),
    )
    data = render(brief)
    document = open_docx(data)
    text = body_text(document)
    assert "Cost < 100 & risk > 0 \"quoted\" 'single' \nlinenulesc end" in text
    assert "Option E: Cost < 100 & risk > 0 \"quoted\" 'single' linenulesc end" in text
    assert all("RESTRICTED & <SENSITIVE>" in t for t in headers_and_footers(document))
    assert document.core_properties.title == clean_text(brief.title)


def test_a_long_brief_with_many_options_renders(demo_brief: Brief) -> None:
    options = tuple(
        Option(key=f"O{n}", title=f"Option number {n}", description="x " * 2000)
        for n in range(60)
    )
    document = open_docx(render(replace(demo_brief, options=options)))
    text = body_text(document)
    assert "Option O59: Option number 59" in text


def test_an_empty_brief_says_what_is_missing() -> None:
    brief = Brief(reference="R-1", title="Empty", classification="OFFICIAL")
    text = body_text(open_docx(render(brief)))
    assert "No options have been recorded." in text
    assert "No constraints have been recorded." in text
    assert "No countries have been recorded." in text
    assert "No sources have been recorded." in text
    assert "Routine" in text


def test_template_escapes_in_user_text_stay_as_typed(demo_brief: Brief) -> None:
    brief = replace(demo_brief, summary="literal {_{ and %_} and {{ 7*7 }}")
    text = body_text(open_docx(render(brief))).replace(ZERO_WIDTH_SPACE, "")
    assert "literal {_{ and %_} and {{ 7*7 }}" in text
    assert "49" not in text


def test_document_properties_are_set_after_rendering(demo_brief: Brief) -> None:
    brief = replace(demo_brief, title="A & B <C>", drafter="J. Jonaitis")
    properties = open_docx(render(brief)).core_properties
    assert properties.title == "A & B <C>"
    assert properties.author == "J. Jonaitis"
    assert properties.author != "python-docx"
    assert properties.category == brief.classification
    assert properties.identifier == "MOD-2026-014"


def test_a_template_saved_by_libreoffice_gives_one_core_properties_part(
    demo_brief: Brief, tmp_path: Path
) -> None:
    # LibreOffice types the core properties relationship its own way.
    saved = tmp_path / "from-libreoffice.docx"
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(saved, "w") as copy:
        for member in source.infolist():
            content = source.read(member)
            if member.filename == "_rels/.rels":
                content = content.replace(
                    b"/package/2006/relationships/metadata/core-properties",
                    b"/officedocument/2006/relationships/metadata/core-properties",
                )
            copy.writestr(member, content)
    data = render(demo_brief, saved)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names.count("docProps/core.xml") == 1
    assert open_docx(data).core_properties.title == demo_brief.title


def test_output_with_two_parts_of_one_name_is_refused(demo_brief: Brief) -> None:
    data = render(demo_brief)
    doubled = io.BytesIO(data)
    with (
        pytest.warns(UserWarning, match="Duplicate name"),
        zipfile.ZipFile(doubled, "a") as package,
    ):
        package.writestr("docProps/core.xml", b"<x/>")
    with pytest.raises(TemplateError) as caught:
        check_output(doubled.getvalue(), marking="RESTRICTED", references=6)
    assert str(caught.value) == (
        "The rendered document is damaged: it holds two parts named docProps/core.xml."
    )


def make_template(
    tmp_path: Path, body: str, header: str = "{{ classification }}"
) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    for line in body.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "custom.docx"
    document.save(path)
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "tries something templates may not do"),
        ("{{ cycler.__init__.__globals__ }}", "tries something templates may not do"),
        ("{{ titel }}", "uses a field a brief does not have: 'titel' is undefined"),
        ("{% for o in options %}{{ o.titel }}{% endfor %}", "has no attribute 'titel'"),
        ("{% if title %}unclosed", "template syntax error"),
        ("{{ title|no_such_filter }}", "No filter named 'no_such_filter'"),
        ("{{ title|safe }}", "No filter named 'safe'"),
        ("{{ title|urlize }}", "No filter named 'urlize'"),
    ],
)
def test_broken_or_hostile_templates_are_refused_with_a_reason(
    tmp_path: Path, demo_brief: Brief, body: str, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        render(demo_brief, make_template(tmp_path, body))
    assert str(caught.value).startswith("custom.docx (body, in “")
    assert message in str(caught.value)


def test_a_template_without_the_marking_is_refused(
    tmp_path: Path, demo_brief: Brief
) -> None:
    template = make_template(tmp_path, "{{ title }}", header="Ministry of Defence")
    with pytest.raises(TemplateError) as caught:
        render(demo_brief, template)
    assert str(caught.value) == (
        "The header of section 1 does not show the classification “RESTRICTED”."
    )


def test_output_that_lost_its_structure_is_refused(
    demo_brief: Brief, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without autoescaping, a ``<`` breaks the XML; the output check must catch it."""
    from docxtpl import DocxTemplate

    original = DocxTemplate.render

    def render_unescaped(
        self: DocxTemplate, context: dict[str, object], **kw: object
    ) -> None:
        environment = template_environment()
        environment.autoescape = False
        original(self, context, jinja_env=environment, autoescape=False)

    monkeypatch.setattr(DocxTemplate, "render", render_unescaped)
    brief = replace(demo_brief, summary="R&D <draft> plan")
    with pytest.raises(TemplateError) as caught:
        render(brief)
    assert "damaged" in str(caught.value) or "lost" in str(caught.value)


def _rewrite_part(data: bytes, name: str, change: Callable[[str], str]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda xml: xml.replace("</w:body>", "<w:p/></w:body>"),
            "The rendered document lost its page settings (the body no longer ends "
            "with its section properties).",
        ),
        (
            lambda xml: xml.replace("<w:body>", "<w:body><w:p>&undefined;</w:p>", 1),
            "The rendered document is damaged: its part word/document.xml is not "
            "valid XML",
        ),
        (
            lambda xml: xml.replace("<w:footerReference", "<w:ignored", 1).replace(
                'r:id="rId9"/>', 'r:id="rId9"/>', 1
            ),
            "header and footer references where the template has",
        ),
    ],
)
def test_the_output_check_names_each_fault(
    demo_brief: Brief, change: Callable[[str], str], message: str
) -> None:
    data = render(demo_brief)
    broken = _rewrite_part(data, "word/document.xml", change)
    with pytest.raises(TemplateError) as caught:
        check_output(broken, marking="RESTRICTED", references=2)
    assert message in str(caught.value)


def test_remote_references_in_output_are_refused(
    tmp_path: Path, demo_brief: Brief
) -> None:
    template = make_template(tmp_path, "{{ title }}")
    with zipfile.ZipFile(template, "a") as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/image" Target="http://example.org/track.png" '
        'TargetMode="External"/></Relationships>',
    )
    rewritten = tmp_path / "remote.docx"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(rewritten, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = rels.encode()
            target.writestr(item, data)
    with pytest.raises(TemplateError) as caught:
        render(demo_brief, rewritten)
    assert "http://example.org/track.png" in str(caught.value)


def test_word_is_asked_to_update_fields_on_opening(demo_brief: Brief) -> None:
    data = render(demo_brief)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        settings = package.read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings
    assert settings.index("w:updateFields") < settings.index("w:compat")
