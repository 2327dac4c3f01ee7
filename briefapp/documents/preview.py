"""A quick HTML view of a rendered brief, for the preview pane.

mammoth turns the document's paragraphs, headings, lists and tables into
plain HTML (text escaped, no scripts); page headers and footers have no place
in it, so the classification is shown above the text instead.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any


def docx_to_html(data: bytes, marking: str) -> str:
    """The body of a DOCX as HTML, under a banner with the ``marking``."""
    import mammoth

    result = mammoth.convert_to_html(
        io.BytesIO(data), convert_image=mammoth.images.img_element(_fitted_image)
    )
    banner = (
        f'<p align="center" style="color:#b00020"><b>{html.escape(marking)}</b></p>'
    )
    return f"{banner}{result.value}{banner}"


PREVIEW_IMAGE_WIDTH = 560
"""Pixels: pictures (the chart, drawn for print) are shown at about page width."""


def _fitted_image(image: Any) -> dict[str, str]:
    with image.open() as content:
        encoded = base64.b64encode(content.read()).decode("ascii")
    return {
        "src": f"data:{image.content_type};base64,{encoded}",
        "width": str(PREVIEW_IMAGE_WIDTH),
    }
