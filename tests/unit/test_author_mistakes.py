"""A template author's ordinary mistakes: each found at once, with its place
and the fix, and no text silently lost (templates built in ``tmp_path``)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from briefapp import paths
from briefapp.documents.check import check_output
from briefapp.documents.checker import check_template
from briefapp.documents.context import brief_context
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from tests.cli_in_process import run_cli
from tests.data.templates.build import MARKING, document

NO_PROPERTIES = DocumentProperties("", "", "", "", "", "")


def saved(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def findings(path: Path, *samples: Brief) -> list[str]:
    return [str(f) for f in check_template(path, samples)]


def rendered_text(path: Path, brief: Brief) -> list[str]:
    data = render_docx(
        path,
        brief_context(brief, today=dt.date(2026, 11, 28)),
        marking=brief.classification,
        properties=NO_PROPERTIES,
    )
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def with_table(
    rows: list[list[str]], *, before: tuple[str, ...] = (), footer: str = MARKING
) -> bytes:
    """A template with paragraphs ``before`` and then a table of ``rows``."""
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = MARKING
    made.sections[0].footer.paragraphs[0].text = footer
    for line in before:
        made.add_paragraph(line)
    table = made.add_table(rows=len(rows), cols=len(rows[0]))
    for number, row in enumerate(rows):
        for column, text in enumerate(row):
            table.cell(number, column).text = text
    made.add_paragraph("")
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plain_brief() -> Brief:
    return Brief(
        reference="MOD-2026-001",
        title="Radios",
        classification="RESTRICTED",
        next_steps="Order the radios.",
    )


# 1. Text is never silently lost.


def test_a_paragraph_tag_holding_plain_text_is_refused_with_the_fix(
    tmp_path: Path,
) -> None:
    path = saved(tmp_path, "p.docx", document("{{p next_steps }}"))
    assert findings(path) == [
        "error: body, in “{{p next_steps }}”: “{{p next_steps }}” would lose its "
        "text: a {{p …}} tag takes whole paragraphs, which only |markup and "
        "|bullets make; write {{ next_steps|paragraphs }} in a paragraph of its "
        "own, or {{p next_steps|markup }}"
    ]


def test_a_run_tag_holding_plain_text_is_refused(tmp_path: Path) -> None:
    path = saved(tmp_path, "r.docx", document("Title: {{r title }}"))
    assert findings(path) == [
        "error: body, in “Title: {{r title }}”: “{{r title }}” would lose its "
        "text: {{r …}} prints rich text objects, which Briefapp templates do not "
        "make; write {{ title }}"
    ]


def test_a_picture_in_a_paragraph_tag_is_refused(tmp_path: Path) -> None:
    path = saved(tmp_path, "chart.docx", document("{{p score_chart }}"))
    assert findings(path) == [
        "error: body, in “{{p score_chart }}”: “{{p score_chart }}” would break its "
        "paragraph: a picture is written {{ score_chart }}, without p, alone in its "
        "paragraph"
    ]


def test_paragraph_tags_that_make_paragraphs_pass(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        "ok.docx",
        document(
            "{{p considerations|markup }}",
            "{{p key_points|bullets }}",
            "{%p if assessment_matrix %}",
            "{{p assessment_matrix }}",
            "{%p endif %}",
            "",
        ),
    )
    assert findings(path) == []


def test_an_export_that_would_lose_text_outside_runs_is_refused(
    tmp_path: Path, plain_brief: Brief
) -> None:
    """The output check, on every render, whatever the checker said."""
    path = saved(tmp_path, "p.docx", document("{{p next_steps }}"))
    with pytest.raises(TemplateError) as refused:
        rendered_text(path, plain_brief)
    assert str(refused.value) == (
        "The rendered document would lose the text “Order the radios.” "
        "(word/document.xml): it is not inside a run of text; a {{p …}} tag "
        "printed plain text, which only |markup and |bullets may do."
    )


@pytest.mark.parametrize("where", ["in a paragraph", "in a w:t outside a run"])
def test_the_output_check_refuses_text_outside_runs(where: str) -> None:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "RESTRICTED"
    made.sections[0].footer.paragraphs[0].text = "RESTRICTED"
    paragraph = made.add_paragraph("seen")._p
    if where == "in a paragraph":
        paragraph[-1].tail = "Lost words"
    else:
        stray = OxmlElement("w:t")
        stray.text = "Lost words"
        paragraph.append(stray)
    buffer = io.BytesIO()
    made.save(buffer)
    with pytest.raises(TemplateError, match="would lose the text “Lost words”"):
        check_output(buffer.getvalue(), marking="RESTRICTED", references=2)


# 2. A template's own text is printed as typed.


def test_a_literal_with_an_ampersand_prints_as_typed(
    tmp_path: Path, plain_brief: Brief
) -> None:
    path = saved(
        tmp_path,
        "amp.docx",
        document(
            "{{ deadline or 'Terms & conditions' }}",
            "{{ 'a < b > c \"quoted\"' }}",
            "{% if title != 'R&D' %}Not R&D{% endif %}",
            "{{ deadline or ‘Routine’ }}",  # Word's curly quotes
        ),
    )
    assert findings(path) == []
    assert rendered_text(path, plain_brief) == [
        "Terms & conditions",
        'a < b > c "quoted"',
        "Not R&D",
        "Routine",
    ]


# 3. A table whose merged cells do not line up.


def merged_out_of_line() -> bytes:
    """As docxtpl's ``horizontal_merge_tpl.docx``: a cell merged down from a
    row above where that row has a wider cell across its column."""
    data = with_table([["{{ title }}", "b", "c"], ["d", "e", "f"]])
    made = docx.Document(io.BytesIO(data))
    first, second = made.tables[0].rows
    wide = first._tr.tc_lst[1]
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "2")
    wide.get_or_add_tcPr().append(span)
    first._tr.remove(first._tr.tc_lst[2])
    merge = OxmlElement("w:vMerge")
    second._tr.tc_lst[2].get_or_add_tcPr().append(merge)
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


MERGE_WARNING = (
    "warning: body, table 1, row 2: a cell merged with the cell above does not "
    "line up with any cell of the row above; Word and LibreOffice may draw the "
    "table differently: select the cells and merge them again (Table Layout ▸ "
    "Merge Cells)"
)


def test_a_table_with_merged_cells_out_of_line_is_reported(
    tmp_path: Path, demo_brief: Brief
) -> None:
    path = saved(tmp_path, "merged.docx", merged_out_of_line())
    assert findings(path, demo_brief) == [MERGE_WARNING]


def test_the_check_goes_on_past_a_table_out_of_line(tmp_path: Path) -> None:
    merged = saved(tmp_path, "merged.docx", merged_out_of_line())
    good = paths.templates_dir() / "one-page-summary.docx"
    result = run_cli("templates", "check", str(merged), str(good))
    assert result.stdout.splitlines() == [
        f"{merged}: {MERGE_WARNING}",
        f"{merged}: ok (with warnings)",
        f"{good}: ok",
    ]
    assert result.status == 0


# 4. Every mistake in one check.


def test_six_different_mistakes_are_all_found_in_one_check(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        "six.docx",
        document(
            "Subject: {{ titel }}",
            "{{ title|shout }}",
            "{%p if recommended %}",
            "{%tr for c in constraints %}",
            "{{p next_steps }}",
            "Next: {{ next_steps }}",
            footer="Page 1",
        ),
    )
    result = run_cli("templates", "check", str(path))
    assert result.stdout.splitlines() == [
        f"{path}: error: body, in “Subject: {{{{ titel }}}}”: “titel” is not a "
        "value a brief provides (did you mean “title”?)",
        f"{path}: error: body, in “{{{{ title|shout }}}}”: there is no filter "
        "“shout” (did you mean “sort”?)",
        f"{path}: error: body, in “{{%p if recommended %}}”: “{{%p if recommended "
        "%}” is never closed: add {%p endif %} alone in a paragraph after the last "
        "paragraph it shows",
        f"{path}: error: body, in “{{{{p next_steps }}}}”: “{{{{p next_steps }}}}” "
        "would lose its text: a {{p …}} tag takes whole paragraphs, which only "
        "|markup and |bullets make; write {{ next_steps|paragraphs }} in a "
        "paragraph of its own, or {{p next_steps|markup }}",
        f"{path}: error: body, paragraph 4 “{{%tr for c in constraints %}}”: a "
        "{%tr …%} or {%tc …%} tag only works inside a table",
        f"{path}: error: footer of section 1: does not print the classification: "
        "add {{ classification }}",
    ]
    assert result.stderr == "briefapp: 1 of 1 template failed the check\n"


def test_a_syntax_error_hides_no_misspelt_name(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        "two.docx",
        document("Cost: {{ title + }}", "{%p for o in options %}", "{{ o.cots }}"),
    )
    assert findings(path) == [
        "error: body, in “Cost: {{ title + }}”: a tag is unfinished: something is "
        "missing before its end, such as a value ({{ title }}), a field after a dot "
        "or a filter after |",
        "error: body, in “{%p for o in options %}”: “{%p for o in options %}” is "
        "never closed: add {%p endfor %} alone in a paragraph after the last "
        "paragraph it repeats",
        "error: body, in “{{ o.cots }}”: an option has no field “cots” (did you "
        "mean “cost”?)",
    ]


# 5. The advice for a block never closed is the tag of its kind.


@pytest.mark.parametrize(
    ("opener", "closer", "advice"),
    [
        (
            "{% if deadline %}",
            "{% endif %}",
            "add {% endif %} in the same paragraph, after the text it shows",
        ),
        (
            "{%p if deadline %}",
            "{%p endif %}",
            "add {%p endif %} alone in a paragraph after the last paragraph it shows",
        ),
    ],
)
def test_a_block_never_closed_gets_the_closing_tag_of_its_kind(
    tmp_path: Path, demo_brief: Brief, opener: str, closer: str, advice: str
) -> None:
    inline = not opener.startswith("{%p")
    body = [f"Due {opener}{{{{ deadline }}}}"] if inline else [opener, "{{ deadline }}"]
    path = saved(tmp_path, "open.docx", document(*body))
    quoted = body[0]
    assert findings(path) == [
        f"error: body, in “{quoted}”: “{opener}” is never closed: {advice}"
    ]
    # As advised: the template passes and prints the deadline.
    fixed = [body[0] + closer] if inline else [*body, closer]
    path = saved(tmp_path, "fixed.docx", document(*fixed))
    assert findings(path, demo_brief) == []
    deadline = brief_context(demo_brief, today=dt.date(2026, 11, 28))["deadline"]
    shown = rendered_text(path, demo_brief)
    assert (f"Due {deadline}" if inline else deadline) in shown


def test_a_row_loop_never_closed_gets_a_row_tag(
    tmp_path: Path, demo_brief: Brief
) -> None:
    rows = [["{%tr for c in constraints %}", ""], ["{{ c.title }}", "{{ c.key }}"]]
    path = saved(tmp_path, "rows.docx", with_table(rows))
    assert findings(path) == [
        "error: body, table 1, row 1, column 1, in “{%tr for c in constraints %}”: "
        "“{%tr for c in constraints %}” is never closed: add {%tr endfor %} in a "
        "row of its own in the same table, after the rows it repeats"
    ]
    fixed = saved(tmp_path, "fixed.docx", with_table([*rows, ["{%tr endfor %}", ""]]))
    assert findings(fixed, demo_brief) == []
    titles = [c.title for c in demo_brief.constraints]
    shown = docx.Document(
        io.BytesIO(
            render_docx(
                fixed,
                brief_context(demo_brief, today=dt.date(2026, 11, 28)),
                marking=demo_brief.classification,
                properties=NO_PROPERTIES,
            )
        )
    ).tables[0]
    assert [row.cells[0].text for row in shown.rows] == titles


def test_a_block_closed_by_a_tag_of_another_kind_is_named(tmp_path: Path) -> None:
    path = saved(
        tmp_path, "kinds.docx", document("{%p if deadline %}", "Due {% endif %}")
    )
    assert findings(path) == [
        "error: body, in “Due {% endif %}”: “{% endif %}” belongs to “{%p if "
        "deadline %}” (body), a tag of another kind: write {%p endif %}"
    ]


# 6. Places, quoted as Word shows them.


def test_a_misspelt_field_in_a_table_names_its_table_row_and_column(
    tmp_path: Path,
) -> None:
    rows = [
        ["{%tr for c in constraints %}", ""],
        ["{{ c.title }}", "{{ c.titel }}"],
        ["{%tr endfor %}", ""],
    ]
    path = saved(tmp_path, "table.docx", with_table(rows, before=("Constraints",)))
    assert findings(path) == [
        "error: body, table 1, row 2, column 2, in “{{ c.titel }}”: a constraint "
        "has no field “titel” (did you mean “title”?)"
    ]


def test_a_row_tag_is_quoted_as_written(tmp_path: Path) -> None:
    path = saved(tmp_path, "stray.docx", with_table([["{%tr endfor %}", ""]]))
    assert findings(path) == [
        "error: body, table 1, row 1, column 1, in “{%tr endfor %}”: “{%tr endfor "
        "%}” has no “{%tr for … %}” open before it (or it was closed already)"
    ]


def test_a_loop_name_used_outside_its_loop_says_so(tmp_path: Path) -> None:
    path = saved(
        tmp_path,
        "loop.docx",
        document(
            "{%p for o in options %}", "{{ o.title }}", "{%p endfor %}", "{{ o.key }}"
        ),
    )
    assert findings(path) == [
        "error: body, in “{{ o.key }}”: “o” is only defined inside “{%p for o in "
        "options %}”"
    ]


def test_jinja_globals_are_never_suggested(tmp_path: Path) -> None:
    path = saved(tmp_path, "globals.docx", document("{{ namespac }} {{ rang }}"))
    assert findings(path) == [
        "error: body, in “{{ namespac }} {{ rang }}”: “namespac” is not a value a "
        "brief provides",
        "error: body, in “{{ namespac }} {{ rang }}”: “rang” is not a value a brief "
        "provides (did you mean “ranking”?)",
    ]


TEXT_BOX_TWICE = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
    '<mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r>'
    "<w:t>{{ titel }}</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>"
    "<w:t>{{ titel }}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
    "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_a_mistake_in_a_text_box_shown_twice_is_said_once(tmp_path: Path) -> None:
    """Word keeps a text box twice (``mc:Choice`` and ``mc:Fallback``)."""
    from lxml import etree

    made = docx.Document(io.BytesIO(document("Box:")))
    made.paragraphs[0]._p.append(etree.fromstring(TEXT_BOX_TWICE))
    buffer = io.BytesIO()
    made.save(buffer)
    path = saved(tmp_path, "twice.docx", buffer.getvalue())
    assert findings(path) == [
        "error: body, in “{{ titel }}”: “titel” is not a value a brief provides "
        "(did you mean “title”?)"
    ]


def test_a_tag_in_a_footnote_is_placed_in_a_footnote(tmp_path: Path) -> None:
    from tests.data.templates.build import rewrite

    notes = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
        b'2006/main"><w:footnote w:id="1"><w:p><w:r><w:t>See {{ reference }}</w:t>'
        b"</w:r></w:p></w:footnote></w:footnotes>"
    )
    footnotes_type = (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    )

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(
                b"</Types>",
                b'<Override PartName="/word/footnotes.xml" ContentType="'
                + footnotes_type
                + b'"/></Types>',
            )
        if name == "word/_rels/document.xml.rels":
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/footnotes" '
                b'Target="footnotes.xml"/></Relationships>',
            )
        return data

    data = rewrite(document("{{ title }}"), change)
    import zipfile

    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("word/footnotes.xml", notes)
    path = saved(tmp_path, "note.docx", buffer.getvalue())
    assert findings(path) == [
        "error: a footnote, in “See {{ reference }}”: footnotes and endnotes may "
        "not hold template tags"
    ]


# 7. Braces printed as text.


def test_braces_printed_from_a_literal_are_no_mistake(
    tmp_path: Path, plain_brief: Brief
) -> None:
    path = saved(
        tmp_path,
        "braces.docx",
        document("{{ '{{' }} title {{ '}}' }}", "{{ '{%' }} if {{ '%}' }}"),
    )
    assert findings(path, plain_brief) == []
    assert rendered_text(path, plain_brief) == ["{{ title }}", "{% if %}"]


def test_a_paragraph_block_closed_in_a_table_cell_is_named(tmp_path: Path) -> None:
    rows = [["{%p endif %}", ""]]
    path = saved(
        tmp_path, "cell.docx", with_table(rows, before=("{%p if deadline %}",))
    )
    assert findings(path) == [
        "error: body, table 1, row 1, column 1, in “{%p endif %}”: “{%p endif %}” "
        "belongs to “{%p if deadline %}” (body), in another place: a {%p …%} block "
        "opens and closes in the same table cell, or both outside tables"
    ]


def test_run_blocks_may_join_paragraphs(tmp_path: Path, plain_brief: Brief) -> None:
    path = saved(
        tmp_path, "runs.docx", document("A{%r if deadline %}B", "C{%r endif %}D")
    )
    assert findings(path, plain_brief) == []
    assert rendered_text(path, plain_brief) == ["AD"]


def test_a_trial_error_quotes_its_paragraph_without_the_tags_moved_into_it(
    tmp_path: Path, demo_brief: Brief
) -> None:
    path = saved(
        tmp_path,
        "trial.docx",
        document(
            "Due {{ title|date }} & after", "{%p if deadline %}", "x", "{%p endif %}"
        ),
    )
    found = findings(path, demo_brief)
    assert found == [
        "error: trial with the demo brief: trial.docx (body, in “Due {{ title|date }} "
        f"& after”): date needs a date written YYYY-MM-DD (such as deadline_iso), "
        f"not “{demo_brief.title}”."
    ]
