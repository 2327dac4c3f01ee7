"""Filters format in the template's language and turn light markup into Word."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from briefapp.documents.context import brief_context
from briefapp.documents.filters import make_filters
from briefapp.documents.labels import ENGLISH, LITHUANIAN, labels_for
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.domain.entities import Brief

TODAY = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("labels", "date", "money", "number"),
    [
        (ENGLISH, "15 December 2026", "€12,500,000.50", "1,200"),
        (LITHUANIAN, "2026 m. gruodžio 15 d.", "12 500 000,50 €", "1 200"),
    ],
)
def test_dates_money_and_numbers_follow_the_language(
    labels: object, date: str, money: str, number: str
) -> None:
    filters = make_filters(labels)  # type: ignore[arg-type]
    assert filters["date"]("2026-12-15") == date
    assert filters["money"]("12500000.50", "EUR").replace("\xa0", " ") == money
    assert filters["number"](1200).replace("\xa0", " ") == number
    assert filters["date"]("") == ""
    assert filters["money"]("") == ""


def test_language_tags_choose_labels() -> None:
    assert labels_for("lt-LT") is LITHUANIAN
    assert labels_for("lt") is LITHUANIAN
    assert labels_for("en-GB") is ENGLISH
    assert labels_for("fr-FR") is ENGLISH


def test_lithuanian_context(demo_brief: Brief) -> None:
    context = brief_context(demo_brief, today=TODAY, labels=LITHUANIAN)
    assert context["deadline"] == "2026 m. gruodžio 15 d."
    assert context["brief_type_label"] == "Sprendimo pažyma"
    names = [c["name"] for c in context["countries"]]
    assert names[:2] == ["Lietuva", "Ukraina"]
    assert names[2] == "Dar neįvardyta"
    assert context["options"][0]["delivery"] == "9 mėn."
    assert context["constraints"][0]["strength"] == "Privalomas"


def _template(tmp_path: Path, *body: str) -> Path:
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "{{ classification }}"
    made.sections[0].footer.paragraphs[0].text = "{{ classification }}"
    for line in body:
        made.add_paragraph(line)
    path = tmp_path / "t.docx"
    made.save(path)
    return path


def test_markup_becomes_bold_italic_and_bullets(
    tmp_path: Path, demo_brief: Brief
) -> None:
    brief = replace(
        demo_brief,
        considerations="Plain **strong <point>** and *quiet & aside*.\n\n"
        "- first bullet\n- second **bold** bullet\nafter the list",
    )
    data = render_docx(
        _template(tmp_path, "{{p considerations|markup }}"),
        brief_context(brief, today=TODAY),
        marking=brief.classification,
        properties=DocumentProperties("t", "a", "s", "k", "c", "i"),
    )
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    texts = [(p.text, p.style.name) for p in paragraphs]
    assert texts == [
        ("Plain strong <point> and quiet & aside.", "Normal"),
        ("first bullet", "List Bullet"),
        ("second bold bullet", "List Bullet"),
        ("after the list", "Normal"),
    ]
    runs = {run.text: (run.bold, run.italic) for run in paragraphs[0].runs}
    assert runs["strong <point>"] == (True, None)
    assert runs["quiet & aside"] == (None, True)


def test_bullets_filter(tmp_path: Path, demo_brief: Brief) -> None:
    data = render_docx(
        _template(
            tmp_path,
            "{%p for o in options %}",
            "{{p o.risks|bullets }}",
            "{%p endfor %}",
        ),
        brief_context(demo_brief, today=TODAY),
        marking=demo_brief.classification,
        properties=DocumentProperties("t", "a", "s", "k", "c", "i"),
    )
    bullets = [
        p.text
        for p in docx.Document(io.BytesIO(data)).paragraphs
        if p.style.name == "List Bullet"
    ]
    assert bullets == [risk for option in demo_brief.options for risk in option.risks]
