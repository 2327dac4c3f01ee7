"""Clearance: the statuses a brief goes through, who may move it on, and why not.

    draft --submit--> in_review --approve--> approved --issue--> issued --> archived
                      (clear: each reviewer in turn)
      ^                 |    ^                   |                  |
      |       request_changes  submit again      +---- reopen ------+
      |                 v    |                        (to draft)
      +---revise--- changes_requested

The first edit after changes were requested is the revision (the services
record it); the drafter may also submit again without editing. Pure rules: the
services record each step (who, when, a note) and keep the versions; the window
enables only the actions ``allowed_actions`` returns and shows ``refusal`` as
the reason a button is disabled.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from briefapp.domain.brief_writer import brief_to_dict
from briefapp.domain.entities import Brief, BriefStatus
from briefapp.domain.errors import UserError


class Role(StrEnum):
    DRAFTER = "drafter"
    REVIEWER = "reviewer"
    APPROVER = "approver"


class Action(StrEnum):
    SUBMIT = "submit"
    CLEAR = "clear"
    REQUEST_CHANGES = "request_changes"
    REVISE = "revise"
    APPROVE = "approve"
    ISSUE = "issue"
    REOPEN = "reopen"
    ARCHIVE = "archive"


@dataclass(frozen=True, slots=True)
class Transition:
    """One move: from which statuses, to which, and who may make it."""

    action: Action
    sources: frozenset[BriefStatus]
    target: BriefStatus
    roles: frozenset[Role]
    label: str
    needs_note: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            Action.SUBMIT,
            frozenset({BriefStatus.DRAFT, BriefStatus.CHANGES_REQUESTED}),
            BriefStatus.IN_REVIEW,
            frozenset({Role.DRAFTER}),
            "Submit for review",
        ),
        Transition(
            Action.CLEAR,
            frozenset({BriefStatus.IN_REVIEW}),
            BriefStatus.IN_REVIEW,
            frozenset({Role.REVIEWER}),
            "Clear",
        ),
        Transition(
            Action.REQUEST_CHANGES,
            frozenset({BriefStatus.IN_REVIEW}),
            BriefStatus.CHANGES_REQUESTED,
            frozenset({Role.REVIEWER, Role.APPROVER}),
            "Request changes",
        ),
        Transition(
            Action.REVISE,
            frozenset({BriefStatus.CHANGES_REQUESTED}),
            BriefStatus.DRAFT,
            frozenset({Role.DRAFTER}),
            "Revise the draft",
        ),
        Transition(
            Action.APPROVE,
            frozenset({BriefStatus.IN_REVIEW}),
            BriefStatus.APPROVED,
            frozenset({Role.APPROVER}),
            "Approve",
        ),
        Transition(
            Action.ISSUE,
            frozenset({BriefStatus.APPROVED}),
            BriefStatus.ISSUED,
            frozenset({Role.DRAFTER, Role.APPROVER}),
            "Issue",
        ),
        Transition(
            Action.REOPEN,
            frozenset({BriefStatus.APPROVED, BriefStatus.ISSUED}),
            BriefStatus.DRAFT,
            frozenset({Role.DRAFTER, Role.APPROVER}),
            "Reopen",
            needs_note=True,
        ),
        Transition(
            Action.ARCHIVE,
            frozenset({BriefStatus.ISSUED}),
            BriefStatus.ARCHIVED,
            frozenset({Role.DRAFTER, Role.APPROVER}),
            "Archive",
        ),
    )
}


class WorkflowError(UserError):
    """A step the person may not take now, with the reason."""


STATUS_LABELS = {
    BriefStatus.DRAFT: "Draft",
    BriefStatus.IN_REVIEW: "In review",
    BriefStatus.CHANGES_REQUESTED: "Changes requested",
    BriefStatus.APPROVED: "Approved",
    BriefStatus.ISSUED: "Issued",
    BriefStatus.ARCHIVED: "Archived",
}
"""Each status as a list or a status line names it."""

STATUS_PHRASES = {
    BriefStatus.DRAFT: "a draft",
    BriefStatus.IN_REVIEW: "in review",
    BriefStatus.CHANGES_REQUESTED: "back for changes",
    BriefStatus.APPROVED: "approved",
    BriefStatus.ISSUED: "issued",
    BriefStatus.ARCHIVED: "archived",
}
"""Each status as the end of “the brief is …”."""

EDITABLE = frozenset({BriefStatus.DRAFT, BriefStatus.CHANGES_REQUESTED})
"""Statuses in which a brief's content may change."""

_NOT_EDITABLE = {
    BriefStatus.IN_REVIEW: "is in review; it can be edited once changes are requested",
    BriefStatus.APPROVED: "is approved; reopen it (saying why) to edit it",
    BriefStatus.ISSUED: "was issued; reopen it (saying why) to edit it",
    BriefStatus.ARCHIVED: "is archived and can no longer be edited",
}


def edit_refusal(brief: Brief) -> str | None:
    """Why ``brief`` may not be edited in its status (``None``: it may)."""
    if brief.status in EDITABLE:
        return None
    return f"Brief {brief.reference} {_NOT_EDITABLE[brief.status]}."


def refusal(
    status: BriefStatus,
    action: Action,
    roles: frozenset[Role],
    *,
    open_must_fix: int = 0,
    note: str = "",
) -> str | None:
    """Why the person holding ``roles`` may not take ``action`` on a brief in
    ``status`` (``None``: they may). ``open_must_fix`` counts the open
    comments classed *must fix before clearance*, which block approval."""
    move = TRANSITIONS[action]
    if status not in move.sources:
        allowed = " or ".join(sorted(STATUS_PHRASES[s] for s in move.sources))
        return (
            f"{move.label} is possible only when the brief is {allowed}; "
            f"it is {STATUS_PHRASES[status]}."
        )
    if not roles & move.roles:
        who = " or ".join(sorted(r.value for r in move.roles))
        return f"{move.label} is for the brief's {who}."
    if action in (Action.APPROVE, Action.ISSUE) and open_must_fix:
        plural = "s" if open_must_fix > 1 else ""
        return (
            f"{open_must_fix} comment{plural} marked “must fix before clearance” "
            f"{'are' if open_must_fix > 1 else 'is'} still open."
        )
    if move.needs_note and not note.strip():
        return f"{move.label} needs a note saying why."
    return None


def transition(
    status: BriefStatus,
    action: Action,
    roles: frozenset[Role],
    *,
    open_must_fix: int = 0,
    note: str = "",
) -> BriefStatus:
    """The status after ``action``.

    Raises:
        WorkflowError: the step is not allowed; the message says why.
    """
    reason = refusal(status, action, roles, open_must_fix=open_must_fix, note=note)
    if reason is not None:
        raise WorkflowError(reason)
    return TRANSITIONS[action].target


def allowed_actions(
    status: BriefStatus, roles: frozenset[Role], *, open_must_fix: int = 0
) -> list[Action]:
    """The actions the person may take now (a note is asked for when needed)."""
    return [
        action
        for action in TRANSITIONS
        if refusal(status, action, roles, open_must_fix=open_must_fix, note="-") is None
    ]


def canonical_json(brief: Brief) -> str:
    """The brief's content as one canonical text: the brief file's object with
    sorted keys, no spaces, text in Unicode NFC. Storage state (id, revision,
    status, times) is not part of it, so a copy of a version has the same."""
    return json.dumps(
        _nfc(brief_to_dict(brief)),
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )


def content_digest(brief: Brief) -> str:
    """SHA-256 (hex) of ``canonical_json``: what an approval is bound to."""
    return hashlib.sha256(canonical_json(brief).encode("utf-8")).hexdigest()


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {key: _nfc(item) for key, item in value.items()}
    return value
