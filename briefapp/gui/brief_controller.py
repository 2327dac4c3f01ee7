"""Which brief is open: listing, opening, creating, copying, deleting, what
to do when a save conflicts with someone else's, and keeping up with saves
made in another window or program.

Every change of the open brief goes through ``after_saving``: the open brief
is stored first (or its edits dropped or kept as a copy, as the user chooses),
then the next brief is loaded. While a load is pending the editor is disabled,
so nothing typed can be lost in between.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from briefapp.domain.compare import compare_briefs
from briefapp.domain.entities import Brief, BriefSummary
from briefapp.domain.errors import BriefConflictError, BriefNotFoundError, UserError
from briefapp.gui.autosave import Autosaver
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.brief_list import BriefListWidget
from briefapp.gui.clearance_dialogs import CompareDialog
from briefapp.gui.dialogs import ChoiceDialog, ConfirmDialog
from briefapp.gui.feedback import report_error
from briefapp.gui.tasks import TaskRunner
from briefapp.services.session import Services

log = logging.getLogger(__name__)

Then = Callable[[], None]
WATCH_INTERVAL_MS = 1000
"""How often to look for saves made by another window or program."""


class StatusDisplay(Protocol):
    """Where the controllers tell the user what is going on."""

    def show_status(self, text: str) -> None: ...

    def begin_activity(
        self, text: str, cancel: Callable[[], None] | None = None
    ) -> None: ...

    def end_activity(self, text: str) -> None: ...


class BriefController(QObject):
    """Keeps the list, the open brief and the database in step."""

    changed_elsewhere = Signal()
    """Another window or program saved to the database."""

    def __init__(
        self,
        window: QWidget,
        status: StatusDisplay,
        services: Services,
        runner: TaskRunner,
        document: BriefDocument,
        autosaver: Autosaver,
        brief_list: BriefListWidget,
        editor: QWidget,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._status = status
        self._services = services
        self._runner = runner
        self._document = document
        self._autosaver = autosaver
        self._list = brief_list
        self._editor = editor
        brief_list.brief_chosen.connect(self._on_brief_list_brief_chosen)
        autosaver.saved.connect(self._on_autosaver_saved)
        autosaver.save_failed.connect(self._on_autosaver_save_failed)
        self._changed_elsewhere = services.watch_changes()
        self._watch = QTimer(self)
        self._watch.timeout.connect(self.look_for_changes)
        self._watch.start(WATCH_INTERVAL_MS)

    def open_id(self) -> int | None:
        brief = self._document.brief
        return brief.id if brief is not None else None

    # Listing and opening -------------------------------------------------------

    def refresh_list(self, open_first: bool = False) -> None:
        """Reload the list, keeping the open brief selected (or open the first)."""
        self._runner.run(
            self._services.briefs.list_briefs,
            partial(self._on_list_loaded, open_first),
            partial(report_error, self._window, "Cannot list the briefs"),
            channel="list",
        )

    def _on_list_loaded(self, open_first: bool, briefs: list[BriefSummary]) -> None:
        self._list.set_briefs(briefs, self.open_id())
        if open_first and self.open_id() is None:
            first = self._list.first_id()
            if first is not None:
                self.load(self._services.briefs.get_brief, first)

    def load(
        self,
        fetch: Callable[..., Brief],
        *args: object,
        write: bool = False,
        then: Callable[[Brief], None] | None = None,
    ) -> None:
        """Run ``fetch(*args)`` in the background and open the brief it
        returns; then ``then(brief)``, if given."""
        self._editor.setEnabled(False)
        self._runner.run(
            partial(fetch, *args),
            partial(self._on_brief_loaded, then),
            self._on_load_failed,
            write=write,
            channel=None if write else "open",
        )

    def _on_brief_loaded(
        self, then: Callable[[Brief], None] | None, brief: Brief
    ) -> None:
        self._document.load(brief)
        self._editor.setEnabled(True)
        self.refresh_list()
        if then is not None:
            then(brief)

    def _on_load_failed(self, error: BaseException) -> None:
        self._editor.setEnabled(self._document.brief is not None)
        self._list.select(self.open_id())
        report_error(self._window, "Cannot open the brief", error)
        self.refresh_list()

    @Slot(int)
    def _on_brief_list_brief_chosen(self, brief_id: int) -> None:
        if brief_id != self.open_id():
            self.after_saving(
                partial(self.load, self._services.briefs.get_brief, brief_id)
            )

    # Saves made elsewhere ------------------------------------------------------

    @Slot()
    def look_for_changes(self) -> None:
        """If another window or program saved to the database, show it: the
        list, and the open brief unless it has edits not yet saved here (those
        meet the other save as a conflict when they are saved)."""
        if not self._changed_elsewhere():
            return
        self.changed_elsewhere.emit()
        self.refresh_list()
        brief = self._document.brief
        if brief is None or brief.id is None or not self._is_quiet():
            return
        self._runner.run(
            partial(self._services.briefs.get_brief, brief.id),
            partial(self._on_fresh_copy, brief.id),
            partial(self._on_fresh_copy_failed, brief.id),
            channel="fresh",
        )

    def _is_quiet(self) -> bool:
        """Nothing here is waiting to be saved, saving, loading, or being typed
        into a table cell (whose text reaches the brief only when it closes)."""
        return (
            not self._document.is_dirty()
            and self._autosaver.is_idle()
            and self._autosaver.suspended is None
            and self._editor.isEnabled()
            and not any(
                view.state() == QAbstractItemView.State.EditingState
                for view in self._editor.findChildren(QAbstractItemView)
            )
        )

    def _on_fresh_copy(self, brief_id: int, stored: Brief) -> None:
        if self.open_id() != brief_id or not self._is_quiet():
            return
        shown = self._document.brief
        # A restore elsewhere may bring back an older revision: any difference
        # counts (this fetch is the latest; older ones were superseded).
        if stored.revision != self._document.stored_revision or (
            shown is not None and not stored.content_equals(shown)
        ):
            self._document.load(stored)
            self._status.show_status(
                f"Brief {stored.reference} was saved in another window or "
                "program; showing its saved version."
            )

    def _on_fresh_copy_failed(self, brief_id: int, error: BaseException) -> None:
        if isinstance(error, BriefNotFoundError):
            if self.open_id() == brief_id and self._is_quiet():
                self._document.load(None)
                self._status.show_status(
                    "The open brief was deleted in another window or program."
                )
                self.refresh_list(open_first=True)
        else:
            log.warning("cannot reload brief %s: %s", brief_id, error)

    # Saving first --------------------------------------------------------------

    def after_saving(self, then: Then) -> None:
        """Run ``then`` once the open brief is stored, or once the user has
        chosen what to do with edits that cannot be stored."""
        commit_pending_edits()
        if self._document.is_dirty():
            if self._autosaver.suspended is not None:
                if not self._resolve_conflict(self._autosaver.suspended, then):
                    self._list.select(self.open_id())
                return
            problem = self._autosaver.problem()
            if problem:
                if not self._confirm_discard(problem):
                    self._list.select(self.open_id())
                    return
                self._document.revert()
        self._autosaver.save_now(then=then)

    def _confirm_discard(self, problem: str) -> bool:
        return ConfirmDialog.ask(
            self._window,
            "Discard unsaved changes?",
            f"The open brief has changes that cannot be saved: {problem}.\n\n"
            "Discard those changes?",
            "Discard changes",
        )

    @Slot(object)
    def _on_autosaver_saved(self, _brief: Brief) -> None:
        self.refresh_list()

    @Slot(object)
    def _on_autosaver_save_failed(self, error: BaseException) -> None:
        if isinstance(error, BriefConflictError | BriefNotFoundError):
            self._resolve_conflict(error, None)
        elif not isinstance(error, UserError):
            report_error(self._window, "Saving the brief failed", error)

    def _resolve_conflict(self, error: UserError, then: Then | None) -> bool:
        """Ask what to keep when the stored brief moved on; True if resolved.

        ``then`` is what the user was doing (opening another brief…); it runs
        once the choice is carried out.
        """
        brief = self._document.brief
        if brief is None:
            return False
        deleted = isinstance(error, BriefNotFoundError)
        other = ("discard", "Discard my edits") if deleted else (
            "reload", "Reload the saved version")  # fmt: skip
        choices = [("copy", "Keep mine as a new brief"), other]
        if not deleted:
            choices.append(("compare", "Compare…"))
        question = (
            f"{error}\n\nKeep your version as a new brief, or {other[1].lower()}?"
            + ("" if deleted else " Compare… shows what differs first.")
        )
        while True:
            choice = ChoiceDialog.ask(
                self._window, "The brief changed elsewhere", question, choices
            )
            if choice != "compare":
                break
            self._compare_with_saved(brief)
        if choice is None:
            return False
        if choice == "copy":
            copy = replace(
                brief, id=None, revision=0, reference=f"{brief.reference}-MINE"
            )
            create = partial(self._services.briefs.create_brief, copy, complete=False)
            if then is None:
                self.load(create, write=True)
            else:
                self._runner.run(
                    create,
                    partial(_ignore_result, then),
                    partial(report_error, self._window, "Cannot keep your version"),
                    write=True,
                )
        elif then is not None:
            self._document.load(None)
            then()
        elif choice == "reload" and brief.id is not None:
            self.load(self._services.briefs.get_brief, brief.id)
        else:
            self._document.load(None)
            self.refresh_list(open_first=True)
        return True

    def _compare_with_saved(self, mine: Brief) -> None:
        """Show what differs between the version saved elsewhere and the edits
        here (a short read, while the conflict question waits)."""
        try:
            saved = self._services.briefs.get_brief(mine.id or 0)
        except UserError as error:
            report_error(self._window, "Cannot read the saved version", error)
            return
        CompareDialog.show_comparison(
            self._window,
            f"Saved elsewhere (revision {saved.revision}) → your edits",
            compare_briefs(saved, mine),
        )

    # New, duplicate, delete ----------------------------------------------------

    def new_brief(self) -> None:
        """Create a brief and open it on its Brief tab, ready for its title."""
        self.after_saving(
            partial(
                self.load,
                self._services.briefs.create_brief,
                write=True,
                then=self._on_new_brief_loaded,
            )
        )

    def _on_new_brief_loaded(self, _brief: Brief) -> None:
        self._editor.focus_title()

    def duplicate_brief(self) -> None:
        brief_id = self.open_id()
        if brief_id is not None:
            self.after_saving(
                partial(
                    self.load,
                    self._services.briefs.duplicate_brief,
                    brief_id,
                    write=True,
                )
            )

    def delete_brief(self) -> None:
        brief = self._document.brief
        if brief is None or brief.id is None:
            return
        commit_pending_edits()
        if not ConfirmDialog.ask(
            self._window,
            "Delete brief?",
            f"Delete brief {brief.reference} “{brief.title}” with its options, "
            "countries, constraints, sources, analysis, comments, versions and "
            "history? This cannot be undone.",
            "Delete",
        ):
            return
        self._document.load(None)
        self._runner.run(
            partial(self._services.briefs.delete_brief, brief.id),
            self._on_brief_deleted,
            partial(self._on_delete_failed, brief.id),
            write=True,
        )

    def _on_brief_deleted(self, _result: None) -> None:
        self._status.show_status("Brief deleted.")
        self.refresh_list(open_first=True)

    def _on_delete_failed(self, brief_id: int, error: BaseException) -> None:
        report_error(self._window, "Cannot delete the brief", error)
        self.load(self._services.briefs.get_brief, brief_id)


def commit_pending_edits() -> None:
    """Finish the edit in progress (a table cell being typed in) before acting.

    A cell's text reaches the brief only when its editor loses the focus;
    taking the focus away commits it, as clicking elsewhere would.
    """
    focus = QApplication.focusWidget()
    if focus is not None:
        focus.clearFocus()


def _ignore_result(then: Then, _result: object) -> None:
    then()
