"""Rendering a Word template with a brief into the bytes of a checked DOCX.

Rendering happens in memory: the caller writes the file only once the output
has passed ``check_output``, so a failed export never leaves a partial file.
Document properties are set with python-docx after rendering (never through
Jinja, which would escape them twice).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefapp.documents.analysis_render import put_objects, with_placeholders
from briefapp.documents.check import check_output, count_section_references
from briefapp.documents.environment import ensure_plain, template_environment
from briefapp.documents.field_map import Fields, mark_fields, traced
from briefapp.documents.labels import ENGLISH, Labels
from briefapp.documents.layout_checks import part_labels, short
from briefapp.documents.package import open_template
from briefapp.documents.text import clean_text
from briefapp.documents.word_template import word_template
from briefapp.domain.errors import TemplateError

log = logging.getLogger(__name__)
_PARAGRAPH = re.compile(r"<w:p[ >]")
_XML_TAG = re.compile(r"<[^>]+>")
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


@dataclass(frozen=True, slots=True)
class DocumentProperties:
    """The core properties written into every exported document."""

    title: str
    author: str
    subject: str
    keywords: str
    category: str
    identifier: str


def render_docx(
    template: Path,
    context: dict[str, Any],
    *,
    marking: str,
    properties: DocumentProperties,
    labels: Labels = ENGLISH,
    field_map: bool = False,
) -> bytes:
    """Render ``template`` with ``context`` and return the checked DOCX bytes.

    Args:
        template: the ``.docx`` template.
        context: the values from ``brief_context``.
        marking: the classification that every header and footer must show.
        properties: the document properties to set.
        labels: the template's language, for its filters.
        field_map: highlight every inserted value, with a comment naming its
            field (``field_map``), for the template's author.

    Raises:
        TemplateError: the template is broken, uses a field the brief does not
            have, tries something the sandbox forbids, or its output fails the
            checks (which names what is wrong).
    """
    try:
        document = word_template(open_template(template))
        document.init_docx()
    except Exception as error:
        raise TemplateError(
            f"The template {template.name} cannot be read as a Word document."
        ) from error
    expected_references = count_section_references(document.docx)
    plain, objects = with_placeholders(context)
    ensure_plain(plain)
    environment = template_environment(labels)
    fields = Fields()
    if field_map:
        plain = traced(plain)
        environment.finalize = fields.finalize
        environment.filters.update(
            {name: fields.filter(f) for name, f in environment.filters.items()}
        )
    try:
        document.render(plain, jinja_env=environment, autoescape=True)
    except (MemoryError, RecursionError):
        raise  # the isolating process reports these as such
    except Exception as error:
        raise _template_error(template, document, error) from error
    put_objects(document, objects)
    if field_map:
        mark_fields(document, fields.names)
    _set_properties(document.docx, properties)
    _update_fields_on_open(document.docx)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    check_output(data, marking=clean_text(marking), references=expected_references)
    return data


def _set_properties(docx: Any, properties: DocumentProperties) -> None:
    core = docx.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    core.title = clean_text(properties.title)
    core.author = clean_text(properties.author)
    core.last_modified_by = clean_text(properties.author)
    core.subject = clean_text(properties.subject)
    core.keywords = clean_text(properties.keywords)
    core.category = clean_text(properties.category)
    core.identifier = clean_text(properties.identifier)
    core.comments = ""
    core.created = now
    core.modified = now
    core.revision = 1


_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
    "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def _update_fields_on_open(docx: Any) -> None:
    """Ask Word to update fields (page counts, a table of contents) on opening."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = docx.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        # The schema fixes the order of settings; Word is strict about it.
        successors = {qn(tag) for tag in _AFTER_UPDATE_FIELDS}
        following = next((c for c in settings if c.tag in successors), None)
        if following is None:
            settings.append(update)
        else:
            following.addprevious(update)
    update.set(qn("w:val"), "true")


def _template_error(template: Path, document: Any, error: Exception) -> TemplateError:
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateRuntimeError

    detail = (getattr(error, "message", None) or str(error)).rstrip(".")
    where = f"{template.name} ({_error_place(document, error, quoted(detail))})"
    if isinstance(error, UndefinedError):
        if detail.startswith("'None' has no attribute"):
            return TemplateError(
                f"{where}: {detail}: a value that may be empty (such as "
                "recommended, when no option is recommended) must be used inside "
                "{% if … %}, as in {%p if recommended %} … {%p endif %}."
            )
        if "has no element" in detail:
            return TemplateError(
                f"{where}: {detail}: the list has fewer items than that (an empty "
                "brief has none); use it in a {% for … %} loop or inside "
                "{% if … %}."
            )
        return TemplateError(f"{where}: uses a field a brief does not have: {detail}.")
    if isinstance(error, SecurityError):
        return TemplateError(
            f"{where}: tries something templates may not do: {detail}."
        )
    if isinstance(error, TemplateSyntaxError):
        return TemplateError(f"{where}: template syntax error: {detail}.")
    if isinstance(error, TemplateRuntimeError):
        return TemplateError(f"{where}: {detail}.")
    if detail == "no loader for this environment specified":
        return TemplateError(
            f"{where}: a Word template cannot include, import or extend another "
            "template; put what it needs in the template itself."
        )
    if detail.startswith("Range too big"):
        return TemplateError(
            f"{where}: range() may count to at most 100,000 in a template."
        )
    log.exception("rendering %s failed", template)
    detail = detail or type(error).__name__
    return TemplateError(f"{where}: the template could not be filled in: {detail}.")


def jinja_lines(xml: str) -> list[str]:
    """A part's XML as Jinja sees it: docxtpl starts every paragraph on a new
    line, so a Jinja line number points at a paragraph."""
    return _PARAGRAPH.sub(lambda m: "\n" + m.group(0), xml).split("\n")


def line_text(lines: list[str], lineno: int | None, focus: str = "") -> str:
    """The text of the paragraph at a Jinja line number, as Word shows it.

    docxtpl leaves the tag of a ``{%p …%}`` paragraph or a ``{%tr …%}`` row it
    removed at the end of the line before, outside any text: it is left out,
    unless the mistake is in it.
    """
    if not lineno or lineno < 1 or lineno > len(lines):
        return ""
    line = lines[lineno - 1]
    own = html.unescape("".join(_TEXT.findall(line)))
    whole = html.unescape(_XML_TAG.sub("", line))
    if own.strip() and (focus in own or focus not in whole):
        return short(own, focus)
    return short(whole, focus)


def quoted(message: str) -> str:
    """The first name a message quotes (“titel” or 'titel'), to show the text
    around it."""
    found = re.search("“([^”]+)”|'([^']+)'", message)
    return (found.group(1) or found.group(2)) if found else ""


def _error_place(document: Any, error: Exception, focus: str) -> str:
    """The part being filled in and, if the error says where, its paragraph."""
    part = getattr(document, "current_rendering_part", None)
    name = _part_name(part)
    if name in ("header", "footer") and part is not None:
        name = part_labels(document.docx).get(str(part.partname), name)
    lineno = getattr(error, "lineno", None) or _template_lineno(error)
    try:
        xml = (
            document.get_xml()
            if part is None or name == "body"
            else (document.get_part_xml(part))
        )
        text = line_text(jinja_lines(document.patch_xml(xml)), lineno, focus)
    except Exception:  # the place is a courtesy; the error itself matters
        text = ""
    return f"{name}, in “{text}”" if text else name


def _template_lineno(error: BaseException) -> int | None:
    """The template line a runtime error happened on, from its traceback."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            found = trace.tb_lineno
        trace = trace.tb_next
    return found


def _part_name(part: Any) -> str:
    name = str(getattr(part, "partname", "")).rsplit("/", 1)[-1]
    if name.startswith("header"):
        return "header"
    if name.startswith("footer"):
        return "footer"
    return "body" if name in ("", "document.xml") else name
