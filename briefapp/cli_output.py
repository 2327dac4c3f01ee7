"""What the command line prints of user text: never a terminal control.

A comment, title or name imported from a file may hold escape sequences (which
a terminal obeys: colours, a moved cursor, a changed window title) or bidi
overrides (which make text read differently from what it is). Every line the
command line prints has them written as escapes, ``\\u001b``, ``\\u202e``
(which JSON reads back as the same characters); a field of tab-separated
output also has its tabs and newlines escaped, so a row stays one row of the
columns it claims.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TextIO

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI]
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}

_IN_LINES: dict[int, str] = {
    code: _NAMED.get(code, f"\\u{code:04x}") for code in _CONTROLS if code != 0x0A
}
"""Escapes for text printed as lines: every control but the newline (a tab
of ours separates columns; a tab of the user's is escaped by ``field``)."""
_IN_LINES.pop(0x09)
_IN_FIELD: dict[int, str] = {
    **_IN_LINES,
    0x09: "\\t",
    0x0A: "\\n",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
"""Escapes for one field of a line: the newline, tab and Unicode line and
paragraph separators too."""


def field(text: str) -> str:
    """``text`` as one field of a printed line: no control, tab or newline."""
    return text.translate(_IN_FIELD)


def block(text: str) -> str:
    """``text`` as printed lines: newlines and tabs kept, every other control
    (escape sequences, bidi overrides) escaped."""
    return text.translate(_IN_LINES)


class _SafeStream:
    """A text stream that writes through ``block``."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(block(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)

    @property
    def raw(self) -> TextIO:
        return self._stream


def raw_stream(stream: TextIO) -> TextIO:
    """The terminal stream behind ``safe_output``'s guard, for Briefapp's own
    control sequences (a progress line rewritten in place); never for text
    that holds user data."""
    return stream.raw if isinstance(stream, _SafeStream) else stream


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Within: whatever is printed to stdout or stderr has its controls
    escaped (a second guard behind ``field`` for what a command prints)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
