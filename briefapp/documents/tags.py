"""The tags of a template as Word shows them, each with its place.

Reads a part's XML (body, header or footer) paragraph by paragraph, in the
order of the document, and finds each ``{{ … }}``, ``{% … %}`` and ``{# … #}``
in the text of the paragraph as the author typed it (``{%tr endfor %}``, not
the ``{% endfor %}`` docxtpl makes of it), with the table, row and column it
sits in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from briefapp.documents.layout_checks import short

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ENDS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_KIND = re.compile(r"^(p|tr|tc|r)\s")
# Word's typographic quotes, which docxtpl also straightens inside tags.
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


@dataclass(frozen=True, slots=True)
class Tag:
    """One tag: where it is and what it says."""

    where: str
    """The part and, in a table, the table, row and column: ``body, table 1,
    row 2, column 1``."""
    paragraph: str
    """The text of its paragraph as Word shows it."""
    text: str
    """The tag as written: ``{%tr endfor %}``."""
    mark: str
    """``{{``, ``{%`` or ``{#``."""
    kind: str
    """``p``, ``tr``, ``tc``, ``r``, or empty for a tag within a line."""
    body: str
    """What is between the marks, without the kind's letter, quotes straight."""
    container: Any
    """The element a block opened by this tag must close in: the paragraph
    (within a line), its parent (``p``), the row (``tc``) or the table (``tr``)."""

    @property
    def keyword(self) -> str:
        """The statement's first word (``for``, ``endif``); empty for ``{{ }}``."""
        if self.mark != "{%":
            return ""
        words = self.body.split(None, 1)
        return words[0] if words else ""

    @property
    def shown(self) -> str:
        """The tag on one line, as an author would quote it."""
        return " ".join(self.text.split())

    def place(self) -> str:
        """Where the tag is, with the text around it."""
        return f"{self.where}, in “{short(self.paragraph, self.text)}”"


def part_tags(part_name: str, root: Any) -> list[Tag]:
    """Every tag of the part whose XML element is ``root``, in document order."""
    tags = []
    places = _Places(part_name, root)
    for paragraph in root.iter(f"{_W}p"):
        text = paragraph_text(paragraph)
        if "{" not in text:
            continue
        where = places.where(paragraph)
        # Quotes straightened (one character for one) to find string literals.
        for start, end in tag_spans(text.translate(_QUOTES)):
            tags.append(_tag(where, text, text[start:end], paragraph))
    return tags


def tag_spans(text: str) -> list[tuple[int, int]]:
    """Where each tag in ``text`` starts and ends, in one pass: a tag ends at
    the first closing mark that is not inside a string literal; a tag never
    closed ends nothing (the layout check names it)."""
    spans = []
    position = 0
    last_quote = {"'": 0, '"': 0}  # past the last of each quote: none after
    while (start := _next_opener(text, position)) >= 0:
        end_mark = _ENDS[text[start : start + 2]]
        at = start + 2
        while at < len(text) and not text.startswith(end_mark, at):
            quote = text[at]
            if quote in last_quote and end_mark != "#}" and last_quote[quote] >= 0:
                closing = text.find(quote, at + 1)
                last_quote[quote] = closing
                at = closing if closing >= 0 else at
            at += 1
        if at >= len(text):
            break
        spans.append((start, at + 2))
        position = at + 2
    return spans


def _next_opener(text: str, position: int) -> int:
    found = text.find("{", position)
    while found >= 0 and text[found + 1 : found + 2] not in ("{", "%", "#"):
        found = text.find("{", found + 1)
    return found


def paragraph_text(paragraph: Any) -> str:
    """The paragraph's text as docxtpl reads it: every ``w:t`` of its own
    (not those of a text box anchored in it)."""
    return "".join(
        node.text or ""
        for node in paragraph.iter(f"{_W}t")
        if _nearest(node, f"{_W}p") is paragraph
    )


def _tag(where: str, paragraph_text: str, text: str, paragraph: Any) -> Tag:
    mark = text[:2]
    inner = text[2:-2].translate(_QUOTES)
    kind = ""
    found = _KIND.match(inner)
    if found and mark != "{#":
        kind = found.group(1)
        inner = inner[found.end() :]
    inner = inner.strip().removeprefix("-").removesuffix("-").strip()
    return Tag(
        where,
        paragraph_text,
        text,
        mark,
        kind,
        inner,
        _container(paragraph, kind),
    )


def _container(paragraph: Any, kind: str) -> Any:
    if kind == "tr":
        return _nearest(paragraph, f"{_W}tbl")
    if kind == "tc":
        return _nearest(paragraph, f"{_W}tr")
    if kind == "p":
        return paragraph.getparent()
    return paragraph


def _nearest(node: Any, tag: str) -> Any:
    """The closest ancestor of ``node`` with ``tag`` (``None`` if there is none)."""
    parent = node.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


class _Places:
    """Names paragraphs by their table, row and column, counting each table's
    rows and each cell's (or the part's) tables once."""

    def __init__(self, part_name: str, root: Any) -> None:
        self.part_name = part_name
        self.root = root
        self.tables: dict[Any, int] = {}
        self.rows: dict[Any, int] = {}

    def where(self, paragraph: Any) -> str:
        where = self.part_name
        for cell in reversed(list(_ancestors(paragraph, f"{_W}tc"))):
            row = _nearest(cell, f"{_W}tr")
            table = _nearest(cell, f"{_W}tbl")
            if row is None or table is None:
                continue
            where += (
                f", table {self.table_number(table)}, row {self.row_number(row, table)}"
                f", column {_column(cell, row)}"
            )
        return where

    def table_number(self, table: Any) -> int:
        """The table's number among those in the same cell (or the part)."""
        if table not in self.tables:
            home = _nearest(table, f"{_W}tc")
            scope = self.root if home is None else home
            inside = (
                t for t in scope.iter(f"{_W}tbl") if _nearest(t, f"{_W}tc") is home
            )
            for number, found in enumerate(inside, 1):
                self.tables[found] = number
        return self.tables.get(table, 0)

    def row_number(self, row: Any, table: Any) -> int:
        if row not in self.rows:
            inside = (
                r for r in table.iter(f"{_W}tr") if _nearest(r, f"{_W}tbl") is table
            )
            for number, found in enumerate(inside, 1):
                self.rows[found] = number
        return self.rows.get(row, 0)


def _ancestors(node: Any, tag: str) -> Iterator[Any]:
    found = _nearest(node, tag)
    while found is not None:
        yield found
        found = _nearest(found, tag)


def _column(cell: Any, row: Any) -> int:
    """The grid column the cell starts in (a merged cell counts its span)."""
    column = 1
    for other in row.iter(f"{_W}tc"):
        if other is cell:
            break
        if _nearest(other, f"{_W}tr") is row:
            column += _span(other)
    return column


def _span(cell: Any) -> int:
    span = cell.find(f"{_W}tcPr/{_W}gridSpan")
    try:
        return max(1, int(span.get(f"{_W}val"))) if span is not None else 1
    except (TypeError, ValueError):
        return 1
