"""Edits of a decoded brief file by path (``"brief/options/0/key"``), for the
tests of the file format's faults."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Document = dict[str, Any]


def _parent(document: Document, path: str) -> tuple[Any, Any]:
    *parents, last = path.split("/")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    return target, int(last) if last.isdigit() else last


def set_at(path: str, value: Any) -> Callable[[Document], None]:
    """An edit that sets the value at ``path``."""

    def change(document: Document) -> None:
        target, key = _parent(document, path)
        target[key] = value

    return change


def delete_at(path: str) -> Callable[[Document], None]:
    """An edit that removes the value at ``path``."""

    def change(document: Document) -> None:
        target, key = _parent(document, path)
        del target[key]

    return change
