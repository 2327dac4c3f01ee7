"""Checking a part's tags one by one, so one mistake hides no other.

Each tag is parsed on its own (its syntax), the blocks are matched by hand
(an ``if`` never closed, an ``endfor`` closing nothing, a ``{%p if %}``
closed by an ``{% endif %}`` of another kind or in another place), and the
tags that are sound are put together, broken ones left out and open blocks
closed, into one template that the name check (``names``) reads with its
loops. Every finding quotes the tag as Word shows it, with its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from briefapp.documents.names import name_problems
from briefapp.documents.schema import CONTEXT, Kind
from briefapp.documents.tags import Tag, part_tags

OPENERS = {"if": "endif", "for": "endfor", "macro": "endmacro", "with": "endwith",
           "set": "endset", "call": "endcall", "filter": "endfilter",
           "autoescape": "endautoescape", "raw": "endraw"}  # fmt: skip
_MIDDLE = {"elif": ("if",), "else": ("if", "for")}
# docxtpl's own cell tags: a value, or nothing Jinja sees.
_CELL_VALUES = ("colspan", "cellbg")
_CELL_MARKS = ("vm", "hm")
_WHOLE_PARAGRAPHS = ("markup", "bullets")
_TABLES = tuple(f.name for f in CONTEXT if f.kind is Kind.TABLE)
_PICTURES = tuple(f.name for f in CONTEXT if f.kind is Kind.PICTURE)
# Where a block's tags must all be; within a line (or a run) a block may join
# paragraphs.
_UNITS = {
    "p": "the same table cell, or both outside tables",
    "tr": "the same table",
    "tc": "the same table row",
}


@dataclass(frozen=True, slots=True)
class TagProblem:
    """A mistake and where it is (the part, the cell, the paragraph's text)."""

    where: str
    message: str


def tag_problems(part_name: str, root: Any, environment: Any) -> list[TagProblem]:
    """Every mistake in the tags of one part, each said once."""
    tags = part_tags(part_name, root)
    checker = _Blocks(environment)
    for tag in tags:
        checker.add(tag)
    lines = checker.finish()
    problems = _in_order(checker.problems, tags)
    try:
        parsed = environment.parse("\n".join(lines))
    except TemplateSyntaxError as error:  # not foreseen above: say it plainly
        at = tags[error.lineno - 1] if 0 < error.lineno <= len(tags) else None
        where = at.place() if at is not None else part_name
        return [*problems, TagProblem(where, plain_words(error.message or ""))]
    except RecursionError:
        return [*problems, TagProblem(part_name, "an expression is nested too deeply")]

    def shown(lineno: int) -> str:
        return tags[lineno - 1].shown if 0 < lineno <= len(tags) else ""

    for found in name_problems(parsed, environment, shown):
        at = tags[found.lineno - 1] if 0 < found.lineno <= len(tags) else None
        problems.append(
            TagProblem(at.place() if at is not None else part_name, found.message)
        )
    return _in_order(problems, tags)


def _in_order(problems: list[TagProblem], tags: list[Tag]) -> list[TagProblem]:
    """``problems`` in the order of the document (by the first tag quoted)."""
    first = {tag.place(): n for n, tag in reversed(list(enumerate(tags)))}
    return sorted(problems, key=lambda p: first.get(p.where, len(tags)))


class _Blocks:
    """Tags in document order: each one's syntax, and the blocks they open."""

    def __init__(self, environment: Any) -> None:
        self.environment = environment
        self.problems: list[TagProblem] = []
        self.lines: list[str] = []
        self.open: list[Tag] = []

    def report(self, tag: Tag, message: str) -> None:
        self.problems.append(TagProblem(tag.place(), message))

    def add(self, tag: Tag) -> None:
        """Check ``tag``; the line it adds to the template is empty if broken."""
        line = ""
        message = _own_problem(tag, self.environment)
        if tag.kind in ("tr", "tc") and tag.container is None:
            pass  # outside a table: the layout check says so, once
        elif message is not None:
            self.report(tag, message)
        elif tag.mark == "{{":
            line = "{{ " + tag.body + " }}"
        elif tag.mark == "{%":
            line = self.statement(tag)
        self.lines.append(line.replace("\n", " "))

    def statement(self, tag: Tag) -> str:
        keyword = tag.keyword
        if keyword in _CELL_VALUES:
            return "{{ " + tag.body.removeprefix(keyword) + " }}"
        if keyword in _CELL_MARKS:
            return ""
        if keyword in OPENERS and not _plain_set(tag):
            self.open.append(tag)
            return "{% " + tag.body + " %}"
        if keyword in _MIDDLE:
            return self.middle(tag)
        if keyword.startswith("end"):
            return self.closer(tag)
        return "{% " + tag.body + " %}"

    def middle(self, tag: Tag) -> str:
        opener = self.open[-1] if self.open else None
        if opener is None or opener.keyword not in _MIDDLE[tag.keyword]:
            self.report(
                tag,
                f"“{tag.shown}” has no “{_written(tag.kind, 'if')} … %}}” open "
                "before it",
            )
            return ""
        self.same_kind(opener, tag)
        return "{% " + tag.body + " %}"

    def closer(self, tag: Tag) -> str:
        word = tag.keyword.removeprefix("end")
        opened = [n for n, t in enumerate(self.open) if t.keyword == word]
        if not opened:
            self.report(
                tag,
                f"“{tag.shown}” has no “{_written(tag.kind, word)} … %}}” open "
                "before it (or it was closed already)",
            )
            return ""
        closes = ""
        while len(self.open) - 1 > opened[-1]:  # blocks inside it left open
            inner = self.open.pop()
            self.report(inner, never_closed(inner))
            closes += "{% " + OPENERS[inner.keyword] + " %}"
        self.same_kind(self.open.pop(), tag)
        return closes + "{% " + tag.body + " %}"

    def same_kind(self, opener: Tag, tag: Tag) -> None:
        """A block's tags are all of one kind, in one paragraph, row or table."""
        proper = _written(opener.kind, tag.keyword) + " %}"
        if tag.kind != opener.kind:
            self.report(
                tag,
                f"“{tag.shown}” belongs to “{opener.shown}” ({opener.where}), a tag "
                f"of another kind: write {proper}",
            )
        elif opener.container is not tag.container and opener.kind in _UNITS:
            self.report(
                tag,
                f"“{tag.shown}” belongs to “{opener.shown}” ({opener.where}), in "
                f"another place: a {{%{opener.kind} …%}} block opens and closes in "
                f"{_UNITS[opener.kind]}",
            )

    def finish(self) -> list[str]:
        """The template's lines, with every block left open closed at the end."""
        closes = ""
        while self.open:
            tag = self.open.pop()
            self.report(tag, never_closed(tag))
            closes += "{% " + OPENERS[tag.keyword] + " %}"
        return [*self.lines, closes]


def never_closed(tag: Tag) -> str:
    """What to say of a block that is never closed, with the tag that closes it."""
    end = _written(tag.kind, OPENERS[tag.keyword]) + " %}"
    what = {"if": "it shows", "for": "it repeats"}.get(tag.keyword)
    if tag.kind == "p":
        where = (
            f"alone in a paragraph after the last paragraph {what}"
            if what
            else "alone in a paragraph where it should end"
        )
    elif tag.kind == "tr":
        where = f"in a row of its own in the same table, after the rows {what or ''}"
    elif tag.kind == "tc":
        where = f"in a cell of the same row, after the cells {what or ''}"
    else:
        where = f"in the same paragraph, after the text {what or 'it covers'}"
    return f"“{tag.shown}” is never closed: add {end} {where.rstrip()}"


def _written(kind: str, keyword: str) -> str:
    """The start of a tag of ``kind`` as an author writes it: ``{%tr endfor``."""
    return f"{{%{kind} {keyword}" if kind else f"{{% {keyword}"


def _plain_set(tag: Tag) -> bool:
    """``{% set x = … %}`` is whole; only ``{% set x %}`` opens a block."""
    return tag.keyword == "set" and "=" in tag.body


def _own_problem(tag: Tag, environment: Any) -> str | None:
    """What is wrong with the tag taken alone, if anything."""
    if tag.mark == "{#":
        return None
    if tag.mark == "{{":
        return _syntax(environment, "{{ " + tag.body + " }}") or _lost_text(
            tag, environment
        )
    keyword = tag.keyword
    if keyword in _CELL_MARKS:
        return None
    if keyword in _CELL_VALUES:
        return _syntax(environment, "{{ " + tag.body.removeprefix(keyword) + " }}")
    if keyword.startswith("end") and keyword.removeprefix("end") in OPENERS:
        if tag.body != keyword:
            return f"“{tag.shown}” holds more than its word: write {{% {keyword} %}}"
        return None
    if keyword in _MIDDLE:
        return _syntax(environment, "{% if 1 %}{% " + tag.body + " %}{% endif %}")
    source = "{% " + tag.body + " %}"
    if keyword in OPENERS and not _plain_set(tag):
        source += "{% " + OPENERS[keyword] + " %}"
    return _syntax(environment, source)


def _syntax(environment: Any, source: str) -> str | None:
    try:
        environment.parse(source)
    except TemplateSyntaxError as error:
        return plain_words(error.message or "template syntax error")
    except RecursionError:
        return "an expression is nested too deeply"
    return None


def _lost_text(tag: Tag, environment: Any) -> str | None:
    """A ``{{p …}}`` tag replaces its paragraph with what it prints, so plain
    text there lands outside any run and Word never shows it."""
    if tag.kind == "":
        return None
    written = f"{{{{{tag.kind} {tag.body} }}}}"
    if tag.kind != "p":
        return (
            f"“{written}” would lose its text: {{{{{tag.kind} …}}}} prints rich "
            "text objects, which Briefapp templates do not make; write "
            f"{{{{ {tag.body} }}}}"
        )
    output = environment.parse("{{ " + tag.body + " }}").body[0].nodes[0]
    if _makes_paragraphs(output):
        return None
    if isinstance(output, nodes.Name) and output.name in _PICTURES:
        return (
            f"“{written}” would break its paragraph: a picture is written "
            f"{{{{ {output.name} }}}}, without p, alone in its paragraph"
        )
    return (
        f"“{written}” would lose its text: a {{{{p …}}}} tag takes whole "
        "paragraphs, which only |markup and |bullets make; write "
        f"{{{{ {tag.body}|paragraphs }}}} in a paragraph of its own, or "
        f"{{{{p {tag.body}|markup }}}}"
    )


def _makes_paragraphs(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Filter):
        return node.name in _WHOLE_PARAGRAPHS
    if isinstance(node, nodes.Name):
        return node.name in _TABLES
    if isinstance(node, nodes.CondExpr):
        return _makes_paragraphs(node.expr1) and (
            node.expr2 is None or _makes_paragraphs(node.expr2)
        )
    return isinstance(node, nodes.Const) and node.value in ("", None)


def plain_words(message: str) -> str:
    """Jinja's commonest syntax messages, said the way a template author thinks."""
    unknown = re.match(r"Encountered unknown tag '(\w+)'", message)
    if unknown and unknown.group(1) in ("p", "tr", "tc", "r"):
        return (
            f"“{{% {unknown.group(1)}” is not a tag: write {{%{unknown.group(1)} …%}} "
            "with no space before the letter"
        )
    if unknown and unknown.group(1).startswith("end"):
        opener = unknown.group(1).removeprefix("end")
        return (
            f"“{{% {unknown.group(1)} %}}” has no “{{% {opener} … %}}” open before "
            "it (or it was closed already)"
        )
    if unknown:
        return f"“{unknown.group(1)}” is not a tag templates know"
    if "'end of print statement'" in message and "expected token 'end" not in message:
        return (
            "a tag is unfinished: something is missing before its end, such as a "
            "value ({{ title }}), a field after a dot or a filter after |"
        )
    if message.startswith("expected token 'end of print statement'"):
        return (
            "something follows a value without a filter bar or an operator: write "
            "{{ a|filter }}, {{ a ~ b }} or two tags"
        )
    return message
