"""What a user can do with briefs: list, open, create, save, copy, delete,
import and export brief files. Each call is one short transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from briefapp.db import clearance_store, repositories
from briefapp.db.engine import Database
from briefapp.domain.brief_format import dumps_brief, loads_brief, loads_brief_file
from briefapp.domain.clearance import (
    AuditEvent,
    Member,
    changed_parts,
    edit_permission,
    roles_of,
)
from briefapp.domain.clearance_format import has_record
from briefapp.domain.entities import Brief, BriefStatus, BriefSummary
from briefapp.domain.errors import ReferenceTakenError
from briefapp.domain.validation import brief_problems, raise_for_problems
from briefapp.domain.workflow import (
    STATUS_PHRASES,
    Action,
    Role,
    WorkflowError,
    edit_refusal,
)
from briefapp.services.files import read_user_file, write_atomically

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


class ExistingReference(StrEnum):
    """What an import does when a brief already has the file's reference."""

    REFUSE = "refuse"
    """Raise ``ReferenceTakenError``, so the user can choose."""
    AS_NEW = "as-new"
    """Store it as a new brief with the first free ``reference (2)``…"""
    REPLACE = "replace"
    """Replace the content of the draft holding the reference (one edit)."""


_STOOD = {
    BriefStatus.IN_REVIEW: "it was in review there",
    BriefStatus.CHANGES_REQUESTED: "changes had been requested there",
    BriefStatus.APPROVED: "it was approved there",
    BriefStatus.ISSUED: "it was issued there",
    BriefStatus.ARCHIVED: "it was archived there",
}
"""Where an imported brief stood in the database its file came from."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def refuse_edits(brief: Brief) -> None:
    """Raise ``WorkflowError`` unless ``brief`` may be edited in its status."""
    reason = edit_refusal(brief)
    if reason is not None:
        raise WorkflowError(reason)


class BriefService:
    """Brief storage actions over one database."""

    def __init__(
        self, database: Database, clock: Clock = utc_now, editor: str = ""
    ) -> None:
        self._database = database
        self._clock = clock
        self.editor = editor
        """Who makes the edits saved through this service (for the audit log
        and the authors of tracked changes)."""

    @property
    def database_path(self) -> Path:
        return self._database.path

    def list_briefs(self) -> list[BriefSummary]:
        """Every brief's listed columns, most recently changed first."""
        with self._database.reading() as session:
            return repositories.list_briefs(session)

    def get_brief(self, brief_id: int) -> Brief:
        """The whole brief.

        Raises:
            BriefNotFoundError: no brief has this id.
        """
        with self._database.reading() as session:
            return repositories.get_brief(session, brief_id)

    def create_brief(
        self, brief: Brief | None = None, *, complete: bool = True
    ) -> Brief:
        """Store a new brief (a blank one unless ``brief`` is given).

        ``complete=False`` accepts a draft that still lacks required fields.
        A new brief is a copy (duplicated, kept after a conflict, recovered):
        if its reference is already used, it gets the first free
        ``reference (2)``, ``reference (3)``…

        Raises:
            BriefFormatError: ``brief`` breaks a rule of the brief format.
        """
        with self._database.writing() as session:
            if brief is None:
                brief = self._blank_brief(session)
            raise_for_problems(brief_problems(brief, complete=complete))
            free = repositories.free_reference(session, brief.reference)
            return self._add_brief(session, replace(brief, reference=free), now=None)

    def _add_brief(
        self, session: Session, brief: Brief, now: dt.datetime | None
    ) -> Brief:
        created = repositories.add_brief(session, brief, now or self._clock())
        log.info("created brief %s", created.id)
        return created

    def save_brief(self, brief: Brief) -> Brief:
        """Save an edited brief over its stored version.

        A draft may still lack its title or classification; every other rule
        holds.

        Raises:
            BriefFormatError: the brief breaks a rule (nothing is saved).
            BriefConflictError: it was changed elsewhere since it was loaded.
        """
        raise_for_problems(brief_problems(brief, complete=False))
        assert brief.id is not None
        now = self._clock()
        with self._database.writing() as session:
            stored = repositories.get_brief(session, brief.id)
            refuse_edits(stored)
            _refuse_taken(session, brief.reference, brief.id)
            clearance = clearance_store.load_clearance(session, brief.id)
            not_yours = edit_permission(clearance, self.editor)
            if not_yours is not None:
                raise WorkflowError(not_yours)
            saved = repositories.update_brief(session, brief, now)
            parts = changed_parts(stored, saved)
            if parts:
                clearance_store.record_edits(session, brief.id, parts, self.editor, now)
            if parts and stored.status is BriefStatus.CHANGES_REQUESTED:
                # The first edit after a request for changes is the revision.
                saved = self._revise(session, saved, now)
            return saved

    def _revise(self, session: Session, brief: Brief, now: dt.datetime) -> Brief:
        assert brief.id is not None
        clearance_store.add_event(
            session,
            brief.id,
            AuditEvent(
                at=now,
                actor=self.editor,
                action=Action.REVISE.value,
                note="Edited after changes were requested.",
                from_status=BriefStatus.CHANGES_REQUESTED,
                to_status=BriefStatus.DRAFT,
            ),
        )
        clearance_store.set_status(session, brief.id, BriefStatus.DRAFT, now)
        return repositories.get_brief(session, brief.id)

    def duplicate_brief(self, brief_id: int) -> Brief:
        """A new draft with the content of brief ``brief_id``, its reference
        ``…-COPY`` (numbered if that is taken too)."""
        original = self.get_brief(brief_id)
        copy = replace(
            original,
            id=None,
            revision=0,
            reference=f"{original.reference}-COPY",
            title=f"Copy of {original.title}",
        )
        return self.create_brief(copy, complete=False)

    def delete_brief(self, brief_id: int) -> None:
        """Delete a brief and everything in it.

        Raises:
            WorkflowError: the brief was approved or issued (an issued brief is
                kept so that its Word files can be verified), or the user is not
                its drafter.
        """
        with self._database.writing() as session:
            brief = repositories.get_brief(session, brief_id)
            clearance = clearance_store.load_clearance(session, brief_id)
            if clearance_store.was_issued(session, brief_id):
                raise WorkflowError(
                    f"Brief {brief.reference} was issued and is kept so that its "
                    "Word files can be verified"
                    + (
                        "."
                        if brief.status is BriefStatus.ARCHIVED
                        else "; archive it instead."
                    )
                )
            if brief.status not in (BriefStatus.DRAFT, BriefStatus.CHANGES_REQUESTED):
                raise WorkflowError(
                    f"Brief {brief.reference} is {STATUS_PHRASES[brief.status]}; only "
                    "a draft can be deleted."
                )
            not_yours = edit_permission(clearance, self.editor, "deletes")
            if not_yours is not None:
                raise WorkflowError(not_yours)
            repositories.delete_brief(session, brief_id)
        log.info("deleted brief %s", brief_id)

    def import_brief_file(
        self, path: Path, existing: ExistingReference = ExistingReference.REFUSE
    ) -> Brief:
        """Check a ``.brief.json`` file completely, then store it as a new brief
        with the clearance record it carries, in one transaction.

        If a brief already has the file's reference, ``existing`` says what to
        do: refuse (the default), store it under the first free numbered
        reference, or replace the content of that brief, which must be a
        draft (as ``update_from_file``: it keeps its id and its own record).

        The chain, audit log and comments are kept as the file has them, and
        its versions as metadata only (their content stayed in the database
        they were taken in). The new brief is a draft whatever the file's
        status, since an approval holds for versions in the database where it
        was given; the audit log then ends with an ``import`` step saying so.

        Raises:
            UserError: the file cannot be read.
            BriefFormatError: names the JSON path of every problem; the
                database is unchanged.
            ReferenceTakenError: the reference is used and ``existing`` is
                ``REFUSE``.
            WorkflowError: ``REPLACE`` of a brief that is not a draft, or that
                the user may not edit.
        """
        brief, record = loads_brief_file(read_user_file(path))
        now = self._clock()
        with self._database.writing() as session:
            holder = repositories.holder_of(session, brief.reference)
            if holder is not None and existing is ExistingReference.REPLACE:
                return self._replace_draft(session, holder, brief, now)
            if holder is not None and existing is ExistingReference.REFUSE:
                raise ReferenceTakenError(
                    brief.reference, holder[0], draft=holder[1] is BriefStatus.DRAFT
                )
            free = repositories.free_reference(session, brief.reference)
            created = self._add_brief(session, replace(brief, reference=free), now)
            assert created.id is not None
            if record is not None:
                clearance_store.add_record(session, created.id, record)
            if (
                record is not None
                and self.editor
                and not roles_of(self.editor, record.chain)
            ):
                # The importer drafts the copy; otherwise nobody here could edit it.
                chain = [Member(self.editor, Role.DRAFTER), *record.chain]
                clearance_store.set_chain(session, created.id, chain)
                clearance_store.add_event(
                    session,
                    created.id,
                    AuditEvent(
                        now, self.editor, "chain",
                        f"{self.editor} imported this copy and drafts it.",
                    ),
                )  # fmt: skip
            if record is not None and record.status is not BriefStatus.DRAFT:
                clearance_store.add_event(
                    session, created.id, self._import_event(record.status, now)
                )
            return created

    def _replace_draft(
        self,
        session: Session,
        holder: tuple[int, BriefStatus],
        content: Brief,
        now: dt.datetime,
    ) -> Brief:
        """The draft ``holder`` with the content of an imported file, in the
        import's transaction."""
        brief_id, status = holder
        stored = repositories.get_brief(session, brief_id)
        if status is not BriefStatus.DRAFT:
            raise WorkflowError(
                f"Brief {brief_id} ({stored.reference}) is {STATUS_PHRASES[status]}; "
                "only a draft can be replaced by an import."
            )
        not_yours = edit_permission(
            clearance_store.load_clearance(session, brief_id), self.editor
        )
        if not_yours is not None:
            raise WorkflowError(not_yours)
        edited = replace(
            content, id=brief_id, revision=stored.revision, status=stored.status
        )
        saved = repositories.update_brief(session, edited, now)
        parts = changed_parts(stored, saved)
        if parts:
            clearance_store.record_edits(session, brief_id, parts, self.editor, now)
        log.info("replaced brief %s from a file", brief_id)
        return saved

    def _import_event(self, status: BriefStatus, now: dt.datetime) -> AuditEvent:
        return AuditEvent(
            at=now,
            actor=self.editor,
            action="import",
            note=f"Imported from a brief file; {_STOOD[status]}; this copy starts "
            "as a draft.",
            from_status=status,
            to_status=BriefStatus.DRAFT,
        )

    def update_from_file(self, brief_id: int, path: Path) -> Brief:
        """Replace the content of brief ``brief_id`` with a ``.brief.json``
        file's, as one edit (refused unless the brief may be edited).

        Only the content is replaced: a clearance record in the file is
        checked like the rest of it but not used, so the brief keeps its own
        chain, versions, audit log and comments.

        Raises:
            BriefFormatError, UserError: as ``import_brief_file``.
            WorkflowError: the brief is in review, approved or issued.
        """
        content = loads_brief(read_user_file(path))
        stored = self.get_brief(brief_id)
        return self.save_brief(
            replace(
                content, id=stored.id, revision=stored.revision, status=stored.status
            )
        )

    def export_brief_file(self, brief_id: int, path: Path) -> None:
        """Write brief ``brief_id`` to ``path`` as a ``.brief.json`` file, with
        its clearance record unless it has none to speak of (a draft never
        given a chain, commented on or sent for review).

        Raises:
            BriefNotFoundError: no brief has this id.
            BriefFormatError: the brief is a draft that lacks a required field.
            ExportError: the file cannot be written.
        """
        with self._database.reading() as session:
            brief = repositories.get_brief(session, brief_id)
            clearance = clearance_store.load_clearance(session, brief_id)
        raise_for_problems(brief_problems(brief))
        record = clearance if has_record(clearance) else None
        write_atomically(path, dumps_brief(brief, record).encode("utf-8"))

    def _blank_brief(self, session: Session) -> Brief:
        today = self._clock().date()
        number = repositories.count_briefs(session) + 1
        reference = f"BRIEF-{today.year}-{number:03d}"
        while repositories.holder_of(session, reference) is not None:
            number += 1  # a brief was deleted, or named so by hand
            reference = f"BRIEF-{today.year}-{number:03d}"
        return Brief(
            reference=reference, title="Untitled brief", classification="RESTRICTED"
        )


def _refuse_taken(session: Session, reference: str, brief_id: int) -> None:
    """Raise ``ReferenceTakenError`` if a brief other than ``brief_id`` has
    ``reference``."""
    holder = repositories.holder_of(session, reference, other_than=brief_id)
    if holder is not None:
        raise ReferenceTakenError(
            reference, holder[0], draft=holder[1] is BriefStatus.DRAFT
        )
