"""The one rule a classification marking must meet in every header and footer.

A marking counts only in a narrow, allow-listed form that every reader shows:
direct runs (possibly a tracked insertion) of a paragraph that is the header's
or footer's own, or in a cell of a table that is; not in a field, a content
control, alternative content, a text box, a frame or a hyperlink. Its
resolved look (``run_properties``) must be visible, in a text font, at least
8 pt, at full width, on its line, unspaced, and at a WCAG contrast of at
least 4.5:1 against what stands behind it; and the header or footer must
begin in its half of the page. No other classification level may appear.

The output check (every render) and the template checker apply the same rule,
so an author hears at check time what an export would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from briefapp.documents.package import article
from briefapp.documents.run_properties import (
    HIGHLIGHTS,
    RunProperties,
    StyleSheet,
    contrast_ratio,
    is_symbol_font,
    read_twips,
)
from briefapp.documents.wordml import INS, Element, P, R, T, W, run_piece
from briefapp.domain.markings import STANDARD_MARKINGS

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
A_T = "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
# Fields whose result is a number or a date, never words someone wrote.
_SAFE_FIELDS = frozenset(
    {"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "CREATEDATE",
     "SAVEDATE", "PRINTDATE"}
)  # fmt: skip
_OWN_TEXT = "put it in the header's or footer's own text"
_FAR = 20 * 72 * 8  # twips: an indent past eight inches leaves any page
MIN_CONTRAST = 4.5
MIN_SIZE = 16  # half-points: 8 pt
TEMPLATE_MARKING = re.compile(r"\{\{[^}]*\bclassification\b[^}]*\}\}")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_TOP = (f"{W}hdr", f"{W}ftr")
_COLOUR_NAMES = {value: name for name, value in HIGHLIGHTS.items()} | {
    "FFFFFF": "white",
    "000000": "black",
}
_CONTAINERS = {
    f"{W}hyperlink": "is inside a hyperlink",
    f"{W}fldSimple": "is inside a field",
    f"{W}sdt": "is inside a content control",
    f"{W}sdtContent": "is inside a content control",
    f"{W}txbxContent": "is in a text box",
    f"{MC}Fallback": "is only in a compatibility copy (mc:Fallback) that Word "
    "does not show",
    f"{MC}AlternateContent": "is inside alternative content (mc:AlternateContent)",
    f"{W}del": "is deleted text",
    f"{W}moveFrom": "is deleted text",
    f"{W}smartTag": "is inside a smart tag",
    f"{W}customXml": "is inside a custom XML element",
}
_LOOK_WORDS = {
    "emboss": "is embossed",
    "imprint": "is engraved",
    "effect": "is animated",
    "textFill": "has a Word text fill",
}


@dataclass(frozen=True, slots=True)
class MarkingProblem:
    """What is wrong with the marking of one header or footer."""

    part: str
    """The header or footer as people call it: ``first-page header of section 1``."""
    message: str
    """What is wrong, to follow "the marking in the … ": ``is 1 pt; …``."""
    about_part: bool = False
    """Whether ``message`` is about the header or footer as a whole."""

    def sentence(self) -> str:
        """The problem as the output check says it."""
        if self.about_part:
            return f"The {self.part} {self.message}."
        return f"The marking in the {self.part} {self.message}."

    def finding(self) -> str:
        """The problem as the template checker says it, after the part's name."""
        return self.message if self.about_part else f"the marking {self.message}"


Finder = Callable[[str], list[tuple[int, int]]]


def marking_pattern(marking: str) -> re.Pattern[str]:
    """``marking`` as a whole word or words (any spacing between words)."""
    words = r"\s+".join(re.escape(word) for word in marking.split())
    return re.compile(rf"(?<![\w-]){words or re.escape(marking)}(?![\w-])")


def other_markings(text: str, marking: str) -> list[str]:
    """The classifications ``text`` shows besides ``marking`` (which may hold
    one: "NATO RESTRICTED" is not a second marking "RESTRICTED")."""
    own = [m.span() for m in marking_pattern(marking).finditer(text)]
    return [
        " ".join(found.group(0).split())
        for found in _KNOWN.finditer(text)
        if not any(s <= found.start() and found.end() <= e for s, e in own)
        and " ".join(found.group(0).split()).upper() != marking.upper()
    ]


def output_problems(document: Any, marking: str) -> list[MarkingProblem]:
    """The problems of a rendered document's marking ``marking``."""
    pattern = marking_pattern(marking)

    def find(text: str) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text)]

    def others(text: str) -> list[str]:
        return other_markings(text, marking)

    def missing(part: str) -> MarkingProblem:
        return MarkingProblem(
            part, f"does not show the classification “{marking}”", about_part=True
        )

    def other(found: str) -> str:
        return (
            f"shows “{found}”, a classification other than the brief's "
            f"“{marking}”; remove it"
        )

    return _problems(document, find, others, missing, other)


def template_problems(document: Any) -> list[MarkingProblem]:
    """The problems of a template's ``{{ classification }}`` marking."""

    def find(text: str) -> list[tuple[int, int]]:
        # docxtpl leaves a tag's value in the run where the tag starts.
        return [(m.start(), m.start() + 1) for m in TEMPLATE_MARKING.finditer(text)]

    def others(text: str) -> list[str]:
        return [m.group(0) for m in _KNOWN.finditer(_TAG.sub(" ", text))]

    def missing(part: str) -> MarkingProblem:
        return MarkingProblem(
            part,
            "does not print the classification: add {{ classification }}",
            about_part=True,
        )

    def other(found: str) -> str:
        return (
            f"prints “{found}” whatever the brief's classification; use "
            "{{ classification }} instead"
        )

    return _problems(document, find, others, missing, other)


def _problems(
    document: Any,
    find: Finder,
    others: Callable[[str], list[str]],
    missing: Callable[[str], MarkingProblem],
    other: Callable[[str], str],
) -> list[MarkingProblem]:
    from briefapp.documents.layout_checks import headers_and_footers

    sheet = StyleSheet.of(document)
    problems: list[MarkingProblem] = []
    judged: dict[str, tuple[str | None, int]] = {}
    for number, section in enumerate(document.sections, 1):
        for label, part in headers_and_footers(section, document):
            name = f"{label} of section {number}"
            root = part._element
            key = str(part.part.partname)
            first_time = key not in judged
            part_problem = None
            if first_time:  # a part linked to the previous section's is said once
                judged[key] = _judge(root, sheet, find)
                part_problem = _part_problem(root, others, other)
            message, size = judged[key]
            if message == "" and first_time:
                problems.append(missing(name))
            elif message and first_time:
                kind = "footer" if label.endswith("footer") else "header"
                message = message.replace("the header's or footer's", f"the {kind}'s")
                problems.append(MarkingProblem(name, message))
            elif message is None:
                placed = _distance_problem(section._sectPr, label, size)
                if placed:
                    problems.append(MarkingProblem(name, placed, about_part=True))
            if part_problem:
                problems.append(MarkingProblem(name, part_problem, about_part=True))
    return problems


def _part_problem(
    root: Element, others: Callable[[str], list[str]], other: Callable[[str], str]
) -> str | None:
    """Another classification shown, or text that comes from elsewhere."""
    over = [a for a in root.iter(f"{WP}anchor") if not _on(a.get("behindDoc"))]
    if over or root.find(f".//{W}pict") is not None:
        return (
            "holds a picture or shape placed over the text, which can cover the "
            "marking; make it an inline picture or put it behind the text"
        )
    for code in _field_codes(root):
        name = code.split()[0].upper() if code.split() else "empty"
        if name not in _SAFE_FIELDS:
            return (
                f"holds {article(name)} {name} field, whose text Word fills in when "
                "it updates fields; only PAGE, NUMPAGES, SECTIONPAGES and date "
                "fields may be in a header or footer"
            )
    if root.find(f".//{W}sdtPr/{W}dataBinding") is not None:
        return (
            "holds a content control bound to data elsewhere in the file, which "
            "Word shows instead of its text; remove the content control"
        )
    for text in _texts(root):
        for found in others(text):
            return other(" ".join(found.split()))
    return None


def _field_codes(root: Element) -> Iterator[str]:
    """The code of each field of a part (``PAGE``, ``IF 1 = 2 …``)."""
    for simple in root.iter(f"{W}fldSimple"):
        yield str(simple.get(f"{W}instr", ""))
    code: list[str] | None = None
    for element in root.iter(f"{W}fldChar", f"{W}instrText"):
        kind = element.get(f"{W}fldCharType")
        if kind == "begin":
            if code is not None:
                yield "".join(code)  # a field inside another's code
            code = []
        elif kind in ("separate", "end") and code is not None:
            yield "".join(code)
            code = None
        elif element.tag == f"{W}instrText" and code is not None:
            code.append(str(element.text or ""))
    if code is not None:
        yield "".join(code)


def _texts(root: Element) -> Iterator[str]:
    """The text of each paragraph (and drawing text) of a part, every branch."""
    for paragraph in root.iter(P):
        yield "".join(
            str(t.text or "")
            for t in paragraph.iter(T)
            if _paragraph_of(t) is paragraph
        )
    for drawn in root.iter(A_T):
        yield str(drawn.text or "")


def _judge(root: Element, sheet: StyleSheet, find: Finder) -> tuple[str | None, int]:
    """``(None, size)`` if some marking in the part passes, else the first
    marking's problem ("" when there is none); ``size`` of the good one."""
    in_field = _runs_in_fields(root)
    first: str | None = ""
    for paragraph in root.iter(P):
        pieces = _pieces(paragraph)
        text = "".join(piece for piece, _ in pieces)
        for start, end in find(text):
            runs = _covering(pieces, start, end)
            problem, size = _occurrence_problem(paragraph, runs, sheet, in_field)
            if problem is None:
                return None, size
            if first == "":
                first = problem
    return first, 0


def _pieces(paragraph: Element) -> list[tuple[str, Element]]:
    """Each piece of text the paragraph shows, with its run."""
    pieces = []
    for run in paragraph.iter(R):
        if _paragraph_of(run) is not paragraph:
            continue
        for child in run:
            piece = run_piece(child)
            if piece:
                pieces.append((piece, run))
    return pieces


def _covering(pieces: list[tuple[str, Element]], start: int, end: int) -> list[Element]:
    runs: list[Element] = []
    at = 0
    for piece, run in pieces:
        if at < end and at + len(piece) > start and run not in runs:
            runs.append(run)
        at += len(piece)
    return runs


def _occurrence_problem(
    paragraph: Element,
    runs: list[Element],
    sheet: StyleSheet,
    in_field: set[Element],
) -> tuple[str | None, int]:
    place = _paragraph_place(paragraph)
    if place:
        return f"{place}; {_OWN_TEXT}", 0
    placed = sheet.paragraph(paragraph)
    if placed.framed:
        return (
            f"is in a frame, which can be placed anywhere on the page; {_OWN_TEXT}"
        ), 0
    size = 0
    for run in runs:
        where = _run_place(run, paragraph, in_field)
        if where:
            return f"{where}; {_OWN_TEXT}", 0
        shown = sheet.run(run)
        problem = _look_problem(shown) or _line_problem(placed, shown)
        if problem:
            return problem, 0
        size = max(size, shown.size or 0)
    return None, size


def _paragraph_place(paragraph: Element) -> str | None:
    """Why ``paragraph`` is not the part's own text (``None`` if it is): a
    paragraph of the part, or of a cell of a table of the part."""
    parent = paragraph.getparent()
    if parent is not None and parent.tag == f"{W}tc":
        row = parent.getparent()
        table = row.getparent() if row is not None else None
        holder = table.getparent() if table is not None else None
        if holder is not None and holder.tag in _TOP:
            return _table_problem(table, row, parent)
        return _contained(paragraph) or "is in a table inside a table"
    if parent is not None and parent.tag in _TOP:
        return None
    return _contained(paragraph) or "is not in the header's or footer's own text"


def _table_problem(table: Element, row: Element, cell: Element) -> str | None:
    """What in a header's table could hide or move a cell's text."""
    if table.find(f"{W}tblPr/{W}tblpPr") is not None:
        return "is in a floating table, which can be placed anywhere on the page"
    indent = table.find(f"{W}tblPr/{W}tblInd")
    if indent is not None and abs(read_twips(indent.get(f"{W}w"), 0) or 0) > _FAR:
        return "is in a table indented off the page"
    if row.find(f"{W}trPr/{W}hidden") is not None:
        return "is in a hidden table row"
    height = row.find(f"{W}trPr/{W}trHeight")
    if height is not None and height.get(f"{W}hRule") == "exact":
        return "is in a table row of exact height, which can cut its letters off"
    merged = cell.find(f"{W}tcPr/{W}vMerge")
    if merged is not None and merged.get(f"{W}val", "continue") != "restart":
        return "is in a merged cell, whose text Word does not show"
    return None


def _contained(element: Element, stop: Element | None = None) -> str | None:
    """Why text under ``element`` is not the part's own: alternative content
    first (what Word shows there is another branch), else the innermost."""
    found: list[str] = []
    node = element.getparent()
    while node is not None and node is not stop and node.tag not in _TOP:
        found.append(node.tag)
        node = node.getparent()
    for tag in (f"{MC}Fallback", f"{MC}AlternateContent", *found):
        if tag in found and tag in _CONTAINERS:
            return _CONTAINERS[tag]
    return None


def _run_place(run: Element, paragraph: Element, in_field: set[Element]) -> str | None:
    parent = run.getparent()
    if parent is not paragraph and not (
        parent.tag == INS and parent.getparent() is paragraph
    ):
        return _contained(run, paragraph) or "is not in the paragraph's own text"
    if run in in_field:
        return "is inside a field"
    return None


def _runs_in_fields(root: Element) -> set[Element]:
    """Runs between a complex field's begin and end (its code and its result)."""
    inside: set[Element] = set()
    depth = 0
    for run in root.iter(R):
        chars = run.findall(f"{W}fldChar")
        if depth > 0 or chars:
            inside.add(run)
        for char in chars:
            kind = char.get(f"{W}fldCharType")
            depth = (
                depth + 1 if kind == "begin" else depth - 1 if kind == "end" else depth
            )
            depth = max(depth, 0)
    return inside


def _look_problem(shown: RunProperties) -> str | None:
    problems: list[Callable[[RunProperties], str | None]] = [
        _visibility, _contrast, _size, _shape, _font,
    ]  # fmt: skip
    for check in problems:
        found = check(shown)
        if found:
            return found
    return None


def _visibility(shown: RunProperties) -> str | None:
    if shown.hidden:
        return "is hidden text; a marking must be visible"
    if not shown.colours or not shown.backgrounds:
        return (
            "has a theme colour that cannot be resolved; give it a plain colour "
            "such as black"
        )
    return None


def _contrast(shown: RunProperties) -> str | None:
    for colour, background in shown.drawn_colours():
        ratio = contrast_ratio(colour, background)
        if ratio < MIN_CONTRAST:
            return (
                f"is {_name(colour)} on {_name(background)} (contrast {ratio:.1f}:1); "
                f"a marking needs a contrast of at least {MIN_CONTRAST:g}:1"
            )
    return None


def _size(shown: RunProperties) -> str | None:
    if shown.size is None:
        return "has a size Briefapp cannot read; give it a size in points"
    if shown.size < MIN_SIZE:
        return f"is {shown.size / 2:g} pt; a marking must be at least 8 pt"
    if shown.vertical != "baseline":
        return f"is set as {shown.vertical}; a marking must be on the baseline"
    return None


def _shape(shown: RunProperties) -> str | None:
    if shown.width != 100:
        scale = "unreadable" if shown.width is None else f"{shown.width} %"
        return f"is scaled to {scale} of its width; a marking must be at 100 %"
    if shown.position != 0:
        moved = (
            "an unreadable amount"
            if shown.position is None
            else (f"{abs(shown.position) / 2:g} pt")
        )
        way = "raised" if (shown.position or 0) > 0 else "lowered"
        return f"is {way} by {moved}; a marking must sit on its line"
    if shown.spacing != 0:
        return "has its letters spaced apart or together; a marking must be unspaced"
    if shown.fit_text or shown.combined:
        return "is fitted into a set width; a marking must keep its own width"
    if shown.complex_script:
        return (
            "is set as right-to-left or complex-script text, which takes another "
            "size and font; a marking must be plain text"
        )
    if shown.struck:
        return "is struck through"
    for look in sorted(shown.looks):
        if look in _LOOK_WORDS:
            return f"{_LOOK_WORDS[look]}; a marking must be plain text"
    return None


def _font(shown: RunProperties) -> str | None:
    for font in shown.fonts:
        if font and is_symbol_font(font):
            return f"is in the symbol font {font}; use a text font"
    return None


def _line_problem(placed: Any, shown: RunProperties) -> str | None:
    measures = placed.measures
    if (
        placed.line_rule == "exact"
        and measures.get("line", 240) < (shown.size or 0) * 10
    ):
        return (
            f"has an exact line height of {measures['line'] / 20:g} pt, lower than "
            "its letters, which are cut off"
        )
    for name in ("left", "right", "firstLine", "hanging"):
        if abs(measures.get(name, 0)) > _FAR:
            return "is indented off the page"
    for name in ("before", "after"):
        if measures.get(name, 0) > 20 * 72:
            return (
                f"has {measures[name] / 20:g} pt of space {name} its paragraph; "
                "at most 72 pt keeps it on the page"
            )
    return None


def _distance_problem(sectpr: Element, label: str, size: int) -> str | None:
    """Whether the header (footer) starts in the top (bottom) half of the page
    with room for a line of the marking; and the page leaves room across."""
    size_ = sectpr.find(f"{W}pgSz")
    margins = sectpr.find(f"{W}pgMar")
    height = read_twips(_get(size_, "h"), 15840)
    width = read_twips(_get(size_, "w"), 12240)
    kind = "footer" if label.endswith("footer") else "header"
    distance = read_twips(_get(margins, kind), 720)
    left = read_twips(_get(margins, "left"), 1440)
    right = read_twips(_get(margins, "right"), 1440)
    if height is None or width is None or distance is None:
        return f"has page settings Briefapp cannot read around its {kind}"
    line = size * 12  # a line of text is about 1.2 times its size (in twips)
    if distance < 0 or distance + line > height / 2:
        edge = "top" if kind == "header" else "bottom"
        return (
            f"starts {distance / 20:g} pt from the {edge} edge of a "
            f"{height / 20:g} pt page; a {kind} must lie in the {edge} half of the "
            f"page (the {kind} distance in the page settings)"
        )
    if width - (left or 0) - (right or 0) < 720:
        return (
            "has margins that leave less than half an inch across the page; the "
            "marking would not fit"
        )
    return None


def _on(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def _get(element: Element | None, name: str) -> str | None:
    return None if element is None else element.get(f"{W}{name}")


def _paragraph_of(element: Element) -> Element | None:
    node = element.getparent()
    while node is not None and node.tag != P:
        node = node.getparent()
    return node


def _name(colour: str) -> str:
    return _COLOUR_NAMES.get(colour, f"#{colour}")


_KNOWN = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        r"\s+".join(re.escape(w) for w in m.split())
        for m in sorted(STANDARD_MARKINGS, key=len, reverse=True)
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)
