"""Checks a rendered DOCX must pass before it is written anywhere.

docxtpl repairs broken XML silently, so a bad value could otherwise produce a
file that opens but has lost its text or its headers. Every XML part must
parse strictly with no paragraph nested where Word forbids it, the body must
end with its section properties, every header and footer the template had
must still be referenced, every page's header and footer must visibly carry
the classification (``marking_rule``: an allow-listed form, its look resolved)
and no other, and nothing may point outside the file except hyperlinks.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from typing import Any

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
    """Raise unless every header and footer in use visibly shows ``marking``
    in the allow-listed form (``marking_rule``), and no other classification."""
    from briefapp.documents.marking_rule import output_problems

    if not has_visible_text(marking):
        raise TemplateError("The brief has no classification to mark its pages with.")
    problems = output_problems(document, marking)
    if problems:
        raise TemplateError(problems[0].sentence())
