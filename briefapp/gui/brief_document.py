"""The brief being edited: its current state, undo history and saved state.

Every edit replaces the whole (immutable) brief with a new one through an
undoable command, so undo and redo are exact whatever was edited: a field, a
table cell, a row added, removed or moved. Consecutive edits of the same field
merge into one undo step, so typing a sentence is undone in one go.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from briefapp.domain.entities import Brief
from briefapp.domain.workflow import edit_refusal


class EditBriefCommand(QUndoCommand):
    """Replace the document's brief; merges with the next edit of the same field."""

    MERGE_ID = 1

    def __init__(
        self,
        document: BriefDocument,
        before: Brief,
        after: Brief,
        text: str,
        merge_key: str | None,
    ) -> None:
        super().__init__(text)
        self._document = document
        self._before = before
        self._after = after
        self._merge_key = merge_key

    def id(self) -> int:
        return self.MERGE_ID if self._merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, EditBriefCommand)
            or other._merge_key != self._merge_key
        ):
            return False
        self._after = other._after
        return True

    def redo(self) -> None:
        self._document._show(self._after)

    def undo(self) -> None:
        self._document._show(self._before)


class BriefDocument(QObject):
    """One open brief: what is shown, what is stored, and how to get between them."""

    changed = Signal(object)
    """The brief shown changed (argument: the new ``Brief``)."""
    loaded = Signal(object)
    """Another brief (or none) was opened (argument: the ``Brief`` or ``None``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._brief: Brief | None = None
        self._saved: Brief | None = None
        self._revision = 0

    @property
    def brief(self) -> Brief | None:
        return self._brief

    def load(self, brief: Brief | None) -> None:
        """Show a brief as stored (or none), forgetting the undo history."""
        self.undo_stack.clear()
        self._brief = self._saved = brief
        self._revision = brief.revision if brief else 0
        self.loaded.emit(brief)
        self.changed.emit(brief)

    def revert(self) -> None:
        """Drop unsaved edits: show the brief as last stored."""
        if self._saved is not None:
            self.load(replace(self._saved, revision=self._revision))

    def edit(self, after: Brief, text: str, merge_key: str | None = None) -> None:
        """Apply an edit as one undoable step (merged with the last if same key)."""
        before = self._brief
        if before is None or after == before or edit_refusal(before):
            return
        self.undo_stack.push(EditBriefCommand(self, before, after, text, merge_key))

    @property
    def stored_revision(self) -> int:
        """The revision the open brief was last loaded or stored under."""
        return self._revision

    def is_dirty(self) -> bool:
        """Whether what is shown differs from what is stored."""
        if self._brief is None or self._saved is None:
            return False
        return not self._brief.content_equals(self._saved)

    def brief_to_save(self) -> Brief:
        """The shown brief, carrying the revision it was last stored under."""
        assert self._brief is not None
        return replace(self._brief, revision=self._revision)

    def mark_saved(self, shown: Brief, stored: Brief) -> None:
        """Record that ``shown`` was stored, as ``stored``."""
        if self._brief is None or self._brief.id != stored.id:
            return
        self._saved = replace(shown, status=stored.status)
        self._revision = stored.revision
        if self._brief.status is not stored.status:
            # The save moved the brief on (a revision after changes were
            # requested): show its new status without touching the edits.
            self._show(replace(self._brief, status=stored.status))

    def _show(self, brief: Brief) -> None:
        self._brief = brief
        self.changed.emit(brief)
