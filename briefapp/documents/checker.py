"""The template checker: every mistake in a Word template, named with its place.

Checks, in order: the package (a real, plain, safe .docx); each part's Jinja
(syntax, unknown names and fields with suggestions, unknown filters and tests,
what the sandbox forbids); the placement of tags, the marking in every header
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

from jinja2 import TemplateSyntaxError

from briefapp.documents.context import brief_context
from briefapp.documents.environment import template_environment
from briefapp.documents.labels import labels_for, speaks
from briefapp.documents.layout_checks import (
    layout_problems,
    part_labels,
    unclosed_message,
    unclosed_tag,
)
from briefapp.documents.library import describe_template
from briefapp.documents.names import name_problems
from briefapp.documents.package import inspect_package, open_template
from briefapp.documents.render import jinja_lines, line_text, quoted
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from briefapp.domain.templates import TemplateOrigin

ERROR = "error"
WARNING = "warning"
_XML_TAG = re.compile(r"<[^>]+>")
_BLOCK_TAG = re.compile(r"\{%-?\s*(\w+)[^%]*%\}")
_OPENERS = {"if": "endif", "for": "endfor", "macro": "endmacro", "with": "endwith",
            "set": "endset", "call": "endcall", "filter": "endfilter"}  # fmt: skip
_NOTES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
)
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
    from docxtpl import DocxTemplate

    template = DocxTemplate(open_template(path))
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
    for part_name, xml in _parts(template):
        findings += _part_findings(part_name, xml, environment)
    layout = [
        Finding(WARNING if p.warning else ERROR, p.where, p.message)
        for p in layout_problems(template.docx)
    ]
    # A tag left open is found by both; the layout check names the paragraph.
    said = {f.message for f in layout}
    findings = [f for f in findings if f.message not in said] + layout
    findings += _property_findings(template)
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


def _parts(template: Any) -> list[tuple[str, str]]:
    """Each part as docxtpl prepares it for Jinja: (name, xml), headers and
    footers named as the layout checks name them (``header of section 1``)."""
    names = part_labels(template.docx)
    parts = [("body", template.patch_xml(template.get_xml()))]
    for kind, uri in (("header", template.HEADER_URI), ("footer", template.FOOTER_URI)):
        for number, (_key, part) in enumerate(template.get_headers_footers(uri), 1):
            xml = template.patch_xml(template.get_part_xml(part))
            name = names.get(str(part.partname), f"unused {kind} {number}")
            parts.append((name, xml))
    return parts


def _part_findings(part_name: str, xml: str, environment: Any) -> list[Finding]:
    lines = jinja_lines(xml)
    source = "\n".join(lines)
    try:
        parsed = environment.parse(source)
    except TemplateSyntaxError as error:
        return [_syntax_finding(part_name, lines, error)]
    except RecursionError:
        return [Finding(ERROR, part_name, "an expression is nested too deeply")]
    return [
        Finding(
            ERROR,
            _place(part_name, lines, problem.lineno, quoted(problem.message)),
            problem.message,
        )
        for problem in name_problems(parsed, environment)
    ]


def _syntax_finding(
    part_name: str, lines: list[str], error: TemplateSyntaxError
) -> Finding:
    message = error.message or "template syntax error"
    if message.startswith("Unexpected end of template"):
        opener = _unclosed_block(lines)
        if opener is not None:
            lineno, keyword, tag = opener
            return Finding(
                ERROR,
                _place(part_name, lines, lineno, tag),
                f"“{tag}” is never closed: add {{%p {_OPENERS[keyword]} %}} where "
                "it should end",
            )
    line = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else ""
    unclosed = unclosed_tag(_XML_TAG.sub("", line))
    if unclosed is not None:
        return Finding(
            ERROR, _place(part_name, lines, error.lineno), unclosed_message(unclosed)
        )
    return Finding(ERROR, _place(part_name, lines, error.lineno), _plain_words(message))


def _plain_words(message: str) -> str:
    """Jinja's commonest syntax messages, said the way a template author thinks."""
    unknown = re.match(r"Encountered unknown tag '(\w+)'", message)
    if unknown and unknown.group(1) in ("p", "tr", "tc", "r"):
        return (
            f"“{{% {unknown.group(1)}” is not a tag: write {{%{unknown.group(1)} …%}} "
            "with no space before the letter"
        )
    if unknown and unknown.group(1).startswith("end"):
        opener = unknown.group(1).removeprefix("end")
        return (
            f"“{{% {unknown.group(1)} %}}” has no “{{% {opener} … %}}” open before "
            "it (or it was closed already)"
        )
    if unknown:
        return f"“{unknown.group(1)}” is not a tag templates know"
    if "'end of print statement'" in message and "expected token 'end" not in message:
        return (
            "a tag is unfinished: something is missing before its end, such as a "
            "value ({{ title }}), a field after a dot or a filter after |"
        )
    if message.startswith("expected token 'end of print statement'"):
        return (
            "something follows a value without a filter bar or an operator: write "
            "{{ a|filter }}, {{ a ~ b }} or two tags"
        )
    return message


def _unclosed_block(lines: list[str]) -> tuple[int, str, str] | None:
    """The line, keyword and tag of the block tag that is never closed."""
    stack: list[tuple[int, str, str]] = []
    for lineno, line in enumerate(lines, 1):
        for match in _BLOCK_TAG.finditer(_XML_TAG.sub("", line)):
            word = match.group(1)
            if word in ("p", "tr", "tc", "r"):
                continue
            if word in _OPENERS:
                stack.append((lineno, word, " ".join(match.group(0).split())))
            elif word.startswith("end") and stack and _OPENERS[stack[-1][1]] == word:
                stack.pop()
    return stack[-1] if stack else None


def _place(
    part_name: str, lines: list[str], lineno: int | None, focus: str = ""
) -> str:
    """The part and the text of the paragraph at a Jinja line number."""
    text = line_text(lines, lineno, focus)
    return f"{part_name}, in “{text}”" if text else part_name


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
        notes = part.content_type in _NOTES
        if notes and re.search(rb"\{\{|\{%", part.blob):
            findings.append(
                Finding(
                    ERROR,
                    str(part.partname).rsplit("/", 1)[-1],
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
