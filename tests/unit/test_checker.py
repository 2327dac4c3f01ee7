"""The template checker names every mistake with its place (tests/data/templates)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from briefapp import paths
from briefapp.documents.checker import check_template
from briefapp.domain.entities import Brief
from briefapp.services.session import Services

BROKEN = Path(__file__).parents[1] / "data" / "templates"

EXPECTED = {
    "unclosed-if.docx": [
        "error: body, in “{% if title %}”: “{% if title %}” is never closed: add "
        "{% endif %} in the same paragraph, after the text it shows"
    ],
    "bad-expression.docx": [
        "error: body, in “Cost: {{ title + }}”: a tag is unfinished: something is "
        "missing before its end, such as a value ({{ title }}), a field after a dot "
        "or a filter after |"
    ],
    "stray-endif.docx": [
        "error: body, in “{%p endif %}”: “{%p endif %}” has no “{%p if … %}” open "
        "before it (or it was closed already)"
    ],
    "header-unclosed.docx": [  # said once, by the layout check, with its paragraph
        "error: header of section 1, paragraph 1 “{{ classification }} "
        "{{ reference”: “{{ reference” is not closed in this paragraph: end it with "
        "}} (a tag cannot run on into another paragraph or table cell)"
    ],
    "unknown-filter.docx": [
        "error: body, in “{{ title|shout }}”: there is no filter “shout” "
        "(did you mean “sort”?)"
    ],
    "misspelt-field.docx": [
        "error: body, in “Subject: {{ titel }}”: “titel” is not a value a brief "
        "provides (did you mean “title”?)"
    ],
    "misspelt-in-loop.docx": [
        "error: body, in “Option {{ o.key }}: {{ o.cots }}”: an option has no field "
        "“cots” (did you mean “cost”?)"
    ],
    "sandbox.docx": [  # one report per mistake
        "error: body, in “{{ cycler.__init__.__globals__ }}”: “__init__” may not be "
        "used in a template (refused by the sandbox)",
    ],
    "split-tag.docx": [
        "error: body, table 1, row 1, column 1 “{{ ti”: “{{ ti” is not closed in "
        "this paragraph: end it with }} (a tag cannot run on into another paragraph "
        "or table cell)",
        "error: body, table 1, row 1, column 2 “tle }}”: “tle }}” closes a tag that "
        "was not opened in this paragraph: add {{ where it starts (a tag cannot run "
        "on into another paragraph or table cell)",
    ],
    "missing-marking.docx": [
        "error: header of section 1: does not print the classification: add "
        "{{ classification }}"
    ],
    "macro.docm": [
        "error: package: it is a macro-enabled Word file; save it in Word as a Word "
        "Document (.docx) without macros"
    ],
    "macro.docx": [
        "error: package: it contains macros; save it as a .docx without macros"
    ],
    "zip-bomb.docx": [
        "error: package: its part word/media/padding.bin unpacks to 3,000,000 bytes "
        "from 2,923 (a zip bomb?)"
    ],
    "remote-image.docx": [
        "error: package: it refers to a remote image at "
        "http://tracker.example.org/pixel.png (word/_rels/document.xml.rels); "
        "insert the picture into the document instead"
    ],
    "xxe.docx": [
        "error: package: its part docProps/core.xml declares a DOCTYPE; XML entities "
        "are not allowed"
    ],
    "renamed.docx": ["error: package: it is not a Word document (not a zip package)"],
    "white-marking.docx": [  # found in the template, before any trial render
        "error: header of section 1: the marking is white on white (contrast "
        "1.0:1); a marking needs a contrast of at least 4.5:1"
    ],
    "include-field.docx": [
        "error: package: its part word/document.xml has an INCLUDETEXT field, which "
        "fetches an outside file when Word updates fields; remove it"
    ],
    "row-tag-shares-row.docx": [
        "error: body, table 1, row 1: a {%tr …%} tag must be alone in its row: the "
        "row is removed, with what else it holds (“Cost”)"
    ],
    "bullets-inline.docx": [
        "error: body, paragraph 1 “Points: {{ key_points|bullets }}”: |bullets makes "
        "whole paragraphs: write it as {{p … }} alone in its paragraph"
    ],
    "recommended-outside-if.docx": [
        "error: trial with an empty brief: recommended-outside-if.docx (body, in "
        "“{{ recommended.title }}”): "
        "'None' has no attribute 'title': a value that may be empty (such as "
        "recommended, when no option is recommended) must be used inside "
        "{% if … %}, as in {%p if recommended %} … {%p endif %}."
    ],
    "no-list-bullet.docx": [
        "error: styles: |bullets and |markup need the paragraph style “List "
        "Bullet”, which this document lacks; start from a built-in template or add "
        "the style"
    ],
    "renamed-macro.docx": [
        "error: package: it contains macros; save it as a .docx without macros"
    ],
    "doctype-data.docx": [
        "error: package: its part customXml/item1.dat declares a DOCTYPE; XML "
        "entities are not allowed"
    ],
}


@pytest.fixture
def empty_brief(demo_brief: Brief) -> Brief:
    """Only what an export needs, as the checker's second trial uses."""
    return Brief(
        reference=demo_brief.reference,
        title=demo_brief.title,
        classification=demo_brief.classification,
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_template_gets_its_exact_message(
    name: str, demo_brief: Brief, empty_brief: Brief
) -> None:
    samples = (demo_brief, empty_brief)
    findings = [str(f) for f in check_template(BROKEN / name, samples)]
    assert findings == EXPECTED[name]


def test_a_runaway_template_is_stopped_by_the_check(services: Services) -> None:
    """The check runs in a child process with the time limit, as in the app."""
    services.export.render_timeout = 3
    check = services.export.check_template(str(BROKEN / "runaway.docx"))
    assert check.errors == (
        "Checking the template runaway.docx took longer than 3 seconds and was "
        "stopped; a loop in it may never end.",
    )


def test_filters_that_would_let_text_break_the_document_are_named(
    tmp_path: Path,
) -> None:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    made.add_paragraph("{{ title|safe }}")
    made.save(tmp_path / "safe.docx")
    assert [str(f) for f in check_template(tmp_path / "safe.docx")] == [
        "error: body, in “{{ title|safe }}”: the filter “safe” is not allowed: it "
        "would let the text of a brief break the Word document"
    ]


def test_every_broken_template_is_covered() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.suffix in (".docx", ".docm")}
    assert on_disk == set(EXPECTED) | {"runaway.docx"}


@pytest.mark.parametrize(
    "path",
    sorted(paths.templates_dir().glob("*.docx")),
    ids=lambda p: p.stem,
)
def test_every_built_in_template_passes(
    path: Path, demo_brief: Brief, empty_brief: Brief
) -> None:
    assert [str(f) for f in check_template(path, (demo_brief, empty_brief))] == []


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.docx"
    folder.mkdir()
    assert [str(f) for f in check_template(folder)] == [
        "error: package: it is a folder, not a Word file"
    ]
    assert [str(f) for f in check_template(tmp_path / "none.docx")] == [
        "error: package: there is no such file"
    ]


def test_the_zip_bomb_is_refused_without_unpacking(demo_brief: Brief) -> None:
    import tracemalloc

    tracemalloc.start()
    check_template(BROKEN / "zip-bomb.docx", (demo_brief,))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 2_000_000


def test_a_package_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    crowded = tmp_path / "crowded.docx"
    crowded.write_bytes((paths.templates_dir() / "decision-brief.docx").read_bytes())
    with zipfile.ZipFile(crowded, "a") as package:
        for number in range(2001):
            package.writestr(f"word/media/dot{number}.png", b"")
        count = len(package.namelist())
    assert [str(f) for f in check_template(crowded)] == [
        f"error: package: it has {count:,} parts (at most 2,000)"
    ]


def test_a_word_template_file_is_refused(tmp_path: Path) -> None:
    dotx = tmp_path / "letter.dotx"
    dotx.write_bytes((paths.templates_dir() / "decision-brief.docx").read_bytes())
    assert [str(f) for f in check_template(dotx)] == [
        "error: package: it is a Word template file (.dotx); open it in Word and "
        "save it as a Word Document (.docx)"
    ]
