"""Every built-in template renders the demo brief and a hostile edge case, readably."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from briefapp import paths
from briefapp.documents.context import brief_context
from briefapp.documents.labels import labels_for
from briefapp.documents.library import describe_template
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.countries import country_name
from briefapp.domain.entities import Brief, Country, CountryRole, Option
from briefapp.domain.templates import TemplateOrigin

TEMPLATES = sorted(paths.templates_dir().glob("*.docx"), key=lambda p: p.stem)
TODAY = dt.date(2026, 11, 28)


def render(template: Path, brief: Brief) -> docx.document.Document:
    info = describe_template(template, TemplateOrigin.BUILT_IN)
    labels = labels_for(info.language)
    data = render_docx(
        template,
        brief_context(brief, today=TODAY, labels=labels),
        marking=brief.classification,
        properties=DocumentProperties("t", "a", "s", "k", "c", "i"),
        labels=labels,
    )
    return docx.Document(io.BytesIO(data))


def all_text(document: docx.document.Document) -> str:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return " ".join(" ".join(texts).split())


def markings(document: docx.document.Document) -> list[str]:
    found = []
    for section in document.sections:
        parts = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        found += ["\n".join(p.text for p in part.paragraphs) for part in parts]
    return found


def test_there_are_four_built_in_templates() -> None:
    assert [t.stem for t in TEMPLATES] == [
        "decision-brief",
        "decision-brief-lt",
        "one-page-summary",
        "options-annex",
    ]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_each_renders_the_demo_brief(template: Path, demo_brief: Brief) -> None:
    document = render(template, demo_brief)
    text = all_text(document)
    language = describe_template(template, TemplateOrigin.BUILT_IN).language[:2]
    assert "{{" not in text
    assert "{%" not in text
    assert all("RESTRICTED" in marking for marking in markings(document))
    assert len(markings(document)) == 4  # default and first page, top and bottom
    for option in demo_brief.options:
        assert option.title in text
    if template.stem != "one-page-summary":
        for constraint in demo_brief.constraints:
            assert constraint.title in text
        assert country_name("LT", language) in text
    if template.stem.startswith("decision-brief"):
        assert demo_brief.title in text
        for point in demo_brief.key_points:
            assert point in text
        for risk in demo_brief.options[0].risks:
            assert risk in text


def test_the_lithuanian_brief_speaks_lithuanian(demo_brief: Brief) -> None:
    text = all_text(
        render(paths.templates_dir() / "decision-brief-lt.docx", demo_brief)
    )
    for expected in (
        "Rekomendacijos",
        "Pritariu",
        "2026 m. gruodžio 15 d.",
        "38 400 000,00 €",
        "Lietuva",
        "Jungtinės Amerikos Valstijos",
        "Dar neįvardyta",
        "Privalomas",
    ):
        assert expected.replace(" ", "") in text.replace("\xa0", "").replace(" ", "")


def test_the_summary_shows_the_recommended_option(demo_brief: Brief) -> None:
    text = all_text(render(paths.templates_dir() / "one-page-summary.docx", demo_brief))
    assert "A: Combined purchase for national stocks and transfer to Ukraine" in text
    assert "☐ Agreed" in text
    no_choice = replace(demo_brief, recommended_option=None)
    text = all_text(render(paths.templates_dir() / "one-page-summary.docx", no_choice))
    assert "No option is recommended yet." in text


HOSTILE = "Kasetiniai šaudmenys & «касетні боєприпаси» <b>bold?</b> 🚀\x0b\x00\x1b end"


def edge_case(demo_brief: Brief) -> Brief:
    options = tuple(
        Option(
            key=f"O{n}",
            title=f"Option {n} {HOSTILE.replace(chr(11), ' ')}",
            description="long text " * 2000,
            advantages=(HOSTILE,),
        )
        for n in range(50)
    )
    return replace(
        demo_brief,
        title="Pirkimas & закупівля <test>",
        classification="NATO RESTRICTED & <EU>",
        summary=HOSTILE * 200,
        key_points=(),
        recommended_option="O7",
        countries=(Country("UA", CountryRole.RECIPIENT, HOSTILE),),
        options=options,
        constraints=(),
        sources=(),
    )


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_each_renders_an_edge_case(template: Path, demo_brief: Brief) -> None:
    brief = edge_case(demo_brief)
    document = render(template, brief)
    text = all_text(document)
    language = describe_template(template, TemplateOrigin.BUILT_IN).language[:2]
    markings_found = markings(document)
    assert len(markings_found) == 4
    assert all("NATO RESTRICTED & <EU>" in marking for marking in markings_found)
    assert "Pirkimas & закупівля <test>" in text
    # Control characters are gone; a vertical tab (Word's line break) is a break.
    cleaned = "Kasetiniai šaudmenys & «касетні боєприпаси» <b>bold?</b> 🚀 end"
    for n in range(50):
        if template.stem != "one-page-summary":
            assert f"Option {n} {cleaned}" in text
    assert f"O7: Option 7 {cleaned}" in text or f"Option 7 {cleaned}" in text
    if template.stem.startswith("decision-brief"):
        assert cleaned in text  # the advantages and the summary
        assert text.count(cleaned) >= 200
    if template.stem != "one-page-summary":
        assert country_name("UA", language) in text
        assert "No constraints have been recorded." in text or "Apribojimų" in text
    for part in document.part.package.parts:
        if part.content_type.startswith("image/"):
            continue  # the chart: binary, by nature
        assert b"\x1b" not in part.blob
        assert b"\x00" not in part.blob


def _pictures(document: docx.document.Document) -> list[bytes]:
    return [
        part.blob
        for part in document.part.package.parts
        if part.content_type == "image/png"
    ]


def test_the_decision_brief_states_the_analysis(demo_brief: Brief) -> None:
    document = render(paths.templates_dir() / "decision-brief.docx", demo_brief)
    text = all_text(document)
    assert "Analysis of the options" in text
    assert (
        "The recommendation of Option A holds unless the weight of cost rises above "
        "27.3%, when Option B ranks first." in text
    )
    ranking = next(t for t in document.tables if t.cell(0, 0).text == "Rank")
    assert [[c.text for c in row.cells] for row in ranking.rows][1:] == [
        [
            "1",
            "A: Combined purchase for national stocks and transfer to Ukraine",
            "68.0",
        ],
        ["2", "B: Purchase for national stocks only", "64.0"],
        [
            "3",
            "D: Do not buy cluster munitions; buy unitary high-explosive rounds "
            "instead",
            "54.0",
        ],
    ]
    assert "C: Finance a direct transfer from a supplier to Ukraine – fails C6" in text
    matrix = next(t for t in document.tables if t.cell(0, 0).text == "Option")
    strengths = ["hard", "hard", "hard", "soft", "soft", "hard", "hard"]
    assert [c.text for c in matrix.rows[0].cells][1:] == [
        f"C{n}\n{strength}" for n, strength in enumerate(strengths, 1)
    ]
    assert matrix.cell(3, 6).text == "✗ fails"  # option C against C6
    assert matrix.cell(1, 2).text == "? unknown"  # option A against C2
    (picture,) = _pictures(document)
    assert picture.startswith(b"\x89PNG")


def test_the_lithuanian_brief_states_it_in_lithuanian(demo_brief: Brief) -> None:
    document = render(paths.templates_dir() / "decision-brief-lt.docx", demo_brief)
    text = all_text(document)
    assert (
        "Rekomendacija rinktis A variantą galioja, nebent kriterijaus „Cost“ svoris "
        "viršytų 27,3 %; tada pirmas būtų B variantas." in text  # spaces folded
    )
    assert "68,0" in text
    assert "✗ neatitinka" in text


def test_without_criteria_there_is_no_analysis_and_no_chart(
    demo_brief: Brief,
) -> None:
    brief = replace(demo_brief, criteria=(), scores=(), assessments=())
    for name in ("decision-brief", "options-annex"):
        document = render(paths.templates_dir() / f"{name}.docx", brief)
        assert "Analysis of the options" not in all_text(document)
        assert _pictures(document) == []
    summary = render(paths.templates_dir() / "one-page-summary.docx", demo_brief)
    assert _pictures(summary) == []  # it does not show the chart: none is drawn
    assert "holds unless the weight of cost" in all_text(summary)
