"""How a run is shown, in the coarse terms a fingerprint of what a reader sees
keeps: hidden or not, on a shading or highlight or not, readable against what
stands behind it or not, its size to the point, its width to ten per cent,
raised or lowered, spaced, struck out, super- or subscript, in a symbol font,
drawn with effects.

The properties come from ``run_properties`` (resolved as Word does); the
coarseness is what lets a file saved again by Word or LibreOffice, which
rewrite styles and runs, keep its fingerprint.
"""

from __future__ import annotations

from briefapp.documents.run_properties import (
    RunProperties,
    StyleSheet,
    contrast_ratio,
    is_symbol_font,
)
from briefapp.documents.wordml import Element, W

READABLE = 4.5
"""The contrast ratio below which text counts as faint (WCAG AA)."""

__all__ = ["READABLE", "StyleSheet", "page_background", "run_token"]


def page_background(document: Element) -> str | None:
    """The page colour a document sets (``w:background``), if a plain one."""
    background = document.find(f"{W}background")
    colour = None if background is None else background.get(f"{W}color", "")
    if colour and len(colour) == 6 and colour.upper() != "FFFFFF":
        try:
            int(colour, 16)
        except ValueError:
            return None
        return str(colour).upper()
    return None


def run_token(run: Element, sheet: StyleSheet) -> str:
    """The run's shown properties as a short, stable text (``11`` for plain
    11 pt text; ``11 hidden``, ``11 faint``, ... otherwise)."""
    return _token(sheet.run(run))


def _token(props: RunProperties) -> str:
    words = [_measure(props.size, 2, "size")]
    if props.hidden:
        words.append("hidden")
    if any(colour != "FFFFFF" for colour in props.backgrounds):
        words.append("shaded")
    pairs = props.drawn_colours()
    if not pairs or any(contrast_ratio(*pair) < READABLE for pair in pairs):
        words.append("faint")
    if props.width is None or round(props.width, -1) != 100:
        words.append("width" + _measure(props.width, 1, "?", tens=True))
    if props.position is None or round(props.position / 2):
        words.append("raised" + _measure(props.position, 2, "?"))
    if props.spacing is None or round(props.spacing / 20):
        words.append("spaced" + _measure(props.spacing, 20, "?"))
    if props.struck:
        words.append("struck")
    if props.vertical in ("superscript", "subscript"):
        words.append(props.vertical)
    if any(is_symbol_font(font) for font in props.fonts if font):
        words.append("symbols")
    if props.fit_text:
        words.append("fitted")
    words += sorted(props.looks)
    return " ".join(words)


def _measure(value: int | None, unit: int, unknown: str, *, tens: bool = False) -> str:
    if value is None:
        return unknown
    if tens:
        return str(round(value, -1))
    return str(round(value / unit))
