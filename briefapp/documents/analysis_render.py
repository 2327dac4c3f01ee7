"""The parts of the analysis that become Word objects while a document is
written: the option × constraint matrix as a real table and the chart of
weighted scores as a picture at print resolution (matplotlib, Agg backend,
imported only when a template shows the chart).

A template never holds these objects. Jinja sees an inert placeholder, a
piece of markup naming the object by a key made for this one document
(``with_placeholders``); once Jinja has finished, each placeholder that
reached the document is replaced by the real table or picture
(``put_objects``), and a placeholder whose key this document did not make
is dropped. The chart is drawn only if the filled-in template shows it.
"""

from __future__ import annotations

import io
import secrets
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from briefapp.documents.analysis_context import ChartSpec, MatrixSpec

CHART_DPI = 200
CHART_WIDTH_CM = 16
OBJECT_ATTRIBUTE = "briefapp-object"
"""The attribute by which a placeholder names its object."""
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
            "#F0E442", "#999999")  # fmt: skip
_HEADER_SHADE = "D9D9D9"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_DECLARED = f'xmlns:w="{_W_NS}"'

DocumentObject = ChartSpec | MatrixSpec


def with_placeholders(
    context: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, DocumentObject]]:
    """``context`` with each matrix and chart replaced by its placeholder
    (empty when there is nothing to show), and the objects by their keys."""
    made = dict(context)
    objects: dict[str, DocumentObject] = {}
    nonce = secrets.token_hex(8)
    for name, value in context.items():
        if isinstance(value, ChartSpec | MatrixSpec):
            key = f"{name}-{nonce}"
            objects[key] = value
            made[name] = _placeholder(key, value) if value else ""
    return made, objects


def _placeholder(key: str, value: DocumentObject) -> Markup:
    if isinstance(value, MatrixSpec):  # a table stands where a paragraph would
        return Markup(f'<w:p {OBJECT_ATTRIBUTE}="{key}"/>')
    # A picture is a run's drawing: close the text run the tag stands in and
    # open another after it, as docxtpl's own pictures do.
    return Markup(
        f'</w:t></w:r><w:r><w:drawing {OBJECT_ATTRIBUTE}="{key}"/></w:r>'
        '<w:r><w:t xml:space="preserve">'
    )


def put_objects(document: Any, objects: dict[str, DocumentObject]) -> None:
    """Replace the placeholders in every part of the rendered ``document`` (a
    ``DocxTemplate``) by the objects they name."""
    from docx.oxml import parse_xml

    package = document.docx.part.package
    pictures: dict[str, Any] = {}
    shape_id: int | None = None  # found when the first picture needs one
    for part in package.iter_parts():
        root = getattr(part, "_element", None)
        if root is None:
            continue
        for marker in root.xpath(f"//*[@{OBJECT_ATTRIBUTE}]"):
            spec = objects.get(str(marker.get(OBJECT_ATTRIBUTE)))
            if isinstance(spec, MatrixSpec):
                table = str(matrix_xml(spec)).replace(
                    "<w:tbl>", f"<w:tbl {_W_DECLARED}>", 1
                )
                marker.addprevious(parse_xml(table))
                marker.getparent().remove(marker)
            elif isinstance(spec, ChartSpec) and marker.tag == f"{{{_W_NS}}}drawing":
                shape_id = (shape_id or _largest_shape_id(package)) + 1
                marker.append(_chart_inline(package, part, spec, pictures, shape_id))
                del marker.attrib[OBJECT_ATTRIBUTE]
            else:  # not one of this document's: the template's own markup
                del marker.attrib[OBJECT_ATTRIBUTE]


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


def _chart_inline(
    package: Any, part: Any, spec: ChartSpec, pictures: dict[str, Any], shape_id: int
) -> Any:
    """The chart as a picture of ``part``, 16 cm wide, drawn once per document."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.shape import CT_Inline
    from docx.shared import Cm

    key = repr(spec)
    if key not in pictures:
        pictures[key] = package.get_or_add_image_part(io.BytesIO(chart_png(spec)))
    image_part = pictures[key]
    relationship = part.relate_to(image_part, RELATIONSHIP_TYPE.IMAGE)
    width, height = image_part.image.scaled_dimensions(Cm(CHART_WIDTH_CM), None)
    return CT_Inline.new_pic_inline(
        shape_id, relationship, image_part.filename, width, height
    )


def _largest_shape_id(package: Any) -> int:
    ids = [0]
    for part in package.iter_parts():
        root = getattr(part, "_element", None)
        if root is not None:
            found = root.xpath("//wp:docPr/@id")
            ids += [int(value) for value in found if value.isdigit()]
    return max(ids)


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
