"""The template checker: every mistake in a Word template, named with its place.

Checks, in order: the package (a real, plain, safe .docx); each part's tags,
one by one so that one mistake hides no other (``tag_checks``: syntax, blocks,
unknown names and fields with suggestions, unknown filters and tests, what the
sandbox forbids); the placement of tags, the marking in every header
and footer, leftovers (``layout_checks``); template tags in document
properties or notes; and finally trial renders of the demo brief and of an
empty brief, whose output must pass the same checks as an export.

``check_template`` parses hostile input; callers run it in a child process
with a time limit (``isolation.run_isolated``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from briefapp.documents.context import brief_context
from briefapp.documents.environment import template_environment
from briefapp.documents.labels import labels_for, speaks
from briefapp.documents.layout_checks import layout_problems, part_labels, short
from briefapp.documents.library import describe_template
from briefapp.documents.package import SAFE_PARSER, inspect_package, open_template
from briefapp.documents.tag_checks import tag_problems
from briefapp.documents.tags import paragraph_text
from briefapp.documents.word_template import word_template
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from briefapp.domain.templates import TemplateOrigin

ERROR = "error"
WARNING = "warning"
_NOTES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": (
        "a footnote"
    ),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": (
        "an endnote"
    ),
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RENDERED_PROPERTIES = (
    "title", "subject", "author", "comments", "keywords", "category", "identifier",
    "language",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def check_template(path: Path, samples: tuple[Brief, ...] = ()) -> list[Finding]:
    """Every problem found in the template at ``path``; errors first.

    Args:
        samples: briefs to render as trials (the demo brief, an empty brief).
    """
    problems = inspect_package(path)
    findings = [Finding(ERROR, "package", p.message) for p in problems]
    if any(p.fatal for p in problems):
        return findings
    template = word_template(open_template(path))
    template.init_docx()
    language = describe_template(path, TemplateOrigin.FILE).language
    if not speaks(language):
        findings.append(
            Finding(
                WARNING,
                "language",
                f"Briefapp has no words for “{language}”; dates, numbers and its "
                "labels will be in British English",
            )
        )
    environment = template_environment(labels_for(language))
    for part_name, root in _part_roots(template):
        findings += _part_findings(part_name, root, environment)
    layout = [
        Finding(WARNING if p.warning else ERROR, p.where, p.message)
        for p in layout_problems(template.docx)
    ]
    # A tag left open is found by both; the layout check names the paragraph.
    said = {f.message for f in layout}
    findings = [f for f in findings if f.message not in said] + layout
    findings += _property_findings(template)
    findings = list(dict.fromkeys(findings))  # one report per mistake
    if not any(f.severity == ERROR for f in findings):
        failures: set[str] = set()
        for sample in samples:
            for finding in _trial_render(path, sample, language):
                if finding.message not in failures:  # said once, for the first
                    failures.add(finding.message)
                    findings.append(finding)
    return sorted(findings, key=lambda f: f.severity != ERROR)


def explained(path: Path, error: TemplateError) -> TemplateError:
    """``error``, from filling in the template at ``path``, as the checker
    tells it (the place and a suggestion) when it finds the mistake."""
    try:
        findings = check_template(path)
    except TemplateError:
        return error
    first = next((f for f in findings if f.severity == ERROR), None)
    if first is None:
        return error
    return TemplateError(
        f"The template {path.name} has a mistake: {first.where}: {first.message}."
    )


def _part_roots(template: Any) -> list[tuple[str, Any]]:
    """Each part's XML element: (name, root), headers and footers named as the
    layout checks name them (``header of section 1``)."""
    names = part_labels(template.docx)
    parts = [("body", template.docx.element)]
    for kind, uri in (("header", template.HEADER_URI), ("footer", template.FOOTER_URI)):
        for number, (_key, part) in enumerate(template.get_headers_footers(uri), 1):
            name = names.get(str(part.partname), f"unused {kind} {number}")
            parts.append((name, etree.fromstring(part.blob, SAFE_PARSER)))
    return parts


def _part_findings(part_name: str, root: Any, environment: Any) -> list[Finding]:
    return [
        Finding(ERROR, problem.where, problem.message)
        for problem in tag_problems(part_name, root, environment)
    ]


def _property_findings(template: Any) -> list[Finding]:
    findings = []
    core = template.docx.core_properties
    for name in _RENDERED_PROPERTIES:
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
        note = _NOTES.get(part.content_type)
        if note is None or not re.search(rb"\{\{|\{%", part.blob):
            continue
        root = etree.fromstring(part.blob, SAFE_PARSER)
        for paragraph in root.iter(f"{_W}p"):
            text = paragraph_text(paragraph)
            if "{{" in text or "{%" in text:
                findings.append(
                    Finding(
                        ERROR,
                        f"{note}, in “{short(text)}”",
                        "footnotes and endnotes may not hold template tags",
                    )
                )
    return findings


def _trial_render(path: Path, sample: Brief, language: str) -> list[Finding]:
    from briefapp.documents.render import DocumentProperties, render_docx

    labels = labels_for(language)
    try:
        render_docx(
            path,
            brief_context(sample, today=dt.date(2026, 11, 28), labels=labels),
            marking=sample.classification,
            properties=DocumentProperties("", "", "", "", "", ""),
            labels=labels,
        )
    except TemplateError as error:
        which = "the demo brief" if sample.options else "an empty brief"
        return [Finding(ERROR, f"trial with {which}", str(error))]
    return []
