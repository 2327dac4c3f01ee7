"""Edits of a brief's lists that keep every reference by key intact.

Assessments name an option and a constraint (and perhaps a source), scores an
option and a criterion, and the brief its recommended option. When a key is
renamed the references follow it; when an item is removed, what refers to it
goes with it (an edit is undoable, so nothing is lost for good).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from briefapp.domain.entities import Assessment, AssessmentResult, Brief, Score

KEYED_LISTS = ("options", "constraints", "criteria", "sources")


def with_items(brief: Brief, field: str, items: Sequence[Any]) -> Brief:
    """``brief`` with its list ``field`` replaced by ``items``, references kept."""
    changes: dict[str, Any] = {field: tuple(items)}
    edited = replace(brief, **changes)
    if field not in KEYED_LISTS:
        return edited
    before = [item.key for item in getattr(brief, field)]
    after = [item.key for item in items]
    renamed = _renames(before, after)
    kept = set(after)

    def follow(key: str) -> str | None:
        key = renamed.get(key, key)
        return key if key in kept else None

    if field == "options":
        return _follow_options(edited, follow)
    if field == "constraints":
        return replace(
            edited,
            assessments=tuple(
                replace(a, constraint=key)
                for a in edited.assessments
                if (key := follow(a.constraint)) is not None
            ),
        )
    if field == "criteria":
        return replace(
            edited,
            scores=tuple(
                replace(s, criterion=key)
                for s in edited.scores
                if (key := follow(s.criterion)) is not None
            ),
        )
    return replace(
        edited,
        assessments=tuple(
            replace(a, source=follow(a.source)) if a.source is not None else a
            for a in edited.assessments
        ),
    )


def _follow_options(brief: Brief, follow: Any) -> Brief:
    recommended = brief.recommended_option
    return replace(
        brief,
        recommended_option=None if recommended is None else follow(recommended),
        assessments=tuple(
            replace(a, option=key)
            for a in brief.assessments
            if (key := follow(a.option)) is not None
        ),
        scores=tuple(
            replace(s, option=key)
            for s in brief.scores
            if (key := follow(s.option)) is not None
        ),
    )


def _renames(before: list[str], after: list[str]) -> dict[str, str]:
    """Keys edited in place: same number of items, a key gone at a position
    where a new key appears. Reordering renames nothing."""
    if len(before) != len(after) or set(before) == set(after):
        return {}
    gone = set(before) - set(after)
    return {
        old: new
        for old, new in zip(before, after, strict=True)
        if old != new and old in gone
    }


def with_assessment(
    brief: Brief,
    option: str,
    constraint: str,
    result: AssessmentResult | None,
    **fields: Any,
) -> Brief:
    """``brief`` with option × constraint assessed as ``result`` (``None``: not
    assessed), its note and source kept unless given in ``fields``."""
    return _with_cell(
        brief,
        "assessments",
        "constraint",
        (option, constraint),
        {"result": result, **fields} if result is not None else None,
        lambda: Assessment(option, constraint, AssessmentResult.UNKNOWN),
        brief.constraints,
    )


def with_score(
    brief: Brief, option: str, criterion: str, score: int | None, **fields: Any
) -> Brief:
    """``brief`` with option × criterion scored ``score`` (``None``: unscored),
    its rationale kept unless given in ``fields``."""
    return _with_cell(
        brief,
        "scores",
        "criterion",
        (option, criterion),
        {"score": score, **fields} if score is not None else None,
        lambda: Score(option, criterion, 0),
        brief.criteria,
    )


def _with_cell(
    brief: Brief,
    name: str,
    across: str,
    pair: tuple[str, str],
    values: dict[str, Any] | None,
    make: Any,
    columns: Sequence[Any],
) -> Brief:
    """``brief`` with the cell ``pair`` of its list ``name`` set to ``values``
    (``None``: removed), the list kept in the grid's reading order."""
    cells = getattr(brief, name)
    old = next((c for c in cells if (c.option, getattr(c, across)) == pair), None)
    kept = [c for c in cells if c is not old]
    if values is not None:
        kept.append(replace(make() if old is None else old, **values))
    order = _order(brief.options, columns)
    changes: dict[str, Any] = {
        name: tuple(sorted(kept, key=lambda c: order(c.option, getattr(c, across))))
    }
    return replace(brief, **changes)


def _order(rows: Sequence[Any], columns: Sequence[Any]) -> Any:
    """A sort key putting cells in the grid's reading order."""
    row_at = {item.key: i for i, item in enumerate(rows)}
    column_at = {item.key: i for i, item in enumerate(columns)}

    def key(row: str, column: str) -> tuple[int, int]:
        return row_at.get(row, len(row_at)), column_at.get(column, len(column_at))

    return key
