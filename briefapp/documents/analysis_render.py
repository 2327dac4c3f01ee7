"""The parts of the analysis that become Word objects while a document is
written: the option × constraint matrix as a real table and the chart of
weighted scores as a picture at print resolution (matplotlib, Agg backend,
imported only when a template shows the chart)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from briefapp.documents.analysis_context import ChartSpec, MatrixSpec

CHART_DPI = 200
CHART_WIDTH_CM = 16
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
            "#F0E442", "#999999")  # fmt: skip
_HEADER_SHADE = "D9D9D9"


def with_document_objects(document: Any, context: dict[str, Any]) -> dict[str, Any]:
    """``context`` with the matrix and chart descriptions made into a table and
    a picture for ``document`` (a ``DocxTemplate``); empty if there is nothing
    to show, and the chart only if the template shows it."""
    made = dict(context)
    source = ""
    for name, value in context.items():
        if isinstance(value, MatrixSpec):
            made[name] = matrix_xml(value) if value else ""
        elif isinstance(value, ChartSpec):
            source = source or _template_text(document)
            made[name] = (
                chart_image(document, value) if value and name in source else ""
            )
    return made


def matrix_xml(spec: MatrixSpec) -> Markup:
    """The matrix as a WordprocessingML table, every text escaped."""
    columns = len(spec.header)
    first = 1200 if columns > 1 else 5000  # fiftieths of a per cent
    rest = (5000 - first) // max(columns - 1, 1)
    widths = [first] + [rest] * (columns - 1)
    grid = "".join(f'<w:gridCol w:w="{w * 2}"/>' for w in widths)
    header = _row([(text, _HEADER_SHADE) for text in spec.header], widths, header=True)
    # Every row but the last is kept with the next: the matrix stays on one page.
    last = len(spec.rows) - 1
    body = "".join(
        _row(list(cells), widths, keep=number < last)
        for number, cells in enumerate(spec.rows)
    )
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    borders = "".join(
        border.format(side)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return Markup(
        "<w:tbl><w:tblPr>"
        '<w:tblW w:w="5000" w:type="pct"/>'
        f"<w:tblBorders>{borders}</w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar>"
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header}{body}</w:tbl>"
    )


def _row(
    cells: list[tuple[str, str]],
    widths: list[int],
    *,
    header: bool = False,
    keep: bool = True,
) -> str:
    properties = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    properties += "</w:trPr>"
    made = []
    for number, (text, shade) in enumerate(cells):
        fill = (
            f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
        )
        bold = "<w:b/>" if header or number == 0 else ""
        align = "" if number == 0 else '<w:jc w:val="center"/>'
        made.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{widths[number]}" w:type="pct"/>{fill}'
            f"</w:tcPr><w:p><w:pPr>{'<w:keepNext/>' if keep else ''}"
            f'<w:spacing w:before="20" w:after="20"/>{align}'
            f'</w:pPr><w:r><w:rPr>{bold}<w:sz w:val="16"/></w:rPr>'
            f"{_runs(text)}</w:r></w:p></w:tc>"
        )
    return f"<w:tr>{properties}{''.join(made)}</w:tr>"


def _runs(text: str) -> str:
    """Escaped text, its line breaks as Word line breaks."""
    return "<w:br/>".join(
        f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n")
    )


def chart_image(document: Any, spec: ChartSpec) -> Any:
    """The chart as a picture of ``document``, 16 cm wide."""
    from docx.shared import Cm
    from docxtpl import InlineImage

    return InlineImage(document, io.BytesIO(chart_png(spec)), width=Cm(CHART_WIDTH_CM))


def chart_png(spec: ChartSpec) -> bytes:
    """Horizontal bars, best option on top, one colour per criterion."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    height = 1.1 + 0.42 * len(spec.options) + 0.25 * ((len(spec.criteria) + 1) // 2)
    figure = Figure(figsize=(CHART_WIDTH_CM / 2.54, height), dpi=CHART_DPI)
    axes = figure.add_subplot()
    rows = list(range(len(spec.options)))[::-1]
    left = [0.0] * len(spec.options)
    for number, criterion in enumerate(spec.criteria):
        parts = [values[number] for values in spec.contributions]
        axes.barh(
            rows,
            parts,
            left=left,
            color=_PALETTE[number % len(_PALETTE)],
            label=criterion,
            height=0.6,
        )
        left = [a + b for a, b in zip(left, parts, strict=True)]
    written = spec.totals or tuple(f"{total:.1f}" for total in left)
    for row, total, text in zip(rows, left, written, strict=True):
        axes.text(total + 1, row, text, va="center", fontsize=8)
    axes.set_yticks(rows, spec.options, fontsize=9)
    axes.set_xlim(0, 100)
    axes.set_xlabel(spec.axis, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.35 if len(spec.options) < 4 else -0.2),
        ncol=2,
        fontsize=7,
        frameon=False,
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def _template_text(document: Any) -> str:
    """The body's text and tags as docxtpl reads them."""
    return str(document.patch_xml(document.get_xml()))
