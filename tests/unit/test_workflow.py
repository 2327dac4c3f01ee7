"""Clearance rules: who may move a brief on, from which status, and why not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from briefapp.domain.entities import Brief, BriefStatus
from briefapp.domain.workflow import (
    Action,
    Role,
    WorkflowError,
    allowed_actions,
    canonical_json,
    content_digest,
    refusal,
    transition,
)

DRAFTER = frozenset({Role.DRAFTER})
REVIEWER = frozenset({Role.REVIEWER})
APPROVER = frozenset({Role.APPROVER})

# Everything each role may do in each status, written out in full.
ALLOWED = {
    (BriefStatus.DRAFT, Role.DRAFTER): {Action.SUBMIT},
    (BriefStatus.IN_REVIEW, Role.REVIEWER): {Action.CLEAR, Action.REQUEST_CHANGES},
    (BriefStatus.IN_REVIEW, Role.APPROVER): {Action.REQUEST_CHANGES, Action.APPROVE},
    (BriefStatus.CHANGES_REQUESTED, Role.DRAFTER): {Action.REVISE, Action.SUBMIT},
    (BriefStatus.APPROVED, Role.DRAFTER): {Action.ISSUE, Action.REOPEN},
    (BriefStatus.APPROVED, Role.APPROVER): {Action.ISSUE, Action.REOPEN},
    (BriefStatus.ISSUED, Role.DRAFTER): {Action.REOPEN, Action.ARCHIVE},
    (BriefStatus.ISSUED, Role.APPROVER): {Action.REOPEN, Action.ARCHIVE},
}


def test_the_whole_clearance_path() -> None:
    status = BriefStatus.DRAFT
    for action, roles, expected in (
        (Action.SUBMIT, DRAFTER, BriefStatus.IN_REVIEW),
        (Action.REQUEST_CHANGES, REVIEWER, BriefStatus.CHANGES_REQUESTED),
        (Action.REVISE, DRAFTER, BriefStatus.DRAFT),
        (Action.SUBMIT, DRAFTER, BriefStatus.IN_REVIEW),
        (Action.APPROVE, APPROVER, BriefStatus.APPROVED),
        (Action.ISSUE, DRAFTER, BriefStatus.ISSUED),
        (Action.ARCHIVE, APPROVER, BriefStatus.ARCHIVED),
    ):
        status = transition(status, action, roles)
        assert status is expected


@pytest.mark.parametrize("status", list(BriefStatus))
@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_exactly_its_steps(status: BriefStatus, role: Role) -> None:
    expected = ALLOWED.get((status, role), set())
    assert set(allowed_actions(status, frozenset({role}))) == expected
    for action in set(Action) - expected:
        with pytest.raises(WorkflowError):
            transition(status, action, frozenset({role}), note="why")


def test_refusals_say_why() -> None:
    assert refusal(BriefStatus.DRAFT, Action.APPROVE, APPROVER) == (
        "Approve is possible only when the brief is in review; it is a draft."
    )
    assert refusal(BriefStatus.IN_REVIEW, Action.APPROVE, REVIEWER) == (
        "Approve is for the brief's approver."
    )
    assert refusal(
        BriefStatus.IN_REVIEW, Action.APPROVE, APPROVER, open_must_fix=2
    ) == ("2 comments marked “must fix before clearance” are still open.")
    assert refusal(BriefStatus.ISSUED, Action.REOPEN, DRAFTER) == (
        "Reopen needs a note saying why."
    )
    assert (
        transition(BriefStatus.ISSUED, Action.REOPEN, DRAFTER, note="Figures changed")
        is BriefStatus.DRAFT
    )


def test_an_open_must_fix_comment_blocks_approval_and_issue() -> None:
    assert allowed_actions(BriefStatus.IN_REVIEW, APPROVER, open_must_fix=1) == [
        Action.REQUEST_CHANGES
    ]
    assert allowed_actions(BriefStatus.APPROVED, APPROVER, open_must_fix=1) == [
        Action.REOPEN
    ]


def test_the_digest_binds_the_content_not_the_storage_state(demo_brief: Brief) -> None:
    stored = replace(demo_brief, id=7, revision=12, status=BriefStatus.APPROVED)
    assert content_digest(stored) == content_digest(demo_brief)
    assert len(content_digest(demo_brief)) == 64
    one_word = replace(demo_brief, summary=demo_brief.summary.replace("four", "five"))
    assert content_digest(one_word) != content_digest(demo_brief)


def test_the_canonical_text_is_stable_whatever_the_unicode_form(
    demo_brief: Brief,
) -> None:
    composed = replace(demo_brief, title="Šaudmenys")
    decomposed = replace(demo_brief, title="S\u030caudmenys")
    assert canonical_json(composed) == canonical_json(decomposed)
    assert canonical_json(composed).startswith('{"addressee":')
    assert " " not in canonical_json(replace(demo_brief, title="x"))[:20]
