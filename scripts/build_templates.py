"""Build the built-in Word templates in ``templates/`` from code.

The committed ``.docx`` files are what Briefapp ships and what template authors
copy and edit in Word; this script is how they were first made, kept so the
built-in templates can be regenerated consistently. Run it from the project
root: ``python scripts/build_templates.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
MARKING_RED = RGBColor(0xB0, 0x00, 0x20)


def main() -> None:
    path = ROOT / "templates" / "decision-brief.docx"
    build_decision_brief().save(path)
    print(f"wrote {path}")


def build_decision_brief() -> docx.document.Document:
    document = docx.Document()
    _set_up_page(document)
    _set_up_styles(document)
    _set_properties(document)
    section = document.sections[0]
    _marking_paragraph(section.header.paragraphs[0])
    _footer(section.footer)

    _control_block(document)
    document.add_paragraph("{{ title }}", style="Title")

    _text_section(document, "Summary", "summary")
    _text_section(document, "Decision sought", "decision_sought")
    _text_section(document, "Recommendation", "recommendation")
    _text_section(document, "Background", "background")
    _text_section(document, "Considerations", "considerations")
    _options(document)
    _constraints(document)
    _countries(document)
    _sources(document)
    document.add_heading("Contact officer", level=1)
    document.add_paragraph("{{ drafter or 'Not named' }}")
    return document


def _set_up_page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.3))
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)


def _set_up_styles(document: docx.document.Document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _east_asian_font(normal, "Arial")
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = NAVY
        _east_asian_font(style, "Arial")
    styles["Title"].paragraph_format.space_after = Pt(12)
    _language(document, "en-GB")
    styles["Heading 1"].paragraph_format.space_before = Pt(16)
    styles["Heading 2"].paragraph_format.space_before = Pt(10)


def _language(document: docx.document.Document, tag: str) -> None:
    """The proofing language of all text (British English spelling)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), tag)
    document.core_properties.language = tag


def _east_asian_font(style: object, name: str) -> None:
    fonts = style.element.rPr.rFonts  # type: ignore[attr-defined]
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _set_properties(document: docx.document.Document) -> None:
    core = document.core_properties
    core.title = "Decision brief"
    core.subject = "Briefapp built-in template: full decision brief for a minister"
    core.author = ""
    core.last_modified_by = ""
    core.comments = ""
    core.keywords = ""
    core.created = core.modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    core.revision = 1


def _marking_paragraph(paragraph: docx.text.paragraph.Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run("{{ classification }}")
    run.bold = True
    run.font.size = Pt(12)
    run.font.color.rgb = MARKING_RED


def _footer(footer: docx.section._Footer) -> None:
    _marking_paragraph(footer.paragraphs[0])
    line = footer.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.add_run("{{ reference }}  ·  Page ").font.size = Pt(9)
    _field(line, "PAGE", "1")
    line.add_run(" of ").font.size = Pt(9)
    _field(line, "NUMPAGES", "1")


def _field(paragraph: docx.text.paragraph.Paragraph, code: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute."""
    for kind, text in (("begin", None), ("instr", code), ("separate", None),
                       ("shown", shown), ("end", None)):  # fmt: skip
        run = paragraph.add_run()
        run.font.size = Pt(9)
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = f" {text} "
            run._r.append(instruction)
        elif kind == "shown":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _control_block(document: docx.document.Document) -> None:
    banner = document.add_paragraph()
    banner.add_run("{{ brief_type_label|upper }}").bold = True
    rows = (
        ("Reference", "{{ reference }}"),
        ("Date", "{{ date }}"),
        ("To", "{{ addressee }}"),
        ("From", "{{ drafter }}"),
        ("Decision needed by", "{{ deadline or 'Routine' }}"),
    )
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    _column_widths(table, (Cm(4.5), Cm(11.9)))
    document.add_paragraph()


def _text_section(document: docx.document.Document, heading: str, field: str) -> None:
    """A heading and its text, left out altogether when the brief has none."""
    document.add_paragraph(f"{{%p if {field} %}}")
    document.add_heading(heading, level=1)
    document.add_paragraph(f"{{{{ {field}|paragraphs }}}}")
    document.add_paragraph("{%p endif %}")


def _options(document: docx.document.Document) -> None:
    document.add_heading("Options", level=1)
    document.add_paragraph("{%p if not options %}")
    document.add_paragraph("No options have been recorded.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for o in options %}")
    document.add_heading("Option {{ o.key }}: {{ o.title }}", level=2)
    document.add_paragraph("{%p if o.description %}")
    document.add_paragraph("{{ o.description|paragraphs }}")
    document.add_paragraph("{%p endif %}")
    facts = document.add_paragraph()
    for label, value in (
        ("Supplier: ", "{{ o.supplier_name or 'None' }}"),
        ("   Cost: ", "{{ o.cost or 'Not costed' }}"),
        ("   Quantity: ", "{{ o.quantity or 'Not set' }}"),
        ("   Delivery: ", "{{ o.delivery or 'Not known' }}"),
    ):
        facts.add_run(label).bold = True
        facts.add_run(value)
    for title, field in (
        ("Advantages", "advantages"),
        ("Disadvantages", "disadvantages"),
        ("Risks", "risks"),
    ):
        document.add_paragraph(f"{{%p if o.{field} %}}")
        label = document.add_paragraph()
        label.add_run(title).bold = True
        label.paragraph_format.keep_with_next = True
        document.add_paragraph(f"{{%p for item in o.{field} %}}")
        document.add_paragraph("{{ item }}", style="List Bullet")
        document.add_paragraph("{%p endfor %}")
        document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")


def _loop_table(
    document: docx.document.Document,
    headers: tuple[str, ...],
    loop: str,
    cells: tuple[str, ...],
    widths: tuple[Cm, ...],
) -> None:
    table = document.add_table(rows=3, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "DCE3EC")
    _repeat_header(table.rows[0])
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for cell, value in zip(table.rows[2].cells, cells, strict=True):
        cell.text = value
    _keep_row_on_one_page(table.rows[2])
    end = table.add_row()
    end.cells[0].text = "{%tr endfor %}"
    _column_widths(table, widths)


def _constraints(document: docx.document.Document) -> None:
    document.add_heading("Constraints", level=1)
    document.add_paragraph("{%p if constraints %}")
    _loop_table(
        document,
        ("Key", "Constraint", "Kind", "Hard or soft", "Description"),
        "c in constraints",
        (
            "{{ c.key }}",
            "{{ c.title }}",
            "{{ c.kind_label }}",
            "{{ c.strength }}",
            "{{ c.description }}",
        ),
        (Cm(1.3), Cm(4.0), Cm(2.8), Cm(2.0), Cm(6.3)),
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("No constraints have been recorded.")
    document.add_paragraph("{%p endif %}")


def _countries(document: docx.document.Document) -> None:
    document.add_heading("Countries involved", level=1)
    document.add_paragraph("{%p if countries %}")
    _loop_table(
        document,
        ("Country", "Role", "Notes"),
        "c in countries",
        ("{{ c.name }}", "{{ c.role_label }}", "{{ c.notes }}"),
        (Cm(4.0), Cm(2.6), Cm(9.8)),
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph("No countries have been recorded.")
    document.add_paragraph("{%p endif %}")


def _sources(document: docx.document.Document) -> None:
    document.add_heading("Sources", level=1)
    document.add_paragraph("{%p if not sources %}")
    document.add_paragraph("No sources have been recorded.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for s in sources %}")
    entry = document.add_paragraph()
    entry.add_run("[{{ s.key }}] ").bold = True
    entry.add_run("{{ s.citation }}{% if s.url %}. {{ s.url }}{% endif %}")
    entry.add_run("{% if s.note %} ({{ s.note }}){% endif %}").italic = True
    document.add_paragraph("{%p endfor %}")


def _column_widths(table: docx.table.Table, widths: tuple[Cm, ...]) -> None:
    table.autofit = False
    # Word reads the cell widths, LibreOffice the table grid: set both.
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _shade(cell: docx.table._Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _keep_row_on_one_page(row: docx.table._Row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _repeat_header(row: docx.table._Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


if __name__ == "__main__":
    main()
