"""Build the built-in Word templates in ``templates/`` from code.

The committed ``.docx`` files are what Briefapp ships and what template authors
copy and edit in Word; this script is how they were made, kept so the
built-in templates stay consistent with each other. Run it from the project
root: ``python scripts/build_templates.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.shared import Cm, Length, Pt
from docx.table import Table
from template_kit import (
    ANNEX_HEADING,
    ANNEX_TITLE,
    DECISION,
    SOFT_HYPHEN,
    Document,
    decision_box,
    facts_table,
    headers_and_footers,
    label,
    landscape,
    loop_table,
    new_document,
    page_break,
    table_text,
)

ROOT = Path(__file__).resolve().parent.parent

# Key, constraint, kind, hard or soft, description; in proportion, each table
# fills the text width. Lithuanian's “Pageidautinas” needs a wider fourth column.
CONSTRAINT_COLUMNS = (Cm(1.3), Cm(4.0), Cm(2.8), Cm(2.2), Cm(6.1))
CONSTRAINT_COLUMNS_LT = (Cm(1.2), Cm(3.9), Cm(2.7), Cm(3.2), Cm(5.4))

ENGLISH = {
    "page": "Page", "of": "of", "reference": "Reference", "date": "Date", "to": "To",
    "from": "From", "deadline": "Decision needed by", "routine": "Routine",
    "decision_sought": "Decision sought", "recommendations": "Recommendations",
    "key_points": "Key points", "background": "Background",
    "considerations": "Considerations", "options": "Options",
    "constraints": "Constraints", "countries": "Countries involved",
    "next_steps": "Next steps", "contact": "Contact officer", "annexes": "Annexes",
    "annex_reasoning": "Annex A: Assessment and scores",
    "annex_list": "Annex A: Assessment and scores, at the end of this brief: each "
    "option's score on each criterion and why, and how it stands against each "
    "constraint and why.",
    "annex_intro": "For each option: its score from 0 to 5 on each criterion, the "
    "criterion's weight, the points the score adds to the weighted score out of 100 "
    "and the reason for the score; then how the option stands against each "
    "constraint, with the assessment's note and [source].",
    "ranked_as": "Ranked {rank} of {count}, with a weighted score of {score} out "
    "of 100.",
    "score_5": "Score (0–5)", "score_short": "Score", "points": "Points",
    "rationale": "Rationale", "result": "Result", "note": "Note",
    "screened_short": "screened out",
    "screened_cell": "Screened out", "fails": "fails",
    "sources": "Sources", "option": "Option", "recommended": "recommended",
    "recommended_option": "Recommended option", "supplier": "Supplier",
    "cost": "Cost", "quantity": "Quantity", "delivery": "Delivery", "none": "None",
    "not_costed": "Not costed", "not_set": "Not set", "not_known": "Not known",
    "advantages": "Advantages", "disadvantages": "Disadvantages", "risks": "Risks",
    "key": "Key", "constraint": "Constraint", "kind": "Kind",
    "hard_soft": "Hard or soft", "description": "Description", "country": "Country",
    "role": "Role", "notes": "Notes",
    "no_options": "No options have been recorded.",
    "no_constraints": "No constraints have been recorded.",
    "no_countries": "No countries have been recorded.",
    "no_sources": "No sources have been recorded.",
    "no_recommendation": "No option is recommended yet.",
    "agreed": "Agreed", "not_agreed": "Not agreed", "noted": "Noted",
    "discuss": "Please discuss", "minister": "Minister", "not_named": "Not named",
    "decision": "Decision", "summary": "Summary", "key_figures": "The options",
    "annex_title": "Options annex – options, constraints and countries",
    "analysis": "Analysis of the options", "rank": "Rank", "score": "Score (of 100)",
    "screened": "Screened out by a hard constraint",
    "weights": "Criteria and weights", "criterion": "Criterion", "weight": "Weight",
    "share": "Share", "matrix": "Options against constraints",
    "robust_range": "First place holds between",
    "analysis_method": "Options that fail a hard constraint are screened out; the "
    "others are scored from 0 to 5 on each criterion and ranked by weighted score "
    "out of 100.",
}  # fmt: skip

LITHUANIAN = {
    "page": "Puslapis", "of": "iš", "reference": "Nr.", "date": "Data", "to": "Kam",
    "from": "Rengėjas", "deadline": "Sprendimo terminas", "routine": "Įprasta tvarka",
    "decision_sought": "Prašomas sprendimas", "recommendations": "Rekomendacijos",
    "key_points": "Svarbiausi faktai", "background": "Aplinkybės",
    "considerations": "Vertinimas", "options": "Sprendimo variantai",
    "constraints": "Apribojimai", "countries": "Susijusios valstybės",
    "next_steps": "Tolesni veiksmai", "contact": "Kontaktinis asmuo",
    "annexes": "Priedai",
    "annex_reasoning": "A priedas. Variantų vertinimas ir balai",
    "annex_list": "A priedas. Variantų vertinimas ir balai, pažymos pabaigoje: "
    "kiekvieno varianto balai pagal kiekvieną kriterijų ir jų pagrindimas, "
    "atitiktis kiekvienam apribojimui ir jos pagrindimas.",
    "annex_intro": "Kiekvienam variantui: jo balas nuo 0 iki 5 pagal kiekvieną "
    "kriterijų, kriterijaus svoris, kiek šis balas prideda prie svertinio balo iš "
    "100, ir balo pagrindimas; toliau – varianto atitiktis kiekvienam apribojimui "
    "su vertinimo pastaba ir [šaltiniu].",
    "ranked_as": "Vieta: {rank} iš {count}; svertinis balas: {score} iš 100.",
    "score_5": "Balas (0–5)", "score_short": "Balas", "points": "Taškai",
    "rationale": "Pagrindimas", "result": "Atitiktis", "note": "Pastaba",
    "screened_short": "atmestas",
    "screened_cell": "Atmestas", "fails": "neatitinka",
    "sources": "Šaltiniai", "option": "Variantas", "recommended": "rekomenduojamas",
    "recommended_option": "Rekomenduojamas variantas", "supplier": "Tiekėjas",
    "cost": "Kaina", "quantity": "Kiekis", "delivery": "Pristatymas", "none": "Nėra",
    "not_costed": "Kaina nenurodyta", "not_set": "Nenurodyta",
    "not_known": "Nežinoma", "advantages": "Privalumai", "disadvantages": "Trūkumai",
    "risks": "Rizikos", "key": "Nr.", "constraint": "Apribojimas", "kind": "Sritis",
    "hard_soft": f"Privalo{SOFT_HYPHEN}mumas",  # breaks there, with a hyphen
    "description": "Aprašymas", "country": "Valstybė",
    "role": "Vaidmuo", "notes": "Pastabos",
    "no_options": "Variantų nenurodyta.",
    "no_constraints": "Apribojimų nenurodyta.",
    "no_countries": "Valstybių nenurodyta.",
    "no_sources": "Šaltinių nenurodyta.",
    "no_recommendation": "Rekomenduojamas variantas dar nepasirinktas.",
    "agreed": "Pritariu", "not_agreed": "Nepritariu", "noted": "Susipažinau",
    "discuss": "Aptarti", "minister": "Ministras (-ė)", "not_named": "Nenurodytas",
    "decision": "Sprendimas", "summary": "Santrauka", "key_figures": "Variantai",
    "annex_title": "Variantų priedas – variantai, apribojimai ir valstybės",
    "analysis": "Variantų vertinimas", "rank": "Vieta", "score": "Balas (iš 100)",
    "screened": "Atmesta dėl privalomo apribojimo",
    "weights": "Kriterijai ir svoriai", "criterion": "Kriterijus", "weight": "Svoris",
    "share": "Dalis", "matrix": "Variantų atitiktis apribojimams",
    "robust_range": "Pirmoji vieta išlieka, kai svoris tarp",
    "analysis_method": "Variantai, neatitinkantys privalomo apribojimo, atmetami; "
    "kiti kiekvienu kriterijumi vertinami nuo 0 iki 5 balų ir rikiuojami pagal "
    "svertinį balą iš 100.",
}  # fmt: skip


def main() -> None:
    built = {
        "decision-brief": decision_brief(
            ENGLISH, "en-GB", "Decision brief", CONSTRAINT_COLUMNS
        ),
        "decision-brief-lt": decision_brief(
            LITHUANIAN,
            "lt-LT",
            "Sprendimo pažyma (lietuvių kalba)",
            CONSTRAINT_COLUMNS_LT,
        ),
        "one-page-summary": one_page_summary(ENGLISH),
        "options-annex": options_annex(ENGLISH),
    }
    for name, document in built.items():
        path = ROOT / "templates" / f"{name}.docx"
        document.save(path)
        print(f"wrote {path}")


def decision_brief(
    w: dict[str, str], language: str, title: str, constraint_columns: Sequence[Length]
) -> Document:
    document = new_document(
        language, title, "Briefapp built-in template: full decision brief", "decision"
    )
    headers_and_footers(document, (w["page"], w["of"]))
    banner = document.add_paragraph()
    banner.add_run("{{ brief_type_label|upper }}").bold = True
    _control_block(document, w)
    document.add_paragraph("{{ title }}", style="Title")
    # The front page: what is to be decided, what is recommended with the
    # decision box, then the summary.
    _section(document, w["decision_sought"], "decision_sought", "paragraphs", DECISION)
    _recommendations(document, w)
    _section(document, w["summary"], "summary", "paragraphs")
    document.add_paragraph("{%p if key_points %}")
    document.add_heading(w["key_points"], level=1)
    document.add_paragraph("{{p key_points|bullets }}")
    document.add_paragraph("{%p endif %}")
    _section(document, w["background"], "background", "paragraphs")
    _section(document, w["considerations"], "considerations", "markup")
    _options(document, w)
    _analysis(document, w)
    _constraints(document, w, constraint_columns)
    _countries(document, w)
    _section(document, w["next_steps"], "next_steps", "markup")
    document.add_heading(w["contact"], level=1)
    document.add_paragraph(f"{{{{ drafter or '{w['not_named']}' }}}}")
    document.add_paragraph(f"{{%p if {REASONING_ANNEX} %}}")
    document.add_heading(w["annexes"], level=1)
    document.add_paragraph(w["annex_list"])
    document.add_paragraph("{%p endif %}")
    _sources(document, w)
    _reasoning_annex(document, w)
    return document


# When the brief's annex of scores and assessments has something to show.
REASONING_ANNEX = "options and (criteria or options|selectattr('assessments')|list)"


def _reasoning_annex(document: Document, w: dict[str, str]) -> None:
    """Annex A, on a page of its own: for each option, its score on each
    criterion with the rationale, and each assessment with its note."""
    document.add_paragraph(f"{{%p if {REASONING_ANNEX} %}}")
    document.add_paragraph(w["annex_reasoning"], style=ANNEX_TITLE)
    document.add_paragraph(w["annex_intro"])
    document.add_paragraph("{%p for o in options %}")
    document.add_paragraph(
        f"{w['option']} {{{{ o.key }}}}: {{{{ o.title }}}}", style=ANNEX_HEADING
    )
    document.add_paragraph("{%p if o.screened_out %}")
    screened = document.add_paragraph()
    screened.add_run(f"{w['screened']}: ").bold = True
    screened.add_run("{{ o.reasons|join('; ') }}")
    screened.paragraph_format.keep_with_next = True
    document.add_paragraph("{%p elif o.rank %}")
    standing = document.add_paragraph(
        w["ranked_as"].format(
            rank="{{ o.rank }}", count="{{ ranking|length }}", score="{{ o.score }}"
        )
    )
    standing.paragraph_format.keep_with_next = True
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if o.scores %}")
    loop_table(
        document,
        (w["criterion"], w["weight"], w["score_5"], w["points"], w["rationale"]),
        "s in o.scores",
        ("{{ s.key }} {{ s.title }}", "{{ s.weight }}", "{{ s.score or '–' }}",
         "{{ s.points or '–' }}", "{{ s.rationale }}"),
        (Cm(4.2), Cm(1.5), Cm(1.7), Cm(1.5), Cm(7.5)),
    )  # fmt: skip
    _annex_table(document)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if o.assessments %}")
    loop_table(
        document,
        (w["constraint"], w["result"], w["note"]),
        "a in o.assessments",
        ("{{ a.key }} {{ a.title }} ({{ a.strength|lower }})",
         "{{ a.mark }} {{ a.result_label }}",
         "{{ a.note }}{% if a.source %}{% if a.note %} {% endif %}"
         "[{{ a.source }}]{% endif %}"),
        (Cm(5.2), Cm(2.4), Cm(8.8)),
    )  # fmt: skip
    _annex_table(document)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")


def _annex_table(document: Document) -> None:
    """The last table in small text, kept on one page, and a little room after
    it."""
    table = document.tables[-1]
    table_text(table)
    _keep_together(table)
    space = document.add_paragraph()
    space.paragraph_format.space_after = Pt(0)


def _keep_together(table: Table) -> None:
    """Every row kept with the next (and the last with what follows), so the
    table is not split across pages."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _control_block(document: Document, w: dict[str, str]) -> None:
    facts_table(
        document,
        (
            (w["reference"], "{{ reference }}"),
            (w["date"], "{{ date }}"),
            (w["to"], "{{ addressee }}"),
            (w["from"], "{{ drafter }}"),
            (
                w["deadline"],
                f"{{{{ deadline or '{w['routine']}' }}}}"
                "{% if deadline_reason %}: {{ deadline_reason }}{% endif %}",
            ),
        ),
        (Cm(4.5), Cm(11.9)),
    )
    document.add_paragraph()


def _recommendations(document: Document, w: dict[str, str]) -> None:
    """The recommendation and its decision box, kept together on one page (the
    paragraphs filter copies the keep-with-next to every paragraph it makes)."""
    document.add_heading(w["recommendations"], level=1)
    text = document.add_paragraph("{{ recommendation|paragraphs }}")
    text.paragraph_format.keep_with_next = True
    decision_box(document, w)


def _section(
    document: Document,
    heading: str,
    field: str,
    filter_name: str,
    style: str | None = None,
) -> None:
    """A heading and its text, left out altogether when the brief has none."""
    document.add_paragraph(f"{{%p if {field} %}}")
    document.add_heading(heading, level=1)
    tag = "{{p" if filter_name == "markup" else "{{"
    document.add_paragraph(f"{tag} {field}|{filter_name} }}}}", style=style)
    document.add_paragraph("{%p endif %}")


def _options(document: Document, w: dict[str, str]) -> None:
    document.add_heading(w["options"], level=1)
    document.add_paragraph("{%p if not options %}")
    document.add_paragraph(w["no_options"])
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for o in options %}")
    document.add_heading(
        f"{w['option']} {{{{ o.key }}}}: {{{{ o.title }}}}"
        f"{{% if o.key == recommended_option %}} ({w['recommended']}){{% endif %}}"
        f"{{% if o.screened_out %}} ({w['screened_short']}){{% endif %}}",
        level=2,
    )
    document.add_paragraph("{%p if o.description %}")
    document.add_paragraph("{{ o.description|paragraphs }}")
    document.add_paragraph("{%p endif %}")
    facts = document.add_paragraph()
    for caption, value in (
        (f"{w['supplier']}: ", f"{{{{ o.supplier_name or '{w['none']}' }}}}"),
        (f"   {w['cost']}: ", f"{{{{ o.cost or '{w['not_costed']}' }}}}"),
        (f"   {w['quantity']}: ", f"{{{{ o.quantity_text or '{w['not_set']}' }}}}"),
        (f"   {w['delivery']}: ", f"{{{{ o.delivery or '{w['not_known']}' }}}}"),
    ):
        # A no-break space keeps each caption on the line of its value.
        facts.add_run(caption.rstrip() + "\u00a0").bold = True
        facts.add_run(value)
    for field in ("advantages", "disadvantages", "risks"):
        document.add_paragraph(f"{{%p if o.{field} %}}")
        label(document, w[field])
        document.add_paragraph(f"{{{{p o.{field}|bullets }}}}")
        document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")


def _analysis(document: Document, w: dict[str, str], *, matrix: bool = True) -> None:
    """The ranking and its robustness, the chart, the options screened out,
    the weights and the option × constraint matrix; left out until scored."""
    document.add_paragraph("{%p if ranking or screened_out %}")
    document.add_heading(w["analysis"], level=1)
    document.add_paragraph(w["analysis_method"])
    summary = document.add_paragraph()
    summary.add_run("{{ robustness }}").bold = True
    document.add_paragraph("{%p if ranking %}")
    loop_table(
        document,
        (w["rank"], w["option"], w["score"]),
        "r in ranking",
        ("{{ r.rank }}", "{{ r.key }}: {{ r.title }}", "{{ r.score }}"),
        (Cm(1.6), Cm(11.4), Cm(3.4)),
    )
    # The ranking stays in one piece, with the chart after it.
    _keep_together(document.tables[-1])
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if score_chart %}")
    chart = document.add_paragraph("{{ score_chart }}")
    chart.paragraph_format.keep_together = True
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if screened_out %}")
    label(document, w["screened"])
    document.add_paragraph("{%p for x in screened_out %}")
    entry = document.add_paragraph(style="List Bullet")
    entry.add_run("{{ x.key }}: {{ x.title }}").bold = True
    entry.add_run(" – {{ x.reasons }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if sensitivity %}")
    label(document, w["weights"])
    loop_table(
        document,
        (w["key"], w["criterion"], w["share"], w["robust_range"]),
        "c in sensitivity",
        ("{{ c.key }}", "{{ c.title }}", "{{ c.weight }}",
         "{{ c.stable_from }} – {{ c.stable_to }}"),
        (Cm(1.3), Cm(8.0), Cm(2.3), Cm(4.8)),
    )  # fmt: skip
    _keep_together(document.tables[-1])
    document.add_paragraph("{%p endif %}")
    if matrix:
        document.add_paragraph("{%p if assessment_matrix %}")
        label(document, w["matrix"])
        document.add_paragraph("{{p assessment_matrix }}")
        document.add_paragraph()
        document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endif %}")


def _constraints(
    document: Document, w: dict[str, str], columns: Sequence[Length]
) -> None:
    document.add_heading(w["constraints"], level=1)
    document.add_paragraph("{%p if constraints %}")
    loop_table(
        document,
        (w["key"], w["constraint"], w["kind"], w["hard_soft"], w["description"]),
        "c in constraints",
        ("{{ c.key }}", "{{ c.title }}", "{{ c.kind_label }}", "{{ c.strength }}",
         "{{ c.description }}"),
        columns,
    )  # fmt: skip
    document.add_paragraph("{%p else %}")
    document.add_paragraph(w["no_constraints"])
    document.add_paragraph("{%p endif %}")


def _countries(document: Document, w: dict[str, str]) -> None:
    document.add_heading(w["countries"], level=1)
    document.add_paragraph("{%p if countries %}")
    loop_table(
        document,
        (w["country"], w["role"], w["notes"]),
        "c in countries",
        ("{{ c.name }}", "{{ c.role_label }}", "{{ c.notes }}"),
        (Cm(4.0), Cm(2.6), Cm(9.8)),
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph(w["no_countries"])
    document.add_paragraph("{%p endif %}")


def _sources(document: Document, w: dict[str, str]) -> None:
    document.add_heading(w["sources"], level=1)
    document.add_paragraph("{%p if not sources %}")
    document.add_paragraph(w["no_sources"])
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p for s in sources %}")
    entry = document.add_paragraph()
    entry.add_run("[{{ s.key }}] ").bold = True
    # A Lithuanian date ends with “d.”: no second full stop after it.
    entry.add_run(
        "{{ s.citation }}{% if s.url %}{% if not s.citation.endswith('.') %}."
        "{% endif %} {{ s.url }}{% endif %}"
    )
    entry.add_run("{% if s.note %} ({{ s.note }}){% endif %}").italic = True
    document.add_paragraph("{%p endfor %}")


# An option's score, or the hard constraints that screened it out.
SCREENED_OR_SCORE = (
    "{{% if o.screened_out %}}{screened_cell}: {fails} {{% for a in o.assessments "
    "if a.hard and a.result == 'fails' %}}{{{{ a.key }}}}{{% if not loop.last %}}, "
    "{{% endif %}}{{% endfor %}}{{% else %}}{{{{ o.score }}}}{{% endif %}}"
)


def one_page_summary(w: dict[str, str]) -> Document:
    document = new_document(
        "en-GB",
        "One-page summary",
        "Briefapp built-in template: purpose, recommended option, figures, decision",
        "decision",
        font_size=10,
    )
    document.styles["Title"].font.size = Pt(16)
    document.styles["Heading 1"].paragraph_format.space_before = Pt(10)
    document.styles["Normal"].paragraph_format.space_after = Pt(3)
    headers_and_footers(document, (w["page"], w["of"]))
    banner = document.add_paragraph()
    banner.add_run(
        f"{{{{ brief_type_label|upper }}}} · {w['summary'].upper()}"
    ).bold = True
    facts_table(
        document,
        (
            (w["reference"], "{{ reference }}"),
            (w["date"], "{{ date }}"),
            (w["to"], "{{ addressee }}"),
            (w["deadline"], f"{{{{ deadline or '{w['routine']}' }}}}"),
        ),
        (Cm(4.5), Cm(11.9)),
    )
    title = document.add_paragraph("{{ title }}", style="Title")
    title.paragraph_format.space_before = Pt(10)
    _section(document, w["decision_sought"], "decision_sought", "paragraphs", DECISION)
    document.add_heading(w["recommended_option"], level=1)
    document.add_paragraph("{%p if recommended %}")
    facts_table(
        document,
        (
            (w["option"], "{{ recommended.key }}: {{ recommended.title }}"),
            (w["supplier"], f"{{{{ recommended.supplier_name or '{w['none']}' }}}}"),
            (w["cost"], f"{{{{ recommended.cost or '{w['not_costed']}' }}}}"),
            (w["quantity"], f"{{{{ recommended.quantity_text or '{w['not_set']}' }}}}"),
            (w["delivery"], f"{{{{ recommended.delivery or '{w['not_known']}' }}}}"),
        ),
        (Cm(4.5), Cm(11.9)),
    )
    document.add_paragraph("{%p else %}")
    document.add_paragraph(w["no_recommendation"])
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if ranking %}")
    sentence = document.add_paragraph("{{ robustness }}")
    sentence.paragraph_format.space_before = Pt(6)
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p if options %}")
    document.add_heading(w["key_figures"], level=1)
    loop_table(
        document,
        (w["key"], w["option"], w["score_short"], w["cost"], w["quantity"],
         w["delivery"]),
        "o in options",
        ("{{ o.key }}", "{{ o.title }}", SCREENED_OR_SCORE.format(**w),
         "{{ o.cost }}", "{{ o.quantity_text }}", "{{ o.delivery }}"),
        (Cm(1.0), Cm(5.6), Cm(2.5), Cm(2.8), Cm(2.4), Cm(1.9)),
    )  # fmt: skip
    table_text(document.tables[-1])
    document.add_paragraph("{%p endif %}")
    _recommendations(document, w)
    return document


def options_annex(w: dict[str, str]) -> Document:
    document = new_document(
        "en-GB",
        "Options annex",
        "Briefapp built-in template: options, constraints and countries (landscape)",
        "",
        font_size=9,
    )
    landscape(document)
    headers_and_footers(document, (w["page"], w["of"]))
    document.add_paragraph(f"{w['annex_title']}: {{{{ title }}}}", style="Title")
    document.add_paragraph(f"{w['reference']} {{{{ reference }}}} · {{{{ date }}}}")
    document.add_heading(w["options"], level=1)
    document.add_paragraph("{%p if options %}")
    loop_table(
        document,
        (w["key"], w["option"], w["supplier"], w["cost"], w["quantity"],
         w["delivery"], w["advantages"], w["disadvantages"], w["risks"]),
        "o in options",
        ("{{ o.key }}", "{{ o.title }}", "{{ o.supplier_name }}", "{{ o.cost }}",
         "{{ o.quantity_text }}", "{{ o.delivery }}", "{{p o.advantages|bullets }}",
         "{{p o.disadvantages|bullets }}", "{{p o.risks|bullets }}"),
        (Cm(1.2), Cm(2.9), Cm(1.95), Cm(3.0), Cm(2.05), Cm(1.95), Cm(4.05),
         Cm(4.1), Cm(3.9)),
        keep_rows=False,
    )  # fmt: skip
    # Inside the block: with no options, no page is left almost empty.
    page_break(document)
    document.add_paragraph("{%p else %}")
    document.add_paragraph(w["no_options"])
    document.add_paragraph("{%p endif %}")
    _analysis(document, w)
    _constraints(document, w, CONSTRAINT_COLUMNS)
    _countries(document, w)
    return document


if __name__ == "__main__":
    main()
