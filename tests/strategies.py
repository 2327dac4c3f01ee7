"""Hypothesis strategies shared by the property tests: valid briefs, any JSON,
and brief files damaged at one place."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from briefapp import paths
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
from briefapp.domain.validation import MAX_COUNT, has_visible_text

ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
LINE = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40).map(
    lambda s: " ".join(s.split())
)
REQUIRED_LINE = LINE.filter(has_visible_text)
KEY = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,6}\Z")
DATES = st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31))
CODES = ("LT", "UA", "DE", "PL", "US", "XX")


@st.composite
def briefs(draw: st.DrawFn, text: st.SearchStrategy[str] = ANY_TEXT) -> Brief:
    """A valid brief; ``text`` draws its multi-line fields (summary, notes,
    descriptions)."""
    countries = draw(
        st.lists(
            st.builds(
                Country,
                code=st.sampled_from(CODES),
                role=st.sampled_from(list(CountryRole)),
                notes=text,
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
            description=draw(text),
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
    # A unit only beside a number, as the window and the file format allow.
    options = [
        replace(o, quantity_unit=draw(LINE)) if o.quantity is not None else o
        for o in options
    ]
    constraints = [
        Constraint(
            key=key,
            title=draw(REQUIRED_LINE),
            hard=draw(st.booleans()),
            description=draw(text),
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
        summary=draw(text),
        background=draw(text),
        countries=tuple(countries),
        options=tuple(options),
        constraints=tuple(constraints),
        sources=tuple(sources),
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ANY_TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4)
    ),
    max_leaves=20,
)


def demo_document() -> dict[str, Any]:
    """The demo brief file, decoded."""
    loaded: dict[str, Any] = json.loads(paths.demo_brief_file().read_text("utf-8"))
    return loaded


@st.composite
def damaged_documents(
    draw: st.DrawFn, base: st.SearchStrategy[dict[str, Any]] | None = None
) -> tuple[dict[str, Any], str]:
    """A brief file (the demo's, or one from ``base``) with one value inside
    ``brief`` replaced by any JSON, or any JSON added to one of its objects or
    arrays; and the JSON path of the place changed."""
    document = draw(base) if base is not None else demo_document()
    target: Any = document["brief"]
    path = "brief"
    while isinstance(target, dict | list) and target and draw(st.booleans()):
        key = draw(
            st.sampled_from(
                sorted(target) if isinstance(target, dict) else range(len(target))
            )
        )
        if not isinstance(target[key], dict | list):
            break
        path += f"[{key}]" if isinstance(target, list) else f".{key}"
        target = target[key]
    if isinstance(target, dict):
        key = draw(st.sampled_from([*sorted(target), "extra"]))
        target[key] = draw(JSON_VALUES | _like(target.get(key)))
        path += f".{key}"
    elif isinstance(target, list):
        target.append(draw(JSON_VALUES | _like(target[0] if target else None)))
        path += f"[{len(target) - 1}]"
    return document, path


def _like(value: Any) -> st.SearchStrategy[Any]:
    """Values of the JSON type of ``value``, which a file may well hold there."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int | float):
        return st.integers(-10, 10**6) | st.floats(allow_nan=False)
    if isinstance(value, str):
        return ANY_TEXT | st.sampled_from([value.upper(), value + "x", ""])
    if isinstance(value, dict | list):
        return st.just(json.loads(json.dumps(value)))  # a copy: a repeated item
    return JSON_VALUES
