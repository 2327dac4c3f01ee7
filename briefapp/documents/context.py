"""The brief as the plain values a Word template sees.

``brief_context`` is the whole contract between Briefapp and template authors
(documented in ``templates/README.md``): only strings, numbers, booleans,
lists and dicts, every string cleaned for XML, dates and money already
formatted for reading.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from briefapp.documents.text import clean_text
from briefapp.domain.countries import country_name
from briefapp.domain.entities import (
    BRIEF_TEXT_FIELDS,
    BRIEF_TYPE_LABELS,
    CONSTRAINT_KIND_LABELS,
    Brief,
    Constraint,
    Country,
    Option,
    Source,
)

LOCALE = "en_GB"


def brief_context(brief: Brief, *, today: dt.date) -> dict[str, Any]:
    """Everything a template may use about ``brief``, exported on ``today``."""
    context: dict[str, Any] = {
        name: clean_text(getattr(brief, name)) for name in BRIEF_TEXT_FIELDS
    }
    context.update(
        brief_type=brief.brief_type.value,
        brief_type_label=BRIEF_TYPE_LABELS[brief.brief_type],
        deadline=format_day(brief.deadline),
        date=format_day(today),
        countries=[_country(c) for c in brief.countries],
        options=[_option(o) for o in brief.options],
        constraints=[_constraint(c) for c in brief.constraints],
        sources=[_source(s) for s in brief.sources],
    )
    return context


def format_day(value: dt.date | None) -> str:
    """``15 December 2026``, or an empty string for no date."""
    return "" if value is None else format_date(value, format="long", locale=LOCALE)


def _country(country: Country) -> dict[str, Any]:
    return {
        "code": country.code,
        "name": country_name(country.code),
        "role": country.role.value,
        "role_label": country.role.value.capitalize(),
        "notes": clean_text(country.notes),
    }


def _option(option: Option) -> dict[str, Any]:
    cost = option.cost
    return {
        "key": clean_text(option.key),
        "title": clean_text(option.title),
        "description": clean_text(option.description),
        "supplier": option.supplier or "",
        "supplier_name": country_name(option.supplier) if option.supplier else "",
        "cost": ""
        if cost is None
        else format_currency(
            cost.amount, cost.currency, locale=LOCALE, decimal_quantization=False
        ),
        "cost_amount": "" if cost is None else str(cost.amount),
        "currency": "" if cost is None else cost.currency,
        "quantity": ""
        if option.quantity is None
        else format_decimal(option.quantity, locale=LOCALE),
        "delivery_months": option.delivery_months,
        "delivery": _months(option.delivery_months),
        "advantages": [clean_text(item) for item in option.advantages],
        "disadvantages": [clean_text(item) for item in option.disadvantages],
        "risks": [clean_text(item) for item in option.risks],
    }


def _constraint(constraint: Constraint) -> dict[str, Any]:
    return {
        "key": clean_text(constraint.key),
        "title": clean_text(constraint.title),
        "hard": constraint.hard,
        "strength": "Hard" if constraint.hard else "Soft",
        "kind": constraint.kind.value,
        "kind_label": CONSTRAINT_KIND_LABELS[constraint.kind],
        "description": clean_text(constraint.description),
    }


def _source(source: Source) -> dict[str, Any]:
    fields = {
        name: clean_text(getattr(source, name))
        for name in ("key", "title", "publisher", "author", "url", "note")
    }
    date = format_day(source.date)
    citation_parts = [fields["author"], fields["title"], fields["publisher"], date]
    return {
        **fields,
        "date": date,
        "citation": ", ".join(part for part in citation_parts if part),
    }


def _months(months: int | None) -> str:
    if months is None:
        return ""
    return "1 month" if months == 1 else f"{months} months"
