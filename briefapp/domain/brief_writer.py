"""Writing the ``brief`` object of a ``.brief.json`` file: a brief as plain,
JSON-ready values with keys in their documented order.

Kept apart from ``brief_format`` so that the clearance and workflow rules, which
compare and digest briefs in this form, do not depend on the file reader.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from briefapp.domain.entities import Brief, Option


def brief_to_dict(brief: Brief) -> dict[str, Any]:
    """The ``brief`` object of the file format, keys in their documented order."""
    return {
        "reference": brief.reference,
        "title": brief.title,
        "classification": brief.classification,
        "brief_type": brief.brief_type.value,
        "addressee": brief.addressee,
        "drafter": brief.drafter,
        "deadline": _date_text(brief.deadline),
        "deadline_reason": brief.deadline_reason,
        "summary": brief.summary,
        "key_points": list(brief.key_points),
        "decision_sought": brief.decision_sought,
        "background": brief.background,
        "considerations": brief.considerations,
        "recommendation": brief.recommendation,
        "recommended_option": brief.recommended_option,
        "next_steps": brief.next_steps,
        "countries": [
            {"code": c.code, "role": c.role.value, "notes": c.notes}
            for c in brief.countries
        ],
        "options": [_option_to_dict(o) for o in brief.options],
        "constraints": [
            {
                "key": c.key,
                "title": c.title,
                "hard": c.hard,
                "description": c.description,
                "kind": c.kind.value,
            }
            for c in brief.constraints
        ],
        "sources": [
            {
                "key": s.key,
                "title": s.title,
                "publisher": s.publisher,
                "author": s.author,
                "date": _date_text(s.date),
                "url": s.url,
                "note": s.note,
            }
            for s in brief.sources
        ],
        "criteria": [
            {
                "key": c.key,
                "title": c.title,
                "description": c.description,
                "weight": _number(c.weight),
            }
            for c in brief.criteria
        ],
        "assessments": [
            {
                "option": a.option,
                "constraint": a.constraint,
                "result": a.result.value,
                "note": a.note,
                "source": a.source,
            }
            for a in brief.assessments
        ],
        "scores": [
            {
                "option": s.option,
                "criterion": s.criterion,
                "score": s.score,
                "rationale": s.rationale,
            }
            for s in brief.scores
        ],
    }


def _number(value: float) -> int | float:
    """A weight as JSON shows it: ``30``, not ``30.0``."""
    return int(value) if float(value).is_integer() else value


def _option_to_dict(option: Option) -> dict[str, Any]:
    cost = option.cost
    # Written only when there is a unit: a brief without one keeps the very
    # content (and so the digest its approval is bound to) it had before units.
    unit = {"quantity_unit": option.quantity_unit} if option.quantity_unit else {}
    return {
        "key": option.key,
        "title": option.title,
        "description": option.description,
        "supplier": option.supplier,
        "cost": None
        if cost is None
        else {"amount": str(cost.amount), "currency": cost.currency},
        "quantity": option.quantity,
        **unit,
        "delivery_months": option.delivery_months,
        "advantages": list(option.advantages),
        "disadvantages": list(option.disadvantages),
        "risks": list(option.risks),
    }


def _date_text(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()
