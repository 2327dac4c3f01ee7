"""The clearance record in a .brief.json file: every value kept, the file's own
comment numbers, and a precise message for every fault."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from briefapp import paths
from briefapp.domain.brief_format import dumps_brief, loads_brief_file
from briefapp.domain.clearance import (
    AuditEvent,
    Clearance,
    Comment,
    CommentClass,
    CommentTarget,
    Member,
    TargetKind,
    Version,
    VersionReason,
)
from briefapp.domain.clearance_format import (
    FileClearance,
    clearance_to_dict,
    has_record,
)
from briefapp.domain.entities import BriefStatus
from briefapp.domain.errors import BriefFormatError
from briefapp.domain.workflow import Role
from tests.unit.json_edits import Document, delete_at, set_at

DRAFTER, REVIEWER, APPROVER = "Ona Analyst", "Rasa Reviewer", "Jonas Approver"
FIRST, SECOND = "0123456789abcdef" * 4, "ab" * 32


def _event(
    at: str, actor: str, action: str, note: str, move: str = "", version: int = 0
) -> dict[str, Any]:
    before, _, after = move.partition(">")
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "note": note,
        "from_status": before or None,
        "to_status": after or None,
        "version": version or None,
    }


def _comment(
    number: int, on: str, author: str, text: str, **changes: Any
) -> dict[str, Any]:
    return {
        "id": number,
        "reply_to": None,
        "on": on,
        "author": author,
        "created_at": "2026-11-28T10:00:00Z",
        "text": text,
        "class": "must_fix",
        "resolved": False,
        "resolved_by": "",
        "resolved_at": None,
        "version": 1,
    } | changes


CLEARANCE: dict[str, Any] = {
    "status": "approved",
    "chain": [
        {"name": DRAFTER, "role": "drafter"},
        {"name": REVIEWER, "role": "reviewer"},
        {"name": APPROVER, "role": "approver"},
    ],
    "versions": [
        {
            "number": 1,
            "reason": "submitted",
            "label": "",
            "created_by": DRAFTER,
            "created_at": "2026-11-28T09:15:00Z",
            "digest": FIRST,
        },
        {
            "number": 2,
            "reason": "approved",
            "label": "",
            "created_by": APPROVER,
            "created_at": "2026-11-30T16:02:41Z",
            "digest": SECOND,
        },
    ],
    "audit": [
        _event("2026-11-27T08:00:00Z", DRAFTER, "chain", "Chain: drafter Ona."),
        _event("2026-11-28T09:15:00Z", DRAFTER, "submit", "", "draft>in_review", 1),
        _event(
            "2026-11-30T16:02:41Z",
            APPROVER,
            "approve",
            "Cleared.",
            "in_review>approved",
            2,
        ),
    ],
    "comments": [
        _comment(
            1,
            "option:B",
            REVIEWER,
            "The cost of B has no source.",
            resolved=True,
            resolved_by=REVIEWER,
            resolved_at="2026-11-29T11:30:05Z",
        ),
        _comment(2, "option:B", DRAFTER, "Source added in annex.", reply_to=1),
        _comment(
            3,
            "field:summary",
            APPROVER,
            "Shorter, please.",
            version=2,
            **{"class": "should_fix"},
        ),
    ],
}


@pytest.fixture
def document() -> Document:
    demo = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    return demo | {"clearance": copy.deepcopy(CLEARANCE)}


def _text(document: Document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_every_value_of_the_clearance_is_read(document: Document) -> None:
    brief, clearance = loads_brief_file(_text(document))
    assert brief.reference == "MOD-2026-014"
    assert clearance is not None
    assert clearance.status is BriefStatus.APPROVED
    assert clearance.chain == (
        Member(DRAFTER, Role.DRAFTER),
        Member(REVIEWER, Role.REVIEWER),
        Member(APPROVER, Role.APPROVER),
    )
    assert clearance.versions[1] == Version(
        number=2,
        reason=VersionReason.APPROVED,
        created_by=APPROVER,
        created_at=dt.datetime(2026, 11, 30, 16, 2, 41, tzinfo=dt.UTC),
        digest=SECOND,
        has_content=False,
    )
    assert clearance.events[2] == AuditEvent(
        at=dt.datetime(2026, 11, 30, 16, 2, 41, tzinfo=dt.UTC),
        actor=APPROVER,
        action="approve",
        note="Cleared.",
        from_status=BriefStatus.IN_REVIEW,
        to_status=BriefStatus.APPROVED,
        version=2,
    )
    first, reply, other = clearance.comments
    assert first.target == CommentTarget(TargetKind.OPTION, "B")
    assert (first.comment_class, first.resolved, first.resolved_by) == (
        CommentClass.MUST_FIX,
        True,
        REVIEWER,
    )
    assert first.resolved_at == dt.datetime(2026, 11, 29, 11, 30, 5, tzinfo=dt.UTC)
    assert (reply.id, reply.parent_id, reply.text) == (2, 1, "Source added in annex.")
    assert (other.comment_class, other.version) == (CommentClass.SHOULD_FIX, 2)


def test_written_back_the_file_is_the_same_bytes(document: Document) -> None:
    text = _text(document)
    assert dumps_brief(*loads_brief_file(text)) == text


def test_a_brief_alone_is_written_without_a_clearance(document: Document) -> None:
    brief, _ = loads_brief_file(_text(document))
    assert "clearance" not in json.loads(dumps_brief(brief))


def test_comments_are_numbered_in_the_file_and_times_are_utc_seconds() -> None:
    when = dt.datetime(
        2026, 11, 28, 11, 15, 0, 654321, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    comments = (
        Comment(17, CommentTarget(), REVIEWER, when, "Whole brief."),
        Comment(18, CommentTarget(), DRAFTER, when, "Answered.", parent_id=17),
        Comment(40, CommentTarget(TargetKind.COUNTRY, "LT"), REVIEWER, when, "LT?"),
    )
    clearance = Clearance(7, "MOD-1", BriefStatus.DRAFT, comments=comments)
    written = clearance_to_dict(clearance)["comments"]
    assert [(c["id"], c["reply_to"], c["on"]) for c in written] == [
        (1, None, "brief"),
        (2, 1, "brief"),
        (3, None, "country:LT"),
    ]
    assert written[0]["created_at"] == "2026-11-28T09:15:00Z"


def test_a_clearance_is_worth_writing_once_anything_happened() -> None:
    assert not has_record(FileClearance())
    assert has_record(FileClearance(chain=(Member(DRAFTER, Role.DRAFTER),)))
    assert has_record(FileClearance(status=BriefStatus.IN_REVIEW))


TIME_FORMAT = "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ"
STATUSES = "draft, in_review, changes_requested, approved, issued, archived"

FAULTS = [
    (set_at("clearance", []), "clearance: must be an object, not an array"),
    (set_at("clearance/colour", "red"), "clearance.colour: unknown key"),
    (delete_at("clearance/audit"), "clearance.audit: missing required key"),
    (set_at("clearance/status", "cleared"),
     f"clearance.status: must be one of {STATUSES}"),
    (set_at("clearance/chain", {}), "clearance.chain: must be an array, not an object"),
    (set_at("clearance/chain/0/role", "boss"),
     "clearance.chain[0].role: must be one of drafter, reviewer, approver"),
    (set_at("clearance/chain/0/name", " "), "clearance.chain[0].name: is empty"),
    (set_at("clearance/chain/1/role", "approver"),
     "clearance.chain: A brief has one approver; the chain names several."),
    (set_at("clearance/chain/1/name", DRAFTER),
     "clearance.chain: Ona Analyst drafts this brief and so cannot also be its "
     "reviewer."),
    (set_at("clearance/versions/1/digest", "xyz"),
     "clearance.versions[1].digest: must be 64 hexadecimal digits (0-9, a-f)"),
    (set_at("clearance/versions/1/digest", SECOND.upper()),
     "clearance.versions[1].digest: must be 64 hexadecimal digits (0-9, a-f)"),
    (set_at("clearance/versions/0/reason", "whim"),
     "clearance.versions[0].reason: must be one of submitted, approved, issued, "
     "saved, imported"),
    (set_at("clearance/versions/0/created_at", "2026-11-28 09:15"),
     f"clearance.versions[0].created_at: {TIME_FORMAT}"),
    (set_at("clearance/versions/1/number", 1),  # and what names version 2
     "clearance.versions[1].number: must be 2: versions are numbered 1, 2, 3, … "
     "in order (and 2 more problems)"),
    (delete_at("clearance/versions/0"),  # and the five places naming a version
     "clearance.versions[0].number: must be 1: versions are numbered 1, 2, 3, … "
     "in order (and 5 more problems)"),
    (set_at("clearance/audit/1/at", "2026-11-28T09:15:00+02:00"),
     f"clearance.audit[1].at: {TIME_FORMAT}"),
    (set_at("clearance/audit/1/at", None), f"clearance.audit[1].at: {TIME_FORMAT}"),
    (set_at("clearance/audit/1/at", "2026-02-30T09:15:00Z"),
     "clearance.audit[1].at: “2026-02-30T09:15:00Z” is not a time in the calendar"),
    (set_at("clearance/audit/1/at", "2026-11-28T24:00:00Z"),
     "clearance.audit[1].at: “2026-11-28T24:00:00Z” is not a time in the calendar"),
    (delete_at("clearance/audit/0/note"),
     "clearance.audit[0].note: missing required key"),
    (set_at("clearance/audit/0/action", " "), "clearance.audit[0].action: is empty"),
    (set_at("clearance/audit/1/to_status", "done"),
     f"clearance.audit[1].to_status: must be one of {STATUSES}"),
    (set_at("clearance/audit/1/version", 9),
     "clearance.audit[1].version: there is no version 9 in this file"),
    (set_at("clearance/audit/1/version", "1"),
     "clearance.audit[1].version: must be a version's number, or null"),
    (set_at("clearance/comments/0/class", "blocker"),
     "clearance.comments[0].class: must be one of must_fix, should_fix, comment"),
    (set_at("clearance/comments/0/resolvd", True),
     "clearance.comments[0].resolvd: unknown key (did you mean “resolved”?)"),
    (set_at("clearance/comments/0/id", 5),
     "clearance.comments[0].id: must be 1: comments are numbered 1, 2, 3, … in "
     "order"),
    (set_at("clearance/comments/1/reply_to", 7),
     "clearance.comments[1].reply_to: there is no comment 7 in this file"),
    (set_at("clearance/comments/1/reply_to", 3),
     "clearance.comments[1].reply_to: comment 3 is not before this one; a reply "
     "comes after the comment it answers"),
    (set_at("clearance/comments/1/reply_to", 2),
     "clearance.comments[1].reply_to: comment 2 is not before this one; a reply "
     "comes after the comment it answers"),
    (set_at("clearance/comments/2/reply_to", 2),
     "clearance.comments[2].reply_to: comment 2 is itself a reply; replies answer "
     "a comment, not another reply"),
    (set_at("clearance/comments/1/reply_to", "1"),
     "clearance.comments[1].reply_to: must be the number of a comment, or null"),
    (set_at("clearance/comments/0/on", "option"),
     "clearance.comments[0].on: must be “brief” or what the comment is on, such as "
     "“option:B” (field, option, constraint or country, then its key)"),
    (set_at("clearance/comments/0/on", "paragraph:3"),
     "clearance.comments[0].on: must be “brief” or what the comment is on, such as "
     "“option:B” (field, option, constraint or country, then its key)"),
    (set_at("clearance/comments/0/on", 3),
     "clearance.comments[0].on: must be a string, not a number"),
    (set_at("clearance/comments/0/text", ""), "clearance.comments[0].text: is empty"),
    (set_at("clearance/comments/0/author", None),
     "clearance.comments[0].author: must be a string, not null"),
    (set_at("clearance/comments/0/resolved", "yes"),
     "clearance.comments[0].resolved: must be true or false"),
    (set_at("clearance/comments/0/resolved_at", "yesterday"),
     f"clearance.comments[0].resolved_at: {TIME_FORMAT}, or null"),
    (set_at("clearance/comments/0/resolved_at", None),
     "clearance.comments[0].resolved_at: a resolved comment needs the time it "
     "was resolved"),
    (set_at("clearance/comments/1/resolved_by", REVIEWER),
     "clearance.comments[1].resolved: is false, but resolved_by or resolved_at "
     "says it was resolved"),
    (set_at("clearance/comments/2/version", 3),
     "clearance.comments[2].version: there is no version 3 in this file"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), FAULTS)
def test_each_clearance_fault_is_named_with_its_json_path(
    document: Document, change: Callable[[Document], None], expected: str
) -> None:
    change(document)
    with pytest.raises(BriefFormatError) as caught:
        loads_brief_file(json.dumps(document))
    assert str(caught.value) == expected


def test_brief_and_clearance_problems_are_reported_together(
    document: Document,
) -> None:
    document["brief"]["title"] = 1
    document["clearance"]["comments"][0]["class"] = "blocker"
    with pytest.raises(BriefFormatError) as caught:
        loads_brief_file(json.dumps(document))
    assert caught.value.problems == [
        ("brief.title", "must be a string, not a number"),
        (
            "clearance.comments[0].class",
            "must be one of must_fix, should_fix, comment",
        ),
    ]
