"""Checks a rendered DOCX must pass before it is written anywhere.

docxtpl repairs broken XML silently, so a bad value could otherwise produce a
file that opens but has lost its text or its headers. Every XML part must
parse strictly, the body must end with its section properties, every header
and footer the template had must still be referenced, every page's header and
footer must carry the classification, and nothing may point outside the file
except hyperlinks.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

from briefapp.domain.errors import TemplateError
from briefapp.domain.validation import has_visible_text

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HYPERLINK = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
)
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=False, huge_tree=False
)


def check_output(data: bytes, *, marking: str, references: int) -> None:
    """Raise ``TemplateError`` naming the first fault of a rendered DOCX."""
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = {name: _parse(package, name) for name in _xml_parts(package)}
    body = parts["word/document.xml"].find(f"{{{_W}}}body")
    if body is None or len(body) == 0 or body[-1].tag != f"{{{_W}}}sectPr":
        raise TemplateError(
            "The rendered document lost its page settings (the body no longer "
            "ends with its section properties)."
        )
    _check_relationships(parts)
    document = docx.Document(io.BytesIO(data))
    found = count_section_references(document)
    if found != references:
        raise TemplateError(
            f"The rendered document has {found} header and footer references "
            f"where the template has {references}."
        )
    check_marking(document, marking)


def count_section_references(document: Any) -> int:
    """How many header and footer references the document's sections hold."""
    body = document.element.body
    return len(body.xpath(".//w:headerReference | .//w:footerReference"))


def check_marking(document: Any, marking: str) -> None:
    """Raise unless every header and footer in use shows ``marking``."""
    if not has_visible_text(marking):
        raise TemplateError("The brief has no classification to mark its pages with.")
    odd_even = document.settings.odd_and_even_pages_header_footer
    for number, section in enumerate(document.sections, start=1):
        for label, part in _headers_and_footers(section, odd_even):
            text = _text(part)
            if marking not in text:
                raise TemplateError(
                    f"The {label} of section {number} does not show the "
                    f"classification “{marking}”."
                )


def _headers_and_footers(section: Any, odd_even: bool) -> list[tuple[str, Any]]:
    pairs = [("header", section.header), ("footer", section.footer)]
    if section.different_first_page_header_footer:
        pairs += [
            ("first-page header", section.first_page_header),
            ("first-page footer", section.first_page_footer),
        ]
    if odd_even:
        pairs += [
            ("even-page header", section.even_page_header),
            ("even-page footer", section.even_page_footer),
        ]
    return pairs


def _text(part: Any) -> str:
    # python-docx follows a section linked to the previous one to that one's
    # header, and gives an empty header for a first section that has none.
    texts = [paragraph.text for paragraph in part.paragraphs]
    for table in part.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def _xml_parts(package: zipfile.ZipFile) -> list[str]:
    return [
        name
        for name in package.namelist()
        if name.endswith((".xml", ".rels")) and not name.endswith("/")
    ]


def _parse(package: zipfile.ZipFile, name: str) -> Any:
    try:
        return etree.fromstring(package.read(name), _PARSER)
    except etree.XMLSyntaxError as error:
        raise TemplateError(
            f"The rendered document is damaged: part {name} is not valid XML "
            f"({error.msg})."
        ) from error


def _check_relationships(parts: dict[str, Any]) -> None:
    for name, root in parts.items():
        if not name.endswith(".rels"):
            continue
        for relationship in root:
            external = relationship.get("TargetMode") == "External"
            if external and relationship.get("Type") != _HYPERLINK:
                raise TemplateError(
                    "The document refers to an outside file "
                    f"({relationship.get('Target')}); only hyperlinks may."
                )
