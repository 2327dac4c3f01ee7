"""Finding names a template uses that a brief does not provide.

Jinja only notices a misspelt field when it is rendered, and docxtpl's own
check sees top-level names only. This walks the parsed template with the
context schema, following loops (``{% for o in options %}`` makes ``o`` an
option), so ``{{ o.titel }}`` is found with a suggestion (``title``), as are
unknown filters and attributes the sandbox forbids.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from jinja2 import nodes

from briefapp.documents.environment import (
    GLOBALS,
    LIST_METHODS,
    RECORD_METHODS,
    TEXT_METHODS,
    UNSAFE_FILTERS,
)
from briefapp.documents.schema import CONTEXT, Field, Kind

_JINJA_GLOBALS = (*GLOBALS, "loop")
_NOUNS = {
    "options": "an option",
    "countries": "a country",
    "constraints": "a constraint",
    "sources": "a source",
    "recommended": "the recommended option",
    "criteria": "a criterion",
    "ranking": "a ranked option",
    "screened_out": "a screened-out option",
    "sensitivity": "a sensitivity entry",
    "scores": "a score",
    "assessments": "an assessment",
}


@dataclass(frozen=True, slots=True)
class NameProblem:
    lineno: int
    message: str


@dataclass(frozen=True, slots=True)
class _Value:
    """What a name holds, as far as the schema knows (``None``: anything)."""

    field: Field | None
    noun: str = "it"


_ANY = _Value(None)
_REFUSED = _Value(None, "refused")
"""What a forbidden attribute holds: its further attributes go unsaid."""


def name_problems(
    template: nodes.Template,
    environment: Any,
    shown: Callable[[int], str] = lambda lineno: "",
) -> list[NameProblem]:
    """Unknown names, fields, filters and tests, and forbidden attributes, by line.

    Args:
        shown: the tag on a line as the author wrote it (``{%p for o in
            options %}``), to say where a loop's name may be used.
    """
    walker = _Walker(set(environment.filters), set(environment.tests))
    for loop in template.find_all(nodes.For):
        for name in _targets(loop.target):
            walker.loops.setdefault(name, shown(loop.lineno))
    scope = {
        field.name: _Value(field, _NOUNS.get(field.name, "it")) for field in CONTEXT
    }
    scope.update({name: _ANY for name in _JINJA_GLOBALS})
    walker.body(template.body, scope)
    return walker.problems


# Filters that keep a list's items what they were (sorted, filtered, reversed).
_SAME_ITEMS = ("sort", "selectattr", "rejectattr", "reverse", "unique", "list")
# Filters that pick one item of a list.
_ONE_ITEM = ("first", "last", "random")
# Tags that read another template: a Word template has no others to read.
_OTHER_TEMPLATES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
_NO_OTHER_TEMPLATES = (
    "a Word template cannot include, import or extend another template; put "
    "what it needs in the template itself"
)
# What a template may use after a dot on a value of each kind (records: their
# fields too); a picture and a table have nothing to read.
_ALLOWED = {
    Kind.TEXT: TEXT_METHODS,
    Kind.TEXT_LIST: LIST_METHODS,
    Kind.RECORDS: LIST_METHODS,
    Kind.RECORD: RECORD_METHODS,
}
_OBJECTS = {Kind.PICTURE: "a picture", Kind.TABLE: "a table"}
_KIND_WORDS = {Kind.TEXT: "text", Kind.TEXT_LIST: "a list", Kind.RECORDS: "a list",
               Kind.NUMBER: "a number", Kind.BOOLEAN: "true or false"}  # fmt: skip


class _Walker:
    def __init__(self, filters: set[str], tests: set[str]) -> None:
        self.filters = filters
        self.tests = tests
        self.problems: list[NameProblem] = []
        self.loops: dict[str, str] = {}
        """Each loop's name and the tag of the first loop that makes it."""

    def report(self, node: nodes.Node, message: str) -> None:
        self.problems.append(NameProblem(node.lineno, message))

    def body(self, statements: list[nodes.Node], scope: dict[str, _Value]) -> None:
        for statement in statements:
            self.statement(statement, scope)

    def statement(self, node: nodes.Node, scope: dict[str, _Value]) -> None:
        if isinstance(node, nodes.For):
            self.loop(node, scope)
        elif isinstance(node, nodes.Assign | nodes.AssignBlock | nodes.With):
            self.assignment(node, scope)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            self.macro(node, scope)
        elif isinstance(node, _OTHER_TEMPLATES):
            self.report(node, _NO_OTHER_TEMPLATES)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expression(child, scope)
                else:
                    self.statement(child, scope)

    def assignment(
        self,
        node: nodes.Assign | nodes.AssignBlock | nodes.With,
        scope: dict[str, _Value],
    ) -> None:
        """``set``, block ``set`` and ``with``: check the values, bind the names."""
        if isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                _bind(inner, target, self.expression(value, scope))
            self.body(node.body, inner)
            return
        if isinstance(node, nodes.Assign):
            _bind(scope, node.target, self.expression(node.node, scope))
        else:
            self.body(node.body, dict(scope))
            _bind(scope, node.target, _ANY)

    def macro(
        self, node: nodes.Macro | nodes.CallBlock, scope: dict[str, _Value]
    ) -> None:
        if isinstance(node, nodes.Macro):
            scope[node.name] = _ANY
        else:
            self.expression(node.call, scope)
        inner = dict(scope)
        for argument in node.args:
            inner[argument.name] = _ANY
        for default in node.defaults:
            self.expression(default, scope)
        inner["caller"] = _ANY
        self.body(node.body, inner)

    def loop(self, node: nodes.For, scope: dict[str, _Value]) -> None:
        iterated = self.expression(node.iter, scope)
        inner = dict(scope)
        item = _item_of(iterated)
        for name in _targets(node.target):
            inner[name] = item
        inner["loop"] = _ANY
        if node.test is not None:
            self.expression(node.test, inner)
        self.body(node.body, inner)
        self.body(node.else_, scope)

    def expression(self, node: nodes.Node, scope: dict[str, _Value]) -> _Value:
        if isinstance(node, nodes.Name):
            return self.name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self.member(node, self.expression(node.node, scope), node.attr)
        if isinstance(node, nodes.Const) and isinstance(node.value, str):
            # Text written in the template: the same methods as any text.
            return _Value(Field(f"'{node.value}'", Kind.TEXT, ""), "text")
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = self.expression(node.node, scope)
            if isinstance(node.arg.value, str):
                return self.member(node, base, node.arg.value)
            return _item_of(base)
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        if isinstance(node, nodes.Test) and node.name not in self.tests:
            self.report(
                node, f"there is no test “{node.name}”{_hint(node.name, self.tests)}"
            )
        for child in node.iter_child_nodes():
            self.expression(child, scope)
        return _ANY

    def filter(self, node: nodes.Filter, scope: dict[str, _Value]) -> _Value:
        if node.name in UNSAFE_FILTERS:
            self.report(
                node,
                f"the filter “{node.name}” is not allowed: it would let the text of "
                "a brief break the Word document",
            )
        elif node.name not in self.filters:
            self.report(
                node,
                f"there is no filter “{node.name}”{_hint(node.name, self.filters)}",
            )
        source = self.expression(node.node, scope) if node.node is not None else _ANY
        for argument in (*node.args, *(kw.value for kw in node.kwargs)):
            self.expression(argument, scope)
        attribute = next(
            (kw.value.value for kw in node.kwargs if kw.key == "attribute"
             and isinstance(kw.value, nodes.Const)), None,
        )  # fmt: skip
        named = node.args[0] if node.name == "attr" and node.args else None
        if isinstance(named, nodes.Const) and isinstance(named.value, str):
            self.member(node, source, named.value)  # x|attr('y') is x.y
        item = _item_of(source)
        if isinstance(attribute, str) and item.field is not None:
            self.member(node, item, attribute)
        if node.name in _SAME_ITEMS:
            return source
        return item if node.name in _ONE_ITEM else _ANY

    def name(self, node: nodes.Name, scope: dict[str, _Value]) -> _Value:
        if node.ctx != "load":
            return _ANY
        if node.name in scope:
            return scope[node.name]
        loop = self.loops.get(node.name)
        if loop is not None:
            inside = f"inside “{loop}”" if loop else "inside its loop"
            self.report(node, f"“{node.name}” is only defined {inside}")
            return _ANY
        choices = [name for name in scope if name not in _JINJA_GLOBALS]
        self.report(
            node,
            f"“{node.name}” is not a value a brief provides{_hint(node.name, choices)}",
        )
        return _ANY

    def member(self, node: nodes.Node, base: _Value, attribute: str) -> _Value:
        if base is _REFUSED:
            return _REFUSED
        if attribute.startswith("_"):
            self.report(
                node,
                f"“{attribute}” may not be used in a template (refused by the sandbox)",
            )
            return _REFUSED
        field = base.field
        if field is None:
            return _ANY
        allowed = _ALLOWED.get(field.kind, frozenset())
        if field.kind in _OBJECTS:
            self.report(
                node,
                f"“{field.name}” is {_OBJECTS[field.kind]}, with nothing to read "
                f"after a dot (“.{attribute}”): show it as it is",
            )
        elif field.kind is not Kind.RECORD and attribute not in allowed:
            can = f" (it may use {', '.join(sorted(allowed))})" if allowed else ""
            self.report(
                node,
                f"“{field.name}” is {_KIND_WORDS[field.kind]}, and “{attribute}” is "
                f"not something a template may use on it{can}",
            )
        if field.kind is not Kind.RECORD or attribute in allowed:
            return _ANY
        names = {item.name: item for item in field.items}
        if attribute in names:
            item = names[attribute]
            return _Value(item, _NOUNS.get(item.name, "it"))
        self.report(
            node,
            f"{base.noun} has no field “{attribute}”{_hint(attribute, names)}",
        )
        return _ANY


def _targets(target: nodes.Node) -> list[str]:
    """The names a ``for`` or ``set`` assigns (``o``, or ``key, value``)."""
    if isinstance(target, nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(nodes.Name)]


def _item_of(value: _Value) -> _Value:
    field = value.field
    if field is None:
        return _ANY
    if field.kind is Kind.RECORDS:
        record = Field(field.name, Kind.RECORD, field.description, field.items)
        return _Value(record, _NOUNS.get(field.name, "an item"))
    return _ANY


def _bind(scope: dict[str, _Value], target: nodes.Node, value: _Value) -> None:
    """``set x = …`` or ``with x = …``: ``x`` holds what the value holds."""
    if isinstance(target, nodes.Name):
        scope[target.name] = value
    else:  # unpacking: a, b = …
        scope.update(dict.fromkeys(_targets(target), _ANY))


def _hint(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean “{close[0]}”?)" if close else ""
