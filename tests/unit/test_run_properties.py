"""A run's look is resolved as Word shows it: defaults, styles, table styles,
the run, and what stands behind it."""

from __future__ import annotations

from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from briefapp.documents.run_properties import (
    StyleSheet,
    auto_colour,
    contrast_ratio,
    is_symbol_font,
)

WP = nsdecls("w")


def _add(parent: Any, xml: str) -> Any:
    element = parse_xml(xml)
    parent.append(element)
    return element


def _style(document: Any, xml: str) -> None:
    _add(document.styles.element, xml)


def _run_properties(parent: Any, xml: str) -> None:
    properties = parent.find(qn("w:rPr"))
    if properties is None:
        properties = _add(parent, f"<w:rPr {WP}/>")
    for child in parse_xml(f"<w:rPr {WP}>{xml}</w:rPr>"):
        properties.append(child)


def _header_run(document: Any, run_xml: str = "") -> Any:
    paragraph = document.sections[0].header.paragraphs[0]
    run = paragraph.add_run("RESTRICTED")
    if run_xml:
        _run_properties(run._r, run_xml)
    return run._r


def test_an_ordinary_run_is_visible_black_on_white_in_the_theme_font() -> None:
    document = docx.Document()
    shown = StyleSheet.of(document).run(_header_run(document))
    assert not shown.hidden
    assert shown.drawn_colours() == (("000000", "FFFFFF"),)
    assert shown.size == 22  # the template's document defaults: 11 pt
    assert (shown.width, shown.position, shown.spacing) == (100, 0, 0)
    assert shown.fonts == ("Cambria", "Cambria")  # the theme's minor font


def test_document_defaults_give_the_size_unless_the_run_says_otherwise() -> None:
    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}").set(
        qn("w:val"), "2"
    )
    sheet = StyleSheet.of(document)
    assert sheet.run(_header_run(document)).size == 2
    assert sheet.run(_header_run(document, '<w:sz w:val="24"/>')).size == 24
    assert sheet.run(_header_run(document, '<w:sz w:val="10pt"/>')).size == 20


def test_a_paragraph_style_hides_through_its_base_and_the_run_can_show_it() -> None:
    document = docx.Document()
    _style(
        document,
        f'<w:style {WP} w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>",
    )
    _style(
        document,
        f'<w:style {WP} w:type="paragraph" w:styleId="Derived">'
        '<w:name w:val="Derived"/><w:basedOn w:val="Base"/></w:style>',
    )
    document.sections[0].header.paragraphs[0].style = "Derived"
    sheet = StyleSheet.of(document)
    assert sheet.run(_header_run(document)).hidden
    assert not sheet.run(_header_run(document, '<w:vanish w:val="0"/>')).hidden


def test_a_character_style_sets_colour_and_the_run_overrides_it() -> None:
    document = docx.Document()
    _style(
        document,
        f'<w:style {WP} w:type="character" w:styleId="Pale"><w:name w:val="Pale"/>'
        '<w:rPr><w:color w:val="FFFFFF"/><w:w w:val="1"/></w:rPr></w:style>',
    )
    run = _header_run(document)
    _run_properties(run, '<w:rStyle w:val="Pale"/>')
    shown = StyleSheet.of(document).run(run)
    assert shown.colours == ("FFFFFF",)
    assert shown.width == 1
    _run_properties(run, '<w:color w:val="B00020"/>')
    assert StyleSheet.of(document).run(run).colours == ("B00020",)


def _header_table(document: Any, style_xml: str, look: str = 'w:val="0000"') -> Any:
    _style(document, style_xml)
    header = document.sections[0].header
    table = header.add_table(rows=2, cols=1, width=docx.shared.Inches(6))
    table._tbl.tblPr.append(parse_xml(f'<w:tblStyle {WP} w:val="Hostile"/>'))
    for old in table._tbl.tblPr.findall(qn("w:tblLook")):
        table._tbl.tblPr.remove(old)
    table._tbl.tblPr.append(parse_xml(f"<w:tblLook {WP} {look}/>"))
    runs = []
    for row in table.rows:
        runs.append(row.cells[0].paragraphs[0].add_run("RESTRICTED")._r)
    return runs


def test_a_table_style_that_hides_text_hides_the_runs_in_its_cells() -> None:
    document = docx.Document()
    runs = _header_table(
        document,
        f'<w:style {WP} w:type="table" w:styleId="Hostile"><w:name w:val="H"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style>",
    )
    sheet = StyleSheet.of(document)
    assert all(sheet.run(run).hidden for run in runs)


def test_a_table_styles_first_row_format_applies_only_where_its_look_says() -> None:
    style = (
        f'<w:style {WP} w:type="table" w:styleId="Hostile"><w:name w:val="H"/>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:color w:val="000000"/></w:rPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="000000"/></w:tcPr>'
        "</w:tblStylePr></w:style>"
    )
    document = docx.Document()
    first, second = _header_table(document, style, 'w:firstRow="1"')
    sheet = StyleSheet.of(document)
    assert sheet.run(first).drawn_colours() == (("000000", "000000"),)
    assert sheet.run(second).drawn_colours() == (("000000", "FFFFFF"),)
    document = docx.Document()
    first, _ = _header_table(document, style, 'w:val="0000"')
    assert StyleSheet.of(document).run(first).backgrounds == ("FFFFFF",)


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("run", ("000000",)),
        ("paragraph", ("000000",)),
        ("cell", ("000000",)),
        ("solid", ("000000",)),  # a solid pattern paints its colour, not its fill
        ("pct50", ("808080",)),
        ("highlight", ("000000",)),
        ("none", ("FFFFFF",)),
    ],
)
def test_what_stands_behind_the_text(place: str, expected: tuple[str, ...]) -> None:
    document = docx.Document()
    black = '<w:shd w:val="clear" w:color="auto" w:fill="000000"/>'
    table = document.sections[0].header.add_table(1, 1, docx.shared.Inches(6))
    cell = table.cell(0, 0)
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run("RESTRICTED")._r
    if place == "run":
        _run_properties(run, black)
    elif place == "paragraph":
        paragraph._p.get_or_add_pPr().append(parse_xml(black.replace("/>", f" {WP}/>")))
    elif place == "cell":
        cell._tc.get_or_add_tcPr().append(parse_xml(black.replace("/>", f" {WP}/>")))
    elif place == "solid":
        _run_properties(run, '<w:shd w:val="solid" w:color="000000" w:fill="FFFFFF"/>')
    elif place == "pct50":
        _run_properties(run, '<w:shd w:val="pct50" w:color="000000" w:fill="FFFFFF"/>')
    elif place == "highlight":
        _run_properties(run, '<w:highlight w:val="black"/>')
    assert StyleSheet.of(document).run(run).backgrounds[:1] == expected


def test_automatic_colour_is_white_on_black_and_black_on_white() -> None:
    assert auto_colour("000000") == "FFFFFF"
    assert auto_colour("FFFFFF") == "000000"
    assert auto_colour("FFFF00") == "000000"
    document = docx.Document()
    run = _header_run(document, '<w:highlight w:val="black"/>')
    assert StyleSheet.of(document).run(run).drawn_colours() == (("FFFFFF", "000000"),)


def test_contrast_ratios_follow_wcag() -> None:
    assert contrast_ratio("000000", "FFFFFF") == pytest.approx(21)
    assert contrast_ratio("FFFFFF", "FFFFFF") == pytest.approx(1)
    assert contrast_ratio("FFFF00", "FFFFFF") == pytest.approx(1.07, abs=0.01)
    assert contrast_ratio("B00020", "FFFFFF") > 4.5  # the built-in templates' red


def test_theme_colours_resolve_through_the_theme_and_keep_the_written_colour() -> None:
    document = docx.Document()
    run = _header_run(document, '<w:color w:val="B00020" w:themeColor="background1"/>')
    assert StyleSheet.of(document).run(run).colours == ("FFFFFF", "B00020")
    tinted = _header_run(
        document,
        '<w:color w:val="000000" w:themeColor="text1" w:themeTint="80"/>',
    )
    assert StyleSheet.of(document).run(tinted).colours[0] == "7F7F7F"


def test_a_theme_colour_without_a_theme_is_unknown() -> None:
    document = docx.Document()
    run = _header_run(document, '<w:color w:val="000000" w:themeColor="accent1"/>')
    styles = document.styles.element
    assert StyleSheet(styles, theme=None).run(run).colours == ()


def test_position_spacing_fonts_and_effects_are_read() -> None:
    document = docx.Document()
    run = _header_run(
        document,
        '<w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/><w:emboss/>'
        '<w:spacing w:val="-60"/><w:position w:val="-3000"/>'
        '<w:vertAlign w:val="superscript"/><w:strike/><w:fitText w:val="20"/>',
    )
    shown = StyleSheet.of(document).run(run)
    assert shown.fonts == ("Wingdings", "Wingdings")
    assert is_symbol_font(shown.fonts[0])
    assert not is_symbol_font("Calibri")
    assert (shown.position, shown.spacing) == (-3000, -60)
    assert shown.vertical == "superscript"
    assert shown.struck
    assert shown.fit_text
    assert shown.looks == {"emboss"}


def test_a_frame_and_indents_of_a_paragraph_come_through_its_style() -> None:
    document = docx.Document()
    _style(
        document,
        f'<w:style {WP} w:type="paragraph" w:styleId="Framed"><w:name w:val="Framed"/>'
        '<w:pPr><w:framePr w:x="-20000"/><w:ind w:left="30000"/></w:pPr></w:style>',
    )
    paragraph = document.sections[0].header.paragraphs[0]
    paragraph.style = "Framed"
    placed = StyleSheet.of(document).paragraph(paragraph._p)
    assert placed.framed
    assert placed.measures["left"] == 30000
    assert placed.measures["after"] == 200  # from the document defaults
