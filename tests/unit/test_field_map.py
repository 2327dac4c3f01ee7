"""The field map: the demo brief filled into a template, each inserted value
highlighted with a Word comment naming its field."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from briefapp import paths
from briefapp.documents.context import brief_context
from briefapp.documents.field_map import END, MIDDLE, START
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.entities import Brief
from briefapp.domain.errors import TemplateError
from tests.cli_in_process import run_cli
from tests.data.templates.build import document

TODAY = dt.date(2026, 11, 28)
PROPERTIES = DocumentProperties("", "", "", "", "", "")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def field_map(template: Path, brief: Brief) -> bytes:
    return render_docx(
        template,
        brief_context(brief, today=TODAY),
        marking=brief.classification,
        properties=PROPERTIES,
        field_map=True,
    )


def commented(data: bytes) -> list[tuple[str, str]]:
    """Each comment's text and the text it is anchored on, in order."""
    made = docx.Document(io.BytesIO(data))
    notes = {c.comment_id: c.text for c in made.comments}
    body = made.element.body
    found = []
    for start in body.iter(f"{W}commentRangeStart"):
        number = start.get(f"{W}id")
        texts, inside = [], False
        for element in body.iter():
            if element is start:
                inside = True
            elif (
                element.tag == f"{W}commentRangeEnd" and element.get(f"{W}id") == number
            ):
                break
            elif inside and element.tag == f"{W}t":
                texts.append(element.text or "")
            elif inside and element.tag == f"{W}p" and texts:
                texts.append("\n")
        found.append((notes[int(number)], "".join(texts).strip()))
    return found


def highlighted(data: bytes) -> str:
    made = docx.Document(io.BytesIO(data))
    return " ".join(
        run.text
        for paragraph in made.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    )


def test_each_inserted_value_is_commented_with_its_field(demo_brief: Brief) -> None:
    data = field_map(paths.templates_dir() / "decision-brief.docx", demo_brief)
    found = dict(commented(data))
    assert found["title"] == demo_brief.title
    assert found["reference"] == demo_brief.reference
    assert found["options[0].title"] == demo_brief.options[0].title
    assert found["options[1].key"] == demo_brief.options[1].key
    # Through a filter: |paragraphs over several paragraphs, |bullets per item.
    assert found["background"].split("\n")[0] == demo_brief.background.split("\n")[0]
    assert found["key_points"].startswith(demo_brief.key_points[0])
    assert demo_brief.title in highlighted(data)
    # No mark is left anywhere in the package.
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            text = package.read(name).decode("utf-8", "replace")
            assert not re.search(f"[{START}{MIDDLE}{END}]", text), name


def test_only_what_comes_from_a_field_is_marked(
    tmp_path: Path, demo_brief: Brief
) -> None:
    template = tmp_path / "t.docx"
    template.write_bytes(
        document(
            "Due {{ deadline_iso|date('short') }} (was {{ deadline or '-' }}).",
            "{{ reference ~ ': ' ~ title }}",
            "{% for o in options %}{{ o.key }}{% if not loop.last %}, {% endif %}"
            "{% endfor %}",
        )
    )
    data = field_map(template, demo_brief)
    found = commented(data)
    keys = [o.key for o in demo_brief.options]
    assert [name for name, _text in found] == [
        "deadline_iso",
        "deadline",
        *(f"options[{n}].key" for n in range(len(keys))),
    ]
    assert [text for _name, text in found][2:] == keys
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    assert paragraphs[1].text == f"{demo_brief.reference}: {demo_brief.title}"
    assert paragraphs[2].text == ", ".join(keys)
    assert highlighted(data).split() == [
        *found[0][1].split(),
        *found[1][1].split(),
        *keys,
    ]


def test_the_marking_is_named_but_keeps_its_colours(demo_brief: Brief) -> None:
    data = field_map(paths.templates_dir() / "one-page-summary.docx", demo_brief)
    made = docx.Document(io.BytesIO(data))
    header = made.sections[0].header
    runs = [r for p in header.paragraphs for r in p.runs if r.text.strip()]
    assert "".join(r.text for r in runs).strip() == demo_brief.classification
    assert all(r.font.highlight_color is None for r in runs)


def test_a_hostile_template_is_refused_in_a_field_map_too(
    tmp_path: Path, demo_brief: Brief
) -> None:
    template = tmp_path / "t.docx"
    template.write_bytes(document("{{ title.field }}{{ score_chart.tpl }}"))
    with pytest.raises(TemplateError, match="may not do"):
        field_map(template, demo_brief)


def test_the_command_writes_the_map(tmp_path: Path, demo_brief: Brief) -> None:
    output = tmp_path / "map.docx"
    template = paths.templates_dir() / "options-annex.docx"
    outcome = run_cli("templates", "map", str(template), "-o", str(output))
    assert outcome.status == 0
    assert (
        outcome.stderr == f"briefapp: wrote the field map of {template} to {output}\n"
    )
    found = dict(commented(output.read_bytes()))
    assert found["options[0].title"] == demo_brief.options[0].title
    outcome = run_cli("templates", "map", str(template), "-o", str(tmp_path / "m.pdf"))
    assert outcome.status == 1
    assert outcome.stderr == (
        "briefapp: The field map is a Word file: m.pdf must end in .docx.\n"
    )
