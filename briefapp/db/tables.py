"""The database tables, as SQLAlchemy ORM classes (``*Row``).

Rows never leave the ``db`` package: repositories turn them into domain
entities and back. Money is kept as a decimal string so no amount is ever
rounded through a float.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012
        dt.datetime: DateTime(),  # naive UTC; repositories attach the zone
        list[str]: JSON,
    }


class BriefRow(Base):
    __tablename__ = "brief"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(500))
    # The reference trimmed and case folded, NULL when empty: unique, so no two
    # briefs share a reference while any number of drafts may have none.
    reference_key: Mapped[str | None] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    classification: Mapped[str] = mapped_column(String(500))
    brief_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    addressee: Mapped[str] = mapped_column(Text, default="")
    drafter: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    decision_sought: Mapped[str] = mapped_column(Text, default="")
    background: Mapped[str] = mapped_column(Text, default="")
    considerations: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(Text, default="")
    deadline_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    key_points: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    next_steps: Mapped[str] = mapped_column(Text, default="", server_default="")
    recommended_option: Mapped[str | None] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

    countries: Mapped[list[CountryRow]] = relationship(
        cascade="all, delete-orphan", order_by="CountryRow.position"
    )
    options: Mapped[list[OptionRow]] = relationship(
        cascade="all, delete-orphan", order_by="OptionRow.position"
    )
    constraints: Mapped[list[ConstraintRow]] = relationship(
        cascade="all, delete-orphan", order_by="ConstraintRow.position"
    )
    sources: Mapped[list[SourceRow]] = relationship(
        cascade="all, delete-orphan", order_by="SourceRow.position"
    )
    criteria: Mapped[list[CriterionRow]] = relationship(
        cascade="all, delete-orphan", order_by="CriterionRow.position"
    )
    assessments: Mapped[list[AssessmentRow]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentRow.position"
    )
    scores: Mapped[list[ScoreRow]] = relationship(
        cascade="all, delete-orphan", order_by="ScoreRow.position"
    )

    # Revisions are counted here rather than by SQLAlchemy's generator so a
    # save that changes only child rows still bumps the brief's revision.
    __mapper_args__ = {  # noqa: RUF012
        "version_id_col": revision,
        "version_id_generator": False,
    }
    # The brief list reads only these columns, newest first. AUTOINCREMENT:
    # the id of a deleted brief is never given to another, so a script that
    # remembers an id cannot reach some other brief with it.
    __table_args__ = (
        Index(
            "ix_brief_list", "updated_at", "id", "reference", "title", "status",
            "classification",
        ),
        {"sqlite_autoincrement": True},
    )  # fmt: skip


def _brief_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("brief.id", ondelete="CASCADE"), index=True)


class CountryRow(Base):
    __tablename__ = "brief_country"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")


class OptionRow(Base):
    __tablename__ = "brief_option"
    __table_args__ = (UniqueConstraint("brief_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    supplier: Mapped[str | None] = mapped_column(String(2))
    cost_amount: Mapped[str | None] = mapped_column(String(40))
    cost_currency: Mapped[str | None] = mapped_column(String(3))
    quantity: Mapped[int | None]
    quantity_unit: Mapped[str] = mapped_column(
        String(40), default="", server_default=""
    )
    delivery_months: Mapped[int | None]
    advantages: Mapped[list[str]]
    disadvantages: Mapped[list[str]]
    risks: Mapped[list[str]]


class ConstraintRow(Base):
    __tablename__ = "brief_constraint"
    __table_args__ = (UniqueConstraint("brief_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    hard: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))


class SourceRow(Base):
    __tablename__ = "brief_source"
    __table_args__ = (UniqueConstraint("brief_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class CriterionRow(Base):
    __tablename__ = "brief_criterion"
    __table_args__ = (UniqueConstraint("brief_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float)


# Assessments and scores name options, constraints and criteria by key, as the
# brief file does: the rows they name are rewritten on every save.


class AssessmentRow(Base):
    __tablename__ = "brief_assessment"
    __table_args__ = (UniqueConstraint("brief_id", "option_key", "constraint_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    option_key: Mapped[str] = mapped_column(String(16))
    constraint_key: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    source_key: Mapped[str | None] = mapped_column(String(16))


class ScoreRow(Base):
    __tablename__ = "brief_score"
    __table_args__ = (UniqueConstraint("brief_id", "option_key", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    option_key: Mapped[str] = mapped_column(String(16))
    criterion_key: Mapped[str] = mapped_column(String(16))
    score: Mapped[int]
    rationale: Mapped[str] = mapped_column(Text, default="")


# Clearance: kept beside the brief's content, never rewritten by a save.


class MemberRow(Base):
    __tablename__ = "brief_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))


class VersionRow(Base):
    __tablename__ = "brief_version"
    __table_args__ = (UniqueConstraint("brief_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    number: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    digest: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[str | None] = mapped_column(Text)
    """The canonical JSON; ``None`` for a version listed in an imported file."""


class EventRow(Base):
    __tablename__ = "brief_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int | None]


class CommentRow(Base):
    __tablename__ = "brief_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("brief_comment.id", ondelete="CASCADE"), index=True
    )
    target_kind: Mapped[str] = mapped_column(String(20))
    target_key: Mapped[str] = mapped_column(String(50), default="")
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    text: Mapped[str] = mapped_column(Text)
    comment_class: Mapped[str] = mapped_column(String(20))
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_by: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[dt.datetime | None]
    version: Mapped[int | None]


class IssueRow(Base):
    """One issued Word file: what it was made from and its text's fingerprint."""

    __tablename__ = "brief_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    version: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    template: Mapped[str] = mapped_column(Text)
    issued_by: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[dt.datetime]


class EditRow(Base):
    """Who changed each part of a brief, and when they last did: the authors of
    tracked changes, and the people who may not approve it."""

    __tablename__ = "brief_edit"
    __table_args__ = (UniqueConstraint("brief_id", "part", "editor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = _brief_fk()
    part: Mapped[str] = mapped_column(String(40))
    editor: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime]
