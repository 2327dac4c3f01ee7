"""Checks of a template's Word structure: where its tags sit, its marking, its
properties, and leftovers that would be copied into every brief.

These read the document as Word shows it (python-docx paragraphs, tables,
headers and footers), so each finding names a place an author can find:
"body, table 2, row 3, column 1".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_BROKEN_TAG = re.compile(r"\{\s+[{%]|[%}]\s+\}|\{\{[^}]*\}(?!\})|\{%[^%]*%(?!\})")
_PARAGRAPH_TAG = re.compile(r"(\{%|\{\{)p\s.*?(%\}|\}\})")
_ROW_TAG = re.compile(r"\{%\s*tr\s")
_CELL_TAG = re.compile(r"\{%\s*tc\s")
_WHOLE_PARAGRAPH_FILTER = re.compile(r"\{\{(?!p\s)[^}]*\|\s*(markup|bullets)\b")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True, slots=True)
class Place:
    """A paragraph and where an author finds it."""

    paragraph: Any
    where: str
    in_table: bool


@dataclass(frozen=True, slots=True)
class LayoutProblem:
    where: str
    message: str
    warning: bool = False


def layout_problems(document: Any) -> list[LayoutProblem]:
    """Every structural problem of the template ``document``."""
    problems: list[LayoutProblem] = []
    places = list(_places(document))
    for place in places:
        message = _tag_problem(place.paragraph.text, place.in_table)
        if message:
            problems.append(LayoutProblem(_quoted(place), message))
    problems += _row_problems(document)
    problems += _merge_problems(document)
    problems += _marking_problems(document)
    problems += _style_problems(document, places)
    problems += _leftover_problems(document)
    return problems


def _quoted(place: Place) -> str:
    return f"{place.where} “{short(place.paragraph.text)}”"


def short(text: str, focus: str = "") -> str:
    """``text`` on one line, cut to about 80 characters around ``focus``."""
    text = " ".join(text.split())
    if len(text) <= 80:
        return text
    at = text.find(focus) if focus else -1
    start = 0 if at < 30 else at - 30
    end = start + 80
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def unclosed_message(fragment: str) -> str:
    """What to say about a tag that ``unclosed_tag`` found open (or unopened)."""
    if fragment.startswith(("{{", "{%")):
        end = "}}" if fragment.startswith("{{") else "%}"
        return (
            f"“{fragment}” is not closed in this paragraph: end it with {end} "
            "(a tag cannot run on into another paragraph or table cell)"
        )
    start = "{{" if fragment.endswith("}}") else "{%"
    return (
        f"“{fragment}” closes a tag that was not opened in this paragraph: add "
        f"{start} where it starts (a tag cannot run on into another paragraph or "
        "table cell)"
    )


def unclosed_tag(text: str) -> str | None:
    """The start of a tag that is not closed within ``text`` (``{{ reference``),
    or a closing ``}}``/``%}`` that was never opened; ``None`` if all match."""
    depth_opened: list[tuple[int, str]] = []
    text = text.translate(_QUOTES)
    position = 0
    while True:
        # Inside a tag, a string literal may hold braces: {{ '{{' }}.
        match = (_IN_TAG if depth_opened else _TAG_END).search(text, position)
        if match is None:
            break
        position = match.end()
        mark = match.group(0)
        if mark[0] in "'\"":
            continue
        if mark in ("{{", "{%"):
            depth_opened.append((match.start(), mark))
        elif depth_opened and _CLOSES[depth_opened[-1][1]] == mark:
            depth_opened.pop()
        else:
            return text[max(0, match.start() - 30) : match.end()].strip()
    if depth_opened:
        return text[depth_opened[0][0] : depth_opened[0][0] + 40].strip()
    return None


def _literals_masked(text: str) -> str:
    """``text`` with what string literals inside tags hold made neutral, so
    that ``{{ '%}' }}`` reads as the one whole tag it is."""
    text = text.translate(_QUOTES)
    shown = list(text)
    depth, position = 0, 0
    while True:
        match = (_IN_TAG if depth else _TAG_END).search(text, position)
        if match is None:
            return "".join(shown)
        position = match.end()
        mark = match.group(0)
        if mark[0] in "'\"":
            shown[match.start() + 1 : match.end() - 1] = "_" * (len(mark) - 2)
        elif mark in ("{{", "{%"):
            depth += 1
        elif depth:
            depth -= 1


_TAG_END = re.compile(r"\{\{|\{%|\}\}|%\}")
_IN_TAG = re.compile(r"'[^']*'|\"[^\"]*\"|\{\{|\{%|\}\}|%\}")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_CLOSES = {"{{": "}}", "{%": "%}"}


def _tag_problem(text: str, in_table: bool) -> str | None:
    if "{" not in text and "}" not in text:
        return None
    text = _literals_masked(text)
    broken = _BROKEN_TAG.search(text)
    if broken:
        return (
            f"“{broken.group(0).strip()}” is not a whole tag: write {{{{ … }}}} or "
            "{% … %}, the two characters of each end touching"
        )
    unclosed = unclosed_tag(text)
    if unclosed is not None:
        return unclosed_message(unclosed)
    paragraph_tag = _PARAGRAPH_TAG.search(text)
    if paragraph_tag and _PARAGRAPH_TAG.sub("", text).strip():
        return (
            f"a {paragraph_tag.group(1)}p tag must be alone in its paragraph; "
            "the rest of the paragraph would be lost"
        )
    whole = _WHOLE_PARAGRAPH_FILTER.search(text)
    if whole:
        return (
            f"|{whole.group(1)} makes whole paragraphs: write it as "
            "{{p … }} alone in its paragraph"
        )
    if (_ROW_TAG.search(text) or _CELL_TAG.search(text)) and not in_table:
        return "a {%tr …%} or {%tc …%} tag only works inside a table"
    return None


def _row_problems(document: Any) -> list[LayoutProblem]:
    """A ``{%tr %}`` tag shares its row with other cells' content."""
    problems = []
    for part_name, container in _containers(document):
        for number, table in enumerate(container.tables, 1):
            for row_number, row in enumerate(table.rows, 1):
                texts = [cell.text.strip() for cell in row_cells(row)]
                if any(_ROW_TAG.search(t) or "{%tr endfor" in t for t in texts):
                    others = [t for t in texts if t and not t.startswith("{%tr")]
                    if others:
                        problems.append(
                            LayoutProblem(
                                f"{part_name}, table {number}, row {row_number}",
                                "a {%tr …%} tag must be alone in its row: the "
                                "row is removed, with what else it holds "
                                f"(“{short(others[0])}”)",
                            )
                        )
    return problems


def row_cells(row: Any) -> list[Any]:
    """The row's cells, one per grid column as python-docx gives them; a cell
    merged down from a row above that has no cell there is taken as it is."""
    try:
        return list(row.cells)
    except ValueError:
        from docx.table import _Cell

        return [_Cell(tc, row.table) for tc in row._tr.tc_lst]


def _merge_problems(document: Any) -> list[LayoutProblem]:
    """Cells merged down (``vMerge``) that no cell above lines up with."""
    problems = []
    for part_name, container in _containers(document):
        for number, table in enumerate(container.tables, 1):
            for row_number, row in enumerate(table.rows, 1):
                try:
                    row.cells  # noqa: B018 (python-docx lines the merges up here)
                except ValueError:
                    problems.append(
                        LayoutProblem(
                            f"{part_name}, table {number}, row {row_number}",
                            "a cell merged with the cell above does not line up "
                            "with any cell of the row above; Word and LibreOffice "
                            "may draw the table differently: select the cells and "
                            "merge them again (Table Layout ▸ Merge Cells)",
                            warning=True,
                        )
                    )
                    break
    return problems


def _marking_problems(document: Any) -> list[LayoutProblem]:
    """The marking rule of the output check, for the template's own
    ``{{ classification }}`` (``marking_rule``)."""
    from briefapp.documents.marking_rule import template_problems

    return [LayoutProblem(p.part, p.finding()) for p in template_problems(document)]


def _style_problems(document: Any, places: list[Place]) -> list[LayoutProblem]:
    uses_bullets = any(
        re.search(r"\|\s*(bullets|markup)\b", place.paragraph.text) for place in places
    )
    style_ids = {style.style_id for style in document.styles}
    if uses_bullets and "ListBullet" not in style_ids:
        return [
            LayoutProblem(
                "styles",
                "|bullets and |markup need the paragraph style “List Bullet”, which "
                "this document lacks; start from a built-in template or add the style",
            )
        ]
    return []


def _leftover_problems(document: Any) -> list[LayoutProblem]:
    body = document.element.body
    problems = []
    if body.find(f".//{_W}ins") is not None or body.find(f".//{_W}del") is not None:
        problems.append(
            LayoutProblem(
                "body",
                "has tracked changes; accept or reject them all before using it, or "
                "they would be copied into every brief",
                warning=True,
            )
        )
    for part in document.part.package.parts:
        if str(part.partname).endswith("/comments.xml") and b"<w:comment " in part.blob:
            problems.append(
                LayoutProblem(
                    "comments",
                    "has comments; delete them, or they would be copied into every "
                    "brief",
                    warning=True,
                )
            )
    return problems


def headers_and_footers(section: Any, document: Any) -> list[tuple[str, Any]]:
    pairs = [("header", section.header), ("footer", section.footer)]
    if section.different_first_page_header_footer:
        pairs += [
            ("first-page header", section.first_page_header),
            ("first-page footer", section.first_page_footer),
        ]
    if document.settings.odd_and_even_pages_header_footer:
        pairs += [
            ("even-page header", section.even_page_header),
            ("even-page footer", section.even_page_footer),
        ]
    return pairs


def part_labels(document: Any) -> dict[str, str]:
    """Each header and footer part's name (``/word/header2.xml``) as people
    call it: ``first-page header of section 1``."""
    names: dict[str, str] = {}
    for number, section in enumerate(document.sections, 1):
        for label, container in headers_and_footers(section, document):
            if not container.is_linked_to_previous:
                partname = str(container.part.partname)
                names.setdefault(partname, f"{label} of section {number}")
    return names


def _containers(document: Any) -> Iterator[tuple[str, Any]]:
    yield "body", document
    for number, section in enumerate(document.sections, 1):
        for label, part in headers_and_footers(section, document):
            if not part.is_linked_to_previous:
                yield f"{label} of section {number}", part


def _places(document: Any) -> Iterator[Place]:
    """Every paragraph, named by its part and, in a table, its cell."""
    for part_name, container in _containers(document):
        for number, paragraph in enumerate(container.paragraphs, 1):
            yield Place(paragraph, f"{part_name}, paragraph {number}", in_table=False)
        for table_number, table in enumerate(container.tables, 1):
            for row_number, row in enumerate(table.rows, 1):
                for column, cell in enumerate(row_cells(row), 1):
                    where = (
                        f"{part_name}, table {table_number}, row {row_number}, "
                        f"column {column}"
                    )
                    for paragraph in cell.paragraphs:
                        yield Place(paragraph, where, in_table=True)
