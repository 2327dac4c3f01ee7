"""Keeping edits not yet saved in the recovery journal while the user types,
and offering back, at start, what a crash left there."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QLockFile, QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

from briefapp.domain.entities import Brief
from briefapp.domain.errors import BriefNotFoundError, UserError
from briefapp.domain.workflow import edit_refusal
from briefapp.gui.autosave import Autosaver
from briefapp.gui.brief_controller import BriefController, StatusDisplay
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.dialogs import ChoiceDialog
from briefapp.services.journal import RecoveryJournal, UnsavedEdits
from briefapp.services.session import Services

log = logging.getLogger(__name__)

JOURNAL_DELAY_MS = 250
"""How soon after a keystroke the edits are journaled (well before autosave)."""
OFFER_TITLE = "Restore unsaved edits?"


class JournalKeeper(QObject):
    """Writes the open brief to this window's journal while it has unsaved
    edits, and removes it once they are saved or deliberately dropped. Holds
    the session's lock file while the window lives."""

    def __init__(
        self,
        document: BriefDocument,
        autosaver: Autosaver,
        journal: RecoveryJournal,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._journal = journal
        self._written: set[int] = set()
        self._lock = QLockFile(str(journal.lock_path()))
        self._lock.setStaleLockTime(0)  # a lock is stale only when its owner is gone
        try:
            journal.prepare()
            self._lock.tryLock(0)
        except UserError as error:
            log.warning("no recovery journal: %s", error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.keep_now)
        document.changed.connect(self._on_document_changed)
        document.loaded.connect(self._on_document_loaded)
        autosaver.saved.connect(self._on_autosaver_saved)

    @Slot()
    def keep_now(self) -> bool:
        """Journal the open brief now if it has unsaved edits; True if they
        are in the journal (or there are none)."""
        self._timer.stop()
        brief = self._document.brief
        if brief is None or brief.id is None or not self._document.is_dirty():
            return True
        try:
            self._journal.keep(self._document.brief_to_save())
        except UserError as error:
            log.warning("cannot journal unsaved edits: %s", error)
            return False
        self._written.add(brief.id)
        return True

    def close(self, *, saved: bool) -> None:
        """The window closes: with everything ``saved``, nothing is left in
        the journal; otherwise the edits stay there for the next window."""
        self._timer.stop()
        if saved:
            self._journal.forget_all()
            self._written.clear()
        self._lock.unlock()

    @Slot(object)
    def _on_document_changed(self, _brief: Brief | None) -> None:
        if self._document.is_dirty():
            self._timer.start(JOURNAL_DELAY_MS)
        else:
            self._forget_open()

    @Slot(object)
    def _on_autosaver_saved(self, _brief: Brief) -> None:
        if self._document.is_dirty():
            # Typed during the save: journal again, on the new revision.
            self._timer.start(JOURNAL_DELAY_MS)
        else:
            self._forget_open()

    @Slot(object)
    def _on_document_loaded(self, _brief: Brief | None) -> None:
        # A brief is opened only once the last one's edits were saved, kept
        # as a copy or dropped by the user's choice: none are left to keep.
        self._timer.stop()
        for brief_id in self._written:
            self._journal.forget(brief_id)
        self._written.clear()

    def _forget_open(self) -> None:
        self._timer.stop()
        brief = self._document.brief
        if brief is not None and brief.id in self._written:
            self._journal.forget(brief.id)
            self._written.discard(brief.id)


def session_is_live(journal: RecoveryJournal, session: str) -> bool:
    """Whether the window of ``session`` is still open (holds its lock)."""
    lock = QLockFile(str(journal.lock_path(session)))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        lock.unlock()  # its owner is gone; the lock file goes too
        return False
    return True  # held (or unreadable): leave that window's files alone


class UnsavedEditsOffer(QObject):
    """At start, offers back each brief's edits that a crash left unsaved.

    The window opens no brief of its own while the offer stands; once every
    question is answered, it opens the first brief if none was restored.
    """

    def __init__(
        self,
        window: QWidget,
        status: StatusDisplay,
        services: Services,
        document: BriefDocument,
        briefs: BriefController,
        journal: RecoveryJournal,
        keeper: JournalKeeper,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._status = status
        self._services = services
        self._document = document
        self._briefs = briefs
        self._journal = journal
        self._keeper = keeper
        self.pending = journal.left_behind(partial(session_is_live, journal))

    def start(self) -> None:
        self._offer(list(self.pending))

    def _offer(self, remaining: list[UnsavedEdits]) -> None:
        if not remaining:
            if self._document.brief is None:
                self._briefs.refresh_list(open_first=True)
            return
        edits, rest = remaining[0], remaining[1:]
        when = edits.written_at.astimezone().strftime("%d %B %Y at %H:%M")
        choice = ChoiceDialog.ask(
            self._window,
            OFFER_TITLE,
            f"Briefapp closed before your edits to brief {edits.brief.reference} "
            f"“{edits.brief.title}” were saved (last edit {when}).\n\nRestore "
            "them, or discard them? Cancel keeps them, to be asked again next time.",
            [("restore", "Restore my edits"), ("discard", "Discard them")],
        )
        if choice == "restore":
            outcome = _Outcome()
            self._briefs.after_saving(
                partial(
                    self._briefs.load,
                    partial(_base_of, self._services, edits, outcome),
                    write=True,
                    then=partial(self._restored, edits, rest, outcome),
                )
            )
            return
        if choice == "discard":
            self._journal.discard(edits)
        self._offer(rest)

    def _restored(
        self,
        edits: UnsavedEdits,
        rest: list[UnsavedEdits],
        outcome: _Outcome,
        opened: Brief,
    ) -> None:
        if not outcome.copied:
            # Opened as stored when the edits were made, then edited: a save
            # made elsewhere since meets them as a save conflict.
            self._document.edit(
                replace(
                    edits.brief,
                    id=opened.id,
                    status=opened.status,
                    revision=edits.revision,
                ),
                "Restore unsaved edits",
            )
            self._keeper.keep_now()  # in this window's journal before the old goes
            self._status.show_status(
                f"Your unsaved edits to {edits.brief.reference} are restored."
                if self._document.is_dirty()
                else f"Your edits to {edits.brief.reference} had been saved already."
            )
        else:
            self._status.show_status(
                f"Brief {edits.brief.reference} was deleted or can no longer be "
                f"edited; your edits are restored as the new brief "
                f"{opened.reference}."
            )
        self._journal.discard(edits)
        self._offer(rest)


class _Outcome:
    """Whether ``_base_of`` made a new brief of the edits (set on the write
    queue, read once the brief is open)."""

    copied = False


def _base_of(services: Services, edits: UnsavedEdits, outcome: _Outcome) -> Brief:
    """The brief the edits go on: as stored, with the revision they were made
    on; or, if it was deleted or is no longer a draft, a new brief of them.
    Runs on the write queue."""
    try:
        stored = services.briefs.get_brief(edits.brief_id)
    except BriefNotFoundError:
        stored = None
    if stored is not None and edit_refusal(stored) is None:
        return replace(stored, revision=edits.revision)
    copy = replace(edits.brief, reference=f"{edits.brief.reference}-RECOVERED")
    outcome.copied = True
    return services.briefs.create_brief(copy, complete=False)
