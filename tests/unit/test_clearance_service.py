"""Clearance through the services: each step recorded, rules enforced, versions kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from briefapp.domain.clearance import (
    CommentClass,
    CommentTarget,
    Member,
    TargetKind,
    others_sentence,
)
from briefapp.domain.compare import ChangeKind
from briefapp.domain.entities import BriefStatus, Option
from briefapp.domain.errors import UserError
from briefapp.domain.workflow import Action, Role, WorkflowError, content_digest
from briefapp.services.session import Services

DRAFTER, REVIEWER, APPROVER = "Ona Analyst", "Rasa Reviewer", "Jonas Approver"
CHAIN = [
    Member(DRAFTER, Role.DRAFTER),
    Member(REVIEWER, Role.REVIEWER),
    Member(APPROVER, Role.APPROVER),
]


@pytest.fixture
def brief_id(services: Services) -> int:
    services.briefs.editor = DRAFTER
    services.clearance.set_chain(1, CHAIN, DRAFTER)
    return 1


def edit_summary(services: Services, brief_id: int, text: str) -> None:
    brief = services.briefs.get_brief(brief_id)
    services.briefs.save_brief(replace(brief, summary=text))


def test_the_whole_path_is_recorded_step_by_step(
    services: Services, brief_id: int
) -> None:
    clearance = services.clearance
    clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    must_fix = clearance.add_comment(
        brief_id,
        CommentTarget(TargetKind.OPTION, "B"),
        "The cost of B has no source.",
        REVIEWER,
        CommentClass.MUST_FIX,
    )
    with pytest.raises(
        WorkflowError,
        match="1 comment marked “must fix before clearance” is still open",
    ):
        clearance.act(brief_id, Action.APPROVE, APPROVER)
    clearance.act(brief_id, Action.REQUEST_CHANGES, REVIEWER, "See my comment on B.")
    edit_summary(services, brief_id, "A shorter summary.")
    assert services.briefs.get_brief(brief_id).status is BriefStatus.DRAFT
    clearance.reply(must_fix.id, "Source added in annex.", DRAFTER)
    clearance.resolve_comment(must_fix.id, REVIEWER)
    clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    clearance.act(brief_id, Action.CLEAR, REVIEWER)
    approved = clearance.act(brief_id, Action.APPROVE, APPROVER, "Cleared.")

    assert approved.status is BriefStatus.APPROVED
    assert [
        (e.action, e.actor, e.from_status, e.to_status)
        for e in approved.events
        if e.to_status
    ] == [
        ("submit", DRAFTER, BriefStatus.DRAFT, BriefStatus.IN_REVIEW),
        (
            "request_changes",
            REVIEWER,
            BriefStatus.IN_REVIEW,
            BriefStatus.CHANGES_REQUESTED,
        ),
        ("revise", DRAFTER, BriefStatus.CHANGES_REQUESTED, BriefStatus.DRAFT),
        ("submit", DRAFTER, BriefStatus.DRAFT, BriefStatus.IN_REVIEW),
        ("clear", REVIEWER, BriefStatus.IN_REVIEW, BriefStatus.IN_REVIEW),
        ("approve", APPROVER, BriefStatus.IN_REVIEW, BriefStatus.APPROVED),
    ]
    assert approved.events[-1].note == "Cleared."
    assert [(v.number, v.reason.value, v.created_by) for v in approved.versions] == [
        (1, "submitted", DRAFTER),
        (2, "submitted", DRAFTER),
        (3, "approved", APPROVER),
    ]
    brief = services.briefs.get_brief(brief_id)
    assert approved.versions[-1].digest == content_digest(brief)
    assert services.clearance.last_reviewed_version(brief_id) == 3
    replies = approved.replies_to(must_fix.id)
    assert [(r.author, r.text) for r in replies] == [
        (DRAFTER, "Source added in annex.")
    ]


def test_an_approved_brief_cannot_be_edited_until_reopened(
    services: Services, brief_id: int
) -> None:
    services.clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    with pytest.raises(
        WorkflowError, match="is in review; it can be edited once changes are requested"
    ):
        edit_summary(services, brief_id, "Changed in review.")
    services.clearance.act(brief_id, Action.CLEAR, REVIEWER)
    services.clearance.act(brief_id, Action.APPROVE, APPROVER)
    with pytest.raises(WorkflowError, match="is approved; reopen it"):
        edit_summary(services, brief_id, "Changed after approval.")
    with pytest.raises(WorkflowError, match="Reopen needs a note saying why"):
        services.clearance.act(brief_id, Action.REOPEN, APPROVER)
    reopened = services.clearance.act(
        brief_id, Action.REOPEN, APPROVER, "Cost figures revised."
    )
    assert reopened.status is BriefStatus.DRAFT
    assert reopened.events[-1].note == "Cost figures revised."
    edit_summary(services, brief_id, "Changed after reopening.")
    assert services.briefs.get_brief(brief_id).summary == "Changed after reopening."
    # The approval no longer stands: issuing needs a new approval.
    with pytest.raises(
        WorkflowError, match="Issue is possible only when the brief is approved"
    ):
        services.review.issue(
            brief_id, services.database_path.with_name("x.docx"), APPROVER
        )


@pytest.mark.parametrize(
    ("action", "actor", "reason"),
    [
        (
            Action.SUBMIT,
            REVIEWER,
            "Submit for review is for the brief's drafter (Ona Analyst); "
            "you act as Rasa Reviewer.",
        ),
        (
            Action.APPROVE,
            DRAFTER,
            "Approve is possible only when the brief is in review; it is a draft.",
        ),
        (
            Action.REQUEST_CHANGES,
            REVIEWER,
            "Request changes is possible only when the brief is in review; "
            "it is a draft.",
        ),
        (
            Action.ARCHIVE,
            DRAFTER,
            "Archive is possible only when the brief is issued; it is a draft.",
        ),
    ],
)
def test_forbidden_steps_say_why_and_change_nothing(
    services: Services, brief_id: int, action: Action, actor: str, reason: str
) -> None:
    with pytest.raises(WorkflowError) as raised:
        services.clearance.act(brief_id, action, actor)
    assert str(raised.value) == reason
    clearance = services.clearance.clearance(brief_id)
    assert clearance.status is BriefStatus.DRAFT
    assert clearance.versions == ()
    assert [e.action for e in clearance.events] == ["chain"]


def test_a_reviewer_may_not_approve_and_a_chain_without_approver_says_so(
    services: Services, brief_id: int
) -> None:
    services.clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    with pytest.raises(
        WorkflowError,
        match=r"Approve is for the brief's approver \(Jonas Approver\); "
        "you act as Rasa Reviewer",
    ):
        services.clearance.act(brief_id, Action.APPROVE, REVIEWER)
    with pytest.raises(
        WorkflowError,
        match=r"The clearance chain is set while the brief is a draft; "
        r"it is in review\.",
    ):
        services.clearance.set_chain(brief_id, CHAIN[:2], DRAFTER)
    services.clearance.act(brief_id, Action.REQUEST_CHANGES, REVIEWER)
    services.clearance.set_chain(brief_id, CHAIN[:2], DRAFTER)
    services.clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    services.clearance.act(brief_id, Action.CLEAR, REVIEWER)
    with pytest.raises(
        WorkflowError, match="the clearance chain names no approver yet"
    ):
        services.clearance.act(brief_id, Action.APPROVE, APPROVER)


def test_reviewers_clear_in_order_before_approval(
    services: Services, brief_id: int
) -> None:
    second = "Tomas Second"
    services.clearance.set_chain(
        brief_id, [*CHAIN[:2], Member(second, Role.REVIEWER), CHAIN[2]], DRAFTER
    )
    services.clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    with pytest.raises(
        WorkflowError,
        match=r"Reviewers clear in the chain's order: Rasa Reviewer clears first\.",
    ):
        services.clearance.act(brief_id, Action.CLEAR, second)
    with pytest.raises(
        WorkflowError,
        match=r"Waiting for Rasa Reviewer and Tomas Second to clear version 1",
    ):
        services.clearance.act(brief_id, Action.APPROVE, APPROVER)
    services.clearance.act(brief_id, Action.CLEAR, REVIEWER)
    with pytest.raises(WorkflowError, match=r"You have cleared version 1 already\."):
        services.clearance.act(brief_id, Action.CLEAR, REVIEWER)
    services.clearance.act(brief_id, Action.CLEAR, second)
    approved = services.clearance.act(brief_id, Action.APPROVE, APPROVER)
    assert approved.status is BriefStatus.APPROVED


def test_only_drafters_edit_set_the_chain_or_delete(
    services: Services, brief_id: int
) -> None:
    services.briefs.editor = REVIEWER
    with pytest.raises(
        WorkflowError,
        match=r"Only the brief's drafter \(Ona Analyst\) edits it; "
        "you act as Rasa Reviewer",
    ):
        edit_summary(services, brief_id, "A reviewer's rewrite.")
    with pytest.raises(
        WorkflowError, match=r"set by the brief's drafter \(Ona Analyst\)"
    ):
        services.clearance.set_chain(
            brief_id, [Member(REVIEWER, Role.APPROVER)], REVIEWER
        )
    with pytest.raises(
        WorkflowError, match=r"Only the brief's drafter \(Ona Analyst\) deletes it."
    ):
        services.briefs.delete_brief(brief_id)
    assert services.briefs.get_brief(brief_id).summary != "A reviewer's rewrite."


def test_nobody_approves_what_they_edited(services: Services, brief_id: int) -> None:
    # The approver was a drafter once and edited the summary.
    services.clearance.set_chain(brief_id, [Member(APPROVER, Role.DRAFTER)], DRAFTER)
    services.briefs.editor = APPROVER
    edit_summary(services, brief_id, "Written by the approver.")
    services.clearance.set_chain(brief_id, CHAIN, APPROVER)
    # Someone else edits the summary after him: he still wrote part of it.
    services.briefs.editor = DRAFTER
    edit_summary(services, brief_id, "Rewritten by the drafter.")
    services.clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    services.clearance.act(brief_id, Action.CLEAR, REVIEWER)
    with pytest.raises(
        WorkflowError,
        match=r"You edited this brief \(Summary\); someone who did not write it "
        "must approve it",
    ):
        services.clearance.act(brief_id, Action.APPROVE, APPROVER)


def test_a_late_must_fix_comment_blocks_issue_and_approved_briefs_stay(
    services: Services, brief_id: int, tmp_path
) -> None:
    services.clearance.act(brief_id, Action.SUBMIT, DRAFTER)
    services.clearance.act(brief_id, Action.CLEAR, REVIEWER)
    services.clearance.act(brief_id, Action.APPROVE, APPROVER)
    with pytest.raises(WorkflowError, match="is approved; only a draft can be deleted"):
        services.briefs.delete_brief(brief_id)
    services.clearance.add_comment(
        brief_id,
        CommentTarget(),
        "The figures changed.",
        REVIEWER,
        CommentClass.MUST_FIX,
    )
    with pytest.raises(WorkflowError) as refused:
        services.review.issue(brief_id, tmp_path / "x.docx", APPROVER)
    assert str(refused.value) == (
        "1 comment marked “must fix before clearance” is still open: #1 on the "
        "brief (“The figures changed.”). It is resolved by Rasa Reviewer or you "
        "(the approver)."
    )
    assert not (tmp_path / "x.docx").exists()


def test_chain_rules(services: Services, brief_id: int) -> None:
    with pytest.raises(WorkflowError, match="cannot also be its approver"):
        services.clearance.set_chain(
            brief_id,
            [Member(DRAFTER, Role.DRAFTER), Member("ona analyst", Role.APPROVER)],
            DRAFTER,
        )
    with pytest.raises(WorkflowError, match="one approver"):
        services.clearance.set_chain(
            brief_id, [Member("A", Role.APPROVER), Member("B", Role.APPROVER)], DRAFTER
        )
    assert services.clearance.clearance(brief_id).chain == tuple(CHAIN)


def test_comments_need_a_real_target_and_must_fix_is_resolved_by_its_author(
    services: Services, brief_id: int
) -> None:
    clearance = services.clearance
    with pytest.raises(UserError, match="no option “Z” to comment on"):
        clearance.add_comment(
            brief_id, CommentTarget(TargetKind.OPTION, "Z"), "x", REVIEWER
        )
    with pytest.raises(UserError, match="needs some text"):
        clearance.add_comment(brief_id, CommentTarget(), "  ", REVIEWER)
    comment = clearance.add_comment(
        brief_id,
        CommentTarget(TargetKind.FIELD, "summary"),
        "Too long.",
        REVIEWER,
        CommentClass.MUST_FIX,
    )
    with pytest.raises(
        UserError, match="resolved by its author \\(Rasa Reviewer\\) or the approver"
    ):
        clearance.resolve_comment(comment.id, DRAFTER)
    assert clearance.resolve_comment(comment.id, APPROVER).resolved_by == APPROVER
    reopened = clearance.resolve_comment(comment.id, REVIEWER, resolved=False)
    assert (reopened.resolved, reopened.resolved_by) == (False, "")
    reply = clearance.reply(comment.id, "Shortened.", DRAFTER)
    assert (reply.target, reply.comment_class, reply.parent_id) == (
        comment.target,
        CommentClass.MUST_FIX,
        comment.id,
    )
    assert clearance.clearance(brief_id).open_must_fix == 1


def test_versions_compare_with_known_changes(services: Services, brief_id: int) -> None:
    first = services.clearance.save_version(brief_id, "  before  the edits ", DRAFTER)
    assert (first.number, first.label) == (1, "before the edits")
    brief = services.briefs.get_brief(brief_id)
    services.briefs.save_brief(
        replace(
            brief,
            summary=brief.summary.replace("Lithuania", "The Republic of Lithuania", 1),
            options=(
                *brief.options[:3],
                replace(brief.options[3], title="Buy later"),
                Option(key="E", title="Lease from a partner"),
            ),
        )
    )
    comparison = services.clearance.compare(brief_id, 1)
    assert [f.path for f in comparison.fields] == ["summary"]
    inserted = [
        s.text for s in comparison.fields[0].segments if s.kind.value == "insert"
    ]
    assert [t.strip() for t in inserted] == ["The Republic of"]
    assert [
        (i.collection, i.key, i.kind)
        for i in comparison.items
        if i.collection == "options"
    ] == [
        ("options", "D", ChangeKind.CHANGED),
        ("options", "E", ChangeKind.ADDED),
    ]
    again = services.clearance.save_version(brief_id, "", DRAFTER)
    assert services.clearance.compare(brief_id, again.number).is_empty
    assert services.clearance.version_brief(brief_id, 1).summary == brief.summary
    with pytest.raises(UserError, match="has no version 9"):
        services.clearance.compare(brief_id, 9)


def test_an_issued_brief_is_kept(services: Services, brief_id: int, tmp_path) -> None:
    for action, actor in (
        (Action.SUBMIT, DRAFTER),
        (Action.CLEAR, REVIEWER),
        (Action.APPROVE, APPROVER),
    ):
        services.clearance.act(brief_id, action, actor)
    services.review.issue(brief_id, tmp_path / "issued.docx", APPROVER)
    assert services.briefs.get_brief(brief_id).status is BriefStatus.ISSUED
    with pytest.raises(WorkflowError, match="archive it instead"):
        services.briefs.delete_brief(brief_id)
    clearance = services.clearance.clearance(brief_id)
    # The issue is of the approved version and carries its number: no new one.
    assert [(v.number, v.reason.value) for v in clearance.versions] == [
        (1, "submitted"),
        (2, "approved"),
    ]
    assert (clearance.events[-1].action, clearance.events[-1].version) == ("issue", 2)
    assert clearance.events[-1].at <= dt.datetime.now(dt.UTC)


def test_steps_need_a_name_and_resolving_is_recorded(
    services: Services, brief_id: int
) -> None:
    with pytest.raises(
        WorkflowError, match=r"Set your name first \(Edit ▸ Preferences"
    ):
        services.clearance.act(brief_id, Action.SUBMIT, "  ")
    comment = services.clearance.add_comment(
        brief_id, CommentTarget(), "Check the dates.", REVIEWER, CommentClass.MUST_FIX
    )
    services.clearance.resolve_comment(comment.id, REVIEWER)
    services.clearance.resolve_comment(comment.id, APPROVER, resolved=False)
    events = services.clearance.clearance(brief_id).events
    assert [(e.action, e.actor, e.note) for e in events[-2:]] == [
        ("resolve comment", REVIEWER, f"#{comment.id} by {REVIEWER}: Check the dates."),
        ("reopen comment", APPROVER, f"#{comment.id} by {REVIEWER}: Check the dates."),
    ]


def test_next_steps_by_others_come_from_the_record(services: Services) -> None:
    # The demo brief names nobody: its user drafts it, nobody else has a step.
    clearance = services.clearance
    assert clearance.clearance(1).chain == ()
    assert others_sentence(clearance.clearance(1), DRAFTER) == ""
    clearance.act(1, Action.SUBMIT, DRAFTER)
    assert others_sentence(clearance.clearance(1), DRAFTER) == (
        "Next steps by others: Request changes (nobody named yet); "
        "Approve (nobody named yet)."
    )


def test_an_issued_brief_leaves_the_drafter_and_approver_steps(
    services: Services, brief_id: int, tmp_path
) -> None:
    for action, actor in (
        (Action.SUBMIT, DRAFTER),
        (Action.CLEAR, REVIEWER),
        (Action.APPROVE, APPROVER),
    ):
        services.clearance.act(brief_id, action, actor)
    services.review.issue(brief_id, tmp_path / "issued.docx", APPROVER)
    issued = services.clearance.clearance(brief_id)
    assert others_sentence(issued, REVIEWER) == (
        f"Next steps by others: Reopen ({DRAFTER} or {APPROVER}); "
        f"Archive ({DRAFTER} or {APPROVER})."
    )
    assert others_sentence(issued, APPROVER) == (
        f"Next steps by others: Reopen ({DRAFTER}); Archive ({DRAFTER})."
    )
