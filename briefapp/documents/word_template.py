"""The docxtpl template Briefapp fills in, with the text of its tags as typed.

Word stores ``{{ deadline or 'Terms & conditions' }}`` as XML, where the
``&`` is ``&amp;``; docxtpl hands that to Jinja as it is, and Jinja, escaping
what it prints, makes it ``&amp;amp;``: the brief would read
"Terms &amp; conditions". Inside tags, the entities are turned back into the
characters the author typed (docxtpl itself does so for ``<`` and ``>``).
"""

from __future__ import annotations

import functools
import re
from typing import IO, Any

_IN_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_ENTITY = re.compile(r"&(amp|quot|apos|#39|#34);")
_CHARACTERS = {"amp": "&", "quot": '"', "apos": "'", "#39": "'", "#34": '"'}


def word_template(source: IO[bytes]) -> Any:
    """A docxtpl ``DocxTemplate`` of ``source`` whose tags read as typed."""
    return _template_class()(source)


def typed_tags(xml: str) -> str:
    """``xml`` with the XML entities inside its tags made characters again."""
    return _IN_TAG.sub(
        lambda tag: _ENTITY.sub(
            lambda entity: _CHARACTERS[entity.group(1)], tag.group(0)
        ),
        xml,
    )


@functools.cache
def _template_class() -> type:
    from docxtpl import DocxTemplate

    class WordTemplate(DocxTemplate):  # type: ignore[misc]
        def patch_xml(self, src_xml: str) -> str:
            return typed_tags(super().patch_xml(src_xml))

    return WordTemplate
