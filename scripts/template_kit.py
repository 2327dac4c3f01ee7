"""Building blocks for the built-in Word templates (see build_templates.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor

Document = docx.document.Document
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
NAVY_HEX = "1F3A5F"
CALLOUT_SHADE = "EEF2F7"
MARKING_RED = RGBColor(0xB0, 0x00, 0x20)
HEADING_NUMBERING_ID = 90
BOX = "☐"
SOFT_HYPHEN = "\u00ad"


def new_document(
    language: str, title: str, subject: str, brief_type: str, font_size: int = 11
) -> Document:
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)
    _styles(document, language, font_size)
    _numbered_headings(document)
    core = document.core_properties
    core.title, core.subject, core.language, core.category = (
        title, subject, language, brief_type)  # fmt: skip
    core.author = core.last_modified_by = core.comments = core.keywords = ""
    core.created = core.modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    core.revision = 1
    _drop_thumbnail(document)
    return document


def _drop_thumbnail(document: Document) -> None:
    """python-docx's default template carries a thumbnail of itself, which file
    browsers would show for every template: drop it. A part no relationship
    points to is not written, nor its content type."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def landscape(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)


def text_width(document: Document) -> Length:
    """The width between the margins of the (last) section."""
    section = document.sections[-1]
    return Emu(section.page_width - section.left_margin - section.right_margin)


def fit_widths(document: Document, widths: Sequence[Length]) -> list[Length]:
    """``widths`` scaled in proportion so they fill the text width exactly."""
    total, available = sum(widths), text_width(document)
    scaled = [Emu(round(width * available / total)) for width in widths]
    scaled[-1] = Emu(available - sum(scaled[:-1]))
    return scaled


def _styles(document: Document, language: str, font_size: int) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(font_size)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _fonts(normal, "Arial")
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = NAVY
        _fonts(style, "Arial")
    styles["Title"].paragraph_format.space_after = Pt(12)
    styles["Heading 1"].paragraph_format.space_before = Pt(16)
    styles["Heading 2"].paragraph_format.space_before = Pt(10)
    _extra_styles(document, font_size)
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    tag = run_defaults.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        run_defaults.append(tag)
    tag.set(qn("w:val"), language)


ANNEX_TITLE = "Annex Title"
ANNEX_HEADING = "Annex Heading"
DECISION = "Decision Sought"
TABLE_TEXT = "Table Text"


def _extra_styles(document: Document, font_size: int) -> None:
    """An annex's title (on a new page) and headings, outside the numbered
    headings; the decision sought, set off with a rule and a shade; and small
    table text for the annex's tables."""
    styles = document.styles
    for name, base, new_page in (
        (ANNEX_TITLE, "Heading 1", True),
        (ANNEX_HEADING, "Heading 2", False),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.next_paragraph_style = styles["Normal"]
        style.paragraph_format.page_break_before = new_page
        style.paragraph_format.keep_with_next = True
        # numId 0 switches off the numbering the base heading style carries.
        numbers = style.element.get_or_add_pPr().get_or_add_numPr()
        numbers.get_or_add_ilvl().val = 0
        numbers.get_or_add_numId().val = 0
    styles[ANNEX_TITLE].paragraph_format.space_before = Pt(0)
    decision = styles.add_style(DECISION, WD_STYLE_TYPE.PARAGRAPH)
    decision.base_style = styles["Normal"]
    decision.font.size = Pt(font_size + 1)
    decision.paragraph_format.left_indent = Cm(0.3)
    decision.paragraph_format.space_after = Pt(0)
    properties = decision.element.get_or_add_pPr()
    properties.insert_element_before(
        parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="24" w:space="8" '
            f'w:color="{NAVY_HEX}"/></w:pBdr>'
        ),
        "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc",
        "w:rPr",
    )  # fmt: skip
    properties.insert_element_before(
        parse_xml(
            f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" '
            f'w:fill="{CALLOUT_SHADE}"/>'
        ),
        "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr",
    )  # fmt: skip
    table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0


def _fonts(style: object, name: str) -> None:
    fonts = style.element.rPr.rFonts  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    # Word prefers a theme font to the named one: drop the theme's.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def _numbered_headings(document: Document) -> None:
    """Heading 1 and 2 numbered by Word itself (1., 1.1), so left-out sections
    never leave gaps in the numbers."""
    numbering = document.part.numbering_part.element
    number = HEADING_NUMBERING_ID
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:pStyle w:val="Heading{level + 1}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/>'
        "</w:pPr></w:lvl>"
        for level, text, indent in ((0, "%1.", 567), (1, "%1.%2", 709))
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
        f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{number}">'
            f'<w:abstractNumId w:val="{number}"/></w:num>'
        )
    )
    for level, name in ((0, "Heading 1"), (1, "Heading 2")):
        # get_or_add_numPr puts numPr where the schema wants it (Word is strict).
        numbers = document.styles[name].element.get_or_add_pPr().get_or_add_numPr()
        numbers.get_or_add_ilvl().val = level
        numbers.get_or_add_numId().val = number


def marking_paragraph(paragraph: docx.text.paragraph.Paragraph, size: int = 12) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("{{ classification }}")
    run.bold = True
    run.font.size = Pt(size)
    run.font.color.rgb = MARKING_RED


def headers_and_footers(document: Document, page_words: tuple[str, str]) -> None:
    """The marking at the top and bottom of every page, a distinct first page."""
    section = document.sections[0]
    marking_paragraph(section.header.paragraphs[0])
    footer(section.footer, page_words)
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    marking_paragraph(first, size=16)
    footer(section.first_page_footer, page_words)


def footer(part: docx.section._Footer, page_words: tuple[str, str]) -> None:
    marking_paragraph(part.paragraphs[0])
    line = part.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page, of = page_words
    line.add_run(f"{{{{ reference }}}}  ·  {page} ").font.size = Pt(9)
    field(line, "PAGE", "1")
    line.add_run(f" {of} ").font.size = Pt(9)
    field(line, "NUMPAGES", "1")


def field(paragraph: docx.text.paragraph.Paragraph, code: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute."""
    for kind in ("begin", "instr", "separate", "shown", "end"):
        run = paragraph.add_run()
        run.font.size = Pt(9)
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {code} "
            run._r.append(instruction)
        elif kind == "shown":
            run.text = shown
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def facts_table(
    document: Document, rows: Sequence[tuple[str, str]], widths: tuple[Length, Length]
) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    column_widths(table, fit_widths(document, widths))


def loop_table(
    document: Document,
    headers: Sequence[str],
    loop: str,
    cells: Sequence[str],
    widths: Sequence[Length],
    keep_rows: bool = True,
) -> None:
    """A table with a header row and one row per item of ``loop``.

    ``widths`` are in proportion: the table fills the text width. ``keep_rows``
    keeps each item's row on one page (long rows may then move to the next page
    whole). A soft hyphen (U+00AD) in a header is where a long word may break.
    """
    table = document.add_table(rows=3, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        bold_text(cell.paragraphs[0], header)
        shade(cell, "DCE3EC")
    repeat_header(table.rows[0])
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for cell, value in zip(table.rows[2].cells, cells, strict=True):
        cell.text = value
    if keep_rows:
        keep_row_on_one_page(table.rows[2])
    table.add_row().cells[0].text = "{%tr endfor %}"
    column_widths(table, fit_widths(document, widths))


def table_text(table: docx.table.Table) -> None:
    """Every paragraph of ``table`` in the small table text."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.style = TABLE_TEXT


def decision_box(document: Document, words: dict[str, str]) -> None:
    """Agreed / Not agreed / Noted / Discuss, with signature and date lines.

    Never split across pages: no row breaks, and every row but the last is kept
    with the next one (Word keeps rows together through their paragraphs).
    """
    table = document.add_table(rows=2, cols=4)
    table.style = "Table Grid"
    for cell, key in zip(
        table.rows[0].cells, ("agreed", "not_agreed", "noted", "discuss"), strict=True
    ):
        cell.text = f"{BOX}  {words[key]}"
    signature = table.rows[1].cells[0].merge(table.rows[1].cells[3])
    signature.text = (
        f"{words['minister']}  ______________________________    "
        f"{words['date']}  ____ / ____ / ______"
    )
    for row in table.rows:
        keep_row_on_one_page(row)
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    column_widths(table, fit_widths(document, (Cm(4.1),) * 4))
    # Word needs a paragraph after a table; a tiny one never spills onto a page.
    tiny_paragraph(document)


def column_widths(table: docx.table.Table, widths: Sequence[Length]) -> None:
    table.autofit = False
    # Word reads the cell widths, LibreOffice the table grid: set both.
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in table.rows:
        # A merged cell (gridSpan) is as wide as the columns it spans.
        column = 0
        for tc in row._tr.tc_lst:
            tc.width = Emu(sum(widths[column : column + tc.grid_span]))
            column += tc.grid_span


def shade(cell: docx.table._Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def keep_row_on_one_page(row: docx.table._Row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def repeat_header(row: docx.table._Row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def bold_text(paragraph: docx.text.paragraph.Paragraph, text: str) -> None:
    """``text`` in bold, a soft hyphen (U+00AD) in it as Word's optional hyphen:
    a long word too wide for its column breaks there, with a hyphen."""
    for number, piece in enumerate(text.split(SOFT_HYPHEN)):
        if number:
            hyphen = paragraph.add_run()
            hyphen.bold = True
            hyphen._r.append(OxmlElement("w:softHyphen"))
        paragraph.add_run(piece).bold = True


def tiny_paragraph(document: Document) -> docx.text.paragraph.Paragraph:
    """An empty paragraph one point high: no spacing, an exact 1 pt line and a
    1 pt paragraph mark (which sets the line's height), so it takes no room."""
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing = Pt(1)  # a length: an exact line height
    # The paragraph mark's size (rPr comes last in pPr, after the spacing).
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="2"/></w:rPr>')
    )
    paragraph.add_run().font.size = Pt(1)
    return paragraph


def page_break(document: Document) -> None:
    """A page break in a tiny paragraph, whose end lands on the new page."""
    tiny_paragraph(document).runs[0].add_break(WD_BREAK.PAGE)


def label(document: Document, text: str) -> None:
    """A bold lead-in kept with what follows it."""
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    paragraph.paragraph_format.keep_with_next = True
