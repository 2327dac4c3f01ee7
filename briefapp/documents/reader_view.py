"""The fingerprint of what a reader of a Word file sees (scheme 2): its text
with the run properties that change whether and how the text can be read,
fields' instructions and results, footnotes, endnotes and comments, and a
SHA-256 of each picture.

Properties are quantised (hidden or not, contrasting with the background or
not, size to the point, ...) so that a file saved again by Word or LibreOffice,
which rewrites runs, styles and spacing, keeps its fingerprint. Text inside
``mc:AlternateContent`` is refused rather than hashed: which branch a reader
sees depends on the program opening the file, so no single fingerprint can
say what was read; Briefapp never issues such a file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator

from briefapp.documents.issue_marks import WordPackage, drop_volatile_fields
from briefapp.documents.run_view import StyleSheet, page_background, run_token
from briefapp.documents.wordml import BR, CR, DEL, TAB, Element, W
from briefapp.documents.wordml import P as PARAGRAPH
from briefapp.documents.wordml import R as RUN
from briefapp.documents.wordml import T as TEXT
from briefapp.domain.errors import ExportError

SCHEME = "v2"
"""The prefix of a stored fingerprint of this scheme; 61 hex digits follow,
so that it fits the 64 characters of an issue record (older records hold 64
hex digits of the text alone, scheme 1)."""

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_REL = f"{_RELS}/officeDocument"
_IMAGE = "image"
_NOTES = ("footnotes", "endnotes", "comments")
_HIDDEN_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_MOVE_FROM = f"{W}moveFrom"
_INSTR = f"{W}instrText"
_FIELD_SIMPLE = f"{W}fldSimple"
_PIECES = {
    TAB: "\t",
    BR: "\n",
    CR: "\n",
    f"{W}noBreakHyphen": "-",
    f"{W}footnoteReference": "[note]",
    f"{W}endnoteReference": "[note]",
}


class UnverifiableTextError(ExportError):
    """The file holds text whose appearance Briefapp cannot tell."""


def reader_fingerprint(data: bytes) -> str:
    """``v2:`` and 61 hex digits of the SHA-256 of what a reader sees.

    Raises:
        UnverifiableTextError: text in alternative content, bound to data, or
            taken from another file (the sentence says which).
        ExportError: the bytes are not a readable Word document.
    """
    return f"{SCHEME}:{hashlib.sha256(reader_view(data).encode()).hexdigest()[:61]}"


def reader_view(data: bytes) -> str:
    """What the fingerprint hashes, as text (for tests and for reading)."""
    with WordPackage(data) as package:
        main = package.main_name()
        document = package.read(main)
        body = document.find(f"{W}body")
        if body is None:
            raise ExportError("This file is not a Word document: it has no body text.")
        sheet = StyleSheet(
            package.related_root(main, "styles"),
            package.related_root(main, "theme"),
            page_background(document),
        )
        sections = [_story("body", body, sheet)]
        margins = {
            _story("margin", package.read(name), sheet)
            for name in package.related(main, ("header", "footer"))
        }
        sections += sorted(margins)
        for kind in _NOTES:
            for name in package.related(main, (kind,)):
                sections.append(_notes(kind, package.read(name), sheet))
        pictures = sorted(
            hashlib.sha256(package.blob(name)).hexdigest()
            for story in (main, *package.related(main, ("header", "footer", *_NOTES)))
            for name in package.related(story, (_IMAGE,))
        )
        external = sorted(
            f"linked {target}"
            for story in (main, *package.related(main, ("header", "footer", *_NOTES)))
            for target in package.external(story, (_IMAGE,))
        )
    sections.append("[pictures]\n" + "\n".join([*pictures, *external]))
    return "briefapp reader view 2\n" + "\n".join(sections)


def _notes(kind: str, root: Element, sheet: StyleSheet) -> str:
    """Each note or comment as its lines; comments in text order (their
    place in the part is the program's choice)."""
    blocks = []
    for note in root:
        if note.get(f"{W}type") in _HIDDEN_NOTES:
            continue
        blocks.append(_story(kind[:-1], note, sheet))
    if kind == "comments":
        blocks.sort()
    return f"[{kind}]\n" + "\n".join(blocks)


def _story(kind: str, root: Element, sheet: StyleSheet) -> str:
    _refuse_unverifiable(root)
    for gone in list(root.iter(DEL, _MOVE_FROM)):
        gone.getparent().remove(gone)
    instructions = _field_instructions(root)
    drop_volatile_fields(root)
    lines = []
    for paragraph in root.iter(PARAGRAPH):
        line = _line(paragraph, sheet, instructions)
        if line:
            lines.append(line)
    return f"[{kind}]\n" + "\n".join(lines)


def _refuse_unverifiable(root: Element) -> None:
    for alternate in root.iter(f"{_MC}AlternateContent"):
        if any(True for _ in alternate.iter(TEXT, f"{W}txbxContent", _INSTR)):
            raise UnverifiableTextError(
                "it has text inside alternative content (mc:AlternateContent), "
                "which one program shows and another replaces by its fallback; "
                "Briefapp never issues such a file."
            )
    if any(True for _ in root.iter(f"{W}dataBinding")):
        raise UnverifiableTextError(
            "it has a content control bound to data kept elsewhere in the file, "
            "which Word shows instead of the text; Briefapp never issues such a "
            "file."
        )
    if any(True for _ in root.iter(f"{W}altChunk", f"{W}subDoc")):
        raise UnverifiableTextError(
            "it shows the content of another file embedded in it (w:altChunk); "
            "Briefapp never issues such a file."
        )


def _field_instructions(root: Element) -> dict[Element, str]:
    """The instruction of each field, by the element that starts it (a simple
    field or the run with a complex field's ``begin`` mark): shown where it
    stands, since Word shows what the instruction gives once fields update.
    Keyed by the elements themselves, which keeps lxml's proxies (and so
    their identity) alive."""
    found: dict[Element, str] = {}
    for simple in root.iter(_FIELD_SIMPLE):
        found[simple] = _instruction(simple.get(f"{W}instr", ""))
    open_fields: list[tuple[Element, list[str]]] = []
    for run in root.iter(RUN):
        mark = run.find(f"{W}fldChar")
        kind = None if mark is None else mark.get(f"{W}fldCharType")
        if kind == "begin":
            open_fields.append((run, []))
        elif kind in ("separate", "end") and open_fields:
            start, words = open_fields[-1]
            found.setdefault(start, _instruction("".join(words)))
            if kind == "end":
                open_fields.pop()
        elif open_fields:
            open_fields[-1][1].extend(t.text or "" for t in run.iter(_INSTR))
    return found


def _instruction(text: str) -> str:
    """A field instruction as Word and LibreOffice both keep it: spacing
    collapsed, the field's name in capitals, formatting switches dropped."""
    words = re.sub(r"\\\*\s*\w+", " ", text).split()
    if not words:
        return ""
    return " ".join([words[0].upper(), *words[1:]])


def _line(
    paragraph: Element,
    sheet: StyleSheet,
    instructions: dict[Element, str],
) -> str:
    """One paragraph: its segments of equally shown text, each as
    ``«properties»text``."""
    segments: list[tuple[str, str]] = []
    for element in _own(paragraph):
        if element.tag in (_FIELD_SIMPLE, RUN):
            instruction = instructions.get(element)
            if instruction and not _volatile(instruction):
                segments.append(("field", instruction))
        if element.tag != RUN:
            continue
        text = "".join(_pieces(element))
        if not text:
            continue
        token = run_token(element, sheet)
        for character in text:
            shown = "" if character.isspace() else token
            if segments and segments[-1][0] == shown:
                segments[-1] = (shown, segments[-1][1] + character)
            else:
                segments.append((shown, character))
    return _join(segments)


def _join(segments: list[tuple[str, str]]) -> str:
    """Spacing between text shown alike joins it; spacing is collapsed."""
    merged: list[tuple[str, str]] = []
    for index, (token, text) in enumerate(segments):
        following = segments[index + 1][0] if index + 1 < len(segments) else None
        if merged and (
            merged[-1][0] == token or (not token and following == merged[-1][0])
        ):
            merged[-1] = (merged[-1][0], merged[-1][1] + text)
        else:
            merged.append((token, text))
    parts = []
    for token, text in merged:
        shown = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))
        parts.append(f"«{token}»{shown}" if token else shown)
    return "".join(parts).strip()


def _own(paragraph: Element) -> Iterator[Element]:
    """The runs and simple fields of ``paragraph``, not of paragraphs nested in
    it (a text box's, listed as paragraphs of their own)."""
    for element in paragraph.iter(RUN, _FIELD_SIMPLE):
        ancestor = element.getparent()
        while ancestor is not None and ancestor.tag != PARAGRAPH:
            ancestor = ancestor.getparent()
        if ancestor is paragraph:
            yield element


def _pieces(run: Element) -> Iterator[str]:
    for child in run:
        if child.tag == TEXT:
            yield child.text or ""
        elif child.tag in _PIECES:
            yield _PIECES[child.tag]
        elif child.tag == f"{W}sym":
            yield f"[symbol {child.get(f'{W}font', '')} {child.get(f'{W}char', '')}]"


def _volatile(instruction: str) -> bool:
    from briefapp.documents.issue_marks import volatile_instruction

    return volatile_instruction(instruction)
