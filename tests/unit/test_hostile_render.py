"""Rendering generated and enormous text: always a DOCX that python-docx opens,
that passes the output check and shows the text, or a clear error."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from briefapp import paths
from briefapp.documents.check import check_output, count_section_references
from briefapp.documents.context import brief_context
from briefapp.documents.labels import labels_for
from briefapp.documents.library import describe_template
from briefapp.documents.render import render_docx
from briefapp.documents.text import clean_text
from briefapp.domain.entities import Brief, Constraint, Money, Option
from briefapp.domain.errors import BriefFormatError
from briefapp.domain.templates import TemplateOrigin
from briefapp.domain.validation import brief_problems, single_line_problem
from briefapp.services.export import ExportService, document_properties
from briefapp.services.session import Locations, template_service
from tests.reliability import RENDER_CASES, tally
from tests.strategies import REQUIRED_LINE, briefs

pytestmark = pytest.mark.reliability

TODAY = dt.date(2026, 11, 28)
BUILT_IN = sorted(paths.templates_dir().glob("*.docx"))
# What breaks Word files and template engines: characters XML 1.0 cannot hold,
# Word's line breaks, byte-order and direction marks, docxtpl's escapes, text
# that looks like template tags or WordprocessingML.
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\r", "\r\n"]
LOOK_ALIKES = [
    "\ufffe", "\uffff", "\ufeff", "\u202e", "\u200b", "\u2028", "\u2029", "\x85",
    "{{ 7*7 }}", "{%p if x %}", "{_{", "%_}", "{{r x }}", "}}", "{#", "<w:p>",
    "</w:t>", "]]>", "&amp;", "&#0;", "<![CDATA[", "\t", "\n\n", "𝄞", "A&B<C>",
]  # fmt: skip
ANY_TEXT = st.lists(
    st.text(max_size=12) | st.sampled_from(CONTROLS + LOOK_ALIKES) | st.just("\ud800"),
    max_size=8,
).map("".join)
IN_A_LINE = [piece for piece in LOOK_ALIKES if "\n" not in piece]
ONE_LINE = (
    st.lists(REQUIRED_LINE | st.sampled_from(IN_A_LINE), min_size=1, max_size=5)
    .map("".join)
    .filter(lambda text: single_line_problem(text, required=True) is None)
)


@st.composite
def hostile_briefs(draw: st.DrawFn) -> Brief:
    """A valid brief whose every text holds whatever a user could paste in."""
    brief = draw(briefs(text=ANY_TEXT))
    return replace(
        brief,
        reference=draw(ONE_LINE),
        title=draw(ONE_LINE),
        classification=draw(ONE_LINE),
        decision_sought=draw(ANY_TEXT),
        considerations=draw(ANY_TEXT),
        recommendation=draw(ANY_TEXT),
        next_steps=draw(ANY_TEXT),
        key_points=tuple(draw(st.lists(ANY_TEXT, max_size=3))),
        options=tuple(replace(o, title=draw(ONE_LINE)) for o in brief.options),
        constraints=tuple(replace(c, title=draw(ONE_LINE)) for c in brief.constraints),
    )


def all_text(document: Document) -> str:
    """The text of every paragraph of the body, in tables too, one per line."""
    body = document.element.body
    return "\n".join(Paragraph(p, document).text for p in body.iter(qn("w:p")))


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_shown(data: bytes, template: Path, brief: Brief) -> Document:
    """The DOCX opens, passes the output check and shows the one-line texts."""
    expected = count_section_references(docx.Document(str(template)))
    check_output(data, marking=clean_text(brief.classification), references=expected)
    document = docx.Document(io.BytesIO(data))
    text = flat(all_text(document))
    shown = [brief.reference, brief.title]
    if template.stem != "one-page-summary":  # the summary lists no constraints
        shown += [c.title for c in brief.constraints]
    for value in [*shown, *(o.title for o in brief.options)]:
        assert flat(clean_text(value)) in text
    return document


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(brief=hostile_briefs(), template=st.sampled_from(BUILT_IN))
def test_any_text_renders_into_a_checked_document_that_shows_it(
    brief: Brief, template: Path
) -> None:
    assert brief_problems(brief) == []  # a brief a user can save and export
    language = describe_template(template, TemplateOrigin.BUILT_IN).language
    data = render_docx(
        template,
        brief_context(brief, today=TODAY, labels=labels_for(language)),
        marking=brief.classification,
        properties=document_properties(brief),
        labels=labels_for(language),
    )
    document = assert_shown(data, template, brief)
    assert document.core_properties.title == clean_text(brief.title)
    tally(RENDER_CASES)


@pytest.fixture
def export(locations: Locations) -> ExportService:
    return template_service(locations)


DEFAULT = paths.templates_dir() / "decision-brief.docx"


def paragraph_of(words: str, size: int) -> str:
    """About ``size`` characters: ``words`` again and again, numbered."""
    count = size // (len(words) + 8) + 1
    return " ".join(f"{words} #{n:06d}." for n in range(count))


def test_fields_of_a_megabyte_are_rendered_whole(
    export: ExportService, demo_brief: Brief, tmp_path: Path
) -> None:
    # Many paragraphs, each of many lines' worth of text, none of them alike.
    paragraphs = [
        paragraph_of(f"Part {p} – Ünïcødé ✓ 𝄞 & <b> {{{{ 7*7 }}}}", 20_000)
        for p in range(50)
    ]
    background = "\n\n".join(paragraphs)[:1_000_000]
    summary = ("Σ " + "x" * 999) * 1000  # one paragraph of a megabyte
    assert len(background) == 1_000_000
    assert len(summary) == 1_001_000
    brief = replace(demo_brief, background=background, summary=summary)
    output = export.export_docx(brief, tmp_path / "big.docx", today=TODAY)
    document = assert_shown(output.read_bytes(), DEFAULT, brief)
    texts = [p.text for p in document.paragraphs]
    assert summary in texts
    shown = [t for t in texts if t.startswith("Part ")]
    assert "\n\n".join(shown) == background.rstrip()
    tally(RENDER_CASES)


def test_five_hundred_options_and_two_hundred_constraints(
    export: ExportService, demo_brief: Brief, tmp_path: Path
) -> None:
    options = tuple(
        Option(
            key=f"O{n}",
            title=f"Option {n} ✓ <{n}> & co",
            description=f"Description of option {n}.",
            cost=Money(Decimal(n * 1000 + 1), "EUR"),
            advantages=(f"Advantage {n}",),
        )
        for n in range(500)
    )
    constraints = tuple(
        Constraint(key=f"C{n}", title=f"Constraint {n} “quoted”", hard=n % 2 == 0)
        for n in range(200)
    )
    brief = replace(
        demo_brief,
        options=options,
        constraints=constraints,
        recommended_option="O250",
        assessments=(),
        scores=(),
    )
    output = export.export_docx(brief, tmp_path / "many.docx", today=TODAY)
    document = assert_shown(output.read_bytes(), DEFAULT, brief)
    text = all_text(document)
    assert all(f"Advantage {n}" in text for n in range(500))
    assert "€250,001.00" in text
    tally(RENDER_CASES)


MEGABYTE = "A" * 1_000_000
ONE_LINE_FIELDS: dict[str, tuple[Callable[[Brief], Brief], str]] = {
    "title": (
        lambda b: replace(b, title=MEGABYTE),
        "brief.title: is longer than 500 characters",
    ),
    "classification": (
        lambda b: replace(b, classification=MEGABYTE),
        "brief.classification: is longer than 500 characters",
    ),
    "reference": (
        lambda b: replace(b, reference="A\n" * 500_000),
        "brief.reference: must be a single line",
    ),
}


@pytest.mark.parametrize("field", sorted(ONE_LINE_FIELDS))
def test_a_megabyte_in_a_one_line_field_is_refused_before_rendering(
    export: ExportService, demo_brief: Brief, tmp_path: Path, field: str
) -> None:
    change, message = ONE_LINE_FIELDS[field]
    with pytest.raises(BriefFormatError) as caught:
        export.export_docx(change(demo_brief), tmp_path / "x.docx", today=TODAY)
    assert str(caught.value) == message
    assert list(tmp_path.iterdir()) == []
    tally(RENDER_CASES)
