"""Saving the open brief shortly after the user stops typing.

Saves run on the write queue one at a time; edits made while a save is in
flight are saved right after it. A brief that breaks a rule (an empty title,
say) is not saved until it is fixed, and the status says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from briefapp.domain.entities import Brief
from briefapp.domain.errors import (
    BriefConflictError,
    BriefNotFoundError,
    DatabaseBusyError,
    StorageError,
    UserError,
)
from briefapp.domain.validation import brief_problems, describe_problem
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.tasks import TaskRunner

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 800
RETRY_DELAY_MS = 5000
BUSY_STATE = (
    "Not saved yet: the database is busy (another program is writing to it). "
    "Your edits are kept and will be saved when it is free."
)

SaveCall = Callable[[Brief], Brief]
Continuation = Callable[[], None]


class Autosaver(QObject):
    """Keeps the stored brief in step with the document."""

    state_changed = Signal(str)
    """A short status for the user: saved, unsaved, saving or why not saved."""
    saved = Signal(object)
    """A brief was stored (argument: the stored ``Brief``)."""
    save_failed = Signal(object)
    """A save failed (argument: the exception)."""

    def __init__(
        self,
        document: BriefDocument,
        runner: TaskRunner,
        save: SaveCall,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._runner = runner
        self._save = save
        self._in_flight = False
        self._blocking = False
        self._continuations: list[Continuation] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        document.changed.connect(self._on_document_changed)
        document.loaded.connect(self._on_document_loaded)
        self.state = "saved"
        self.delay_ms = AUTOSAVE_DELAY_MS
        """How long after the last edit the brief is saved."""
        self.suspended: UserError | None = None
        """Why saving has stopped until the user decides (a save conflict)."""

    def problem(self) -> str | None:
        """Why the open brief cannot be saved as it is, or ``None``.

        A draft may lack its title or classification and still be saved;
        ``missing_for_export`` tells what it needs before it can be exported.
        """
        brief = self._document.brief
        problems = brief_problems(brief, complete=False) if brief is not None else []
        if not problems:
            return None
        return describe_problem(problems[0])

    def save_now(self, then: Continuation | None = None) -> None:
        """Save at once if needed; call ``then`` once everything is stored."""
        self._timer.stop()
        if then is not None:
            if self.state == BUSY_STATE:
                # Asked again while waiting for the database: the last wins.
                self._continuations.clear()
            self._continuations.append(then)
        if self._in_flight:
            return
        if self.suspended is not None:
            self._continuations.clear()
            self._set_state(f"Not saved: {self.suspended}")
            return
        if not self._document.is_dirty():
            self._set_state("saved")
            self._run_continuations()
            return
        problem = self.problem()
        if problem:
            self._continuations.clear()
            self._set_state(f"Not saved: {problem}")
            return
        shown = self._document.brief
        assert shown is not None
        self._in_flight = True
        self._set_state("Saving…")
        self._runner.run(
            partial(self._save, self._document.brief_to_save()),
            partial(self._on_saved, shown),
            self._on_save_error,
            write=True,
        )

    def save_blocking(self) -> None:
        """Save on this thread, now (used when the window closes).

        Raises:
            UserError: the brief cannot be saved; it says why.
        """
        self._timer.stop()
        # Let a save in flight finish and take its result, so the revision is
        # current; while blocking, its result must not start another save.
        self._blocking = True
        try:
            self._runner.wait_for_writes()
        finally:
            self._blocking = False
        if not self._document.is_dirty():
            return
        problem = str(self.suspended) if self.suspended else self.problem()
        if problem:
            raise UserError(f"The open brief cannot be saved: {problem.rstrip('.')}.")
        shown = self._document.brief
        assert shown is not None
        stored = self._save(self._document.brief_to_save())
        self._document.mark_saved(shown, stored)
        self._set_state("saved")

    def is_idle(self) -> bool:
        """Nothing is waiting to be saved or being saved."""
        return not (self._in_flight or self._timer.isActive())

    @Slot(object)
    def _on_document_changed(self, _brief: Brief | None) -> None:
        if self._document.is_dirty():
            problem = self.problem()
            self._set_state(f"Not saved: {problem}" if problem else "Unsaved changes")
            self._timer.start(self.delay_ms)
        elif not self._in_flight:
            self._timer.stop()
            self._set_state("saved")

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.save_now()

    def _on_saved(self, shown: Brief, stored: Brief) -> None:
        self._in_flight = False
        self._document.mark_saved(shown, stored)
        self.saved.emit(stored)
        if self._document.is_dirty():
            if not self._blocking:
                self.save_now()
        else:
            self._set_state("saved")
            self._run_continuations()

    def _on_save_error(self, error: BaseException) -> None:
        self._in_flight = False
        if not isinstance(error, DatabaseBusyError):
            self._continuations.clear()
        if isinstance(error, BriefConflictError | BriefNotFoundError):
            # Saving again cannot help; edits stay on screen until the user
            # chooses what to keep (``resume`` follows a reload or a copy).
            self.suspended = error
            self._set_state(f"Not saved: {error}")
        elif isinstance(error, DatabaseBusyError):
            # Another program holds the lock: the edits stay here (and in the
            # recovery journal) and are saved as soon as it lets go; then what
            # the user asked for meanwhile (open another brief…) is done.
            self._set_state(BUSY_STATE)
            self._timer.start(RETRY_DELAY_MS)
        elif isinstance(error, UserError):
            self._set_state(f"Not saved: {error}")
            if isinstance(error, StorageError):
                self._timer.start(RETRY_DELAY_MS)
        else:
            self._set_state("Not saved: unexpected error")
        self.save_failed.emit(error)

    @Slot(object)
    def _on_document_loaded(self, _brief: Brief | None) -> None:
        self.suspended = None
        self._timer.stop()

    def _run_continuations(self) -> None:
        continuations, self._continuations = self._continuations, []
        for continuation in continuations:
            continuation()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
