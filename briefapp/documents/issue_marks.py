"""Marks of an issued brief: its footer line and custom document properties,
and the fingerprint of the text a reader sees, which ``verify`` compares."""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Mapping

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Pt
from lxml import etree

from briefapp.documents.package import MAX_PART_BYTES, SAFE_PARSER, UnsafePartError
from briefapp.documents.package import read_xml as read_safe_xml
from briefapp.documents.review_marks import (
    _BR,
    _CR,
    _DEL,
    _FALLBACK,
    _P,
    _T,
    _TAB,
    _W,
    Element,
    run_piece,
)
from briefapp.documents.text import clean_text
from briefapp.domain.errors import ExportError

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CUSTOM_REL, _MAIN_REL = f"{_RELS}/custom-properties", f"{_RELS}/officeDocument"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_FIELD_SIMPLE = f"{_W}fldSimple"


def stamp_issue(
    document: Document, footer_line: str, properties: Mapping[str, str]
) -> None:
    """Ends every footer in use with ``footer_line`` in 7 pt, and records
    ``properties`` as custom document properties (other ones already there stay).

    A section with no footer of a kind it shows gets one, following python-docx:
    a linked footer resolves to the earlier section's, which is stamped once.
    """
    even_pages = document.settings.odd_and_even_pages_header_footer
    stamped: set[int] = set()
    for section in document.sections:
        for footer, shown in (
            (section.footer, True),
            (section.first_page_footer, section.different_first_page_header_footer),
            (section.even_page_footer, even_pages),
        ):
            if footer.is_linked_to_previous and not shown:
                continue
            if id(footer.part) not in stamped:  # a linked footer resolves to its part
                stamped.add(id(footer.part))
                alignment = (
                    footer.paragraphs[-1].alignment if footer.paragraphs else None
                )
                paragraph = footer.add_paragraph()
                if alignment is not None:  # line up with the footer above
                    paragraph.alignment = alignment
                paragraph.add_run(clean_text(footer_line)).font.size = Pt(7)
    _write_custom_properties(document, properties)


def read_custom_properties(data: bytes) -> dict[str, str]:
    """The custom document properties of a DOCX, each value as its text.

    Raises:
        ExportError: the bytes are not a readable Word document.
    """
    root = _package_part(data, _CUSTOM_REL, None)
    if root is None:
        return {}
    tag = f"{{{_CUSTOM_NS}}}property"
    return {p.get("name", ""): "".join(p.itertext()) for p in root if p.tag == tag}


def body_fingerprint(data: bytes) -> str:
    """SHA-256 (hex) of the text a reader sees, whatever the runs and spacing
    Word saves it with: the body, then the distinct headers and footers (so a
    changed classification marking counts). Deletions, the results of fields
    (page numbers change when Word updates them) and the copies of drawings
    kept for old readers do not count.

    Raises:
        ExportError: the bytes are not a readable Word document.
    """
    root = _package_part(data, _MAIN_REL, "word/document.xml")
    body = None if root is None else root.find(f"{_W}body")
    if body is None:
        raise ExportError("This file is not a Word document: it has no body text.")
    margins = {_visible_text(part) for part in _margin_parts(data)}
    texts = [_visible_text(body), *sorted(m for m in margins if m)]
    return hashlib.sha256("\n\f\n".join(texts).encode()).hexdigest()


def _visible_text(root: Element) -> str:
    """The text of ``root`` as lines, spacing collapsed, empty lines dropped."""
    for hidden in list(root.iter(_DEL, _FALLBACK, _FIELD_SIMPLE)):
        hidden.getparent().remove(hidden)
    _drop_field_results(root)
    lines: list[list[str]] = [[]]
    for element in root.iter(_P, _T, _TAB, _BR, _CR):
        if element.tag == _P:
            lines.append([])
        else:
            lines[-1].append(run_piece(element))
    text = unicodedata.normalize("NFC", "\n".join("".join(line) for line in lines))
    kept = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(k for k in kept if k)


def _drop_field_results(root: Element) -> None:
    """Remove the runs that show a complex field's result (between its
    ``separate`` and ``end`` marks)."""
    depth_in_result: list[bool] = []
    doomed = []
    for run in root.iter(f"{_W}r"):
        mark = run.find(f"{_W}fldChar")
        kind = None if mark is None else mark.get(f"{_W}fldCharType")
        if kind == "begin":
            depth_in_result.append(False)
        elif kind == "separate" and depth_in_result:
            depth_in_result[-1] = True
        elif kind == "end" and depth_in_result:
            depth_in_result.pop()
        elif depth_in_result and depth_in_result[-1]:
            doomed.append(run)
    for run in doomed:
        run.getparent().remove(run)


def _margin_parts(data: bytes) -> list[Element]:
    """The header and footer parts the main document refers to."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            rels = (
                read_safe_xml(package, "_rels/.rels") if "_rels/.rels" in names else []
            )
            main = next(
                (r.get("Target", "") for r in rels if r.get("Type") == _MAIN_REL),
                "word/document.xml",
            ).lstrip("/")
            folder, _, leaf = main.rpartition("/")
            rels_name = (
                f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
            )
            if rels_name not in names:
                return []
            parts = []
            for rel in read_safe_xml(package, rels_name):
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                if kind not in ("header", "footer") or rel.get("TargetMode"):
                    continue
                target = posixpath.normpath(
                    posixpath.join(folder, rel.get("Target", ""))
                )
                if (
                    target in names
                    and package.getinfo(target).file_size <= MAX_PART_BYTES
                ):
                    parts.append(read_safe_xml(package, target))
            return parts
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as error:
        raise ExportError(
            "This file is not a Word document: it is not a readable zip package."
        ) from error
    except UnsafePartError as error:
        raise ExportError(f"This Word document cannot be read: {error}.") from error


def _write_custom_properties(document: Document, properties: Mapping[str, str]) -> None:
    """Replaces docProps/custom.xml, keeping the properties not in ``properties``."""
    package = document.part.package
    partname, kept = PackURI("/docProps/custom.xml"), []
    for rel in list(package.rels.values()):
        if rel.reltype == _CUSTOM_REL and not rel.is_external:
            partname = rel.target_part.partname
            try:
                kept = list(etree.fromstring(rel.target_part.blob, SAFE_PARSER))
            except etree.XMLSyntaxError:
                kept = []  # an unreadable part is replaced, not kept
            del package.rels[rel.rId]
    nsmap = {None: _CUSTOM_NS, "vt": _VT_NS}
    root = etree.Element(f"{{{_CUSTOM_NS}}}Properties", nsmap=nsmap)
    names = {name.casefold() for name in properties}
    tag = f"{{{_CUSTOM_NS}}}property"
    root.extend(
        p for p in kept if p.tag == tag and p.get("name", "").casefold() not in names
    )
    for name, value in properties.items():
        prop = etree.SubElement(root, tag, fmtid=_FMTID, name=clean_text(name))
        etree.SubElement(prop, f"{{{_VT_NS}}}lpwstr").text = clean_text(value)
    for pid, prop in enumerate(root, start=2):
        prop.set("pid", str(pid))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package.relate_to(Part(partname, _CUSTOM_TYPE, blob, package), _CUSTOM_REL)


def _package_part(data: bytes, reltype: str, default: str | None) -> Element | None:
    """The part of a DOCX that the package relationship ``reltype`` names (or
    ``default``), parsed safely after its size is checked; ``None`` if absent."""
    not_word = "This file is not a Word document: "
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names:
                raise ExportError(not_word + "it has no list of its contents.")
            rels = (
                read_safe_xml(package, "_rels/.rels") if "_rels/.rels" in names else []
            )
            targets = (r.get("Target", "") for r in rels if r.get("Type") == reltype)
            name = next(targets, default)
            name = None if name is None else name.lstrip("/")
            if name not in names:
                if default is None:
                    return None
                raise ExportError(not_word + "it has no main document part.")
            size = package.getinfo(name).file_size
            if size > MAX_PART_BYTES:
                raise ExportError(
                    f"{not_word}its part {name} is too large ({size:,} bytes)."
                )
            return read_safe_xml(package, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as error:
        raise ExportError(not_word + "it is not a readable zip package.") from error
    except UnsafePartError as error:
        raise ExportError(f"This Word document cannot be read: {error}.") from error
