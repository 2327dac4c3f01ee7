"""Files in and out of the window: import and export brief files, export to Word."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from briefapp.domain.entities import Brief, BriefStatus
from briefapp.domain.errors import (
    BriefFormatError,
    ReferenceTakenError,
    RenderCancelledError,
)
from briefapp.domain.validation import describe_problem, missing_for_export
from briefapp.gui.brief_controller import (
    BriefController,
    StatusDisplay,
    commit_pending_edits,
)
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.dialogs import (
    BACKUP_FILTER,
    BRIEF_FILTER,
    ConfirmDialog,
    ExportDialog,
    FileDialog,
    NoticeDialog,
)
from briefapp.gui.feedback import report_error
from briefapp.gui.import_dialogs import ImportProblemsDialog, ReferenceTakenDialog
from briefapp.gui.tasks import TaskRunner
from briefapp.services.briefs import ExistingReference
from briefapp.services.files import file_stem
from briefapp.services.session import Services
from briefapp.settings import Settings


class FileActions(QObject):
    """Import, export and Word export, each off the GUI thread."""

    def __init__(
        self,
        window: QWidget,
        status: StatusDisplay,
        services: Services,
        settings: Settings,
        runner: TaskRunner,
        document: BriefDocument,
        briefs: BriefController,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._status = status
        self._services = services
        self._settings = settings
        self._runner = runner
        self._document = document
        self._briefs = briefs
        self._cancel = threading.Event()

    def import_brief_file(self) -> None:
        path = FileDialog.ask_open(
            self._window, "Import brief file", self._settings.last_folder, BRIEF_FILTER
        )
        if path is None:
            return
        self._settings.last_folder = str(path.parent)
        self._briefs.after_saving(partial(self._import, path))

    def _import(
        self, path: Path, existing: ExistingReference = ExistingReference.REFUSE
    ) -> None:
        self._status.begin_activity(f"Importing {path.name}…")
        self._runner.run(
            partial(self._services.briefs.import_brief_file, path, existing),
            self._on_imported,
            partial(self._on_import_failed, path),
            write=True,
        )

    def _on_import_failed(self, path: Path, error: BaseException) -> None:
        title = f"Cannot import {path.name}"
        if isinstance(error, ReferenceTakenError):
            self._status.end_activity(
                f"Reference {error.reference.strip()} is already used by brief "
                f"{error.brief_id}."
            )
            choice = ReferenceTakenDialog.ask(self._window, path.name, error)
            if choice is None:
                self._status.show_status(f"{path.name} was not imported.")
            else:
                self._import(path, choice)
        elif isinstance(error, BriefFormatError):
            self._status.end_activity(f"{title}.")
            ImportProblemsDialog.tell(self._window, title, error)
        else:
            self._on_failed(title, error)

    def _on_imported(self, brief: Brief) -> None:
        self._status.end_activity(f"Imported {brief.reference}.")
        self._document.load(brief)
        self._briefs.refresh_list()

    def back_up_now(self) -> None:
        """Back the database up into its backup folder, on the write queue."""
        from briefapp.services.backups import backup_now

        self._status.begin_activity("Backing up the database…")
        self._runner.run(
            partial(
                backup_now,
                self._services.database_path,
                keep=self._services.backups_kept,
            ),
            self._on_backed_up,
            partial(self._on_failed, "Cannot back up the database"),
            write=True,
        )

    def _on_backed_up(self, path: Path) -> None:
        self._status.end_activity(f"Backed up to {path}.")

    def restore_from_backup(self) -> None:
        """Replace the database with a backup the user picks (checked first;
        the database replaced is kept as a backup)."""
        from briefapp.services.backups import backup_folder_of

        folder = backup_folder_of(self._services.database_path)
        path = FileDialog.ask_open(
            self._window, "Restore from backup", str(folder), BACKUP_FILTER
        )
        if path is None or not ConfirmDialog.ask(
            self._window,
            "Restore from this backup?",
            f"Every brief in the database will be as it was in {path.name}. The "
            "database as it is now is kept as a backup first.",
            "Restore",
        ):
            return
        self._briefs.after_saving(partial(self._restore, path))

    def _restore(self, path: Path) -> None:
        from briefapp.services.backups import restore

        self._status.begin_activity(f"Restoring from {path.name}…")
        self._document.load(None)
        self._runner.run(
            partial(restore, self._services.database_path, path),
            partial(self._on_restored, path),
            partial(self._on_restore_failed, path),
            write=True,
        )

    def _on_restore_failed(self, path: Path, error: BaseException) -> None:
        self._on_failed(f"Cannot restore from {path.name}", error)
        self._briefs.refresh_list(open_first=True)  # nothing changed: carry on

    def _on_restored(self, path: Path, done: Any) -> None:
        self._status.end_activity(
            f"Restored from {path.name}; the database it replaced is kept as "
            f"{done.kept_as.name}."
        )
        self._briefs.refresh_list(open_first=True)

    def export_brief_file(self) -> None:
        brief = self._exportable()
        if brief is None or brief.id is None:
            return
        suggested = self._folder() / f"{file_stem(brief.reference)}.brief.json"
        path = FileDialog.ask_save(
            self._window, "Export brief file", str(suggested), BRIEF_FILTER
        )
        if path is None:
            return
        self._settings.last_folder = str(path.parent)
        self._briefs.after_saving(partial(self._export_file, brief.id, path))

    def _export_file(self, brief_id: int, path: Path) -> None:
        self._status.begin_activity(f"Writing {path.name}…")
        self._runner.run(
            partial(self._services.briefs.export_brief_file, brief_id, path),
            partial(self._on_file_written, path),
            partial(self._on_failed, f"Cannot write {path.name}"),
        )

    def _on_file_written(self, path: Path, _result: None) -> None:
        self._status.end_activity(f"Wrote {path}.")

    def export_to_word(self) -> None:
        self._export_document(".docx")

    def export_to_pdf(self) -> None:
        self._export_document(".pdf")

    def cancel_export(self) -> None:
        """Stop the export in progress (the renderer or LibreOffice is stopped)."""
        self._cancel.set()

    def _export_document(self, suffix: str) -> None:
        brief = self._exportable()
        if brief is None:
            return
        kind = "PDF" if suffix == ".pdf" else "Word"
        choice = ExportDialog.ask(
            self._window,
            self._services.export.list_templates(),
            self._folder() / f"{file_stem(brief.reference)}{suffix}",
            self._settings.last_template,
            suffix,
        )
        if choice is None or not self._may_replace(choice.output):
            return
        self._settings.last_folder = str(choice.output.parent)
        self._settings.last_template = choice.template
        self._cancel = threading.Event()
        cancelled = self._runner.stop_when(self._cancel)
        if suffix == ".docx" and brief.status in ISSUED and brief.id is not None:
            # An issued brief is exported as a stamped copy that verify knows.
            call = partial(
                self._services.review.issued_copy, brief.id, choice.output,
                self._services.briefs.editor, choice.template, cancelled=cancelled,
            )  # fmt: skip
        else:
            export = (
                self._services.export.export_pdf
                if suffix == ".pdf"
                else self._services.export.export_docx
            )
            call = partial(
                export, brief, choice.output, choice.template, cancelled=cancelled
            )
        self._status.begin_activity(
            f"Exporting to {choice.output.name}…", cancel=self.cancel_export
        )
        self._runner.run(
            call,
            self._on_word_written,
            partial(self._on_failed, f"Export to {kind} failed"),
            slow=True,
        )

    def _on_word_written(self, path: Path) -> None:
        self._status.end_activity(f"Exported to {path}.")
        if ConfirmDialog.ask(
            self._window,
            "Export finished",
            f"The brief was exported to\n{path}\n\nOpen it now?",
            "Open",
            "Not now",
        ) and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            NoticeDialog.tell(
                self._window,
                "Cannot open the document",
                f"No program could open {path}. Open it from your file manager.",
            )

    def _exportable(self) -> Brief | None:
        """The open brief with the edit in progress, if it has what an export needs."""
        commit_pending_edits()
        brief = self._document.brief
        if brief is None:
            return None
        missing = missing_for_export(brief)
        if missing:
            NoticeDialog.tell(
                self._window,
                "The brief is not ready to export",
                f"{describe_problem(missing[0])}. Fill it in on the Brief tab and "
                "export again.",
            )
            return None
        return brief

    def _may_replace(self, output: Path) -> bool:
        return not output.exists() or ConfirmDialog.ask(
            self._window,
            "Replace the file?",
            f"{output.name} already exists in {output.parent}. Replace it?",
            "Replace",
        )

    def _folder(self) -> Path:
        return Path(self._settings.last_folder or Path.home())

    def _on_failed(self, title: str, error: BaseException) -> None:
        if isinstance(error, RenderCancelledError):
            self._status.end_activity("Export cancelled; no file was written.")
            return
        self._status.end_activity(f"{title}.")
        report_error(self._window, title, error)


ISSUED = frozenset({BriefStatus.ISSUED, BriefStatus.ARCHIVED})
