"""Every built-in template renders the demo brief and a hostile edge case, readably."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import docx.oxml.ns
import pytest

from briefapp import paths
from briefapp.documents.context import brief_context
from briefapp.documents.labels import labels_for
from briefapp.documents.library import describe_template
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.countries import country_name
from briefapp.domain.entities import (
    AssessmentResult,
    Brief,
    Country,
    CountryRole,
    Option,
)
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


FULL_BRIEFS = {
    # template: (decision sought, recommendations, summary, annex title, annexes)
    "decision-brief": (
        "Decision sought",
        "Recommendations",
        "Summary",
        "Annex A: Assessment and scores",
        "Annexes",
    ),
    "decision-brief-lt": (
        "Prašomas sprendimas",
        "Rekomendacijos",
        "Santrauka",
        "A priedas. Variantų vertinimas ir balai",
        "Priedai",
    ),
}


def _paragraph_texts(document: docx.document.Document) -> list[str]:
    return [" ".join(p.text.split()) for p in document.paragraphs]


def _before_first_page_break(document: docx.document.Document) -> list[str]:
    """The body's paragraph texts up to the first page break (tables skipped)."""
    texts = []
    for paragraph in document.paragraphs:
        if paragraph.paragraph_format.page_break_before or any(
            br.get(docx.oxml.ns.qn("w:type")) == "page"
            for br in paragraph._p.iter(docx.oxml.ns.qn("w:br"))
        ):
            break
        texts.append(" ".join(paragraph.text.split()))
    return texts


@pytest.mark.parametrize("name", FULL_BRIEFS)
def test_the_full_brief_asks_for_the_decision_first(
    name: str, demo_brief: Brief
) -> None:
    document = render(paths.templates_dir() / f"{name}.docx", demo_brief)
    sought, recommendations, summary, _, _ = FULL_BRIEFS[name]
    texts = _before_first_page_break(document)
    decision = " ".join(demo_brief.decision_sought.split())
    title = texts.index(demo_brief.title)
    assert texts[title + 1 : title + 3] == [sought, decision]
    assert texts.index(recommendations) < texts.index(summary)
    (shown,) = [p for p in document.paragraphs if p.text.startswith("That you agree w")]
    assert shown.style.name == "Decision Sought"  # set off by a rule and a shade
    no_decision = render(
        paths.templates_dir() / f"{name}.docx", replace(demo_brief, decision_sought="")
    )
    assert sought not in _paragraph_texts(no_decision)


def _table_rows(table: docx.table.Table) -> list[list[str]]:
    return [[" ".join(c.text.split()) for c in row.cells] for row in table.rows]


def _tables_headed(document: docx.document.Document, first: str) -> list[Any]:
    return [_table_rows(t) for t in document.tables if t.cell(0, 0).text == first]


@pytest.mark.parametrize("name", FULL_BRIEFS)
def test_the_annex_shows_why_each_option_scored_as_it_did(
    name: str, demo_brief: Brief
) -> None:
    document = render(paths.templates_dir() / f"{name}.docx", demo_brief)
    annex_title, annexes = FULL_BRIEFS[name][3:]
    texts = _paragraph_texts(document)
    listed = texts.index(annexes)
    assert texts[listed + 1].startswith(annex_title)
    annex = texts.index(annex_title)
    assert listed < annex
    english = name == "decision-brief"
    scores = _tables_headed(document, "Criterion" if english else "Kriterijus")
    results = _tables_headed(document, "Constraint" if english else "Apribojimas")
    assert len(scores) == len(results) == len(demo_brief.options)  # one each
    if english:
        assert scores[0][0] == ["Criterion", "Weight", "Score (0–5)", "Points",
                                "Rationale"]  # fmt: skip
        assert scores[0][1] == [
            "K1 Military effectiveness",
            "30%",
            "5",
            "30.0",
            "Meets both aims: national stocks and rounds for Ukraine.",
        ]
        assert "Ranked 1 of 3, with a weighted score of 68.0 out of 100." in texts
        assert results[2][6] == [
            "C6 Humanitarian standard: verified failure rate below 1 % (hard)",
            "✗ fails",
            "The stocks offered for direct transfer are older rounds with a reported "
            "failure rate of 2–5 %.",
        ]
        assert results[0][1][2] == "Lawful since the withdrawal took effect. [S3]"
        screened = next(t for t in texts[annex:] if t.startswith("Screened out"))
        assert screened.startswith(
            "Screened out by a hard constraint: fails C6 (Humanitarian standard"
        )
    else:
        assert scores[0][1][:4] == ["K1 Military effectiveness", "30 %", "5", "30,0"]
        assert results[2][6][1] == "✗ neatitinka"
        assert results[0][1][0].endswith("(privalomas)")
        assert "Vieta: 1 iš 3; svertinis balas: 68,0 iš 100." in texts
    assert texts[annex + 2].startswith(
        ("Option A: ", "Variantas A: ")
    )  # after the annex's introduction


@pytest.mark.parametrize("name", FULL_BRIEFS)
def test_empty_rationales_and_notes_leave_empty_cells(
    name: str, demo_brief: Brief
) -> None:
    brief = replace(
        demo_brief,
        scores=tuple(replace(s, rationale="") for s in demo_brief.scores)[1:],
        assessments=tuple(
            replace(a, note="", source="S1" if n == 0 else None)
            for n, a in enumerate(demo_brief.assessments)
        ),
    )
    document = render(paths.templates_dir() / f"{name}.docx", brief)
    english = name == "decision-brief"
    scores = _tables_headed(document, "Criterion" if english else "Kriterijus")
    results = _tables_headed(document, "Constraint" if english else "Apribojimas")
    assert scores[0][1][2:] == ["–", "–", ""]  # A on K1: not scored
    assert scores[0][2][4] == ""
    assert results[0][1][2] == "[S1]"
    assert {row[2] for table in results for row in table[1:]} == {"[S1]", ""}


@pytest.mark.parametrize("name", FULL_BRIEFS)
def test_an_annex_is_named_only_when_the_brief_has_it(
    name: str, demo_brief: Brief
) -> None:
    brief = replace(demo_brief, criteria=(), scores=(), assessments=())
    text = all_text(render(paths.templates_dir() / f"{name}.docx", brief))
    assert "Annex" not in text
    assert "priedas" not in text.lower()
    demo = all_text(render(paths.templates_dir() / f"{name}.docx", demo_brief))
    assert "options annex" not in demo.lower()  # a separate document, not here
    assert "variantų priedas" not in demo.lower()


@pytest.mark.parametrize("name", FULL_BRIEFS)
def test_a_date_before_a_full_stop_gets_only_one(name: str, demo_brief: Brief) -> None:
    source = replace(demo_brief.sources[1], url="https://treaties.un.org/ccm")
    brief = replace(demo_brief, sources=(source,))
    text = all_text(render(paths.templates_dir() / f"{name}.docx", brief))
    if name == "decision-brief":
        assert "Series, 30 May 2008. https://treaties.un.org/ccm" in text
    else:
        assert "Series, 2008 m. gegužės 30 d. https://treaties.un.org/ccm" in text
    assert ".." not in text


def test_the_summary_uses_the_headings_of_the_full_brief(demo_brief: Brief) -> None:
    document = render(paths.templates_dir() / "one-page-summary.docx", demo_brief)
    texts = _paragraph_texts(document)
    assert "Purpose" not in texts
    sought = texts.index("Decision sought")
    assert texts[sought + 1] == " ".join(demo_brief.decision_sought.split())


def test_the_summary_marks_the_options_screened_out(demo_brief: Brief) -> None:
    document = render(paths.templates_dir() / "one-page-summary.docx", demo_brief)
    (options,) = _tables_headed(document, "Key")
    assert [row[:3] for row in options] == [
        ["Key", "Option", "Score"],
        ["A", "Combined purchase for national stocks and transfer to Ukraine", "68.0"],
        ["B", "Purchase for national stocks only", "64.0"],
        [
            "C",
            "Finance a direct transfer from a supplier to Ukraine",
            "Screened out: fails C6",
        ],
        [
            "D",
            "Do not buy cluster munitions; buy unitary high-explosive rounds instead",
            "54.0",
        ],
    ]
    two = replace(
        demo_brief,
        assessments=tuple(
            replace(a, result=AssessmentResult.FAILS)
            if (a.option, a.constraint) == ("C", "C2")
            else a
            for a in demo_brief.assessments
        ),
    )
    document = render(paths.templates_dir() / "one-page-summary.docx", two)
    (options,) = _tables_headed(document, "Key")
    assert options[3][2] == "Screened out: fails C2, C6"


@pytest.mark.parametrize("name", ["one-page-summary", "options-annex"])
def test_the_options_tables_give_each_quantity_with_its_unit(
    name: str, demo_brief: Brief
) -> None:
    document = render(paths.templates_dir() / f"{name}.docx", demo_brief)
    options = next(t for t in _tables_headed(document, "Key") if "Quantity" in t[0])
    column = options[0].index("Quantity")
    assert [row[column] for row in options[1:]] == [
        "12,000 rounds",
        "6,000 rounds",
        "6,000 rounds",
        "4,500 rounds",
    ]


NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("name", "caption", "expected"),
    [
        ("decision-brief", "Quantity",
         ["12,000 rounds", "4 fire units", "6,000", "4,500 rounds"]),
        # Babel groups Lithuanian thousands with a no-break space.
        ("decision-brief-lt", "Kiekis",
         [f"12{NBSP}000 rounds", "4 fire units", f"6{NBSP}000", f"4{NBSP}500 rounds"]),
    ],
)  # fmt: skip
def test_each_option_of_the_full_brief_states_its_quantity_and_unit(
    name: str, caption: str, expected: list[str], demo_brief: Brief
) -> None:
    fire_units = replace(demo_brief.options[1], quantity=4, quantity_unit="fire units")
    bare = replace(demo_brief.options[2], quantity_unit="")
    a, _b, _c, d = demo_brief.options
    brief = replace(demo_brief, options=(a, fire_units, bare, d))
    document = render(paths.templates_dir() / f"{name}.docx", brief)
    stated = [
        found[1]
        for p in document.paragraphs
        if (found := re.search(f"{caption}:{NBSP}(.*?)   ", p.text))
    ]
    assert stated == expected


def test_the_option_matrix_is_kept_on_one_page(demo_brief: Brief) -> None:
    document = render(paths.templates_dir() / "decision-brief.docx", demo_brief)
    matrix = next(t for t in document.tables if t.cell(0, 0).text == "Option")
    kept = [
        all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
        for row in matrix.rows
    ]
    assert kept == [True] * (len(matrix.rows) - 1) + [False]
