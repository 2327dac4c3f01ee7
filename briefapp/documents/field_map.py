"""The field map: a template filled in with a brief, every value it inserted
highlighted and, in the body, a Word comment naming the field it came from
(``options[0].title``), so a template author sees which text came from where.
The classification marking is named but not highlighted: it must keep the
colours the marking rules accept.

Each text of the context is traced: it is a string that knows its field.
Whatever a template prints directly (``{{ o.title }}``, ``{{ deadline or '—'
}}``) or through a filter (``|paragraphs``, ``|money``, ``|bullets``) is
wrapped, as Jinja writes it out, between marks from Unicode's private use
area that no brief can hold (``clean_text`` keeps them, but the marks are put
in only here). Once the document is filled in, the marks are found in the
text, the runs split at them, the text between them highlighted and a comment
added, and the marks removed. Text a template builds by joining values
(``o.key ~ o.title``) is its own and is not marked.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from typing import Any

from docx.oxml import OxmlElement
from markupsafe import Markup

from briefapp.documents.text import TextList
from briefapp.documents.wordml import RPR, Element, R, T

START, MIDDLE, END = "\ue0f0", "\ue0f1", "\ue0f2"
_MARKS = re.compile(f"{START}(\\d+){MIDDLE}|{END}")
_UNMARKED = re.compile(f"[{START}{MIDDLE}{END}]")
_FIRST_TEXT = re.compile(r"<w:t(?: [^>]*)?>")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "Briefapp field map"
MARKING = "classification"


class Traced(str):
    """Text that knows the field it came from."""

    field: str

    def __new__(cls, value: str, field: str) -> Traced:
        made = super().__new__(cls, value)
        made.field = field
        return made


class TracedList(TextList):
    """A list of text that knows its field; its items know theirs."""

    field: str


def traced(value: Any, field: str = "") -> Any:
    """``value`` (a template context) with every text made ``Traced``."""
    if isinstance(value, Markup):
        return value  # the matrix and the chart: placeholders
    if isinstance(value, str):  # a mark in the text itself would be taken for one
        return Traced(_UNMARKED.sub("", value), field)
    if isinstance(value, dict):
        prefix = f"{field}." if field else ""
        return {key: traced(item, f"{prefix}{key}") for key, item in value.items()}
    if isinstance(value, TextList):
        made = TracedList(traced(item, f"{field}[{n}]") for n, item in enumerate(value))
        made.field = field
        return made
    if isinstance(value, list):
        return [traced(item, f"{field}[{n}]") for n, item in enumerate(value)]
    return value


class Fields:
    """The fields met while filling in, numbered in order of appearance."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def mark(self, value: Any, field: str) -> Any:
        """``value`` between the marks of ``field``."""
        number = len(self.names)
        self.names.append(field)
        start = f"{START}{number}{MIDDLE}"
        if isinstance(
            value, Markup
        ):  # XML of our filters: mark its first and last text
            text = str(value)
            first = _FIRST_TEXT.search(text)
            last = text.rfind("</w:t>")
            if first is None or last < first.end():
                return value
            at = first.end()
            return Markup(text[:at] + start + text[at:last] + END + text[last:])
        return start + str(value) + END

    def finalize(self, value: Any) -> Any:
        """Jinja's ``finalize``: every value a template prints passes here."""
        field = getattr(value, "field", None)
        if field is None:
            return value
        return self.mark(value, field)

    def filter(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` (a filter) passing its value's field on to its result."""
        # A filter that takes Jinja's context or environment first is left alone.
        if getattr(function, "jinja_pass_arg", None) is not None:
            return function

        @functools.wraps(function)
        def passing_on(value: Any, *args: Any, **kwargs: Any) -> Any:
            result = function(value, *args, **kwargs)
            field = getattr(value, "field", None)
            if field is None or getattr(result, "field", None) is not None:
                return result
            if isinstance(result, Markup):
                return self.mark(result, field)
            if isinstance(result, str):
                return Traced(result, field)
            return result

        return passing_on


def mark_fields(document: Any, names: list[str]) -> None:
    """Turn the marks in every part of the filled-in ``document`` (a
    ``DocxTemplate``) into highlighted runs, with a comment in the body."""
    from docx.enum.text import WD_COLOR_INDEX
    from docx.text.run import Run

    body = document.docx.element
    for part in document.docx.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if root is None:
            continue
        for text in [t for t in root.iter(T) if _MARKS.search(t.text or "")]:
            _split_at_marks(text)
        for number, runs in _marked_runs(root):
            if names[number] == MARKING:
                continue  # the marking keeps its own colours, which must show
            for run in runs:
                Run(run, document.docx).font.highlight_color = WD_COLOR_INDEX.YELLOW
            if root is body:
                anchor = [Run(runs[0], document.docx), Run(runs[-1], document.docx)]
                document.docx.add_comment(anchor, names[number], AUTHOR, "BA")


_START_AT = "briefapp-field"
_END_AT = "briefapp-end"


def _split_at_marks(text: Element) -> None:
    """Give ``text`` a run of its own, then split that run at the marks in
    its text: a run per piece of text, and an empty, attributed run where
    each mark was."""
    run = text.getparent()
    if run.tag != R:  # not text of a run (docxtpl never puts it elsewhere)
        text.text = _MARKS.sub("", text.text or "")
        return
    _one_child_a_run(run)
    run = text.getparent()
    place = run
    for index, piece in enumerate(_MARKS.split(text.text or "")):
        if index % 2 == 1:
            made = OxmlElement("w:r")
            made.set(_START_AT if piece else _END_AT, piece or "")
        elif piece:
            made = copy.deepcopy(run)
            made.find(T).text = piece
            made.find(T).set(_XML_SPACE, "preserve")
        else:
            continue
        place.addnext(made)
        place = made
    run.getparent().remove(run)


def _one_child_a_run(run: Element) -> None:
    """Split ``run`` so that each of its pieces (text, tab, break) is a run
    of its own with the same properties."""
    children = [c for c in run if c.tag != RPR]
    for child in reversed(children[1:]):
        other = copy.deepcopy(run)
        for inner in [c for c in other if c.tag != RPR]:
            other.remove(inner)
        other.append(child)
        run.addnext(other)


def _marked_runs(root: Element) -> list[tuple[int, list[Element]]]:
    """Each marked value's number and its runs, in document order; the mark
    runs are removed. A value whose text is empty has no runs and is left out."""
    found: list[tuple[int, list[Element]]] = []
    open_values: list[tuple[int, list[Element]]] = []
    for run in list(root.iter(R)):
        if run.get(_START_AT) is not None:
            open_values.append((int(run.get(_START_AT)), []))
        elif run.get(_END_AT) is not None:
            if open_values:
                number, runs = open_values.pop()
                if runs:
                    found.append((number, runs))
        else:
            for _number, runs in open_values:
                runs.append(run)
            continue
        run.getparent().remove(run)
    return found
