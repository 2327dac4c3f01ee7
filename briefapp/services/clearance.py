"""Clearance actions: the chain, submitting, requesting changes, approving,
reopening, versions, comments and comparisons. Each call is one transaction,
and every step is written to the brief's audit log with who, when and why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from briefapp.db import clearance_store as store
from briefapp.db import repositories
from briefapp.db.engine import Database
from briefapp.domain.brief_format import brief_from_dict
from briefapp.domain.clearance import (
    AuditEvent,
    Clearance,
    Comment,
    CommentClass,
    CommentTarget,
    Member,
    Version,
    VersionReason,
    chain_problems,
    chain_refusal,
    issue_version,
    refusal_for,
    resolve_refusal,
    reviewed_version,
    target_problem,
    version_under_review,
)
from briefapp.domain.compare import BriefComparison, compare_briefs
from briefapp.domain.entities import Brief, BriefStatus
from briefapp.domain.errors import UserError
from briefapp.domain.workflow import (
    TRANSITIONS,
    Action,
    WorkflowError,
    canonical_json,
    content_digest,
)
from briefapp.services.briefs import Clock, utc_now

log = logging.getLogger(__name__)

VERSION_TAKEN = {
    Action.SUBMIT: VersionReason.SUBMITTED,
    Action.APPROVE: VersionReason.APPROVED,
}
"""Steps that take a version. Issuing takes none: an issue is of the approved
version and carries its number everywhere (file name, footer, history)."""


class ClearanceService:
    """The clearance of the briefs in one database."""

    def __init__(self, database: Database, clock: Clock = utc_now) -> None:
        self._database = database
        self._clock = clock

    def clearance(self, brief_id: int) -> Clearance:
        """Status, chain, versions, audit log and comments of a brief."""
        with self._database.reading() as session:
            return store.load_clearance(session, brief_id)

    def set_chain(
        self, brief_id: int, chain: Sequence[Member], actor: str
    ) -> Clearance:
        """Name the brief's drafters, reviewers and approver, in order.

        Raises:
            WorkflowError: the chain breaks a rule, or the brief is approved.
        """
        _named(actor)
        chain = [replace(m, name=" ".join(m.name.split())) for m in chain]
        problems = chain_problems(chain)
        if problems:
            raise WorkflowError(" ".join(problems))
        with self._database.writing() as session:
            clearance = store.load_clearance(session, brief_id)
            reason = chain_refusal(clearance, actor)
            if reason is not None:
                raise WorkflowError(reason)
            if tuple(chain) == clearance.chain:
                return clearance
            store.set_chain(session, brief_id, chain)
            people = "; ".join(f"{m.role.value} {m.name}" for m in chain) or "nobody"
            self._record(session, brief_id, actor, "chain", f"Chain: {people}.")
            return store.load_clearance(session, brief_id)

    def act(
        self, brief_id: int, action: Action, actor: str, note: str = ""
    ) -> Clearance:
        """Take a clearance step as ``actor``.

        Submitting and approving take a version of the brief; approving binds
        the approval to that version's content digest; reopening returns the
        brief to draft and the approval no longer stands.

        Raises:
            WorkflowError: the step is not allowed now; the message says why.
        """
        if action is Action.ISSUE:
            raise WorkflowError("Issuing writes the issued Word file; use issue.")
        _named(actor)
        with self._database.writing() as session:
            self.step(session, brief_id, action, actor, note)
            return store.load_clearance(session, brief_id)

    def step(
        self, session: Session, brief_id: int, action: Action, actor: str, note: str
    ) -> Version | None:
        """``act`` inside the caller's transaction; the version taken, if any."""
        clearance = store.load_clearance(session, brief_id)
        reason = refusal_for(clearance, action, actor, note)
        if reason is not None:
            raise WorkflowError(reason)
        target = TRANSITIONS[action].target
        now = self._clock()
        version = None
        if action in VERSION_TAKEN:
            brief = repositories.get_brief(session, brief_id)
            version = self._take_version(
                session, brief, VERSION_TAKEN[action], actor, ""
            )
        elif action in (Action.REQUEST_CHANGES, Action.CLEAR):
            number = version_under_review(clearance)
            version = next((v for v in clearance.versions if v.number == number), None)
        elif action is Action.ISSUE:
            version = issue_version(clearance)
        store.add_event(
            session,
            brief_id,
            AuditEvent(
                at=now,
                actor=actor,
                action=action.value,
                note=note.strip(),
                from_status=clearance.status,
                to_status=target,
                version=None if version is None else version.number,
            ),
        )
        store.set_status(session, brief_id, target, now)
        log.info("brief %s: %s by %s", brief_id, action.value, actor)
        return version

    def save_version(self, brief_id: int, label: str, actor: str) -> Version:
        """Keep the brief's current content as a numbered version."""
        _named(actor)
        with self._database.writing() as session:
            brief = repositories.get_brief(session, brief_id)
            version = self._take_version(
                session, brief, VersionReason.SAVED, actor, " ".join(label.split())
            )
            self._record(
                session, brief_id, actor, "version", version.label, version.number
            )
            return version

    def version_brief(self, brief_id: int, number: int | None) -> Brief:
        """The brief as version ``number`` holds it (``None``: as it is now).

        Raises:
            UserError: there is no such version, or its content is elsewhere.
        """
        with self._database.reading() as session:
            current = repositories.get_brief(session, brief_id)
            if number is None:
                return current
            content = store.version_content(session, brief_id, number)
        return replace(
            brief_from_dict(content),
            id=current.id,
            status=current.status,
            revision=current.revision,
        )

    def compare(
        self, brief_id: int, old: int | None, new: int | None = None
    ) -> BriefComparison:
        """What changed from version ``old`` to version ``new`` (``None``: now)."""
        if old is None:
            raise UserError("Choose the older version to compare with.")
        return compare_briefs(
            self.version_brief(brief_id, old), self.version_brief(brief_id, new)
        )

    def last_reviewed_version(self, brief_id: int) -> int | None:
        """The version that was last reviewed (changes requested or approved)."""
        return reviewed_version(self.clearance(brief_id))

    def add_comment(
        self,
        brief_id: int,
        target: CommentTarget,
        text: str,
        author: str,
        comment_class: CommentClass = CommentClass.COMMENT,
        parent_id: int | None = None,
    ) -> Comment:
        """Comment on the brief, a field, an option, a constraint or a country,
        or reply to a comment (a reply takes its comment's target and class).

        Raises:
            UserError: the text is empty, the target does not exist, the brief
                is archived, or the comment replied to is not on this brief.
        """
        text = text.strip()
        if not text:
            raise UserError("A comment needs some text.")
        _named(author)
        with self._database.writing() as session:
            brief = repositories.get_brief(session, brief_id)
            clearance = store.load_clearance(session, brief_id)
            if clearance.status is BriefStatus.ARCHIVED:
                raise UserError("An archived brief takes no more comments.")
            if parent_id is not None:
                parent_brief, parent = store.get_comment(session, parent_id)
                if parent_brief != brief_id or parent.parent_id is not None:
                    raise UserError(
                        f"Comment {parent_id} is not a comment on this brief."
                    )
                target, comment_class = parent.target, parent.comment_class
            else:
                problem = target_problem(brief, target)
                if problem:
                    raise UserError(problem)
            latest = clearance.versions[-1].number if clearance.versions else None
            return store.add_comment(
                session,
                brief_id,
                Comment(
                    id=0,
                    target=target,
                    author=author.strip(),
                    created_at=self._clock(),
                    text=text,
                    comment_class=comment_class,
                    parent_id=parent_id,
                    version=latest,
                ),
            )

    def reply(self, comment_id: int, text: str, author: str) -> Comment:
        """Reply to comment ``comment_id`` (on whichever brief it is)."""
        with self._database.reading() as session:
            brief_id, _ = store.get_comment(session, comment_id)
        return self.add_comment(
            brief_id, CommentTarget(), text, author, parent_id=comment_id
        )

    def resolve_comment(
        self, comment_id: int, actor: str, resolved: bool = True
    ) -> Comment:
        """Mark a comment resolved (or open again).

        A comment that must be fixed before clearance is resolved by its author
        or the approver, so the drafter cannot clear their own way.

        Raises:
            UserError: no such comment, it is a reply, or ``actor`` may not.
        """
        _named(actor)
        with self._database.writing() as session:
            brief_id, comment = store.get_comment(session, comment_id)
            clearance = store.load_clearance(session, brief_id)
            reason = resolve_refusal(clearance, comment, actor)
            if reason is not None:
                raise UserError(reason)
            store.set_resolved(session, comment_id, resolved, actor, self._clock())
            excerpt = (
                comment.text if len(comment.text) <= 80 else comment.text[:79] + "…"
            )
            self._record(
                session,
                brief_id,
                actor,
                "resolve comment" if resolved else "reopen comment",
                f"#{comment_id} by {comment.author}: {excerpt}",
            )
            return store.get_comment(session, comment_id)[1]

    def _take_version(
        self,
        session: Session,
        brief: Brief,
        reason: VersionReason,
        actor: str,
        label: str,
    ) -> Version:
        assert brief.id is not None
        return store.add_version(
            session,
            brief.id,
            Version(
                number=0,
                reason=reason,
                created_by=actor,
                created_at=self._clock(),
                digest=content_digest(brief),
                label=label,
            ),
            canonical_json(brief),
        )

    def _record(
        self,
        session: Session,
        brief_id: int,
        actor: str,
        action: str,
        note: str,
        version: int | None = None,
    ) -> None:
        store.add_event(
            session,
            brief_id,
            AuditEvent(self._clock(), actor, action, note, version=version),
        )


def _named(actor: str) -> None:
    """Clearance steps are taken by someone with a name."""
    if not actor.strip():
        raise WorkflowError(
            "Set your name first (Edit ▸ Preferences, or --as NAME on the command "
            "line): every step is recorded with who took it."
        )
