"""``briefapp templates list``: every template with its origin and its check,
each row printed as soon as it and those above it are known."""

from __future__ import annotations

import logging
import sys
import unicodedata
from typing import TYPE_CHECKING, TextIO

from briefapp import paths
from briefapp.cli_output import raw_stream
from briefapp.domain.errors import UserError

if TYPE_CHECKING:
    import argparse

    from briefapp.domain.templates import TemplateCheck, TemplateInfo
    from briefapp.services.export import ExportService

log = logging.getLogger(__name__)

_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def templates_list(_args: argparse.Namespace, export: ExportService) -> None:
    """Print one tab-separated row per template, in listing order; on a
    terminal, say on stderr how many have been checked."""
    templates = export.list_templates()
    hidden = _hidden(templates)
    progress = _Progress(raw_stream(sys.stderr), len(templates))
    rows: dict[int, str] = {}
    printed = 0
    progress.show(0)
    for index, outcome in export.check_templates(templates):
        status = _status(templates[index], outcome)
        if hidden[index]:
            status += "; hidden by an earlier template of this name, use its path"
        rows[index] = _row(templates[index], status)
        progress.clear()
        while printed in rows:
            print(rows.pop(printed), flush=True)
            printed += 1
        progress.show(len(rows) + printed)
    progress.clear()


def _hidden(templates: list[TemplateInfo]) -> list[bool]:
    """Whether each template is hidden by an earlier one of the same name."""
    seen: set[str] = set()
    hidden = []
    for template in templates:
        hidden.append(template.name in seen)
        seen.add(template.name)
    return hidden


def _status(template: TemplateInfo, outcome: TemplateCheck | Exception) -> str:
    if isinstance(outcome, UserError):  # gone since it was listed, say
        return f"not checked: {outcome}"
    if isinstance(outcome, Exception):  # one broken template must not hide the others
        log.error("checking %r failed", str(template.path), exc_info=outcome)
        return f"not checked (see {paths.log_file()})"
    return outcome.status


def _row(template: TemplateInfo, status: str) -> str:
    fields = (
        template.name,
        template.origin.value,
        template.language,
        status,
        str(template.path),
    )
    return "\t".join(_visible(field) for field in fields)


def _visible(text: str) -> str:
    """``text`` with tabs, line breaks and other control characters (a file
    may be named with them) written as escapes, so each row stays one line of
    five columns."""
    if text.isprintable():
        return text
    return "".join(
        _ESCAPES.get(c, f"\\u{ord(c):04x}")
        if unicodedata.category(c) in ("Cc", "Zl", "Zp")
        else c
        for c in text
    )


class _Progress:
    """ "checking 3 of 14…" on stderr, rewritten in place, on a terminal only."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self._stream = stream
        self._total = total
        self._shown = stream.isatty() and total > 0

    def show(self, done: int) -> None:
        if self._shown:
            self._stream.write(f"\rchecking {done} of {self._total}…")
            self._stream.flush()

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
