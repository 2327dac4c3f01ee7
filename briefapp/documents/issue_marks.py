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
from typing import Any

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Pt
from lxml import etree

from briefapp.documents.package import SAFE_PARSER, UnsafePartError, size_problem
from briefapp.documents.package import read_xml as read_safe_xml
from briefapp.documents.text import clean_text
from briefapp.documents.wordml import BR, CR, DEL, FALLBACK, TAB, Element, W, run_piece
from briefapp.documents.wordml import P as PARAGRAPH
from briefapp.documents.wordml import T as TEXT
from briefapp.domain.errors import ExportError

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CUSTOM_REL, _MAIN_REL = f"{_RELS}/custom-properties", f"{_RELS}/officeDocument"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_FIELD_SIMPLE = f"{W}fldSimple"
_INSTR = f"{W}instrText"
_NOT_WORD = "This file is not a Word document: "
_VOLATILE_FIELDS = frozenset(
    {"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "PRINTDATE",
     "SAVEDATE", "EDITTIME", "FILENAME", "FILESIZE", "NUMWORDS", "NUMCHARS"}
)  # fmt: skip
"""Fields whose result changes without the text changing."""


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
    write_custom_properties(document, properties)


def read_custom_properties(data: bytes) -> dict[str, str]:
    """The custom document properties of a DOCX, each value as its text.

    Raises:
        ExportError: the bytes are not a readable Word document.
    """
    with _WordPackage(data) as package:
        root = package.part(_CUSTOM_REL, None)
    if root is None:
        return {}
    tag = f"{{{_CUSTOM_NS}}}property"
    return {p.get("name", ""): "".join(p.itertext()) for p in root if p.tag == tag}


def body_fingerprint(data: bytes) -> str:
    """SHA-256 (hex) of the text a reader sees, whatever the runs and spacing
    Word saves it with: the body, then the distinct headers and footers (so a
    changed classification marking counts). Deletions, the copies of drawings
    kept for old readers and the results of fields that change by themselves
    (page numbers, dates) do not count.

    Raises:
        ExportError: the bytes are not a readable Word document.
    """
    with _WordPackage(data) as package:
        root = package.part(_MAIN_REL, "word/document.xml")
        body = None if root is None else root.find(f"{W}body")
        if body is None:
            raise ExportError(f"{_NOT_WORD}it has no body text.")
        margins = {_visible_text(part) for part in package.margins()}
    texts = [_visible_text(body), *sorted(m for m in margins if m)]
    return hashlib.sha256("\n\f\n".join(texts).encode()).hexdigest()


def _visible_text(root: Element) -> str:
    """The text of ``root`` as lines, spacing collapsed, empty lines dropped."""
    for hidden in list(root.iter(DEL, FALLBACK)):
        hidden.getparent().remove(hidden)
    drop_volatile_fields(root)
    lines: list[list[str]] = [[]]
    for element in root.iter(PARAGRAPH, TEXT, TAB, BR, CR):
        if element.tag == PARAGRAPH:
            lines.append([])
        else:
            lines[-1].append(run_piece(element))
    text = unicodedata.normalize("NFC", "\n".join("".join(line) for line in lines))
    kept = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(k for k in kept if k)


def volatile_instruction(instruction: str) -> bool:
    """Whether a field with this instruction changes its result by itself."""
    words = instruction.split()
    return bool(words) and words[0].upper() in _VOLATILE_FIELDS


_volatile = volatile_instruction


def drop_volatile_fields(root: Element) -> None:
    """Remove the results of fields whose text changes by itself (page numbers,
    dates): a simple field's runs, a complex field's runs between its
    ``separate`` and ``end`` marks. Other fields' results count as text."""
    for simple in list(root.iter(_FIELD_SIMPLE)):
        if _volatile(simple.get(f"{W}instr", "")):
            simple.getparent().remove(simple)
    # Each open complex field: its instruction so far, and whether its result
    # is being shown.
    fields: list[list[Any]] = []
    doomed = []
    for run in list(root.iter(f"{W}r")):
        mark = run.find(f"{W}fldChar")
        kind = None if mark is None else mark.get(f"{W}fldCharType")
        if kind == "begin":
            fields.append(["", False])
        elif kind == "separate" and fields:
            fields[-1][1] = True
        elif kind == "end" and fields:
            fields.pop()
        elif fields and not fields[-1][1]:
            fields[-1][0] += "".join(t.text or "" for t in run.iter(_INSTR))
        elif fields and fields[-1][1] and any(_volatile(f[0]) for f in fields):
            doomed.append(run)
    for run in doomed:
        run.getparent().remove(run)


class _WordPackage:
    """A DOCX opened for reading, refused if it unpacks too large."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
            raise ExportError(
                f"{_NOT_WORD}it is not a readable zip package."
            ) from error
        too_large = size_problem(self._zip)
        if too_large:
            self._zip.close()
            raise ExportError(f"This Word document cannot be read: {too_large}.")
        self._names = set(self._zip.namelist())
        if "[Content_Types].xml" not in self._names:
            self._zip.close()
            raise ExportError(f"{_NOT_WORD}it has no list of its contents.")

    def __enter__(self) -> _WordPackage:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._zip.close()

    def read(self, name: str) -> Element:
        try:
            return read_safe_xml(self._zip, name)
        except (zipfile.BadZipFile, EOFError, zlib.error) as error:
            raise ExportError(f"{_NOT_WORD}its part {name} is damaged.") from error
        except UnsafePartError as error:
            raise ExportError(f"This Word document cannot be read: {error}.") from error

    def _targets(self, rels_name: str, folder: str) -> list[tuple[str, str]]:
        """(relationship type, part name) of each internal relationship."""
        if rels_name not in self._names:
            return []
        found = []
        for rel in self.read(rels_name):
            if rel.get("TargetMode"):
                continue
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            found.append((rel.get("Type", ""), target.lstrip("/")))
        return found

    def main_name(self) -> str:
        """The name of the main document part."""
        main = [t for kind, t in self._targets("_rels/.rels", "/") if kind == _MAIN_REL]
        name = main[0] if main else "word/document.xml"
        if name not in self._names:
            raise ExportError(f"{_NOT_WORD}it has no main document part.")
        return name

    def blob(self, name: str) -> bytes:
        """The bytes of the part ``name``."""
        try:
            return self._zip.read(name)
        except (zipfile.BadZipFile, EOFError, zlib.error, RuntimeError) as error:
            raise ExportError(f"{_NOT_WORD}its part {name} is damaged.") from error

    def _rels_of(self, name: str) -> tuple[str, str]:
        folder, _, leaf = name.rpartition("/")
        rels_name = f"{folder}/_rels/{leaf}.rels" if folder else f"_rels/{leaf}.rels"
        return rels_name, folder or "/"

    def related(self, name: str, kinds: tuple[str, ...]) -> list[str]:
        """The parts in the package that ``name`` relates to by a relationship
        whose type ends in one of ``kinds`` (``header``, ``image``), each once."""
        found = {
            target
            for kind, target in self._targets(*self._rels_of(name))
            if kind.rsplit("/", 1)[-1] in kinds and target in self._names
        }
        return sorted(found)

    def related_root(self, name: str, kind: str) -> Element | None:
        """The first part of relationship type ``kind`` from ``name``, parsed."""
        found = self.related(name, (kind,))
        return self.read(found[0]) if found else None

    def external(self, name: str, kinds: tuple[str, ...]) -> list[str]:
        """The targets outside the package that ``name`` refers to by a
        relationship whose type ends in one of ``kinds``."""
        rels_name, _ = self._rels_of(name)
        if rels_name not in self._names:
            return []
        return sorted(
            rel.get("Target", "")
            for rel in self.read(rels_name)
            if (rel.get("TargetMode") or "").lower() == "external"
            and rel.get("Type", "").rsplit("/", 1)[-1] in kinds
        )

    def part(self, reltype: str, default: str | None) -> Element | None:
        """The part the package relationship ``reltype`` names (or ``default``);
        ``None`` if there is none."""
        names = [t for kind, t in self._targets("_rels/.rels", "/") if kind == reltype]
        name = names[0] if names else default
        if name is None or name not in self._names:
            if default is None:
                return None
            raise ExportError(f"{_NOT_WORD}it has no main document part.")
        return self.read(name)

    def margins(self) -> list[Element]:
        """The header and footer parts of the main document, each once."""
        names = self.related(self.main_name(), ("header", "footer"))
        return [self.read(name) for name in names]


WordPackage = _WordPackage


def write_custom_properties(document: Document, properties: Mapping[str, str]) -> None:
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
