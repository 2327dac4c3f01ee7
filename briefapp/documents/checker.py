"""The template checker: every mistake in a Word template, named with its place.

Checks, in order: the package (a real, plain, safe .docx); each part's Jinja
(syntax, unknown names and fields with suggestions, unknown filters, what the
sandbox forbids); tags Word split across formatting so they cannot work; the
classification marking in every header and footer in use; Jinja in document
properties or footnotes (which are not rendered safely); and finally a trial
render of the demo brief, whose output must pass the same checks as an export.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from briefapp.documents.context import brief_context
from briefapp.documents.environment import template_environment
from briefapp.documents.labels import labels_for
from briefapp.documents.names import name_problems
from briefapp.documents.package import inspect_package
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError

ERROR = "error"
WARNING = "warning"
_TAGS = ("{{", "{%", "}}", "%}")
_MARKING = re.compile(r"\{\{[^}]*\bclassification\b")
_PARAGRAPH = re.compile(r"<w:p[ >]")
_XML_TAG = re.compile(r"<[^>]+>")
_BROKEN_TAG = re.compile(r"\{\s+[{%]|[%}]\s+\}")
_PARAGRAPH_TAG = re.compile(r"(\{%|\{\{)p\s.*?(%\}|\}\})")
_ROW_TAG = re.compile(r"\{%\s*t[rc]\s")


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def check_template(
    path: Path, sample: Brief | None = None, timeout: float = 30.0
) -> list[Finding]:
    """Every problem found in the template at ``path``; errors first.

    Args:
        sample: a brief to render as a trial (the demo brief), or ``None``.
        timeout: how long the trial render may take, in seconds.
    """
    problems = inspect_package(path)
    findings = [Finding(ERROR, "package", p.message) for p in problems]
    if any(p.fatal for p in problems):
        return findings
    from docxtpl import DocxTemplate

    template = DocxTemplate(path)
    template.init_docx()
    language = str(template.docx.core_properties.language or "en-GB")
    environment = template_environment(labels_for(language))
    for part_name, xml in _parts(template):
        findings += _part_findings(part_name, xml, environment)
    findings += _tag_findings(template.docx)
    findings += _marking_findings(template.docx)
    findings += _property_findings(template)
    if sample is not None and not any(f.severity == ERROR for f in findings):
        findings += _trial_render(path, sample, language, timeout)
    return sorted(findings, key=lambda f: f.severity != ERROR)


def _parts(template: Any) -> list[tuple[str, str]]:
    """Each part as docxtpl prepares it for Jinja: (name, xml)."""
    parts = [("body", template.patch_xml(template.get_xml()))]
    for kind, uri in (("header", template.HEADER_URI), ("footer", template.FOOTER_URI)):
        for number, (_key, part) in enumerate(template.get_headers_footers(uri), 1):
            xml = template.patch_xml(template.get_part_xml(part))
            parts.append((f"{kind} {number}", xml))
    return parts


def _part_findings(part_name: str, xml: str, environment: Any) -> list[Finding]:
    # docxtpl starts every paragraph on a new line before handing the XML to
    # Jinja, so a Jinja line number points at a paragraph.
    source = _PARAGRAPH.sub(lambda m: "\n" + m.group(0), xml)
    lines = source.split("\n")
    try:
        parsed = environment.parse(source)
    except TemplateSyntaxError as error:
        return [
            Finding(ERROR, _place(part_name, lines, error.lineno), f"{error.message}")
        ]
    return [
        Finding(ERROR, _place(part_name, lines, problem.lineno), problem.message)
        for problem in name_problems(parsed, environment.filters)
    ]


def _place(part_name: str, lines: list[str], lineno: int | None) -> str:
    """The part and the text of the paragraph at a Jinja line number."""
    if not lineno or lineno < 1 or lineno > len(lines):
        return part_name
    text = _short(_XML_TAG.sub("", lines[lineno - 1]))
    return f"{part_name}, in “{text}”" if text else part_name


def _tag_findings(document: Any) -> list[Finding]:
    """Tags broken by editing: split across paragraphs or cells, or malformed."""
    findings = []
    for part_name, paragraphs in _all_paragraphs(document):
        for number, (paragraph, in_table) in enumerate(paragraphs, 1):
            text = paragraph.text
            if "{" not in text and "}" not in text:
                continue
            where = f"{part_name}, paragraph {number} “{_short(text)}”"
            problem = _tag_problem(text, in_table)
            if problem:
                findings.append(Finding(ERROR, where, problem))
    return findings


def _tag_problem(text: str, in_table: bool) -> str | None:
    if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
        return (
            "a tag is split across paragraphs or table cells, so it cannot work; "
            "keep each tag within one paragraph"
        )
    broken = _BROKEN_TAG.search(text)
    if broken:
        return (
            f"“{broken.group(0)}” is not a tag: the two characters must touch, "
            "as in {{ or {%"
        )
    paragraph_tag = _PARAGRAPH_TAG.search(text)
    if paragraph_tag and _PARAGRAPH_TAG.sub("", text).strip():
        return (
            f"a {paragraph_tag.group(1)}p tag must be alone in its paragraph; "
            "the rest of the paragraph would be lost"
        )
    if _ROW_TAG.search(text) and not in_table:
        return "a {%tr …%} or {%tc …%} tag only works inside a table"
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text[:80] + ("…" if len(text) > 80 else "")


def _all_paragraphs(document: Any) -> list[tuple[str, list[tuple[Any, bool]]]]:
    """Every paragraph of each part, with whether it sits in a table."""

    def with_cells(container: Any, in_table: bool = False) -> list[tuple[Any, bool]]:
        found = [(paragraph, in_table) for paragraph in container.paragraphs]
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    found += with_cells(cell, in_table=True)
        return found

    parts = [("body", with_cells(document))]
    for number, section in enumerate(document.sections, 1):
        for label, part in _headers_and_footers(section, document):
            if not part.is_linked_to_previous:
                parts.append((f"{label} of section {number}", with_cells(part)))
    return parts


def _headers_and_footers(section: Any, document: Any) -> list[tuple[str, Any]]:
    pairs = [("header", section.header), ("footer", section.footer)]
    if section.different_first_page_header_footer:
        pairs += [
            ("first-page header", section.first_page_header),
            ("first-page footer", section.first_page_footer),
        ]
    if document.settings.odd_and_even_pages_header_footer:
        pairs += [
            ("even-page header", section.even_page_header),
            ("even-page footer", section.even_page_footer),
        ]
    return pairs


def _marking_findings(document: Any) -> list[Finding]:
    findings = []
    for number, section in enumerate(document.sections, 1):
        for label, part in _headers_and_footers(section, document):
            if part.is_linked_to_previous and number > 1:
                continue
            text = "\n".join(p.text for p in part.paragraphs)
            for table in part.tables:
                text += "\n".join(c.text for row in table.rows for c in row.cells)
            if not _MARKING.search(text):
                findings.append(
                    Finding(
                        ERROR,
                        f"{label} of section {number}",
                        "does not print the classification: add {{ classification }}",
                    )
                )
    return findings


def _property_findings(template: Any) -> list[Finding]:
    findings = []
    core = template.docx.core_properties
    for name in ("title", "subject", "author", "comments", "keywords", "category"):
        value = getattr(core, name) or ""
        if "{{" in value or "{%" in value:
            findings.append(
                Finding(
                    ERROR,
                    f"document property “{name}”",
                    "holds a template tag; Briefapp sets document properties itself, "
                    "so remove the tag",
                )
            )
    for part in template.docx.part.package.parts:
        name = str(part.partname).rsplit("/", 1)[-1]
        notes = name in ("footnotes.xml", "endnotes.xml")
        if notes and re.search(rb"\{\{|\{%", part.blob):
            findings.append(
                Finding(
                    ERROR, name, "footnotes and endnotes may not hold template tags"
                )
            )
    return findings


def _trial_render(
    path: Path, sample: Brief, language: str, timeout: float
) -> list[Finding]:
    from briefapp.documents.isolation import RenderJob, render_isolated
    from briefapp.documents.render import DocumentProperties

    labels = labels_for(language)
    job = RenderJob(
        template=path,
        context=brief_context(sample, today=dt.date.today(), labels=labels),
        marking=sample.classification,
        properties=DocumentProperties("", "", "", "", "", ""),
        language=language,
    )
    try:
        render_isolated(job, timeout=timeout)
    except TemplateError as error:
        return [Finding(ERROR, "trial with the demo brief", str(error))]
    return []
