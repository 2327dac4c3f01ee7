"""Who clears a brief, what they said, and what happened: the clearance chain,
comments, versions and the audit log, as plain values.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from briefapp.domain.brief_writer import brief_to_dict
from briefapp.domain.countries import country_name
from briefapp.domain.entities import Brief, BriefStatus
from briefapp.domain.workflow import (
    STATUS_PHRASES,
    TRANSITIONS,
    Action,
    Role,
    refusal,
)


class CommentClass(StrEnum):
    MUST_FIX = "must_fix"
    SHOULD_FIX = "should_fix"
    COMMENT = "comment"


COMMENT_CLASS_LABELS = {
    CommentClass.MUST_FIX: "Must fix before clearance",
    CommentClass.SHOULD_FIX: "Should fix",
    CommentClass.COMMENT: "Comment only",
}


class TargetKind(StrEnum):
    """What a comment is attached to."""

    BRIEF = "brief"
    FIELD = "field"
    OPTION = "option"
    CONSTRAINT = "constraint"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class CommentTarget:
    """The brief as a whole, one of its fields (by name), or an option,
    constraint (by key) or country (by code)."""

    kind: TargetKind = TargetKind.BRIEF
    key: str = ""

    def __str__(self) -> str:
        return (
            self.kind.value
            if self.kind is TargetKind.BRIEF
            else f"{self.kind}:{self.key}"
        )

    @classmethod
    def parse(cls, text: str) -> CommentTarget:
        """``brief``, ``field:summary``, ``option:B``, ``constraint:C6`` or
        ``country:LT``; ``ValueError`` for anything else."""
        kind, _, key = text.strip().partition(":")
        target = cls(TargetKind(kind.strip().lower()), key.strip())
        if (target.kind is TargetKind.BRIEF) != (not target.key):
            raise ValueError(text)
        return target


class VersionReason(StrEnum):
    """Why a version was taken."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    ISSUED = "issued"
    SAVED = "saved"
    IMPORTED = "imported"


VERSION_REASON_LABELS = {
    VersionReason.SUBMITTED: "Submitted for review",
    VersionReason.APPROVED: "Approved",
    VersionReason.ISSUED: "Issued",
    VersionReason.SAVED: "Saved by hand",
    VersionReason.IMPORTED: "From a brief file",
}


@dataclass(frozen=True, slots=True)
class Member:
    """One person in a brief's clearance chain."""

    name: str
    role: Role


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    target: CommentTarget
    author: str
    created_at: dt.datetime
    text: str
    comment_class: CommentClass = CommentClass.COMMENT
    parent_id: int | None = None
    resolved: bool = False
    resolved_by: str = ""
    resolved_at: dt.datetime | None = None
    version: int | None = None
    """The number of the latest version when the comment was made."""

    @property
    def is_open_must_fix(self) -> bool:
        return (
            self.parent_id is None
            and not self.resolved
            and self.comment_class is CommentClass.MUST_FIX
        )


@dataclass(frozen=True, slots=True)
class Version:
    """An immutable copy of a brief's content (its metadata; the content is
    fetched on demand)."""

    number: int
    reason: VersionReason
    created_by: str
    created_at: dt.datetime
    digest: str
    label: str = ""
    has_content: bool = True
    """False for versions listed in an imported brief file, whose content
    stayed in the database they were taken in."""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One recorded step: a status change, a version, a change of the chain."""

    at: dt.datetime
    actor: str
    action: str
    note: str = ""
    from_status: BriefStatus | None = None
    to_status: BriefStatus | None = None
    version: int | None = None


@dataclass(frozen=True, slots=True)
class Clearance:
    """Where a brief stands in its clearance, and its history."""

    brief_id: int
    reference: str
    status: BriefStatus
    chain: tuple[Member, ...] = ()
    versions: tuple[Version, ...] = ()
    events: tuple[AuditEvent, ...] = ()
    comments: tuple[Comment, ...] = field(default=())
    editors: tuple[tuple[str, str], ...] = ()
    """(part of the brief, someone who changed it), for every part and person."""

    @property
    def open_must_fix(self) -> int:
        return sum(1 for c in self.comments if c.is_open_must_fix)

    def roles_of(self, name: str) -> frozenset[Role]:
        return roles_of(name, self.chain)

    def replies_to(self, comment_id: int) -> tuple[Comment, ...]:
        return tuple(c for c in self.comments if c.parent_id == comment_id)

    @property
    def approver(self) -> str:
        return next((m.name for m in self.chain if m.role is Role.APPROVER), "")


def same_person(first: str, second: str) -> bool:
    """Names are compared ignoring case, accents' encoding and spacing."""
    return _folded(first) == _folded(second)


def _folded(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def roles_of(name: str, chain: Sequence[Member]) -> frozenset[Role]:
    """The roles ``name`` holds on a brief with ``chain``.

    A chain that names no drafter leaves drafting open to anyone who holds no
    other role in it (a brief from before clearance chains existed)."""
    roles = {m.role for m in chain if same_person(m.name, name)}
    if not roles and not any(m.role is Role.DRAFTER for m in chain):
        roles.add(Role.DRAFTER)
    return frozenset(roles)


def chain_refusal(clearance: Clearance, name: str) -> str | None:
    """Why ``name`` may not change the brief's clearance chain now."""
    if clearance.status not in (BriefStatus.DRAFT, BriefStatus.CHANGES_REQUESTED):
        return (
            "The clearance chain is set while the brief is a draft; it is "
            f"{STATUS_PHRASES[clearance.status]}."
        )
    if Role.DRAFTER not in clearance.roles_of(name):
        drafters = ", ".join(m.name for m in clearance.chain if m.role is Role.DRAFTER)
        return f"The clearance chain is set by the brief's drafter ({drafters})."
    return None


def edit_permission(
    clearance: Clearance, name: str, doing: str = "edits"
) -> str | None:
    """Why ``name`` may not edit (or, with ``doing="deletes"``, delete) the
    brief, its status aside."""
    if Role.DRAFTER in clearance.roles_of(name):
        return None
    drafters = ", ".join(m.name for m in clearance.chain if m.role is Role.DRAFTER)
    instead = " Comment instead, on the Clearance tab." if doing == "edits" else ""
    return (
        f"Only the brief's drafter ({drafters}) {doing} it; you act as "
        f"{name or 'nobody'}.{instead}"
    )


def chain_problems(chain: Sequence[Member]) -> list[str]:
    """What is wrong with a clearance chain, one sentence each."""
    problems = []
    for position, member in enumerate(chain, start=1):
        if not member.name.strip():
            problems.append(f"Person {position} in the clearance chain has no name.")
    approvers = [m for m in chain if m.role is Role.APPROVER]
    if len(approvers) > 1:
        problems.append("A brief has one approver; the chain names several.")
    drafters = [m.name for m in chain if m.role is Role.DRAFTER]
    for member in chain:
        if member.role is not Role.DRAFTER and any(
            same_person(member.name, d) for d in drafters
        ):
            problems.append(
                f"{member.name} drafts this brief and so cannot also be its "
                f"{member.role.value}."
            )
    seen: set[tuple[str, Role]] = set()
    for member in chain:
        key = (_folded(member.name), member.role)
        if key in seen:
            problems.append(f"{member.name} is listed twice as {member.role.value}.")
        seen.add(key)
    return problems


def refusal_for(
    clearance: Clearance, action: Action, name: str, note: str = ""
) -> str | None:
    """Why ``name`` may not take ``action`` on the brief now (``None``: they
    may), naming who may when the chain lacks that person."""
    move = TRANSITIONS[action]
    roles = clearance.roles_of(name)
    reason = refusal(clearance.status, action, roles, note=note)
    if reason is None:
        return _must_fix_refusal(clearance, action, name) or _order_refusal(
            clearance, action, name
        )
    if clearance.status not in move.sources or roles & move.roles:
        return reason
    holders = [m.name for m in clearance.chain if m.role in move.roles]
    if not holders:
        who = " or ".join(sorted(r.value for r in move.roles))
        return f"{reason[:-1]}, and the clearance chain names no {who} yet."
    return f"{reason[:-1]} ({', '.join(holders)}); you act as {name or 'nobody'}."


def available_actions(clearance: Clearance, name: str) -> list[Action]:
    """The steps ``name`` may take now (a note is asked for where one is needed)."""
    return [a for a in TRANSITIONS if refusal_for(clearance, a, name, "-") is None]


def resolve_refusal(clearance: Clearance, comment: Comment, name: str) -> str | None:
    """Why ``name`` may not resolve (or open again) ``comment`` (``None``: they
    may). A comment that must be fixed before clearance is resolved by its
    author or the approver, so that nobody clears their own way."""
    if comment.parent_id is not None:
        return "Replies are resolved with the comment they answer."
    if comment.comment_class is not CommentClass.MUST_FIX:
        return None
    if same_person(name, comment.author) or Role.APPROVER in clearance.roles_of(name):
        return None
    return (
        "A comment that must be fixed before clearance is resolved by its author "
        f"({comment.author}) or the approver ({clearance.approver or 'none named'}); "
        f"you act as {name or 'nobody'}."
    )


def open_must_fix_comments(
    clearance: Clearance, author: str | None = None
) -> list[Comment]:
    """The open comments classed *must fix before clearance* (by ``author``,
    if given), oldest first."""
    return [
        c
        for c in clearance.comments
        if c.is_open_must_fix and (author is None or same_person(c.author, author))
    ]


def _must_fix_refusal(clearance: Clearance, action: Action, name: str) -> str | None:
    """An open must-fix comment blocks its author's Clear, and approving and
    issuing; the refusal names the comments and who may resolve them."""
    if action is Action.CLEAR:
        blocking = open_must_fix_comments(clearance, name)
    elif action in (Action.APPROVE, Action.ISSUE):
        blocking = open_must_fix_comments(clearance)
    else:
        return None
    if not blocking:
        return None
    shown = "; ".join(_comment_summary(c) for c in blocking[:3])
    more = f"; and {len(blocking) - 3} more" if len(blocking) > 3 else ""
    many = len(blocking) > 1
    if action is Action.CLEAR:
        whose = "Your comment" + "s" * many
    else:
        whose = f"{len(blocking)} comment" + "s" * many
    authors = _distinct(
        "you" if same_person(c.author, name) else c.author for c in blocking
    )
    approver = clearance.approver
    if approver and same_person(approver, name):
        authors.append("you (the approver)")
    elif approver:
        authors.append(f"the approver ({approver})")
    resolvers = _names(_distinct(authors), "or")
    return (
        f"{whose} marked “must fix before clearance” {'are' if many else 'is'} "
        f"still open: {shown}{more}. "
        f"{'They are' if many else 'It is'} resolved by {resolvers}."
    )


def _comment_summary(comment: Comment) -> str:
    """“#3 on Summary (“Say what the cost is.”)”: a comment named in a refusal."""
    words = comment.text.split()
    excerpt = " ".join(words[:8])
    if len(words) > 8:
        excerpt = excerpt.rstrip(",;:.") + "…"
    on = (
        "the brief"
        if comment.target.kind is TargetKind.BRIEF
        else target_label(None, comment.target)
    )
    return f"#{comment.id} on {on} (“{excerpt}”)"


FIELD_LABELS = {
    "reference": "Reference",
    "title": "Title",
    "classification": "Classification",
    "brief_type": "Type",
    "addressee": "To",
    "drafter": "From",
    "deadline": "Deadline",
    "deadline_reason": "Why by then",
    "summary": "Summary",
    "key_points": "Key points",
    "decision_sought": "Decision sought",
    "background": "Background",
    "considerations": "Considerations",
    "recommendation": "Recommendation",
    "recommended_option": "Recommended option",
    "next_steps": "Next steps",
}
"""The brief's fields a comment can be attached to, with their labels."""


def target_problem(brief: Brief, target: CommentTarget) -> str | None:
    """Why a comment cannot be attached to ``target`` in ``brief``."""
    keys: dict[TargetKind, tuple[str, ...]] = {
        TargetKind.FIELD: tuple(FIELD_LABELS),
        TargetKind.OPTION: tuple(o.key for o in brief.options),
        TargetKind.CONSTRAINT: tuple(c.key for c in brief.constraints),
        TargetKind.COUNTRY: tuple(c.code for c in brief.countries),
    }
    if target.kind is TargetKind.BRIEF or target.key in keys[target.kind]:
        return None
    known = ", ".join(dict.fromkeys(keys[target.kind])) or "none"
    return (
        f"The brief has no {target.kind.value} “{target.key}” to comment on "
        f"(it has: {known})."
    )


def target_label(brief: Brief | None, target: CommentTarget) -> str:
    """How a comment's target is named to people: “Summary”, “Option B”."""
    if target.kind is TargetKind.BRIEF:
        return "The brief as a whole"
    if target.kind is TargetKind.FIELD:
        return FIELD_LABELS.get(target.key, target.key)
    return f"{target.kind.value.capitalize()} {target.key}"


def target_texts(brief: Brief, target: CommentTarget) -> tuple[str, ...]:
    """Texts of the brief where a comment on ``target`` can be anchored in a
    rendered document, the most precise first."""
    kind, key = target.kind, target.key
    if kind is TargetKind.FIELD:
        value = getattr(brief, key, "")
        if isinstance(value, tuple):
            return tuple(str(v) for v in value[:1])
        first_line = str(value or "").strip().split("\n", 1)[0]
        return (first_line, FIELD_LABELS.get(key, key)) if first_line else ()
    if kind is TargetKind.OPTION:
        return tuple(o.title for o in brief.options if o.key == key)
    if kind is TargetKind.CONSTRAINT:
        return tuple(c.title for c in brief.constraints if c.key == key)
    if kind is TargetKind.COUNTRY:
        notes = [
            c.notes.strip().split("\n", 1)[0] for c in brief.countries if c.code == key
        ]
        return (*(n for n in notes if n), country_name(key))
    return (brief.title,)


def changed_parts(old: Brief, new: Brief) -> list[str]:
    """The top-level parts of the brief file that differ between the two."""
    before, after = brief_to_dict(old), brief_to_dict(new)
    return [name for name in after if before.get(name) != after[name]]


REVIEWED = frozenset({Action.REQUEST_CHANGES.value, Action.APPROVE.value})
"""Steps after which a version counts as reviewed."""


def reviewed_version(clearance: Clearance) -> int | None:
    """The version under review when changes were last requested or it was
    approved: what reviewers last saw."""
    for event in reversed(clearance.events):
        if event.action in REVIEWED and event.version is not None:
            return event.version
    return None


def steps_by_others(clearance: Clearance, name: str) -> list[tuple[Action, str]]:
    """The next steps of the brief that people other than ``name`` take, each
    with who takes it, from the clearance record: reviewers who have not
    cleared the version in review clear in the chain's order, and the approver
    approves once all have. A step the chain names nobody for says so."""
    steps: list[tuple[Action, str]] = []
    pending = pending_reviewers(clearance)
    turns = [("you" if same_person(p, name) else p) for p in pending]
    for action, move in TRANSITIONS.items():
        if clearance.status not in move.sources or action is Action.REVISE:
            continue
        if action is Action.CLEAR:
            if any(turn != "you" for turn in turns):
                steps.append((action, ", then ".join(turns)))
            continue
        holders = _distinct(m.name for m in clearance.chain if m.role in move.roles)
        others = [h for h in holders if not same_person(h, name)]
        if not holders and not move.roles & clearance.roles_of(name):
            steps.append((action, "nobody named yet"))
        elif others:
            who = _names(others, "or")
            if action is Action.APPROVE and pending:
                have = "has" if len(turns) == 1 and turns[0] != "you" else "have"
                who += f", once {_names(turns)} {have} cleared"
            steps.append((action, who))
    return steps


def others_sentence(clearance: Clearance, name: str) -> str:
    """“Next steps by others: Clear (Rasa Reviewer); …” for ``name`` ("" when
    nobody else has a step)."""
    steps = steps_by_others(clearance, name)
    if not steps:
        return ""
    said = "; ".join(f"{TRANSITIONS[a].label} ({who})" for a, who in steps)
    return f"Next steps by others: {said}."


def issue_version(clearance: Clearance) -> Version | None:
    """The version an issue of the brief is made of, and numbered after: the
    one approved last (``None``: none is approved)."""
    approved = [v for v in clearance.versions if v.reason is VersionReason.APPROVED]
    return approved[-1] if approved else None


def version_under_review(clearance: Clearance) -> int | None:
    """The version submitted last: the one reviewers clear and approvers approve."""
    submitted = [v for v in clearance.versions if v.reason is VersionReason.SUBMITTED]
    return submitted[-1].number if submitted else None


def pending_reviewers(clearance: Clearance) -> list[str]:
    """The reviewers, in the chain's order, who have not cleared the version
    under review."""
    under_review = version_under_review(clearance)
    cleared = [
        e.actor
        for e in clearance.events
        if e.action == Action.CLEAR.value and e.version == under_review
    ]
    return [
        m.name
        for m in clearance.chain
        if m.role is Role.REVIEWER and not any(same_person(m.name, c) for c in cleared)
    ]


def _order_refusal(clearance: Clearance, action: Action, name: str) -> str | None:
    """Refusals that depend on the history: reviewers clear in turn, all of
    them before approval, and nobody approves their own edits."""
    pending = pending_reviewers(clearance)
    number = version_under_review(clearance)
    if action is Action.CLEAR:
        if not any(same_person(name, p) for p in pending):
            return f"You have cleared version {number} already."
        if not same_person(name, pending[0]):
            return f"Reviewers clear in the chain's order: {pending[0]} clears first."
    if action is Action.APPROVE:
        if pending:
            return (
                f"Waiting for {_names(pending)} to clear version {number} "
                "(reviewers clear in the chain's order)."
            )
        edited = [
            part for part, editor in clearance.editors if same_person(editor, name)
        ]
        if edited:
            parts = ", ".join(FIELD_LABELS.get(p, p.replace("_", " ")) for p in edited)
            return (
                f"You edited this brief ({parts}); someone who did not write it "
                "must approve it."
            )
    return None


def _names(names: list[str], conjunction: str = "and") -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {conjunction} {names[-1]}"


def _distinct(names: Iterable[str]) -> list[str]:
    """Each person once, in the order given."""
    kept: list[str] = []
    for name in names:
        if not any(same_person(name, k) for k in kept):
            kept.append(name)
    return kept
