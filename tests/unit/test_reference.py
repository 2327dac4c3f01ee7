"""The field reference is generated from the schema, and the schema is the context."""

from __future__ import annotations

import datetime as dt

from briefapp import paths
from briefapp.documents.context import brief_context
from briefapp.documents.environment import template_environment
from briefapp.documents.schema import CONTEXT, FILTERS, Kind
from briefapp.domain.entities import Brief
from briefapp.services.session import Services


def test_the_schema_describes_exactly_what_the_context_holds(demo_brief: Brief) -> None:
    context = brief_context(demo_brief, today=dt.date(2026, 11, 28))
    assert set(context) == {field.name for field in CONTEXT}
    assert len(CONTEXT) == len({field.name for field in CONTEXT})
    for field in CONTEXT:
        if field.kind is Kind.RECORDS:
            for item in context[field.name]:
                assert set(item) == {f.name for f in field.items}, field.name
        if field.kind is Kind.RECORD:
            assert set(context[field.name]) == {f.name for f in field.items}


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
