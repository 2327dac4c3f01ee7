"""Checks a rendered DOCX must pass before it is written anywhere.

docxtpl repairs broken XML silently, so a bad value could otherwise produce a
file that opens but has lost its text or its headers. Every XML part must
parse strictly with no paragraph nested where Word forbids it, the body must
end with its section properties, every header and footer the template had
must still be referenced, every page's header and footer must visibly carry
the classification, and nothing may point outside the file except hyperlinks.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from typing import Any

from briefapp.documents.layout_checks import headers_and_footers
from briefapp.documents.package import (
    UnsafePartError,
    article,
    embedded_object_problems,
    outside_field,
    read_xml,
    reference_problems,
    relationship_problems,
    xml_part_names,
)
from briefapp.domain.errors import TemplateError
from briefapp.domain.validation import has_visible_text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_output(data: bytes, *, marking: str, references: int) -> None:
    """Raise ``TemplateError`` naming the first fault of a rendered DOCX."""
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        counts = Counter(package.namelist())
        twice = sorted(name for name, count in counts.items() if count > 1)
        if twice:
            raise TemplateError(
                "The rendered document is damaged: it holds two parts named "
                f"{twice[0]}."
            )
        names = sorted(counts)
        try:
            parts = {name: read_xml(package, name) for name in xml_part_names(package)}
        except UnsafePartError as error:
            raise TemplateError(
                f"The rendered document is damaged: {error}."
            ) from error
    body = parts["word/document.xml"].find(f"{_W}body")
    if body is None or len(body) == 0 or body[-1].tag != f"{_W}sectPr":
        raise TemplateError(
            "The rendered document lost its page settings (the body no longer "
            "ends with its section properties)."
        )
    for name, root in parts.items():
        _check_part(name, root)
    _check_outside_references(parts, names)
    document = docx.Document(io.BytesIO(data))
    found = count_section_references(document)
    if found != references:
        raise TemplateError(
            f"The rendered document has {found} header and footer references "
            f"where the template has {references}."
        )
    check_marking(document, marking)


def _check_part(name: str, root: Any) -> None:
    if name.endswith(".rels"):
        problems = relationship_problems(name, root)
        if problems:
            raise TemplateError(_document_sentence(problems[0].message))
        return
    field = outside_field(root)
    if field is not None:
        raise TemplateError(
            f"The document has {article(field)} {field} field ({name}), which "
            "would fetch an outside file; remove it from the template."
        )
    for paragraph in root.iter(f"{_W}p"):
        parent = paragraph.getparent()
        if parent is not None and parent.tag in (f"{_W}p", f"{_W}r", f"{_W}t"):
            raise TemplateError(
                f"The rendered document is damaged: a paragraph sits inside a line "
                f"of text ({name}); a |markup or |bullets tag is probably not written "
                "as {{p … }} alone in its paragraph."
            )
    _check_text_in_runs(name, root)


def _check_outside_references(parts: dict[str, Any], names: list[str]) -> None:
    """Raise if anything but a hyperlink uses an outside target, or the
    document holds an embedded object."""
    problems = reference_problems(parts) + embedded_object_problems(names, {}, parts)
    if problems:
        raise TemplateError(_document_sentence(problems[0].message))


def _document_sentence(message: str) -> str:
    """A package problem (“it refers to…”, “its relationship…”) said of the
    rendered document."""
    if message.startswith("its "):
        return f"The document's {message.removeprefix('its ')}."
    return f"The document {message.removeprefix('it ')}."


# Word shows text only from these; text anywhere else in a story is lost.
_TEXT_HOLDERS = frozenset(
    f"{_W}{tag}" for tag in ("t", "instrText", "delText", "delInstrText", "fldData")
)
_STORIES = frozenset(
    f"{_W}{tag}" for tag in ("document", "hdr", "ftr", "footnotes", "endnotes")
)


def _check_text_in_runs(name: str, root: Any) -> None:
    """Raise if text of the document sits outside a run, where Word never
    shows it (a ``{{p …}}`` tag that printed plain text)."""
    if root.tag not in _STORIES:
        return
    for element in root.iter(f"{_W}*"):
        stray = element.text if element.tag not in _TEXT_HOLDERS else None
        if element.tag == f"{_W}t" and element.getparent().tag != f"{_W}r":
            stray = element.text
        for child in element:
            if not (stray or "").strip():
                stray = child.tail
        if (stray or "").strip():
            raise TemplateError(
                f"The rendered document would lose the text “{_short(stray)}” "
                f"({name}): it is not inside a run of text; a {{{{p …}}}} tag "
                "printed plain text, which only |markup and |bullets may do."
            )


def _short(text: str | None) -> str:
    shown = " ".join((text or "").split())
    return shown if len(shown) <= 40 else shown[:40] + "…"


def count_section_references(document: Any) -> int:
    """How many header and footer references the document's sections hold."""
    body = document.element.body
    return len(body.xpath(".//w:headerReference | .//w:footerReference"))


def check_marking(document: Any, marking: str) -> None:
    """Raise unless every header and footer in use visibly shows ``marking``."""
    if not has_visible_text(marking):
        raise TemplateError("The brief has no classification to mark its pages with.")
    for number, section in enumerate(document.sections, start=1):
        for label, part in headers_and_footers(section, document):
            where = f"the {label} of section {number}"
            paragraphs = all_paragraphs(part)
            if not any(marking in p.text for p in paragraphs):
                raise TemplateError(
                    f"{where[:1].upper()}{where[1:]} does not show the "
                    f"classification “{marking}”."
                )
            if not any(
                _shows(p, marking, section) for p in paragraphs if marking in p.text
            ):
                raise TemplateError(
                    f"The classification in {where} is hidden (hidden, white, tiny "
                    "or off-page text); the marking must be visible on every page."
                )


def all_paragraphs(part: Any) -> list[Any]:
    """Every paragraph of a header or footer, in tables, content controls and
    text boxes too (python-docx follows a section linked to the previous one)."""
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, part) for p in part._element.iter(f"{_W}p")]


def _shows(paragraph: Any, marking: str, section: Any) -> bool:
    """Whether ``marking`` in ``paragraph`` would be seen on the page."""
    usable = section.page_width - section.left_margin - section.right_margin
    indents = paragraph.paragraph_format
    for indent in (
        indents.left_indent,
        indents.right_indent,
        indents.first_line_indent,
    ):
        if indent is not None and abs(indent) > usable:
            return False
    if _hidden(paragraph.style):
        return False
    start = paragraph.text.index(marking)
    end, position = start + len(marking), 0
    for run in paragraph.runs:
        span = (position, position + len(run.text))
        position = span[1]
        if span[1] <= start or span[0] >= end or not run.text.strip():
            continue
        if _hidden(run.font) or _hidden(run.style):
            return False
    return True


def _hidden(source: Any) -> bool:
    """Whether text with this run formatting or style (or its bases) is not seen."""
    while source is not None:
        font = getattr(source, "font", source)
        if font.hidden:
            return True
        rgb = font.color.rgb if font.color is not None and font.color.type else None
        if rgb is not None and min(rgb) >= 0xF0:
            return True
        if font.size is not None and font.size.pt < 6:
            return True
        source = getattr(source, "base_style", None)
    return False
