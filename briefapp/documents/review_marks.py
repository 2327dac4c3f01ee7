"""Review marks in a rendered brief: Word comments, tracked changes and a change
annex (the issue stamp and reading an issued file back are in ``issue_marks``).

Everything here works on a python-docx ``Document`` just rendered from a
template, or on the bytes of a finished DOCX. Text is found by what a reader
sees (runs outside deletions, whitespace collapsed), never by template tags.
Call ``add_tracked_changes`` before ``add_comments``: a tracked change rewrites
its paragraph and would widen a comment already there to the whole paragraph.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.run import Run
from lxml import etree

from briefapp.documents.text import clean_text
from briefapp.documents.wordml import BR as _BR
from briefapp.documents.wordml import CR as _CR
from briefapp.documents.wordml import DEL as _DEL
from briefapp.documents.wordml import FALLBACK as _FALLBACK
from briefapp.documents.wordml import INS as _INS
from briefapp.documents.wordml import PPR as _PPR
from briefapp.documents.wordml import RPR as _RPR
from briefapp.documents.wordml import TAB as _TAB
from briefapp.documents.wordml import Element, run_piece
from briefapp.documents.wordml import P as _P
from briefapp.documents.wordml import R as _R
from briefapp.documents.wordml import T as _T
from briefapp.documents.wordml import W as _W
from briefapp.domain.compare import Segment, SegmentKind, word_diff

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = {"\t": "w:tab", "\n": "w:br"}
# Where a run stops being visible text of the paragraph that holds it.
_STOP = {_P, _DEL, f"{_W}moveFrom", _FALLBACK, f"{_W}txbxContent"}
_MARKS_BEFORE = {
    f"{_W}{n}" for n in ("bookmarkStart", "commentRangeStart", "permStart")
}
_MARKS_AFTER = {f"{_W}{n}" for n in ("bookmarkEnd", "commentRangeEnd", "permEnd")}
_REWRITABLE = {f"{_W}{n}" for n in ("r", "hyperlink", "smartTag", "proofErr")}
# Rewriting a paragraph with anything else in its text (fields, pictures, notes,
# revisions) would lose it, so such a paragraph is left alone.
_PLAIN = _REWRITABLE | {_T, _TAB, _BR, _CR, f"{_W}lastRenderedPageBreak"}
_REVISION_RPR = {f"{_W}{n}" for n in ("ins", "del", "rPrChange", "moveFrom", "moveTo")}
_ALL_IDS = etree.XPath("//@w:id", namespaces={"w": _W[1:-1]})
_ANCHOR_PREFIX = 80
# Paragraphs of a text field as templates render them: blocks between blank
# lines (the "paragraphs" filter), or one paragraph a line.
_SEPARATORS = (re.compile(r"\n\s*\n"), re.compile(r"\n"))


@dataclass(frozen=True, slots=True)
class CommentMark:
    """A reviewer's comment and the texts of the brief it may be anchored at."""

    anchors: tuple[str, ...]
    fallback_label: str
    author: str
    initials: str
    paragraphs: tuple[str, ...]
    when: datetime.datetime | None = None


@dataclass(frozen=True, slots=True)
class TrackedChange:
    """The word-level change of one text field, to show as Word revisions."""

    segments: tuple[Segment, ...]
    author: str
    when: datetime.datetime
    label: str


def add_comments(document: Document, marks: Sequence[CommentMark]) -> list[CommentMark]:
    """Adds each mark as a Word comment on the first body text matching an anchor.

    Returns:
        The marks none of whose anchors was found; each of these is put on the
        first paragraph with text, its body starting "On {fallback_label}: ".
    """
    paragraphs = _body_paragraphs(document)
    flats = {id(p): _collapse(_text(p))[0] for p in paragraphs}
    fallbacks: list[CommentMark] = []
    for mark in marks:
        found = _find_anchor(paragraphs, flats, mark.anchors)
        body = [clean_text(text) for text in mark.paragraphs] or [""]
        if found is None:
            fallbacks.append(mark)
            found = _first_text_runs(document, paragraphs)
            body[0] = f"On {clean_text(mark.fallback_label)}: {body[0]}"
        author, initials = clean_text(mark.author), clean_text(mark.initials)
        runs = [Run(found[0], document), Run(found[1], document)]
        comment = document.add_comment(runs, "", author, initials)
        comment.paragraphs[0].add_run(body[0])
        for text in body[1:]:
            comment.add_paragraph(text)
        if mark.when is not None:
            # python-docx stamps "now" and offers no public setter for the date.
            comment._comment_elm.set(qn("w:date"), _iso(mark.when))
        if found[1].getparent().tag == _INS:
            # Rejecting the insertion must not delete the comment with it.
            found[1].getparent().addnext(found[1].getnext().getnext())
    return fallbacks


def add_tracked_changes(
    document: Document, changes: Sequence[TrackedChange]
) -> list[TrackedChange]:
    """Shows each change as revisions on the paragraph(s) holding its new text.

    One paragraph must read as the whole new text, or consecutive sibling
    paragraphs as its blocks (parts between blank lines) or lines; the old
    text then needs as many, and each part is compared with its old self. A
    change with nothing inserted or deleted needs no marks and is skipped.

    Returns:
        The changes that could not be placed, for the caller's annex.
    """
    ids = _revision_ids(document)
    paragraphs = _body_paragraphs(document)
    return [
        change
        for change in changes
        if any(s.kind is not SegmentKind.EQUAL for s in change.segments)
        and not _place_change(paragraphs, change, ids)
    ]


def add_change_annex(
    document: Document, title: str, intro: str, entries: Sequence[tuple[str, str]]
) -> None:
    """Appends, on a new page, a heading, an introduction and a table of
    changes (item | change) that the marks in the text could not show."""
    heading = document.add_paragraph(clean_text(title))
    heading_style = _style(document, "Heading 1", "Heading1")
    if heading_style is not None:
        heading.style = heading_style
    else:
        for run in heading.runs:
            run.bold = True
    heading.paragraph_format.page_break_before = True
    heading.paragraph_format.keep_with_next = True
    document.add_paragraph(clean_text(intro))
    table = document.add_table(rows=1, cols=2)
    grid = _style(document, "Table Grid", "TableGrid")
    if grid is not None:
        table.style = grid
    else:
        sides = ("top", "left", "bottom", "right", "insideH", "insideV")
        line = 'w:val="single" w:sz="4" w:space="0" w:color="auto"'
        xml = "".join(f"<w:{side} {line}/>" for side in sides)
        borders = parse_xml(f"<w:tblBorders {nsdecls('w')}>{xml}</w:tblBorders>")
        # The schema orders table properties: the borders go before tblLook.
        table._tbl.tblPr.find(f"{_W}tblLook").addprevious(borders)
    for cell, text in zip(table.rows[0].cells, ("Item", "Change"), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for label, description in entries:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = clean_text(label), clean_text(description)
    section = document.sections[-1]
    if section.page_width and section.left_margin is not None:
        width = section.page_width - section.left_margin - (section.right_margin or 0)
        for column, share in zip(table.columns, (0.3, 0.7), strict=True):
            for cell in column.cells:  # Word reads cell widths, LibreOffice the grid
                cell.width = column.width = int(width * share)


# -- text as a reader sees it, and splitting runs -----------------------------


def _body_paragraphs(document: Document) -> list[Element]:
    """Every body paragraph, in tables and content controls too, in order."""
    body = document.element.body
    return [p for p in body.iter(_P) if _owner(p.getparent(), body) is body]


def _owner(node: Element, stop: Element) -> Element:
    """``stop`` when ``node`` is plain content under it, else where it stops."""
    while node is not stop and node.tag not in _STOP:
        node = node.getparent()
    return node


def _runs(p: Element) -> list[Element]:
    return [r for r in p.iter(_R) if _owner(r.getparent(), p) is p]


def _run_text(r: Element) -> str:
    return "".join(run_piece(child) for child in r)


def _text(p: Element) -> str:
    return "".join(_run_text(r) for r in _runs(p))


def _collapse(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace collapsed and stripped, and the index in
    ``text`` of each character kept."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        space = char.isspace()
        if not (space and (not out or out[-1] == " ")):
            out.append(" " if space else char)
            where.append(index)
    if out and out[-1] == " ":
        del out[-1], where[-1]
    return "".join(out), where


def _candidates(anchor: str) -> list[str]:
    """The texts tried for one anchor, in order: all of it, its first ~80
    characters (whole words), its first line, that line's first ~80."""
    cleaned = clean_text(anchor)
    whole = " ".join(cleaned.split())
    line = next((" ".join(s.split()) for s in cleaned.split("\n") if s.strip()), "")
    found = [whole, _prefix(whole), line, _prefix(line)]
    return [text for i, text in enumerate(found) if text and text not in found[:i]]


def _prefix(text: str) -> str:
    if len(text) <= _ANCHOR_PREFIX:
        return text
    cut = text[: _ANCHOR_PREFIX + 1].rsplit(" ", 1)[0]
    return cut if len(cut) <= _ANCHOR_PREFIX else text[:_ANCHOR_PREFIX]


def _find_anchor(
    paragraphs: list[Element], flats: dict[int, str], anchors: tuple[str, ...]
) -> tuple[Element, Element] | None:
    """The first and last run of the first place an anchor is found, split so
    that together they cover exactly the anchor's text."""
    for candidate in itertools.chain.from_iterable(map(_candidates, anchors)):
        for p in paragraphs:
            at = flats.get(id(p), "").find(candidate)
            if at < 0:
                continue
            runs = _runs(p)
            chars = [(r, i) for r in runs for i in range(len(_run_text(r)))]
            where = _collapse("".join(map(_run_text, runs)))[1]
            first, start = chars[where[at]]
            last, end = chars[where[at + len(candidate) - 1]]
            if end + 1 < len(_run_text(last)):
                _split_run(last, end + 1)
            if start > 0:
                right = _split_run(first, start)
                first, last = right, (right if last is first else last)
            return first, last
    return None


def _split_run(r: Element, at: int) -> Element:
    """Moves the text of ``r`` from character ``at`` on into a new run with
    the same formatting just after it; returns the new run."""
    right = OxmlElement("w:r")
    if (rpr := r.find(_RPR)) is not None:
        right.append(copy.deepcopy(rpr))
    position = 0
    for child in [c for c in r if c.tag != _RPR]:
        piece = run_piece(child)
        if position >= at:
            right.append(child)
        elif position + len(piece) > at:
            tail = OxmlElement("w:t", attrs={_XML_SPACE: "preserve"})
            tail.text, child.text = piece[at - position :], piece[: at - position]
            child.set(_XML_SPACE, "preserve")
            right.append(tail)
        position += len(piece)
    r.addnext(right)
    return right


def _first_text_runs(
    document: Document, paragraphs: list[Element]
) -> tuple[Element, Element]:
    """The first and last text run of the first paragraph with visible text."""
    for p in paragraphs:
        runs = [r for r in _runs(p) if _run_text(r).strip()]
        if runs:
            return runs[0], runs[-1]
    if not paragraphs:  # an empty document: the comment gets a paragraph of its own
        paragraphs.append(document.add_paragraph()._p)
    empty = OxmlElement("w:r")
    paragraphs[0].append(empty)
    return empty, empty


# -- tracked changes -----------------------------------------------------------


def _revision_ids(document: Document) -> Iterator[int]:
    """Fresh revision ids: above every w:id in any part of the package."""
    used = [0]
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None:
            used.extend(int(v) for v in _ALL_IDS(element) if v.isdigit())
    return itertools.count(max(used) + 1)


def _place_change(
    paragraphs: list[Element], change: TrackedChange, ids: Iterator[int]
) -> bool:
    """Marks ``change`` on the paragraph(s) reading as its new text, if that
    text is found in exactly one place."""
    segments = [Segment(s.kind, clean_text(s.text)) for s in change.segments]
    new, old = _side(segments, SegmentKind.DELETE), _side(segments, SegmentKind.INSERT)
    groupings = [[segments]]
    for separator in _SEPARATORS:  # the ways templates make paragraphs of text
        new_parts, old_parts = separator.split(new), separator.split(old)
        if 1 < len(new_parts) == len(old_parts):
            pairs = zip(old_parts, new_parts, strict=True)
            groupings.append([list(word_diff(*pair)) for pair in pairs])
    found = [
        (paragraphs[index : index + len(parts)], parts)
        for index in range(len(paragraphs))
        for parts in groupings
        if _group_matches(paragraphs[index : index + len(parts)], parts)
    ]
    # Text found in more than one place could be another field's: not marked.
    places = {id(group[0]) for group, _ in found}
    if len(places) != 1:
        return False
    group, parts = found[0]
    for p, part in zip(group, parts, strict=True):
        _rewrite(p, part, change, ids)
    return True


def _side(segments: list[Segment], leave_out: SegmentKind) -> str:
    return "".join(s.text for s in segments if s.kind is not leave_out)


def _group_matches(group: list[Element], parts: list[list[Segment]]) -> bool:
    """Whether sibling paragraphs ``group`` read as the new text of ``parts``."""
    texts = [_collapse(_side(part, SegmentKind.DELETE))[0] for part in parts]
    return (
        len(group) == len(parts)
        and any(texts)
        and all(
            p.getparent() is group[0].getparent()
            and _layout(p) is not None
            and _collapse(_text(p))[0] == text
            for p, text in zip(group, texts, strict=True)
        )
    )


def _layout(p: Element) -> tuple[list[Element], list[Element], list[Element]] | None:
    """The markers before a paragraph's text, its text content and the markers
    after, or ``None`` when rewriting it would lose more than plain text."""
    before: list[Element] = []
    content: list[Element] = []
    after: list[Element] = []
    for child in p:
        if child.tag in _MARKS_BEFORE:
            before.append(child)
        elif (
            child.tag in _MARKS_AFTER or child.find(f"{_W}commentReference") is not None
        ):
            after.append(child)
        elif child.tag in _REWRITABLE and _is_plain(child):
            content.append(child)
        elif child.tag != _PPR:
            return None
    return before, content, after


def _is_plain(element: Element) -> bool:
    stack = [element]
    while stack:
        node = stack.pop()
        if node.tag != _RPR:
            if not isinstance(node.tag, str) or node.tag not in _PLAIN:
                return False
            stack.extend(node)
    return True


def _rewrite(
    p: Element, segments: list[Segment], change: TrackedChange, ids: Iterator[int]
) -> None:
    """Replaces the text of ``p`` with runs kept, marked inserted or deleted,
    all formatted like its first run with text."""
    layout = _layout(p)
    assert layout is not None  # checked by the caller
    before, content, after = layout
    if "\n" not in _text(p):  # the template joined the lines: so do the marks
        segments = [Segment(s.kind, s.text.replace("\n", " ")) for s in segments]
    runs = [r for child in content for r in child.iter(_R)]
    rpr = next((r.find(_RPR) for r in runs if _run_text(r)), None)
    rpr = copy.deepcopy(rpr) if rpr is not None else OxmlElement("w:rPr")
    for revision in [child for child in rpr if child.tag in _REVISION_RPR]:
        rpr.remove(revision)
    for child in before + content + after:
        p.remove(child)
    stamp = {qn("w:author"): clean_text(change.author), qn("w:date"): _iso(change.when)}
    p.extend(before)
    for segment in segments:
        run = _make_run(segment.text, rpr, segment.kind is SegmentKind.DELETE)
        if segment.kind is SegmentKind.EQUAL:
            p.append(run)
            continue
        tag = "w:del" if segment.kind is SegmentKind.DELETE else "w:ins"
        p.append(OxmlElement(tag, attrs={qn("w:id"): str(next(ids)), **stamp}))
        p[-1].append(run)
    p.extend(after)


def _make_run(text: str, rpr: Element, deleted: bool) -> Element:
    """A run of ``text`` (tabs and line breaks as Word's own elements)."""
    run = OxmlElement("w:r")
    run.append(copy.deepcopy(rpr))
    for piece in filter(None, re.split(r"(\t|\n)", text)):
        if piece in _BREAKS:
            run.append(OxmlElement(_BREAKS[piece]))
        else:
            tag = "w:delText" if deleted else "w:t"
            run.append(OxmlElement(tag, attrs={_XML_SPACE: "preserve"}))
            run[-1].text = piece
    return run


def _iso(when: datetime.datetime) -> str:
    if when.tzinfo is None:  # documented as UTC already
        when = when.replace(tzinfo=datetime.UTC)
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _style(document: Document, name: str, style_id: str) -> Any:
    """The style of that name or id, or ``None`` when the template lacks it."""
    return next(
        (s for s in document.styles if s.name == name or s.style_id == style_id), None
    )
