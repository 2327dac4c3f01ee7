"""The brief and its parts as plain, immutable values.

Edits make new values with ``dataclasses.replace``; nothing here knows about
storage, Qt or Word.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

UNNAMED_COUNTRY = "XX"
"""The code for a country that takes part but is not named yet."""


class BriefType(StrEnum):
    DECISION = "decision"
    INFORMATION = "information"


class CountryRole(StrEnum):
    ACQUIRER = "acquirer"
    SUPPLIER = "supplier"
    RECIPIENT = "recipient"
    PARTNER = "partner"


class ConstraintKind(StrEnum):
    LEGAL = "legal"
    BUDGET = "budget"
    SCHEDULE = "schedule"
    EXPORT_CONTROL = "export_control"
    POLITICAL = "political"
    TECHNICAL = "technical"
    OTHER = "other"


class BriefStatus(StrEnum):
    """Where a brief is in its clearance (see ``domain/workflow.py``)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    ISSUED = "issued"
    ARCHIVED = "archived"


class AssessmentResult(StrEnum):
    """How an option stands against a constraint."""

    MEETS = "meets"
    PARTIAL = "partial"
    FAILS = "fails"
    UNKNOWN = "unknown"


BRIEF_TYPE_LABELS = {
    BriefType.DECISION: "Decision brief",
    BriefType.INFORMATION: "Information brief",
}
CONSTRAINT_KIND_LABELS = {
    ConstraintKind.LEGAL: "Legal and treaty",
    ConstraintKind.BUDGET: "Budget",
    ConstraintKind.SCHEDULE: "Schedule",
    ConstraintKind.EXPORT_CONTROL: "Export and re-transfer",
    ConstraintKind.POLITICAL: "Political",
    ConstraintKind.TECHNICAL: "Technical",
    ConstraintKind.OTHER: "Other",
}


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in an ISO 4217 currency."""

    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Country:
    """A country involved in the brief, with its role and notes."""

    code: str
    role: CountryRole
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Option:
    """One course of action the minister could choose."""

    key: str
    title: str
    description: str = ""
    supplier: str | None = None
    cost: Money | None = None
    quantity: int | None = None
    quantity_unit: str = ""
    """What the quantity counts ("rounds", "fire units"), one short line."""
    delivery_months: int | None = None
    advantages: tuple[str, ...] = ()
    disadvantages: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Constraint:
    """A condition the options must satisfy (hard) or should satisfy (soft)."""

    key: str
    title: str
    hard: bool = True
    description: str = ""
    kind: ConstraintKind = ConstraintKind.OTHER


@dataclass(frozen=True, slots=True)
class Criterion:
    """Something the options are scored on, with its (unnormalised) weight."""

    key: str
    title: str
    description: str = ""
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Assessment:
    """How one option stands against one constraint, and why."""

    option: str
    constraint: str
    result: AssessmentResult
    note: str = ""
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """One option's score (0 to 5) on one criterion, and why."""

    option: str
    criterion: str
    score: int
    rationale: str = ""


MAX_SCORE = 5
"""Scores run from 0 (worst) to this (best)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A document the brief relies on."""

    key: str
    title: str
    publisher: str = ""
    author: str = ""
    date: dt.date | None = None
    url: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Brief:
    """A procurement decision brief.

    ``id``, ``status``, ``revision`` and the timestamps belong to storage:
    they are ``None``/defaults until the brief is saved. ``revision`` counts
    saves and guards against overwriting someone else's newer save.
    """

    reference: str
    title: str
    classification: str
    brief_type: BriefType = BriefType.DECISION
    addressee: str = ""
    drafter: str = ""
    deadline: dt.date | None = None
    summary: str = ""
    decision_sought: str = ""
    background: str = ""
    considerations: str = ""
    recommendation: str = ""
    deadline_reason: str = ""
    key_points: tuple[str, ...] = ()
    next_steps: str = ""
    recommended_option: str | None = None
    countries: tuple[Country, ...] = ()
    options: tuple[Option, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    sources: tuple[Source, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    scores: tuple[Score, ...] = ()
    id: int | None = None
    status: BriefStatus = BriefStatus.DRAFT
    revision: int = 0
    created_at: dt.datetime | None = field(default=None, compare=False)
    updated_at: dt.datetime | None = field(default=None, compare=False)

    def content_equals(self, other: Brief) -> bool:
        """Whether the two briefs say the same, whatever their storage state."""
        return _content(self) == _content(other)


def _content(brief: Brief) -> Brief:
    return replace(brief, id=None, revision=0, status=BriefStatus.DRAFT)


BRIEF_TEXT_FIELDS = (
    "reference", "title", "classification", "addressee", "drafter", "summary",
    "decision_sought", "background", "considerations", "recommendation",
    "deadline_reason", "next_steps",
)  # fmt: skip
"""The brief's own text fields."""


@dataclass(frozen=True, slots=True)
class BriefSummary:
    """The columns the brief list shows, without the brief's content."""

    id: int
    reference: str
    title: str
    status: BriefStatus
    classification: str
    updated_at: dt.datetime
