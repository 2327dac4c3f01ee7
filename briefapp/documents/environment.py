"""The one Jinja environment every template is rendered in.

Templates are documents from people, not code we trust: they run sandboxed
(no attribute tricks such as ``''.__class__.__mro__``), every value is
XML-escaped (a ``<`` or ``&`` in a brief cannot break the document), and a
misspelt field is an error naming it instead of a silent blank.
"""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from briefapp.documents.filters import make_filters
from briefapp.documents.labels import ENGLISH, Labels

UNSAFE_FILTERS = ("safe", "urlize", "xmlattr")
"""Jinja filters that would put unescaped text, or HTML, into the Word XML."""


def template_environment(labels: Labels = ENGLISH) -> SandboxedEnvironment:
    """A fresh sandboxed, autoescaping, strict environment with Briefapp's filters."""
    environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    for name in UNSAFE_FILTERS:
        del environment.filters[name]
    environment.filters.update(make_filters(labels))
    return environment
