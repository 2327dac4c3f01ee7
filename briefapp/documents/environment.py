"""The one Jinja environment every template is rendered in.

Templates are documents from people, not code we trust: they run sandboxed
(no attribute tricks such as ``''.__class__.__mro__``), every value is
XML-escaped (a ``<`` or ``&`` in a brief cannot break the document), and a
misspelt field is an error naming it instead of a silent blank.
"""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from briefapp.documents.text import paragraphs

# docxtpl resolves this character inside a rendered run into the end of the
# paragraph and the start of a new one with the same style.
_NEW_PARAGRAPH = "\a"


def template_environment() -> SandboxedEnvironment:
    """A fresh sandboxed, autoescaping, strict environment with Briefapp's filters."""
    environment = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    environment.filters["paragraphs"] = paragraphs_filter
    return environment


def paragraphs_filter(value: str) -> str:
    """Multi-paragraph text as separate Word paragraphs in the paragraph's style."""
    return _NEW_PARAGRAPH.join(paragraphs(str(value)))
