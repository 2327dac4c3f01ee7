"""The field reference is generated from the schema, and the schema is the context."""

from __future__ import annotations

import datetime as dt

from briefapp import paths
from briefapp.documents.context import brief_context
from briefapp.documents.environment import template_environment
from briefapp.documents.schema import CONTEXT, FILTERS, Field, Kind
from briefapp.domain.entities import Brief
from briefapp.services.session import Services


def test_the_schema_describes_exactly_what_the_context_holds(demo_brief: Brief) -> None:
    context = brief_context(demo_brief, today=dt.date(2026, 11, 28))
    assert set(context) == {field.name for field in CONTEXT}
    assert len(CONTEXT) == len({field.name for field in CONTEXT})
    for field in CONTEXT:
        _assert_described(field, context[field.name])


def _assert_described(field: Field, value: object) -> None:
    """``value`` holds exactly the fields ``field`` describes, lists within
    its records (an option's scores) too."""
    if field.kind not in (Kind.RECORDS, Kind.RECORD) or not value:
        return
    records = value if field.kind is Kind.RECORDS else [value]
    assert isinstance(records, list)
    for record in records:
        assert isinstance(record, dict)
        assert set(record) == {f.name for f in field.items}, field.name
        for inner in field.items:
            _assert_described(inner, record[inner.name])


def test_every_filter_is_documented() -> None:
    from jinja2.sandbox import SandboxedEnvironment

    ours = set(template_environment().filters) - set(SandboxedEnvironment().filters)
    assert ours == {doc.name for doc in FILTERS}


def test_the_shipped_reference_is_up_to_date(services: Services) -> None:
    shipped = (paths.templates_dir() / "FIELDS.md").read_text(encoding="utf-8")
    assert shipped == services.export.field_reference(), (
        "templates/FIELDS.md is stale: run "
        "`briefapp templates reference -o templates/FIELDS.md`"
    )
