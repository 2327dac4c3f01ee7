"""A quick HTML view of a rendered brief, for the preview pane.

mammoth turns the document's paragraphs, headings, lists and tables into
plain HTML (text escaped, no scripts); page headers and footers have no place
in it, so the classification is shown above the text instead.
"""

from __future__ import annotations

import html
import io


def docx_to_html(data: bytes, marking: str) -> str:
    """The body of a DOCX as HTML, under a banner with the ``marking``."""
    import mammoth

    result = mammoth.convert_to_html(io.BytesIO(data))
    banner = (
        f'<p align="center" style="color:#b00020"><b>{html.escape(marking)}</b></p>'
    )
    return f"{banner}{result.value}{banner}"
