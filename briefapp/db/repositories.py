"""Turning rows into domain briefs and back, inside a caller's session.

A brief is stored and loaded whole: its scalar fields on one row, each list
(countries, options, constraints, sources) as ordered child rows. Saving
checks the brief's revision so a save based on an older copy is refused.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from briefapp.db.moments import aware, naive
from briefapp.db.tables import (
    AssessmentRow,
    BriefRow,
    ConstraintRow,
    CountryRow,
    CriterionRow,
    OptionRow,
    ScoreRow,
    SourceRow,
)
from briefapp.domain.entities import (
    BRIEF_TEXT_FIELDS,
    Assessment,
    AssessmentResult,
    Brief,
    BriefStatus,
    BriefSummary,
    BriefType,
    Constraint,
    ConstraintKind,
    Country,
    CountryRole,
    Criterion,
    Money,
    Option,
    Score,
    Source,
)
from briefapp.domain.errors import BriefConflictError, BriefNotFoundError
from briefapp.domain.validation import numbered_reference, reference_key

_SCALARS = (*BRIEF_TEXT_FIELDS, "deadline", "recommended_option")


def list_briefs(session: Session) -> list[BriefSummary]:
    """The listed columns of every brief, most recently changed first."""
    query = select(
        BriefRow.id,
        BriefRow.reference,
        BriefRow.title,
        BriefRow.status,
        BriefRow.classification,
        BriefRow.updated_at,
    ).order_by(BriefRow.updated_at.desc(), BriefRow.id.desc())
    return [
        BriefSummary(
            id=row.id,
            reference=row.reference,
            title=row.title,
            status=BriefStatus(row.status),
            classification=row.classification,
            updated_at=aware(row.updated_at),
        )
        for row in session.execute(query)
    ]


def count_briefs(session: Session) -> int:
    return session.scalar(select(func.count(BriefRow.id))) or 0


def holder_of(
    session: Session, reference: str, *, other_than: int | None = None
) -> tuple[int, BriefStatus] | None:
    """The id and status of the brief (other than ``other_than``) whose
    reference is ``reference`` (ignoring case and surrounding spaces)."""
    key = reference_key(reference)
    if key is None:
        return None
    query = select(BriefRow.id, BriefRow.status).where(BriefRow.reference_key == key)
    if other_than is not None:
        query = query.where(BriefRow.id != other_than)
    row = session.execute(query).first()
    return None if row is None else (row.id, BriefStatus(row.status))


def free_reference(session: Session, reference: str) -> str:
    """``reference`` if no brief has it, else the first free
    ``reference (2)``, ``reference (3)``…"""
    if holder_of(session, reference) is None:
        return reference
    stem = reference_key(numbered_reference(reference, 0))
    assert stem is not None
    pattern = stem.removesuffix("(0)") + "(%"
    taken = set(
        session.scalars(
            select(BriefRow.reference_key).where(BriefRow.reference_key.like(pattern))
        )
    )
    number = 2
    while reference_key(numbered_reference(reference, number)) in taken:
        number += 1
    return numbered_reference(reference, number)


def get_brief(session: Session, brief_id: int) -> Brief:
    """The whole brief with ``brief_id``.

    Raises:
        BriefNotFoundError: there is no such brief.
    """
    return _to_brief(_load_row(session, brief_id))


def add_brief(session: Session, brief: Brief, now: dt.datetime) -> Brief:
    """Store ``brief`` as a new brief and return it with its id and revision."""
    row = BriefRow(
        brief_type=brief.brief_type.value,
        status=BriefStatus.DRAFT.value,
        revision=1,
        created_at=naive(now),
        updated_at=naive(now),
    )
    _fill_row(row, brief)
    session.add(row)
    session.flush()
    return _to_brief(row)


def update_brief(session: Session, brief: Brief, now: dt.datetime) -> Brief:
    """Save ``brief`` over the stored brief with the same id.

    Raises:
        BriefNotFoundError: the brief was deleted meanwhile.
        BriefConflictError: the stored brief is newer than ``brief.revision``.
    """
    assert brief.id is not None
    row = _load_row(session, brief.id)
    if row.revision != brief.revision:
        raise BriefConflictError(brief.reference)
    # Clear the lists and flush first, so re-used keys do not collide with the
    # rows they replace on the unique (brief_id, key) constraints.
    for collection in _collections(row):
        collection.clear()
    session.flush()
    row.brief_type = brief.brief_type.value
    row.revision = brief.revision + 1
    row.updated_at = naive(now)
    _fill_row(row, brief)
    try:
        session.flush()
    except StaleDataError as error:
        raise BriefConflictError(brief.reference) from error
    return _to_brief(row)


def delete_brief(session: Session, brief_id: int) -> None:
    session.delete(_load_row(session, brief_id))
    session.flush()


def _load_row(session: Session, brief_id: int) -> BriefRow:
    query = (
        select(BriefRow)
        .where(BriefRow.id == brief_id)
        .options(
            selectinload(BriefRow.countries),
            selectinload(BriefRow.options),
            selectinload(BriefRow.constraints),
            selectinload(BriefRow.sources),
            selectinload(BriefRow.criteria),
            selectinload(BriefRow.assessments),
            selectinload(BriefRow.scores),
        )
    )
    row = session.scalars(query).one_or_none()
    if row is None:
        raise BriefNotFoundError(brief_id)
    return row


def _fill_row(row: BriefRow, brief: Brief) -> None:
    for name in _SCALARS:
        setattr(row, name, getattr(brief, name))
    row.reference_key = reference_key(brief.reference)
    row.key_points = list(brief.key_points)
    row.countries = [
        CountryRow(position=i, code=c.code, role=c.role.value, notes=c.notes)
        for i, c in enumerate(brief.countries)
    ]
    row.options = [_option_row(i, o) for i, o in enumerate(brief.options)]
    row.constraints = [
        ConstraintRow(
            position=i,
            key=c.key,
            title=c.title,
            hard=c.hard,
            description=c.description,
            kind=c.kind.value,
        )
        for i, c in enumerate(brief.constraints)
    ]
    row.sources = [
        SourceRow(
            position=i,
            key=s.key,
            title=s.title,
            publisher=s.publisher,
            author=s.author,
            date=s.date,
            url=s.url,
            note=s.note,
        )
        for i, s in enumerate(brief.sources)
    ]
    row.criteria = [
        CriterionRow(
            position=i,
            key=c.key,
            title=c.title,
            description=c.description,
            weight=c.weight,
        )
        for i, c in enumerate(brief.criteria)
    ]
    row.assessments = [
        AssessmentRow(
            position=i,
            option_key=a.option,
            constraint_key=a.constraint,
            result=a.result.value,
            note=a.note,
            source_key=a.source,
        )
        for i, a in enumerate(brief.assessments)
    ]
    row.scores = [
        ScoreRow(
            position=i,
            option_key=s.option,
            criterion_key=s.criterion,
            score=s.score,
            rationale=s.rationale,
        )
        for i, s in enumerate(brief.scores)
    ]


def _collections(row: BriefRow) -> tuple[list[Any], ...]:
    return (
        row.countries,
        row.options,
        row.constraints,
        row.sources,
        row.criteria,
        row.assessments,
        row.scores,
    )


def _option_row(position: int, option: Option) -> OptionRow:
    cost = option.cost
    return OptionRow(
        position=position,
        key=option.key,
        title=option.title,
        description=option.description,
        supplier=option.supplier,
        cost_amount=None if cost is None else str(cost.amount),
        cost_currency=None if cost is None else cost.currency,
        quantity=option.quantity,
        quantity_unit=option.quantity_unit,
        delivery_months=option.delivery_months,
        advantages=list(option.advantages),
        disadvantages=list(option.disadvantages),
        risks=list(option.risks),
    )


def _to_brief(row: BriefRow) -> Brief:
    return Brief(
        **{name: getattr(row, name) for name in _SCALARS},
        brief_type=BriefType(row.brief_type),
        key_points=tuple(row.key_points),
        countries=tuple(
            Country(code=c.code, role=CountryRole(c.role), notes=c.notes)
            for c in row.countries
        ),
        options=tuple(_to_option(o) for o in row.options),
        constraints=tuple(
            Constraint(
                key=c.key,
                title=c.title,
                hard=c.hard,
                description=c.description,
                kind=ConstraintKind(c.kind),
            )
            for c in row.constraints
        ),
        sources=tuple(
            Source(
                key=s.key,
                title=s.title,
                publisher=s.publisher,
                author=s.author,
                date=s.date,
                url=s.url,
                note=s.note,
            )
            for s in row.sources
        ),
        criteria=tuple(
            Criterion(c.key, c.title, c.description, c.weight) for c in row.criteria
        ),
        assessments=tuple(
            Assessment(
                a.option_key,
                a.constraint_key,
                AssessmentResult(a.result),
                a.note,
                a.source_key,
            )
            for a in row.assessments
        ),
        scores=tuple(
            Score(s.option_key, s.criterion_key, s.score, s.rationale)
            for s in row.scores
        ),
        id=row.id,
        status=BriefStatus(row.status),
        revision=row.revision,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def _to_option(row: OptionRow) -> Option:
    cost = None
    if row.cost_amount is not None and row.cost_currency is not None:
        cost = Money(Decimal(row.cost_amount), row.cost_currency)
    return Option(
        key=row.key,
        title=row.title,
        description=row.description,
        supplier=row.supplier,
        cost=cost,
        quantity=row.quantity,
        quantity_unit=row.quantity_unit,
        delivery_months=row.delivery_months,
        advantages=tuple(row.advantages),
        disadvantages=tuple(row.disadvantages),
        risks=tuple(row.risks),
    )
