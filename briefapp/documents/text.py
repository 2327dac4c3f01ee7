"""Making user text safe to put into a Word document.

Word files are XML 1.0: characters outside its range (NUL, most control
characters, unpaired surrogates, U+FFFE/U+FFFF) make a part unreadable, and
docxtpl crashes on them in headers and footers. Line-break look-alikes pasted
from Word or other programs become plain newlines.
"""

from __future__ import annotations

import re

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# docxtpl turns "{_{" into "{{" (and "%_}" into "%}", …) after rendering, which
# is its escape for template authors. A zero-width space keeps user text that
# happens to contain these pairs exactly as typed on the page.
_DOCXTPL_ESCAPES = re.compile(r"([{}%])(_[{}%])")
ZERO_WIDTH_SPACE = "\u200b"


def clean_text(value: str) -> str:
    """``value`` with line breaks normalised and XML-illegal characters removed."""
    value = _LINE_BREAKS.sub("\n", value)
    value = _NOT_XML.sub("", value)
    return _DOCXTPL_ESCAPES.sub(rf"\1{ZERO_WIDTH_SPACE}\2", value)


def paragraphs(value: str) -> list[str]:
    """The paragraphs of multi-line text: blocks separated by blank lines."""
    blocks = re.split(r"\n\s*\n", value.strip())
    return [block.strip("\n") for block in blocks if block.strip()]


class TextList(list[str]):
    """A list of text that prints as its items joined by semicolons."""

    def __str__(self) -> str:
        return "; ".join(self)
