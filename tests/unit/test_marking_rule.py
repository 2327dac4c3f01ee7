"""A marking counts only where and as every reader shows it: the hostile
variants a tester found are refused by the template checker and by the output
check of every render, with a sentence; ordinary markings still pass."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor, Twips

from briefapp import paths
from briefapp.documents.checker import check_template
from briefapp.documents.context import brief_context
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from tests.reliability import HOSTILE_TEMPLATES, tally

pytestmark = pytest.mark.reliability

TODAY = dt.date(2026, 11, 28)
MARKING = "{{ classification }}"
NS = nsdecls("w")
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
V = 'xmlns:v="urn:schemas-microsoft-com:vml"'
BUILT_IN = sorted(paths.templates_dir().glob("*.docx"))
Edit = Callable[[Any], None]


def _header(document: Any) -> Any:
    return document.sections[0].header.paragraphs[0]


def _run(document: Any, **font: Any) -> Any:
    """The marking as the header's own run, with ``font`` settings."""
    run = _header(document).add_run(MARKING)
    for name, value in font.items():
        if name == "color":
            run.font.color.rgb = value
        else:
            setattr(run.font, name, value)
    return run


def _append_rpr(run: Any, xml: str) -> None:
    properties = run._r.get_or_add_rPr()
    for child in parse_xml(f"<w:rPr {NS}>{xml}</w:rPr>"):
        properties.append(child)


def _raw(document: Any, xml: str) -> None:
    """Put WordprocessingML ``xml`` (inside a paragraph) into the header."""
    for child in parse_xml(f"<w:p {NS} {MC} {V}>{xml}</w:p>"):
        _header(document)._p.append(child)


def _in_hyperlink(rpr: str) -> Edit:
    def edit(document: Any) -> None:
        _raw(
            document,
            f'<w:hyperlink w:anchor="top"><w:r><w:rPr>{rpr}</w:rPr>'
            f"<w:t>{MARKING}</w:t></w:r></w:hyperlink>",
        )

    return edit


def _tiny_defaults(document: Any) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    size = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    size.set(qn("w:val"), "2")
    _run(document)


def _hiding_table_style(document: Any) -> None:
    document.styles.element.append(
        parse_xml(
            f'<w:style {NS} w:type="table" w:styleId="Quiet"><w:name w:val="Quiet"/>'
            "<w:rPr><w:vanish/></w:rPr></w:style>"
        )
    )
    header = document.sections[0].header
    table = header.add_table(rows=1, cols=1, width=docx.shared.Inches(6))
    table._tbl.tblPr.append(parse_xml(f'<w:tblStyle {NS} w:val="Quiet"/>'))
    table.cell(0, 0).paragraphs[0].add_run(MARKING)


def _black_shading(document: Any) -> None:
    _header(document)._p.get_or_add_pPr().append(
        parse_xml(f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="000000"/>')
    )
    _run(document, color=RGBColor(0, 0, 0))


def _black_highlight(document: Any) -> None:
    _append_rpr(_run(document, color=RGBColor(0, 0, 0)), '<w:highlight w:val="black"/>')


def _rpr(xml: str) -> Edit:
    return lambda document: _append_rpr(_run(document), xml)


def _far_distances(document: Any) -> None:
    _run(document)
    document.sections[0].header_distance = Twips(30000)
    document.sections[0].footer_distance = Twips(30000)


def _if_field(document: Any) -> None:
    _raw(
        document,
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> IF 1 = 2 "x" "" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{MARKING}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )


def _fallback_only(document: Any) -> None:
    _raw(
        document,
        # Word shows the Choice, a shape (here without its text); old readers
        # the Fallback's text box.
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing/>'
        "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"<w:p><w:r><w:t>{MARKING}</w:t></w:r></w:p></w:txbxContent></v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )


def _bound_control(document: Any) -> None:
    _raw(
        document,
        '<w:sdt><w:sdtPr><w:dataBinding w:xpath="/brief[1]/marking[1]" '
        'w:storeItemID="{6D2C1E7A-0000-4000-8000-000000000001}"/></w:sdtPr>'
        f"<w:sdtContent><w:r><w:t>{MARKING}</w:t></w:r></w:sdtContent></w:sdt>",
    )


def _beside(text: str) -> Edit:
    def edit(document: Any) -> None:
        _run(document)
        document.sections[0].header.add_paragraph(text)

    return edit


def _frame(document: Any) -> None:
    _header(document)._p.get_or_add_pPr().append(
        parse_xml(f'<w:framePr {NS} w:w="200" w:x="-20000" w:y="-20000"/>')
    )
    _run(document)


def _text_box(document: Any) -> None:
    _raw(
        document,
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"<w:p><w:r><w:t>{MARKING}</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
    )


def _simple_field(document: Any) -> None:
    _raw(
        document,
        f'<w:fldSimple w:instr=" IF 1 = 2 x "><w:r><w:t>{MARKING}</w:t></w:r>'
        "</w:fldSimple>",
    )


def _character_style(document: Any) -> None:
    document.styles.element.append(
        parse_xml(
            f'<w:style {NS} w:type="character" w:styleId="Ghost">'
            '<w:name w:val="Ghost"/><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
            "</w:style>"
        )
    )
    _append_rpr(_run(document), '<w:rStyle w:val="Ghost"/>')


def _shape_over(document: Any) -> None:
    _run(document)
    _raw(
        document,
        '<w:r><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/'
        'drawingml/2006/wordprocessingDrawing" behindDoc="0" distT="0" distB="0" '
        'distL="0" distR="0" simplePos="0" relativeHeight="2" locked="0" '
        'layoutInCell="1" allowOverlap="1"/></w:drawing></w:r>',
    )


def _table_row(row_xml: str, cell_xml: str = "", rows: int = 1) -> Edit:
    def edit(document: Any) -> None:
        table = document.sections[0].header.add_table(rows, 1, docx.shared.Inches(6))
        row = table.rows[-1]
        cell = row._tr.tc_lst[0]  # the cell itself, not the one it merges into
        if row_xml:
            row._tr.get_or_add_trPr().append(parse_xml(row_xml))
        if cell_xml:
            cell.get_or_add_tcPr().append(parse_xml(cell_xml))
            first = table.rows[0]._tr.tc_lst[0].get_or_add_tcPr()
            first.append(parse_xml(f'<w:vMerge {NS} w:val="restart"/>'))
        docx.table._Cell(cell, table).paragraphs[0].add_run(MARKING)

    return edit


# The variant, and what both checks say of it after "the marking in the header
# of section 1" (or after "the header of section 1").
HOSTILE: dict[str, tuple[Edit, str]] = {
    "hyperlink, hidden": (_in_hyperlink("<w:vanish/>"), "is inside a hyperlink"),
    "hyperlink, white": (
        _in_hyperlink('<w:color w:val="FFFFFF"/>'),
        "is inside a hyperlink; put it in the header's own text",
    ),
    "hyperlink, 1 pt": (_in_hyperlink('<w:sz w:val="2"/>'), "is inside a hyperlink"),
    "document defaults of 1 pt": (
        _tiny_defaults,
        "is 1 pt; a marking must be at least 8 pt",
    ),
    "table style hides": (_hiding_table_style, "is hidden text"),
    "black on black shading": (_black_shading, "is black on black (contrast 1.0:1)"),
    "black on black highlight": (_black_highlight, "is black on black"),
    "1 % width": (_rpr('<w:w w:val="1"/>'), "is scaled to 1 % of its width"),
    "lowered 1,500 pt": (
        _rpr('<w:position w:val="-3000"/>'),
        "is lowered by 1500 pt; a marking must sit on its line",
    ),
    "distances off the page": (
        _far_distances,
        "starts 1500 pt from the top edge of a 792 pt page; a header must lie in "
        "the top half",
    ),
    "IF 1 = 2 field": (_if_field, "is inside a field"),
    "only in mc:Fallback": (
        _fallback_only,
        "is only in a compatibility copy (mc:Fallback) that Word does not show",
    ),
    "bound content control": (_bound_control, "is inside a content control"),
    "yellow on white": (
        lambda d: _run(d, color=RGBColor(0xFF, 0xFF, 0)),
        "is yellow on white (contrast 1.1:1); a marking needs a contrast of at "
        "least 4.5:1",
    ),
    "UNCLASSIFIED beside it": (
        _beside("UNCLASSIFIED"),
        "“UNCLASSIFIED”",
    ),
    "frame": (_frame, "is in a frame"),
    "text box": (_text_box, "is in a text box; put it in the header's own text"),
    "simple field": (_simple_field, "is inside a field"),
    "white character style": (_character_style, "is white on white"),
    "symbol font": (
        _rpr('<w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/>'),
        "is in the symbol font Wingdings; use a text font",
    ),
    "letters squeezed together": (_rpr('<w:spacing w:val="-200"/>'), "unspaced"),
    "QUOTE field beside it": (
        lambda d: (
            _run(d),
            _raw(
                d,
                '<w:fldSimple w:instr=" QUOTE 85 78 67 "><w:r>'
                '<w:t xml:space="preserve"> x</w:t></w:r></w:fldSimple>',
            ),
        ),
        "holds a QUOTE field, whose text Word fills in when it updates fields",
    ),
    "shape over it": (_shape_over, "holds a picture or shape placed over the text"),
    "row of exact height": (
        _table_row(f'<w:trHeight {NS} w:val="20" w:hRule="exact"/>'),
        "is in a table row of exact height",
    ),
    "merged cell": (
        _table_row("", f"<w:vMerge {NS}/>", rows=2),
        "is in a merged cell, whose text Word does not show",
    ),
    "complex script at 1 pt": (
        _rpr('<w:cs/><w:szCs w:val="2"/>'),
        "is set as right-to-left or complex-script text",
    ),
    "white theme colour": (
        _rpr('<w:color w:val="B00020" w:themeColor="background1"/>'),
        "is white on white",
    ),
}


def _tracked(document: Any) -> None:
    _raw(
        document,
        '<w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">'
        f"<w:r><w:t>{MARKING}</w:t></w:r></w:ins>",
    )


def _grid_table(document: Any) -> None:
    table = document.sections[0].header.add_table(1, 2, docx.shared.Inches(6))
    table.style = "Table Grid"
    table.cell(0, 1).paragraphs[0].add_run(MARKING)


def _white_on_black(document: Any) -> None:
    _header(document)._p.get_or_add_pPr().append(
        parse_xml(f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="000000"/>')
    )
    _run(document, color=RGBColor(0xFF, 0xFF, 0xFF))


def _auto_on_black(document: Any) -> None:
    _header(document)._p.get_or_add_pPr().append(
        parse_xml(f'<w:shd {NS} w:val="clear" w:color="auto" w:fill="000000"/>')
    )
    _run(document)


ORDINARY: dict[str, Edit] = {
    "plain": _run,
    "red, bold, 12 pt": lambda d: _run(
        d, color=RGBColor(0xB0, 0, 0x20), bold=True, size=Pt(12)
    ),
    "exactly 8 pt": lambda d: _run(d, size=Pt(8)),
    "tracked insertion": _tracked,
    "cell of a Table Grid table": _grid_table,
    "white on black shading": _white_on_black,
    "automatic colour on black shading": _auto_on_black,
    "black on yellow highlight": lambda d: _append_rpr(
        _run(d), '<w:highlight w:val="yellow"/>'
    ),
    "dark theme colour": _rpr('<w:color w:val="000000" w:themeColor="text1"/>'),
    "page number after it": lambda d: (_run(d), _header(d).add_run(" · page 1")),
}


def _template(folder: Path, edit: Edit, name: str = "variant.docx") -> Path:
    document = docx.Document()
    edit(document)
    document.sections[0].footer.paragraphs[0].text = MARKING
    document.add_paragraph("{{ title }}")
    path = folder / name
    document.save(str(path))
    return path


def _render(template: Path, brief: Brief) -> bytes:
    return render_docx(
        template,
        brief_context(brief, today=TODAY),
        marking=brief.classification,
        properties=DocumentProperties(
            title=brief.title,
            author=brief.drafter,
            subject="",
            keywords="",
            category=brief.classification,
            identifier=brief.reference,
        ),
    )


@pytest.mark.parametrize("variant", sorted(HOSTILE))
def test_a_hidden_or_downgraded_marking_is_refused_by_the_checker(
    variant: str, tmp_path: Path
) -> None:
    edit, said = HOSTILE[variant]
    findings = [str(f) for f in check_template(_template(tmp_path, edit))]
    assert any(
        f.startswith("error: header of section 1: ") and said in f for f in findings
    ), findings


@pytest.mark.parametrize("variant", sorted(HOSTILE))
def test_a_hidden_or_downgraded_marking_is_refused_by_the_output_check(
    variant: str, tmp_path: Path, demo_brief: Brief
) -> None:
    edit, said = HOSTILE[variant]
    with pytest.raises(TemplateError) as caught:
        _render(_template(tmp_path, edit), demo_brief)
    message = str(caught.value)
    assert message.startswith(
        ("The marking in the header of section 1 ", "The header of section 1 ")
    ), message
    assert said in message
    tally(HOSTILE_TEMPLATES)


@pytest.mark.parametrize("variant", sorted(ORDINARY))
def test_an_ordinary_marking_passes_both_checks(
    variant: str, tmp_path: Path, demo_brief: Brief
) -> None:
    template = _template(tmp_path, ORDINARY[variant])
    assert [str(f) for f in check_template(template)] == []
    rendered = docx.Document(io.BytesIO(_render(template, demo_brief)))
    assert "RESTRICTED" in "".join(
        t.text or "" for t in rendered.sections[0].header._element.iter(qn("w:t"))
    )


def test_the_first_page_header_is_named(tmp_path: Path, demo_brief: Brief) -> None:
    def edit(document: Any) -> None:
        _run(document)
        section = document.sections[0]
        section.different_first_page_header_footer = True
        first = section.first_page_header.paragraphs[0].add_run(MARKING)
        first.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        section.first_page_footer.paragraphs[0].text = MARKING

    template = _template(tmp_path, edit)
    with pytest.raises(TemplateError) as caught:
        _render(template, demo_brief)
    assert str(caught.value) == (
        "The marking in the first-page header of section 1 is white on white "
        "(contrast 1.0:1); a marking needs a contrast of at least 4.5:1."
    )


def test_another_level_is_refused_but_a_longer_marking_holding_it_is_not(
    tmp_path: Path, demo_brief: Brief
) -> None:
    from dataclasses import replace

    template = _template(tmp_path, _beside("NATO RESTRICTED"))
    with pytest.raises(TemplateError) as caught:
        _render(template, demo_brief)
    assert str(caught.value) == (
        "The header of section 1 shows “NATO RESTRICTED”, a classification other "
        "than the brief's “RESTRICTED”; remove it."
    )
    plain = _template(tmp_path, _run, "plain.docx")
    nato = replace(demo_brief, classification="NATO RESTRICTED")
    assert _render(plain, nato)  # "RESTRICTED" inside "NATO RESTRICTED" is its own


@pytest.mark.parametrize("template", BUILT_IN, ids=lambda p: p.stem)
def test_the_built_in_templates_pass_the_marking_rule(
    template: Path, tmp_path: Path
) -> None:
    copy = tmp_path / template.name
    shutil.copyfile(template, copy)
    assert not [str(f) for f in check_template(copy) if "marking" in str(f).lower()]


def test_a_template_from_the_test_data_keeps_its_marking_problem(
    tmp_path: Path,
) -> None:
    source = Path(__file__).parents[1] / "data" / "templates" / "white-marking.docx"
    copy = tmp_path / "white.docx"
    shutil.copyfile(source, copy)
    with zipfile.ZipFile(copy) as package:
        assert "word/header1.xml" in package.namelist()
    assert [str(f) for f in check_template(copy)] == [
        "error: header of section 1: the marking is white on white (contrast "
        "1.0:1); a marking needs a contrast of at least 4.5:1"
    ]


def test_the_checker_names_a_classification_written_into_a_template(
    tmp_path: Path,
) -> None:
    template = _template(tmp_path, _beside("Unclassified"))
    assert [str(f) for f in check_template(template)] == [
        "error: header of section 1: prints “Unclassified” whatever the brief's "
        "classification; use {{ classification }} instead"
    ]
