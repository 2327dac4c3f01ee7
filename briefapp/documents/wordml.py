"""WordprocessingML names shared by the modules that read and mark documents."""

from __future__ import annotations

from typing import Any

Element = Any
"""An lxml element (lxml and python-docx ship no type information)."""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, R, T, RPR, PPR = (f"{W}{n}" for n in ("p", "r", "t", "rPr", "pPr"))
TAB, BR, CR, INS, DEL = (f"{W}{n}" for n in ("tab", "br", "cr", "ins", "del"))
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
PIECES = {TAB: "\t", BR: "\n", CR: "\n"}


def run_piece(child: Element) -> str:
    """The text one child of a run shows (text, a tab or a line break)."""
    return str(child.text or "") if child.tag == T else PIECES.get(child.tag, "")
