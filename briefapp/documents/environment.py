"""The one Jinja environment every template is rendered in.

Templates are documents from people, not code we trust. A template sees plain
data only (text, numbers, true/false, lists and records), and may read an
attribute or call a method only from a short allow-list for those types:
``title.upper()`` and ``o.items()`` work, ``score_chart.tpl`` and
``''.__class__`` do not. Pictures and tables are inert placeholders in the
context, replaced by the real objects once Jinja has finished
(``analysis_render``), so no object Briefapp uses to write a document is ever
within a template's reach. Every value is XML-escaped (a ``<`` or ``&`` in a
brief cannot break the document), and a misspelt field is an error naming it
instead of a silent blank.
"""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from briefapp.documents.filters import make_filters
from briefapp.documents.labels import ENGLISH, Labels
from briefapp.documents.text import TextList

UNSAFE_FILTERS = ("safe", "urlize", "xmlattr")
"""Jinja filters that would put unescaped text, or HTML, into the Word XML."""

TEXT_METHODS = frozenset(
    {"capitalize", "casefold", "count", "endswith", "find", "isdigit", "join",
     "lower", "lstrip", "replace", "rstrip", "split", "splitlines", "startswith",
     "strip", "title", "upper"}
)  # fmt: skip
"""What a template may call on text: reading and reshaping it, nothing more."""
LIST_METHODS = frozenset({"count", "index"})
"""What a template may call on a list (it cannot change one)."""
RECORD_METHODS = frozenset({"get", "items", "keys", "values"})
"""What a template may call on a record (a dict) besides reading its fields."""
_LOOP_ATTRIBUTES = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length",
     "depth", "depth0", "previtem", "nextitem", "changed", "cycle"}
)  # fmt: skip
_JINJA_ATTRIBUTES: dict[type, frozenset[str]] = {
    LoopContext: _LOOP_ATTRIBUTES,
    Cycler: frozenset({"next", "reset", "current"}),
}
"""The public attributes of Jinja's own helpers (``loop.index``, a cycler)."""
GLOBALS = ("range", "dict", "cycler", "joiner", "namespace")
"""Jinja's global functions a template may use (``lipsum`` makes filler text)."""
_TEXT = (str,)
_LISTS = (list, tuple)


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox narrowed to an allow-list: attributes only of plain
    values and of Jinja's own helpers, calls only of the allow-listed methods,
    Jinja's globals and the template's own macros."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        if isinstance(obj, Namespace):
            return True  # a template's own {% set ns = namespace(…) %}
        allowed = _JINJA_ATTRIBUTES.get(type(obj))
        if allowed is not None:
            return attr in allowed
        if isinstance(obj, Markup) or type(obj) in (bool, int, float):
            return False  # our pictures and tables, and numbers: nothing to read
        if isinstance(obj, _TEXT):
            return attr in TEXT_METHODS
        if isinstance(obj, dict):
            return attr in RECORD_METHODS
        if isinstance(obj, _LISTS):
            return attr in LIST_METHODS or attr in _group_fields(obj)
        return False

    def wrap_str_format(self, value: Any) -> None:
        """No ``str.format``, even Jinja's sandboxed one: a format string
        reads attributes (``'{0.__class__}'``), and ``~`` joins text anyway."""
        return None

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, Macro | Joiner | LoopContext):
            return True  # the template's own macros, a joiner, loop(…) recursion
        if any(obj is self.globals.get(name) for name in GLOBALS):
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if owner is None or not self.is_safe_attribute(owner, name, obj):
            return False
        return isinstance(owner, (*_TEXT, *_LISTS, dict, Cycler, LoopContext))


def _group_fields(value: Any) -> tuple[str, ...]:
    """``grouper`` and ``list`` of an item of ``|groupby``, a named tuple."""
    fields = getattr(type(value), "_fields", ())
    return tuple(fields) if fields == ("grouper", "list") else ()


PLAIN_TYPES = frozenset(
    {str, Markup, int, float, bool, type(None), list, TextList, tuple, dict}
)
"""What a template's values are made of: text (and markup Briefapp built),
numbers, true/false, nothing, lists and records."""


def ensure_plain(value: Any, where: str = "context") -> None:
    """Raise ``TypeError`` if ``value`` holds anything but plain data: an
    object of Briefapp's or a library's would give templates its attributes."""
    if type(value) not in PLAIN_TYPES:
        raise TypeError(f"{where} holds a {type(value).__name__}, not plain data")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has a key that is not text: {key!r}")
            ensure_plain(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            ensure_plain(item, f"{where}[{number}]")


def template_environment(labels: Labels = ENGLISH) -> TemplateSandbox:
    """A fresh sandboxed, autoescaping, strict environment with Briefapp's filters."""
    environment = TemplateSandbox(autoescape=True, undefined=StrictUndefined)
    for name in UNSAFE_FILTERS:
        del environment.filters[name]
    for name in set(environment.globals) - set(GLOBALS):
        del environment.globals[name]
    environment.filters.update(make_filters(labels))
    return environment
