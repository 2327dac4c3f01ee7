"""Word files for clearance: the review copy (comments and tracked changes),
the issued brief (stamped with its approved version's digest), and checking
an issued file against the database.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefapp.db import clearance_store as store
from briefapp.db.engine import Database
from briefapp.domain.clearance import (
    COMMENT_CLASS_LABELS,
    AuditEvent,
    Clearance,
    Comment,
    Version,
    issue_version,
    refusal_for,
    reviewed_version,
    target_label,
    target_texts,
)
from briefapp.domain.compare import BriefComparison, ItemChange
from briefapp.domain.entities import Brief, BriefStatus
from briefapp.domain.errors import ExportError, ReadOnlyDatabaseError
from briefapp.domain.workflow import STATUS_LABELS, Action, WorkflowError
from briefapp.services.briefs import Clock, utc_now
from briefapp.services.clearance import ClearanceService
from briefapp.services.export import ExportService
from briefapp.services.files import staged_write, write_atomically
from briefapp.services.verification import (
    CHECKED,
    PROPERTY_PREFIX,
    IssuedFile,
    Verdict,
    Verification,
    local_signature_note,
    read_issued,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from briefapp.documents.review_marks import CommentMark, TrackedChange

log = logging.getLogger(__name__)

__all__ = ["ReviewCopy", "ReviewService", "Verdict", "Verification"]

Cancelled = Callable[[], bool] | None


ISSUED = frozenset({BriefStatus.ISSUED, BriefStatus.ARCHIVED})


@dataclass(frozen=True, slots=True)
class ReviewCopy:
    """What a review copy shows."""

    path: Path
    comments: int
    tracked: int
    annexed: int
    base_version: int | None


class ReviewService:
    """Review copies, issuing and verification over one database."""

    def __init__(
        self,
        database: Database,
        clearance: ClearanceService,
        export: ExportService,
        clock: Clock = utc_now,
        issuing_key: Path | None = None,
    ) -> None:
        """``issuing_key``: the file of the key that signs issued files (made
        on first issue); ``None``: files are issued unsigned."""
        self._database = database
        self._clearance = clearance
        self._export = export
        self._clock = clock
        self._issuing_key = issuing_key

    def review_copy(
        self,
        brief_id: int,
        output: Path,
        template: str | None = None,
        today: dt.date | None = None,
        cancelled: Cancelled = None,
    ) -> ReviewCopy:
        """Write the brief as its template renders it, with every open comment
        as a Word comment at its text and the changes since the last reviewed
        version as tracked changes (or, where they cannot be placed, in a
        change annex at the end).

        Raises:
            ExportError, TemplateError: as an export.
        """
        from briefapp.documents.review_marks import add_change_annex, add_comments

        _must_be_docx(output)
        brief = self._clearance.version_brief(brief_id, None)
        clearance = self._clearance.clearance(brief_id)
        data, _ = self._export.render_with(brief, template, today, cancelled)
        document = _open(data)
        base = reviewed_version(clearance)
        elsewhere = any(
            v.number == base and not v.has_content for v in clearance.versions
        )
        if elsewhere:  # an imported brief: that version's content is not here
            base = None
        tracked = annexed = 0
        if base is not None:
            comparison = self._clearance.compare(brief_id, base)
            tracked, entries = self._track(document, brief_id, comparison)
            if entries:
                add_change_annex(
                    document,
                    f"Changes since version {base}",
                    "These changes since the version last reviewed are not shown "
                    "as tracked changes in the text above: they are to lists and "
                    "tables, or to text the template prints differently.",
                    entries,
                )
            annexed = len(entries)
        # Comments last: a tracked change rewrites its paragraph's runs.
        marks = [_comment_mark(brief, clearance, c) for c in _open_comments(clearance)]
        add_comments(document, marks)
        line = f"Review copy, {STATUS_LABELS[brief.status].lower()}, not for issue" + (
            "" if base is None else f" · changes since version {base} marked"
        )
        data = _finish(document, brief, line, {"ReviewCopy": "yes"})
        write_atomically(output, data)
        return ReviewCopy(output, len(marks), tracked, annexed, base)

    def issue(
        self,
        brief_id: int,
        output: Path,
        actor: str,
        note: str = "",
        template: str | None = None,
        today: dt.date | None = None,
        cancelled: Cancelled = None,
    ) -> Path:
        """Issue an approved brief: write the Word file of its approved version,
        stamped with the version and its digest, and record it.

        Raises:
            WorkflowError: the brief is not approved, or ``actor`` may not issue.
            ExportError, TemplateError: as an export (the brief stays approved).
        """
        clearance = self._clearance.clearance(brief_id)
        reason = refusal_for(clearance, Action.ISSUE, actor, note)
        if reason is not None:
            raise WorkflowError(reason)
        return self._write_issued(
            brief_id, clearance, output, actor, template, today, cancelled, note
        )

    def issued_copy(
        self,
        brief_id: int,
        output: Path,
        actor: str,
        template: str | None = None,
        today: dt.date | None = None,
        cancelled: Cancelled = None,
    ) -> Path:
        """Another Word file of an issued brief's approved version, recorded so
        it verifies too.

        Raises:
            WorkflowError: the brief has not been issued.
        """
        clearance = self._clearance.clearance(brief_id)
        if clearance.status not in (BriefStatus.ISSUED, BriefStatus.ARCHIVED):
            raise WorkflowError(
                f"Brief {clearance.reference} has not been issued; only an issued "
                "brief has issued copies."
            )
        if self._database.read_only:
            raise ReadOnlyDatabaseError(
                f"Brief {clearance.reference} is issued, and every copy of an issued "
                "brief is recorded so that it verifies; the database "
                f"{self._database.path} is read-only, so no copy can be made from it."
            )
        return self._write_issued(
            brief_id, clearance, output, actor, template, today, cancelled, None
        )

    def verify(self, path: Path) -> Verification:
        """Whether the Word file at ``path`` was issued from an approved version
        in this database, changed since, or is unknown here; its signature is
        checked with this computer's issuing key, when it has one.

        Raises:
            UserError: the file cannot be read or is not a Word document.
        """
        issued = read_issued(path)
        name, digest = issued.name, issued.digest
        if not digest:
            return Verification(
                Verdict.UNKNOWN,
                f"{name} is unknown: it carries no mark of a brief issued by Briefapp.",
            )
        with self._database.reading() as session:
            recorded = store.issues_with_digest(session, digest)
            if not recorded:
                claimed = issued.claims("Reference", "?")
                here = self._database.path.name
                return Verification(
                    Verdict.UNKNOWN,
                    f"{name} is unknown: it says it is brief {claimed}, but no "
                    f"brief with its digest was issued from {here}.",
                )
            match = next((i for i in recorded if issued.matches(i.fingerprint)), None)
            if match is None:
                return _mismatch(issued, recorded[0])
            clearance = store.load_clearance(session, match.brief_id)
            title = store.brief_title(session, match.brief_id)
        problem, signed = local_signature_note(issued, self._public_key())
        if problem:
            if issued.signed_fingerprint not in (None, issued.fingerprint):
                problem += (
                    f" Yet the database's record of version {match.version} of "
                    f"brief {match.reference} matches it, so that record was "
                    "changed too."
                )
            return Verification(Verdict.CHANGED, f"{name} does NOT match: {problem}")
        said = f"version {match.version} of brief {match.reference}"
        approval = _approval(clearance, match.version)
        approved = (
            f"approved by {approval.actor} on {_when(approval.at)}"
            if approval
            else "approved"
        )
        found = (
            f"{name} matches {said} (“{title}”), {approved}, issued by "
            f"{match.issued_by} on {_when(match.issued_at)}. SHA-256 {digest}."
        )
        checked = CHECKED if match.fingerprint.startswith("v2:") else _TEXT_ONLY
        withdrawn = _withdrawal(clearance, match.version)
        if withdrawn:
            found = f"{found} But {withdrawn}"
        verdict = Verdict.WITHDRAWN if withdrawn else Verdict.VERIFIED
        return Verification(verdict, f"{found}\n{checked}\n{signed}")

    def _public_key(self) -> Ed25519PublicKey | None:
        from briefapp.services.issuing_keys import public_key

        return None if self._issuing_key is None else public_key(self._issuing_key)

    def _write_issued(
        self,
        brief_id: int,
        clearance: Clearance,
        output: Path,
        actor: str,
        template: str | None,
        today: dt.date | None,
        cancelled: Cancelled,
        note: str | None,
    ) -> Path:
        _must_be_docx(output)
        approved = _approved_version(clearance)
        brief = self._clearance.version_brief(brief_id, approved.number)
        data, chosen = self._export.render_with(brief, template, today, cancelled)
        approval = _approval(clearance, approved.number)
        approved_by = approval.actor if approval else approved.created_by
        properties = {
            "Reference": brief.reference,
            "Version": str(approved.number),
            "Digest": approved.digest,
            "ApprovedBy": approved_by,
            "ApprovedAt": approved.created_at.isoformat(timespec="seconds"),
        }
        line = (
            f"Issued from version {approved.number} of {brief.reference}, approved "
            f"by {approved_by} on {_when(approved.created_at)}\nSHA-256 "
            f"{approved.digest}"
        )
        data = _finish(_open(data), brief, line, properties)
        data, fingerprint = self._signed(data, properties)
        if self._export.pdf_available():
            # A second reader: the issued file as LibreOffice lays it out.
            self._export.read_back(data, brief.classification, cancelled)
        else:
            log.info("issued without reading the pages back: no LibreOffice")
        issued = store.IssuedFile(
            brief_id=brief_id,
            reference=brief.reference,
            version=approved.number,
            digest=approved.digest,
            fingerprint=fingerprint,
            template=chosen.name,
            issued_by=actor,
            issued_at=self._clock(),
        )
        # The file is staged first and put in place once the record is
        # committed: a failed write records nothing, a failed commit writes nothing.
        with staged_write(output, data), self._database.writing() as session:
            now = store.load_clearance(session, brief_id)
            if _approved_version(now).number != approved.number or (
                note is None and now.status not in ISSUED
            ):
                raise WorkflowError(
                    f"Brief {now.reference} changed while its Word file was being "
                    "made; nothing was issued. Try again."
                )
            if note is not None:
                self._clearance.step(session, brief_id, Action.ISSUE, actor, note)
            store.add_issue(session, issued)
        log.info("issued brief %s version %s", brief_id, approved.number)
        return output

    def _signed(self, data: bytes, properties: dict[str, str]) -> tuple[bytes, str]:
        """The issued file with its fingerprint as a property and, with an
        issuing key, its signature; and the fingerprint.

        Raises:
            ExportError: the document holds text whose appearance cannot be
                told (text in alternative content, say).
        """
        from briefapp.documents.issue_signature import (
            IssueStatement,
            add_signature,
            sign,
        )
        from briefapp.documents.reader_view import (
            UnverifiableTextError,
            reader_fingerprint,
        )
        from briefapp.services.issuing_keys import issuing_key

        try:
            fingerprint = reader_fingerprint(data)
        except UnverifiableTextError as error:
            raise ExportError(f"The Word file cannot be issued: {error}") from error
        signed = {**properties, "Fingerprint": fingerprint}
        key = None
        if self._issuing_key is not None:
            key = issuing_key(self._issuing_key, create=True)
        if key is None:
            return data, fingerprint
        statement = IssueStatement(
            reference=signed["Reference"],
            version=signed["Version"],
            digest=signed["Digest"],
            approved_by=signed["ApprovedBy"],
            approved_at=signed["ApprovedAt"],
            fingerprint=fingerprint,
        )
        named = {PROPERTY_PREFIX + name: value for name, value in signed.items()}
        data = add_signature(data, sign(statement, key), named)
        if reader_fingerprint(data) != fingerprint:
            raise AssertionError("signing changed what the issued file shows")
        return data, fingerprint

    def _track(
        self, document: Any, brief_id: int, comparison: BriefComparison
    ) -> tuple[int, list[tuple[str, str]]]:
        from briefapp.documents.review_marks import TrackedChange, add_tracked_changes

        with self._database.reading() as session:
            editors = store.last_editors(session, brief_id)
        changes: dict[int, TrackedChange] = {}
        for change in comparison.fields:
            editor, at = editors.get(change.path.split(".", 1)[0], ("", self._clock()))
            changes[id(change)] = TrackedChange(
                change.segments, editor or "Unknown", at, change.label
            )
        unplaced = {
            id(c) for c in add_tracked_changes(document, list(changes.values()))
        }
        entries = [
            (change.label, was_now(change.old, change.new))
            for change in comparison.fields
            if id(changes[id(change)]) in unplaced
        ]
        entries += [(item.label, _item_text(item)) for item in comparison.items]
        return len(changes) - len(unplaced), entries


_TEXT_ONLY = (
    "Checked: its characters only, in the body, headers and footers (it was "
    "issued before Briefapp fingerprinted how text is shown, so hidden or "
    "recoloured text would not count)."
)


def _mismatch(issued: IssuedFile, first: store.IssuedFile) -> Verification:
    why = (
        f"it is marked as version {first.version} of brief {first.reference}, "
        "but its text, or how it is shown, differs from every file issued from "
        "that version."
    )
    if issued.refusal:
        why = (
            f"it is marked as version {first.version} of brief {first.reference}, "
            f"but {issued.refusal}"
        )
    return Verification(Verdict.CHANGED, f"{issued.name} does NOT match: {why}")


def was_now(old: str, new: str) -> str:
    """A change as a reader of the annex takes it: what it said and says now."""
    if not old:
        return f"Now: “{_short(new)}”"
    if not new:
        return f"Was: “{_short(old)}”; now empty"
    return f"Was: “{_short(old)}”; now: “{_short(new)}”"


def _short(text: str, limit: int = 400) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    text = "; ".join(line for line in lines if line)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _item_text(item: ItemChange) -> str:
    if not item.fields:
        return "Moved" if item.moved else item.kind.value.capitalize()
    return "\n".join(f"{f.label}. {was_now(f.old, f.new)}" for f in item.fields)


def _open_comments(clearance: Clearance) -> list[Comment]:
    return [c for c in clearance.comments if c.parent_id is None and not c.resolved]


def _comment_mark(brief: Brief, clearance: Clearance, comment: Comment) -> CommentMark:
    from briefapp.documents.review_marks import CommentMark

    replies = [
        f"{r.author}, {_when(r.created_at)}: {r.text}"
        for r in clearance.replies_to(comment.id)
    ]
    return CommentMark(
        anchors=target_texts(brief, comment.target),
        fallback_label=target_label(brief, comment.target),
        author=comment.author,
        initials=_initials(comment.author),
        paragraphs=(
            f"[{COMMENT_CLASS_LABELS[comment.comment_class]}] {comment.text}",
            *replies,
        ),
        when=comment.created_at,
    )


def _approved_version(clearance: Clearance) -> Version:
    approved = issue_version(clearance)
    if approved is None:
        raise WorkflowError(f"Brief {clearance.reference} has no approved version.")
    return approved


def _approval(clearance: Clearance, version: int) -> AuditEvent | None:
    return next(
        (
            e
            for e in reversed(clearance.events)
            if e.action == Action.APPROVE.value and e.version == version
        ),
        None,
    )


def _open(data: bytes) -> Any:
    import docx

    return docx.Document(io.BytesIO(data))


def _finish(
    document: Any, brief: Brief, footer_line: str, properties: dict[str, str]
) -> bytes:
    """Stamp, save and check the document again."""
    from briefapp.documents.check import check_output, count_section_references
    from briefapp.documents.issue_marks import stamp_issue
    from briefapp.documents.text import clean_text

    stamp_issue(
        document,
        footer_line,
        {PROPERTY_PREFIX + name: value for name, value in properties.items()},
    )
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    check_output(
        data,
        marking=clean_text(brief.classification),
        references=count_section_references(document),
    )
    return data


def _must_be_docx(output: Path) -> None:
    if output.suffix.lower() != ".docx":
        raise ExportError(f"The Word file name {output.name} must end in .docx.")


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split() if part[:1].isalpha())[:3].upper()


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _withdrawal(clearance: Clearance, version: int) -> str:
    """Why an issue of ``version`` no longer stands ("" if it does)."""
    events = clearance.events
    approved_later = [
        i
        for i, e in enumerate(events)
        if e.action == Action.APPROVE.value and (e.version or 0) > version
    ]
    issued_later = [
        i
        for i, e in enumerate(events)
        if e.action == Action.ISSUE.value and approved_later and i > approved_later[0]
    ]
    if issued_later:
        approval, issue = events[approved_later[-1]], events[issued_later[-1]]
        return (
            f"it is replaced: a later version was approved by {approval.actor} on "
            f"{_when(approval.at)} and issued on {_when(issue.at)}."
        )
    if clearance.status in (BriefStatus.ISSUED, BriefStatus.ARCHIVED):
        return ""
    reopened = next(
        (e for e in reversed(clearance.events) if e.action == Action.REOPEN.value), None
    )
    if reopened is None:
        return "the brief is no longer issued."
    return (
        f"the brief was reopened by {reopened.actor} on {_when(reopened.at)} "
        f"(“{reopened.note}”), so that approval no longer stands."
    )
