"""Clearance rows (chain, versions, audit log, comments, issued files, editors)
turned into domain values and back, inside a caller's session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from briefapp.db.moments import aware, naive
from briefapp.db.tables import (
    BriefRow,
    CommentRow,
    EditRow,
    EventRow,
    IssueRow,
    MemberRow,
    VersionRow,
)
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
from briefapp.domain.clearance_format import FileClearance
from briefapp.domain.entities import BriefStatus
from briefapp.domain.errors import BriefNotFoundError, UserError
from briefapp.domain.workflow import Role


@dataclass(frozen=True, slots=True)
class IssuedFile:
    """The record of one issued Word file."""

    brief_id: int
    reference: str
    version: int
    digest: str
    fingerprint: str
    template: str
    issued_by: str
    issued_at: dt.datetime


def load_clearance(session: Session, brief_id: int) -> Clearance:
    brief = _brief_row(session, brief_id)
    members = session.scalars(
        select(MemberRow)
        .where(MemberRow.brief_id == brief_id)
        .order_by(MemberRow.position)
    )
    versions = session.execute(
        select(
            VersionRow.number,
            VersionRow.reason,
            VersionRow.label,
            VersionRow.created_by,
            VersionRow.created_at,
            VersionRow.digest,
            VersionRow.content.is_not(None).label("has_content"),
        )
        .where(VersionRow.brief_id == brief_id)
        .order_by(VersionRow.number)
    )
    events = session.scalars(
        select(EventRow).where(EventRow.brief_id == brief_id).order_by(EventRow.id)
    )
    comments = session.scalars(
        select(CommentRow)
        .where(CommentRow.brief_id == brief_id)
        .order_by(CommentRow.id)
    )
    return Clearance(
        brief_id=brief_id,
        reference=brief.reference,
        status=BriefStatus(brief.status),
        chain=tuple(Member(m.name, Role(m.role)) for m in members),
        versions=tuple(
            Version(
                number=v.number,
                reason=VersionReason(v.reason),
                label=v.label,
                created_by=v.created_by,
                created_at=aware(v.created_at),
                digest=v.digest,
                has_content=bool(v.has_content),
            )
            for v in versions
        ),
        events=tuple(_to_event(e) for e in events),
        comments=tuple(_to_comment(c) for c in comments),
        editors=tuple(
            (row.part, row.editor)
            for row in session.scalars(
                select(EditRow).where(EditRow.brief_id == brief_id).order_by(EditRow.id)
            )
        ),
    )


def set_status(
    session: Session, brief_id: int, status: BriefStatus, now: dt.datetime
) -> None:
    row = _brief_row(session, brief_id)
    row.status = status.value
    row.revision += 1
    row.updated_at = naive(now)
    session.flush()


def add_event(session: Session, brief_id: int, event: AuditEvent) -> None:
    session.add(
        EventRow(
            brief_id=brief_id,
            at=naive(event.at),
            actor=event.actor,
            action=event.action,
            note=event.note,
            from_status=None if event.from_status is None else event.from_status.value,
            to_status=None if event.to_status is None else event.to_status.value,
            version=event.version,
        )
    )
    session.flush()


def add_version(
    session: Session, brief_id: int, version: Version, content: str | None
) -> Version:
    """Store ``version`` under the next free number; returns it numbered."""
    latest = session.scalar(
        select(func.max(VersionRow.number)).where(VersionRow.brief_id == brief_id)
    )
    number = (latest or 0) + 1
    session.add(
        VersionRow(
            brief_id=brief_id,
            number=number,
            reason=version.reason.value,
            label=version.label,
            created_by=version.created_by,
            created_at=naive(version.created_at),
            digest=version.digest,
            content=content,
        )
    )
    session.flush()
    return Version(
        number=number,
        reason=version.reason,
        label=version.label,
        created_by=version.created_by,
        created_at=version.created_at,
        digest=version.digest,
        has_content=content is not None,
    )


def version_content(session: Session, brief_id: int, number: int) -> str:
    """The canonical JSON of version ``number``.

    Raises:
        UserError: there is no such version, or its content is not here.
    """
    row = session.scalars(
        select(VersionRow).where(
            VersionRow.brief_id == brief_id, VersionRow.number == number
        )
    ).one_or_none()
    reference = _brief_row(session, brief_id).reference
    if row is None:
        raise UserError(f"Brief {reference} has no version {number}.")
    if row.content is None:
        raise UserError(
            f"Version {number} of brief {reference} came from a brief file; its "
            "content was kept in the database it was taken in."
        )
    return row.content


def set_chain(session: Session, brief_id: int, chain: Sequence[Member]) -> None:
    _brief_row(session, brief_id)
    session.execute(delete(MemberRow).where(MemberRow.brief_id == brief_id))
    session.add_all(
        MemberRow(brief_id=brief_id, position=i, name=m.name, role=m.role.value)
        for i, m in enumerate(chain)
    )
    session.flush()


def add_comment(session: Session, brief_id: int, comment: Comment) -> Comment:
    row = CommentRow(
        brief_id=brief_id,
        parent_id=comment.parent_id,
        target_kind=comment.target.kind.value,
        target_key=comment.target.key,
        author=comment.author,
        created_at=naive(comment.created_at),
        text=comment.text,
        comment_class=comment.comment_class.value,
        resolved=comment.resolved,
        resolved_by=comment.resolved_by,
        resolved_at=None if comment.resolved_at is None else naive(comment.resolved_at),
        version=comment.version,
    )
    session.add(row)
    session.flush()
    return _to_comment(row)


def add_record(session: Session, brief_id: int, record: FileClearance) -> None:
    """Give brief ``brief_id`` (new, without a record) a brief file's clearance
    record: its chain, its versions as metadata only, its audit log as written
    and its comments, whose numbers in the file become new ids."""
    set_chain(session, brief_id, record.chain)
    for version in record.versions:
        stored = add_version(session, brief_id, version, None)
        assert stored.number == version.number, "the brief had versions already"
    for event in record.events:
        add_event(session, brief_id, event)
    ids: dict[int, int] = {}
    for comment in record.comments:
        # In a file, a reply always comes after the comment it answers.
        parent = None if comment.parent_id is None else ids[comment.parent_id]
        ids[comment.id] = add_comment(
            session, brief_id, replace(comment, parent_id=parent)
        ).id


def get_comment(session: Session, comment_id: int) -> tuple[int, Comment]:
    """The brief id and the comment with ``comment_id``."""
    row = session.get(CommentRow, comment_id)
    if row is None:
        raise UserError(f"There is no comment with id {comment_id}.")
    return row.brief_id, _to_comment(row)


def set_resolved(
    session: Session, comment_id: int, resolved: bool, by: str, at: dt.datetime
) -> None:
    row = session.get(CommentRow, comment_id)
    assert row is not None
    row.resolved = resolved
    row.resolved_by = by if resolved else ""
    row.resolved_at = naive(at) if resolved else None
    session.flush()


def add_issue(session: Session, issued: IssuedFile) -> None:
    session.add(
        IssueRow(
            brief_id=issued.brief_id,
            version=issued.version,
            digest=issued.digest,
            fingerprint=issued.fingerprint,
            template=issued.template,
            issued_by=issued.issued_by,
            issued_at=naive(issued.issued_at),
        )
    )
    session.flush()


def brief_title(session: Session, brief_id: int) -> str:
    return _brief_row(session, brief_id).title


def was_issued(session: Session, brief_id: int) -> bool:
    """Whether a Word file of the brief was ever issued."""
    query = select(IssueRow.id).where(IssueRow.brief_id == brief_id).limit(1)
    return session.scalar(query) is not None


def issues_with_digest(session: Session, digest: str) -> list[IssuedFile]:
    query = (
        select(IssueRow, BriefRow.reference)
        .join(BriefRow, BriefRow.id == IssueRow.brief_id)
        .where(IssueRow.digest == digest)
        .order_by(IssueRow.id)
    )
    return [
        IssuedFile(
            brief_id=row.brief_id,
            reference=reference,
            version=row.version,
            digest=row.digest,
            fingerprint=row.fingerprint,
            template=row.template,
            issued_by=row.issued_by,
            issued_at=aware(row.issued_at),
        )
        for row, reference in session.execute(query)
    ]


def record_edits(
    session: Session, brief_id: int, parts: Iterable[str], editor: str, at: dt.datetime
) -> None:
    """Remember that ``editor`` changed each of ``parts`` at ``at``."""
    stored = {
        (row.part, row.editor): row
        for row in session.scalars(select(EditRow).where(EditRow.brief_id == brief_id))
    }
    for part in parts:
        row = stored.get((part, editor))
        if row is None:
            session.add(
                EditRow(brief_id=brief_id, part=part, editor=editor, at=naive(at))
            )
        else:
            row.at = naive(at)
    session.flush()


def last_editors(session: Session, brief_id: int) -> dict[str, tuple[str, dt.datetime]]:
    """Each changed part's last editor and when."""
    latest: dict[str, tuple[str, dt.datetime]] = {}
    query = (
        select(EditRow)
        .where(EditRow.brief_id == brief_id)
        .order_by(EditRow.at, EditRow.id)
    )
    for row in session.scalars(query):
        latest[row.part] = (row.editor, aware(row.at))
    return latest


def _brief_row(session: Session, brief_id: int) -> BriefRow:
    row = session.get(BriefRow, brief_id)
    if row is None:
        raise BriefNotFoundError(brief_id)
    return row


def _to_event(row: EventRow) -> AuditEvent:
    return AuditEvent(
        at=aware(row.at),
        actor=row.actor,
        action=row.action,
        note=row.note,
        from_status=None if row.from_status is None else BriefStatus(row.from_status),
        to_status=None if row.to_status is None else BriefStatus(row.to_status),
        version=row.version,
    )


def _to_comment(row: CommentRow) -> Comment:
    return Comment(
        id=row.id,
        target=CommentTarget(TargetKind(row.target_kind), row.target_key),
        author=row.author,
        created_at=aware(row.created_at),
        text=row.text,
        comment_class=CommentClass(row.comment_class),
        parent_id=row.parent_id,
        resolved=row.resolved,
        resolved_by=row.resolved_by,
        resolved_at=None if row.resolved_at is None else aware(row.resolved_at),
        version=row.version,
    )
