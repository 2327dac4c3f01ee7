"""Property-based checks: generated briefs survive the file format, the database
and the Word renderer; generated garbage is refused with a message, never a crash."""

from __future__ import annotations

import datetime as dt
import io
import json
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
from briefapp.domain.entities import Brief
from briefapp.domain.errors import BriefFormatError
from briefapp.services.briefs import BriefService
from tests.strategies import (
    ANY_TEXT,
    JSON_VALUES,
    REQUIRED_LINE,
    briefs,
    damaged_documents,
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


def read(data: str | bytes) -> Brief | BriefFormatError:
    """The brief in ``data``, or the error that refused it."""
    try:
        return loads_brief(data)
    except BriefFormatError as error:
        return error


@given(damaged_documents())
def test_a_damaged_brief_file_is_refused_with_a_path(
    damaged: tuple[dict[str, Any], str],
) -> None:
    document, _where = damaged
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
