"""Property-based checks: generated briefs survive the file format, the database
and the Word renderer; generated garbage is refused with a message, never a crash."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefapp import paths
from briefapp.db.opening import open_database
from briefapp.documents.context import brief_context
from briefapp.documents.render import DocumentProperties, render_docx
from briefapp.documents.text import clean_text
from briefapp.domain.brief_format import dumps_brief, loads_brief
from briefapp.domain.entities import (
    Brief,
    BriefType,
    Constraint,
    ConstraintKind,
    Country,
    CountryRole,
    Money,
    Option,
    Source,
)
from briefapp.domain.errors import BriefFormatError
from briefapp.domain.validation import MAX_COUNT, has_visible_text
from briefapp.services.briefs import BriefService

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
LINE = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40).map(
    lambda s: " ".join(s.split())
)
REQUIRED_LINE = LINE.filter(has_visible_text)
KEY = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,6}\Z")
DATES = st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))
CODES = ("LT", "UA", "DE", "PL", "US", "XX")


@st.composite
def briefs(draw: st.DrawFn) -> Brief:
    countries = draw(
        st.lists(
            st.builds(
                Country,
                code=st.sampled_from(CODES),
                role=st.sampled_from(list(CountryRole)),
                notes=ANY_TEXT,
            ),
            max_size=5,
            unique_by=lambda c: (c.code, c.role),
        )
    )
    codes = [c.code for c in countries]
    keys = draw(st.lists(KEY, max_size=4, unique=True))
    options = [
        Option(
            key=key,
            title=draw(REQUIRED_LINE),
            description=draw(ANY_TEXT),
            supplier=draw(st.none() | st.sampled_from(codes)) if codes else None,
            cost=draw(
                st.none()
                | st.builds(
                    Money,
                    amount=st.decimals(0, 10**12, places=2).map(Decimal),
                    currency=st.sampled_from(["EUR", "USD", "PLN"]),
                )
            ),
            quantity=draw(st.none() | st.integers(0, MAX_COUNT)),
            delivery_months=draw(st.none() | st.integers(0, MAX_COUNT)),
            advantages=tuple(draw(st.lists(REQUIRED_LINE, max_size=3))),
            risks=tuple(draw(st.lists(REQUIRED_LINE, max_size=2))),
        )
        for key in keys
    ]
    constraints = [
        Constraint(
            key=key,
            title=draw(REQUIRED_LINE),
            hard=draw(st.booleans()),
            description=draw(ANY_TEXT),
            kind=draw(st.sampled_from(list(ConstraintKind))),
        )
        for key in draw(st.lists(KEY, max_size=4, unique=True))
    ]
    sources = [
        Source(key=key, title=draw(REQUIRED_LINE), date=draw(DATES), url=draw(LINE))
        for key in draw(st.lists(KEY, max_size=3, unique=True))
    ]
    return Brief(
        reference=draw(REQUIRED_LINE),
        title=draw(REQUIRED_LINE),
        classification=draw(REQUIRED_LINE),
        brief_type=draw(st.sampled_from(list(BriefType))),
        addressee=draw(LINE),
        drafter=draw(LINE),
        deadline=draw(DATES),
        summary=draw(ANY_TEXT),
        background=draw(ANY_TEXT),
        countries=tuple(countries),
        options=tuple(options),
        constraints=tuple(constraints),
        sources=tuple(sources),
    )


@given(briefs())
def test_any_valid_brief_survives_the_file_format(brief: Brief) -> None:
    text = dumps_brief(brief)
    assert loads_brief(text) == brief
    assert loads_brief(text.encode("utf-8")) == brief


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(brief=briefs())
def test_any_valid_brief_survives_the_database(tmp_path: Path, brief: Brief) -> None:
    database = open_database(tmp_path / f"{abs(hash(brief))}.db").database
    try:
        service = BriefService(database)
        stored = service.create_brief(brief)
        assert service.get_brief(stored.id or 0).content_equals(brief)
    finally:
        database.dispose()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4)
    ),
    max_leaves=20,
)


def read(data: str | bytes) -> Brief | BriefFormatError:
    """The brief in ``data``, or the error that refused it."""
    try:
        return loads_brief(data)
    except BriefFormatError as error:
        return error


def _demo() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(paths.demo_brief_file().read_text("utf-8"))
    return loaded


@given(st.data())
def test_a_damaged_brief_file_is_refused_with_a_path(data: st.DataObject) -> None:
    document = _demo()
    target: Any = document["brief"]
    path = ["brief"]
    while isinstance(target, dict | list) and target and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(
                sorted(target) if isinstance(target, dict) else range(len(target))
            )
        )
        path.append(str(key))
        if not isinstance(target[key], dict | list):
            break
        target = target[key]
    if isinstance(target, dict):
        target[data.draw(st.sampled_from([*sorted(target), "extra"]))] = data.draw(
            JSON_VALUES
        )
    elif isinstance(target, list):
        target.append(data.draw(JSON_VALUES))
    result = read(json.dumps(document))
    if isinstance(result, BriefFormatError):
        assert result.problems
        assert "\n" not in str(result)
    else:
        assert loads_brief(dumps_brief(result)) == result


@given(JSON_VALUES)
def test_any_json_at_all_is_refused_cleanly(value: Any) -> None:
    result = read(json.dumps(value))
    assert isinstance(result, BriefFormatError)
    assert str(result)


@given(st.binary(max_size=200))
def test_any_bytes_are_refused_cleanly(data: bytes) -> None:
    result = read(data)
    assert isinstance(result, BriefFormatError)
    assert str(result)


XML_ILLEGAL = (
    set(range(0x00, 0x09))
    | {0x0B, 0x0C}
    | set(range(0x0E, 0x20))
    | {
        0xFFFE,
        0xFFFF,
    }
)


@given(st.text())
def test_cleaned_text_is_always_legal_xml(value: str) -> None:
    cleaned = clean_text(value)
    assert not any(ord(c) in XML_ILLEGAL or 0xD800 <= ord(c) <= 0xDFFF for c in cleaned)
    assert "\r" not in cleaned


@settings(max_examples=15, deadline=None)
@given(title=ANY_TEXT.filter(str.strip), summary=st.text(), marking=REQUIRED_LINE)
def test_any_text_renders_into_a_readable_marked_document(
    title: str, summary: str, marking: str
) -> None:
    brief = Brief(
        reference="R-1",
        title=" ".join(title.split()) or "x",
        classification=marking,
        summary=summary,
    )
    data = render_docx(
        paths.templates_dir() / "decision-brief.docx",
        brief_context(brief, today=dt.date(2026, 11, 28)),
        marking=brief.classification,
        properties=DocumentProperties("t", "a", "s", "k", "c", "i"),
    )
    document = docx.Document(io.BytesIO(data))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert clean_text(marking) in header
