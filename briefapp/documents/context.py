"""The brief as the plain values a Word template sees.

``brief_context`` is the whole contract between Briefapp and template authors:
only strings, numbers, booleans, lists and dicts, every string cleaned for
XML, dates, numbers and money formatted in the template's language. Its shape
is declared in ``documents/schema.py``, from which the field reference is
generated; a test keeps the two identical.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from briefapp.documents.analysis_context import analysis_context, option_analysis
from briefapp.documents.labels import ENGLISH, Labels
from briefapp.documents.text import TextList, clean_text
from briefapp.domain.analysis import analyse
from briefapp.domain.countries import country_name
from briefapp.domain.entities import (
    BRIEF_TEXT_FIELDS,
    UNNAMED_COUNTRY,
    Brief,
    Constraint,
    Country,
    Option,
    Source,
)


def brief_context(
    brief: Brief, *, today: dt.date, labels: Labels = ENGLISH
) -> dict[str, Any]:
    """Everything a template may use about ``brief``, exported on ``today``."""
    words = _Words(labels)
    context: dict[str, Any] = {
        name: clean_text(getattr(brief, name)) for name in BRIEF_TEXT_FIELDS
    }
    analysis = analyse(brief)
    reasoning = option_analysis(brief, analysis, labels)
    options = [{**words.option(o), **reasoning[o.key]} for o in brief.options]
    context.update(
        key_points=TextList(clean_text(point) for point in brief.key_points),
        recommended_option=brief.recommended_option or "",
        recommended=next(
            (o for o in options if o["key"] == brief.recommended_option), None
        ),
        brief_type=brief.brief_type.value,
        brief_type_label=labels.brief_types[brief.brief_type],
        deadline=words.day(brief.deadline),
        deadline_iso=_iso(brief.deadline),
        date=words.day(today),
        date_iso=today.isoformat(),
        language=labels.language,
        countries=[words.country(c) for c in brief.countries],
        options=options,
        constraints=[words.constraint(c) for c in brief.constraints],
        sources=[words.source(s) for s in brief.sources],
    )
    context.update(analysis_context(brief, analysis, labels))
    return context


class _Words:
    """Formats values in one template language."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels

    def day(self, value: dt.date | None) -> str:
        return "" if value is None else self.labels.day(value)

    def country_name(self, code: str) -> str:
        if code == UNNAMED_COUNTRY:
            return self.labels.unnamed_country
        return country_name(code, self.labels.language)

    def country(self, country: Country) -> dict[str, Any]:
        return {
            "code": country.code,
            "name": self.country_name(country.code),
            "role": country.role.value,
            "role_label": self.labels.roles[country.role],
            "notes": clean_text(country.notes),
        }

    def option(self, option: Option) -> dict[str, Any]:
        cost = option.cost
        return {
            "key": clean_text(option.key),
            "title": clean_text(option.title),
            "description": clean_text(option.description),
            "supplier": option.supplier or "",
            "supplier_name": self.country_name(option.supplier)
            if option.supplier
            else "",
            "cost": ""
            if cost is None
            else self.labels.money(cost.amount, cost.currency),
            "cost_amount": "" if cost is None else str(cost.amount),
            "currency": "" if cost is None else cost.currency,
            "quantity": ""
            if option.quantity is None
            else self.labels.number(option.quantity),
            "quantity_unit": clean_text(option.quantity_unit),
            "quantity_text": self.quantity(option.quantity, option.quantity_unit),
            "delivery_months": option.delivery_months,
            "delivery": self.months(option.delivery_months),
            "advantages": TextList(clean_text(item) for item in option.advantages),
            "disadvantages": TextList(clean_text(i) for i in option.disadvantages),
            "risks": TextList(clean_text(item) for item in option.risks),
        }

    def constraint(self, constraint: Constraint) -> dict[str, Any]:
        return {
            "key": clean_text(constraint.key),
            "title": clean_text(constraint.title),
            "hard": constraint.hard,
            "strength": self.labels.hard if constraint.hard else self.labels.soft,
            "kind": constraint.kind.value,
            "kind_label": self.labels.kinds[constraint.kind],
            "description": clean_text(constraint.description),
        }

    def source(self, source: Source) -> dict[str, Any]:
        fields = {
            name: clean_text(getattr(source, name))
            for name in ("key", "title", "publisher", "author", "url", "note")
        }
        date = self.day(source.date)
        citation_parts = [fields["author"], fields["title"], fields["publisher"], date]
        return {
            **fields,
            "date": date,
            "citation": ", ".join(part for part in citation_parts if part),
        }

    def quantity(self, quantity: int | None, unit: str) -> str:
        """``12,000 rounds`` (``12 000 rounds`` in Lithuanian), or empty."""
        if quantity is None:
            return ""
        number = self.labels.number(quantity)
        return f"{number} {clean_text(unit)}" if unit else number

    def months(self, months: int | None) -> str:
        if months is None:
            return ""
        pattern = self.labels.month if months == 1 else self.labels.months
        return pattern.format(n=months)


def _iso(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()
