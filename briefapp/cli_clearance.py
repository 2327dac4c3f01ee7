"""Clearance on the command line: status, the chain, each step, versions,
comparisons, comments, the review copy, issuing and verification."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefapp.cli_output import block, field
from briefapp.domain.clearance import (
    COMMENT_CLASS_LABELS,
    Comment,
    CommentClass,
    CommentTarget,
    Member,
    available_actions,
    issue_version,
    others_sentence,
    pending_reviewers,
    same_person,
)
from briefapp.domain.compare import comparison_lines
from briefapp.domain.entities import BriefStatus
from briefapp.domain.errors import UserError
from briefapp.domain.workflow import STATUS_LABELS, STATUS_PHRASES, Action, Role
from briefapp.services.files import issue_file_name

if TYPE_CHECKING:
    from briefapp.services.session import Services

STEPS = {
    "submit": ("submit", "submit a draft for review"),
    "clear": ("clear", "clear the version in review, as its next reviewer"),
    "request-changes": ("request_changes", "send a brief in review back for changes"),
    "revise": ("revise", "take a brief with changes requested back to draft"),
    "approve": ("approve", "approve a brief in review (takes a version)"),
    "reopen": ("reopen", "reopen an approved or issued brief (--note says why)"),
    "archive": ("archive", "archive an issued brief"),
}
CLASSES = {"must-fix": "must_fix", "should-fix": "should_fix", "comment": "comment"}


def add_clearance_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    shared = [common]

    def command(name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = commands.add_parser(
            name, parents=shared, help=help_text
        )
        parser.set_defaults(handler=handler)
        return parser

    status = command(
        "status", "a brief's status, clearance chain and open comments", _status
    )
    status.add_argument("id", type=int)

    chain = command("chain", "name a brief's drafters, reviewers and approver", _chain)
    chain.add_argument("id", type=int)
    chain.add_argument("--drafter", action="append", default=[], metavar="NAME")
    chain.add_argument("--reviewer", action="append", default=[], metavar="NAME")
    chain.add_argument("--approver", metavar="NAME")

    for name, (_, help_text) in STEPS.items():
        step = command(name, help_text, _step)
        step.add_argument("id", type=int)
        step.add_argument("--note", default="", metavar="TEXT")
        step.set_defaults(step=name)

    issue = command(
        "issue", "issue an approved brief: writes the stamped Word file", _issue
    )
    issue.add_argument("id", type=int)
    issue.add_argument("--note", default="", metavar="TEXT")
    issue.add_argument("-t", "--template", metavar="TEMPLATE")
    issue.add_argument(
        "-o", "--output", type=Path, metavar="FILE.docx",
        help="default: REFERENCE-vN.docx in the current folder",
    )  # fmt: skip

    history = command(
        "history", "every clearance step: when, who, what, note", _history
    )
    history.add_argument("id", type=int)

    versions = command("versions", "list a brief's versions", _versions)
    versions.add_argument("id", type=int)
    keep = command("save-version", "keep the brief as it is now as a version", _keep)
    keep.add_argument("id", type=int)
    keep.add_argument("-l", "--label", default="", metavar="TEXT")

    _add_comment_commands(command)


def _add_comment_commands(command: Any) -> None:
    diff = command("diff", "what changed between two versions", _diff)
    diff.add_argument("id", type=int)
    diff.add_argument("old", type=int, metavar="V1")
    diff.add_argument(
        "new", nargs="?", default="current", metavar="V2",
        help="a version number, or 'current' (the default)",
    )  # fmt: skip

    comments = command("comments", "list a brief's comments", _comments)
    comments.add_argument("id", type=int)
    comments.add_argument("--open", action="store_true", help="only unresolved ones")
    comments.add_argument("--mine", action="store_true", help="only yours")
    comments.add_argument("--class", dest="comment_class", choices=sorted(CLASSES))

    comment = command(
        "comment", "comment on a brief; prints the comment's id", _comment
    )
    comment.add_argument("id", type=int)
    comment.add_argument("text")
    comment.add_argument(
        "--on", default="brief", metavar="TARGET",
        help="brief (default), field:NAME, option:KEY, constraint:KEY or country:CODE",
    )  # fmt: skip
    comment.add_argument(
        "--class", dest="comment_class", choices=sorted(CLASSES), default="comment"
    )
    reply = command("reply", "reply to a comment", _reply)
    reply.add_argument("comment", type=int, metavar="COMMENT_ID")
    reply.add_argument("text")
    resolve = command("resolve", "mark a comment resolved", _resolve)
    resolve.add_argument("comment", type=int, metavar="COMMENT_ID")
    resolve.add_argument("--reopen", action="store_true", help="mark it open again")

    review = command(
        "review-copy",
        "write a Word review copy: open comments as Word comments, changes since "
        "the last review as tracked changes",
        _review_copy,
    )
    review.add_argument("id", type=int)
    review.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.docx")
    review.add_argument("-t", "--template", metavar="TEMPLATE")

    verify = command(
        "verify",
        "check whether a Word file was issued from an approved version here and "
        "reads as issued, and its signature (exit 0: it was; 4: it was changed; "
        "5: unknown; 6: its approval was withdrawn or a later issue replaces it)",
        _verify,
    )
    verify.add_argument("file", type=Path, metavar="FILE.docx")
    verify.add_argument(
        "--key", type=Path, metavar="FILE.pub",
        help="check the file's signature with this public key (from `briefapp keys "
        "export`) and what it shows against what was signed, with no database",
    )  # fmt: skip


def issued_copy(
    args: argparse.Namespace, services: Services, status: BriefStatus
) -> bool:
    """``render`` of an issued brief writes a stamped issued copy."""
    if status not in (BriefStatus.ISSUED, BriefStatus.ARCHIVED):
        return False
    if args.output.suffix.lower() != ".docx":
        return False
    services.review.issued_copy(
        args.id, args.output, _actor(services), template=args.template
    )
    print(
        "briefapp: the brief is issued: wrote an issued copy of its approved "
        "version, which `briefapp verify` recognises",
        file=sys.stderr,
    )
    return True


def _actor(services: Services) -> str:
    return services.briefs.editor


def _status(args: argparse.Namespace, services: Services) -> None:
    brief = services.briefs.get_brief(args.id)
    clearance = services.clearance.clearance(args.id)
    me = _actor(services)
    print(f"{field(brief.reference)}  {field(brief.title)}")
    print(f"Status: {STATUS_LABELS[clearance.status].lower()}")
    print("Clearance chain:")
    for member in clearance.chain:
        print(f"  {member.role.value:<9} {field(member.name)}")
    if not clearance.chain:
        print("  (nobody named yet: set it with `briefapp chain`)")
    steps = [a.value.replace("_", "-") for a in available_actions(clearance, me)]
    print(f"You ({field(me) or 'unnamed'}) may: {', '.join(steps) or 'nothing now'}")
    others = others_sentence(clearance, me)
    if others:
        print(block(others))
    if clearance.versions:
        latest = clearance.versions[-1]
        print(f"Latest version: {latest.number} ({latest.reason.value})")
    opened = [c for c in clearance.comments if c.parent_id is None and not c.resolved]
    print(f"Open comments: {len(opened)} ({clearance.open_must_fix} must fix)")
    for comment in opened:
        print("  " + _comment_line(comment))


def _chain(args: argparse.Namespace, services: Services) -> None:
    chain = [Member(n, Role.DRAFTER) for n in args.drafter]
    chain += [Member(n, Role.REVIEWER) for n in args.reviewer]
    if args.approver:
        chain.append(Member(args.approver, Role.APPROVER))
    clearance = services.clearance.set_chain(args.id, chain, _actor(services))
    for member in clearance.chain:
        print(f"{member.role.value}\t{field(member.name)}")


def _step(args: argparse.Namespace, services: Services) -> None:
    action = Action(STEPS[args.step][0])
    clearance = services.clearance.act(args.id, action, _actor(services), args.note)
    version = clearance.events[-1].version
    if action is Action.CLEAR:
        waiting = pending_reviewers(clearance)
        then = f"waiting for {waiting[0]}" if waiting else "ready for approval"
        print(f"{field(clearance.reference)}: you cleared version {version}; {then}")
        return
    taken = (
        f" (version {version})"
        if version and action is not Action.REQUEST_CHANGES
        else ""
    )
    now = STATUS_PHRASES[clearance.status]
    print(f"{field(clearance.reference)} is now {now}{taken}")


def _issue(args: argparse.Namespace, services: Services) -> None:
    clearance = services.clearance.clearance(args.id)
    approved = issue_version(clearance)
    output = args.output or Path(
        issue_file_name(clearance.reference, approved.number if approved else 0)
    )
    path = services.review.issue(
        args.id, output, _actor(services), note=args.note, template=args.template
    )
    issued = issue_version(services.clearance.clearance(args.id))
    assert issued is not None  # issuing needs an approved version
    print(path)
    print(
        f"briefapp: issued version {issued.number} (SHA-256 {issued.digest})",
        file=sys.stderr,
    )


def _history(args: argparse.Namespace, services: Services) -> None:
    for event in services.clearance.clearance(args.id).events:
        change = ""
        if event.from_status and event.to_status:
            change = (
                f"{STATUS_LABELS[event.from_status].lower()} -> "
                f"{STATUS_LABELS[event.to_status].lower()}"
            )
        version = f"version {event.version}" if event.version else ""
        when = event.at.strftime("%Y-%m-%d %H:%M UTC")
        print(
            f"{when}\t{field(event.actor)}\t{event.action}\t{change}\t{version}"
            f"\t{field(event.note)}"
        )


def _versions(args: argparse.Namespace, services: Services) -> None:
    clearance = services.clearance.clearance(args.id)
    for v in clearance.versions:
        when = v.created_at.strftime("%Y-%m-%d %H:%M UTC")
        label = f"\t{field(v.label)}" if v.label else ""
        print(
            f"{v.number}\t{v.reason.value}\t{when}\t{field(v.created_by)}"
            f"\t{v.digest[:12]}{label}"
        )
    if not clearance.versions:
        print("(no versions yet: one is taken on submitting for review)")


def _keep(args: argparse.Namespace, services: Services) -> None:
    version = services.clearance.save_version(args.id, args.label, _actor(services))
    print(version.number)


def _diff(args: argparse.Namespace, services: Services) -> None:
    if args.new == "current":
        new = None
    elif args.new.isdigit():
        new = int(args.new)
    else:
        raise UserError(f"V2 must be a version number or “current”, not “{args.new}”.")
    comparison = services.clearance.compare(args.id, args.old, new)
    print("\n".join(comparison_lines(comparison)))


def _comments(args: argparse.Namespace, services: Services) -> None:
    clearance = services.clearance.clearance(args.id)
    me = _actor(services)
    shown = 0
    for comment in clearance.comments:
        if comment.parent_id is not None:
            continue
        if args.open and comment.resolved:
            continue
        if args.mine and not same_person(comment.author, me):
            continue
        wanted = args.comment_class and CommentClass(CLASSES[args.comment_class])
        if wanted and comment.comment_class is not wanted:
            continue
        shown += 1
        print(_comment_line(comment))
        for reply in clearance.replies_to(comment.id):
            print(f"    ↳ {field(reply.author)}: {field(reply.text)}")
    if not shown:
        print("(no comments)")


def _comment(args: argparse.Namespace, services: Services) -> None:
    try:
        target = CommentTarget.parse(args.on)
    except ValueError:
        raise UserError(
            f"--on {args.on}: say brief, field:NAME, option:KEY, constraint:KEY "
            "or country:CODE."
        ) from None
    comment = services.clearance.add_comment(
        args.id,
        target,
        args.text,
        _actor(services),
        CommentClass(CLASSES[args.comment_class]),
    )
    print(comment.id)


def _reply(args: argparse.Namespace, services: Services) -> None:
    comment = services.clearance.reply(args.comment, args.text, _actor(services))
    print(comment.id)


def _resolve(args: argparse.Namespace, services: Services) -> None:
    comment = services.clearance.resolve_comment(
        args.comment, _actor(services), resolved=not args.reopen
    )
    print(f"comment {comment.id} is {'resolved' if comment.resolved else 'open'}")


def _review_copy(args: argparse.Namespace, services: Services) -> None:
    made = services.review.review_copy(args.id, args.output, template=args.template)
    since = (
        "first review: no earlier reviewed version"
        if made.base_version is None
        else f"{made.tracked} tracked change(s) and {made.annexed} in the change "
        f"annex since version {made.base_version}"
    )
    print(f"{made.path}: {made.comments} comment(s); {since}")


def _verify(args: argparse.Namespace, services: Services) -> int:
    result = services.review.verify(args.file)
    print(result.message)
    return int(result.verdict)


def _comment_line(comment: Comment) -> str:
    state = "resolved" if comment.resolved else "open"
    return (
        f"#{comment.id} [{COMMENT_CLASS_LABELS[comment.comment_class].lower()}, "
        f"{state}] on {field(str(comment.target))}: {field(comment.author)}: "
        f"{field(comment.text)}"
    )
