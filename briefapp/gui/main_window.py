"""The main window: the brief list beside the editor, with the actions on briefs."""

from __future__ import annotations

import html
import logging
import re
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from briefapp import __version__
from briefapp.domain.entities import Brief, BriefSummary
from briefapp.domain.errors import UserError
from briefapp.gui.autosave import Autosaver
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.brief_editor import BriefEditorWidget
from briefapp.gui.brief_list import BriefListWidget
from briefapp.gui.dialogs import (
    BRIEF_FILTER,
    AboutDialog,
    ConfirmDialog,
    ExportDialog,
    FileDialog,
    NoticeDialog,
)
from briefapp.gui.feedback import report_error
from briefapp.gui.tasks import TaskRunner
from briefapp.services.session import Services
from briefapp.settings import Settings

log = logging.getLogger(__name__)

_SAVED_TEXT = "All changes saved"


class MainWindow(QMainWindow):
    """Lists the briefs, edits the chosen one, imports and exports them."""

    def __init__(
        self,
        services: Services,
        settings: Settings,
        settings_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.settings = settings
        self._settings_path = settings_path
        self.runner = TaskRunner(self)
        self.runner.failed.connect(self._on_runner_failed)
        self.document = BriefDocument(self)
        self.autosaver = Autosaver(
            self.document, self.runner, services.briefs.save_brief, self
        )
        self.brief_list = BriefListWidget()
        self.editor = BriefEditorWidget(self.document)
        self._build_central()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self._restore_layout()
        self._update_title()
        self.refresh_list(select=None, open_first=True)

    # Construction ------------------------------------------------------------

    def _build_central(self) -> None:
        self.placeholder = QLabel(
            "No brief is open.\n\nChoose one in the list, create one with "
            "File ▸ New brief (Ctrl+N), or import a brief file (Ctrl+I)."
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.brief_list)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 890])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.resize(1320, 820)

    def _build_actions(self) -> None:
        style = self.style()
        icon = style.standardIcon
        pix = QStyle.StandardPixmap
        self.new_action = self._action(
            "&New brief",
            QKeySequence.StandardKey.New,
            self._on_new_triggered,
            icon(pix.SP_FileIcon),
        )
        self.duplicate_action = self._action(
            "&Duplicate brief", "Ctrl+D", self._on_duplicate_triggered
        )
        self.delete_action = self._action(
            "De&lete brief…",
            "Ctrl+Shift+Delete",
            self._on_delete_triggered,
            icon(pix.SP_TrashIcon),
        )
        self.import_action = self._action(
            "&Import brief file…",
            "Ctrl+I",
            self._on_import_triggered,
            icon(pix.SP_DialogOpenButton),
        )
        self.export_file_action = self._action(
            "Export brief &file…", "Ctrl+Shift+S", self._on_export_file_triggered
        )
        self.export_word_action = self._action(
            "&Export to Word…",
            "Ctrl+E",
            self._on_export_word_triggered,
            icon(pix.SP_DialogSaveButton),
        )
        self.quit_action = self._action(
            "&Quit", QKeySequence.StandardKey.Quit, self.close
        )
        self.undo_action = self.document.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(icon(pix.SP_ArrowBack))
        self.redo_action = self.document.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")]
        )
        self.redo_action.setIcon(icon(pix.SP_ArrowForward))
        self.find_action = self._action(
            "&Find brief", QKeySequence.StandardKey.Find, self._on_find_triggered
        )
        self.about_action = self._action(
            "&About Briefapp", "", self._on_about_triggered
        )
        self._build_menus()

    def _action(self, text: str, shortcut: Any, slot: Any, icon: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(icon)
        plain = text.replace("&", "").rstrip("…")
        shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{plain} ({shown})" if shown else plain)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for action in (self.new_action, self.duplicate_action, self.delete_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_file_action)
        file_menu.addAction(self.export_word_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        menu.addMenu("&Help").addAction(self.about_action)
        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for action in (self.new_action, self.import_action, self.export_word_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        self.save_state = QLabel(_SAVED_TEXT)
        self.save_state.setAccessibleName("Save state")
        self.activity = QProgressBar()
        self.activity.setRange(0, 0)
        self.activity.setMaximumWidth(120)
        self.activity.setAccessibleName("Working")
        self.activity.hide()
        database = QLabel(f"Database: {self.services.database_path}")
        database.setToolTip(str(self.services.database_path))
        database.setStyleSheet("color: palette(mid)")
        bar = self.statusBar()
        bar.addWidget(self.save_state)
        bar.addPermanentWidget(self.activity)
        bar.addPermanentWidget(database)

    def _connect(self) -> None:
        self.brief_list.brief_chosen.connect(self._on_brief_list_brief_chosen)
        self.document.changed.connect(self._on_document_changed)
        self.autosaver.state_changed.connect(self._on_autosaver_state_changed)
        self.autosaver.saved.connect(self._on_autosaver_saved)
        self.autosaver.save_failed.connect(self._on_autosaver_save_failed)

    # The list and the open brief ---------------------------------------------

    def refresh_list(self, select: int | None, open_first: bool = False) -> None:
        """Reload the brief list; select brief ``select`` (or open the first)."""
        self.runner.run(
            self.services.briefs.list_briefs,
            partial(self._on_list_loaded, select, open_first),
            partial(self._on_task_error, "Cannot list the briefs"),
            channel="list",
        )

    def _on_list_loaded(
        self, select: int | None, open_first: bool, briefs: list[BriefSummary]
    ) -> None:
        current = self._open_id()
        self.brief_list.set_briefs(briefs, select if select is not None else current)
        if open_first and current is None and select is None:
            first = self.brief_list.first_id()
            if first is not None:
                self.open_brief(first)

    def open_brief(self, brief_id: int) -> None:
        """Load brief ``brief_id`` into the editor (after saving the open one)."""
        self.runner.run(
            partial(self.services.briefs.get_brief, brief_id),
            self._on_brief_loaded,
            partial(self._on_open_failed, brief_id),
            channel="open",
        )

    def _on_brief_loaded(self, brief: Brief) -> None:
        self.document.load(brief)
        self.brief_list.select(brief.id)

    def _on_open_failed(self, brief_id: int, error: BaseException) -> None:
        self.brief_list.select(self._open_id())
        self._on_task_error(f"Cannot open brief {brief_id}", error)
        self.refresh_list(select=self._open_id())

    def _open_id(self) -> int | None:
        brief = self.document.brief
        return brief.id if brief is not None else None

    def _after_saving(self, then: Any) -> None:
        """Run ``then`` once the open brief is stored (or its bad edits dropped)."""
        if self.document.is_dirty():
            problem = self.autosaver.problem()
            if problem and not self._confirm_discard(problem):
                self.brief_list.select(self._open_id())
                return
            if problem:
                self.document.load(None)
        self.autosaver.save_now(then=then)

    def _confirm_discard(self, problem: str) -> bool:
        brief = self.document.brief
        reference = brief.reference if brief else "The open brief"
        return ConfirmDialog.ask(
            self,
            "Discard unsaved changes?",
            f"{reference or 'The open brief'} has changes that cannot be saved: "
            f"{problem}.\n\nDiscard those changes?",
            "Discard changes",
        )

    @Slot(int)
    def _on_brief_list_brief_chosen(self, brief_id: int) -> None:
        if brief_id != self._open_id():
            self._after_saving(partial(self.open_brief, brief_id))

    @Slot(object)
    def _on_document_changed(self, brief: Brief | None) -> None:
        self.stack.setCurrentWidget(self.editor if brief else self.placeholder)
        for action in (
            self.duplicate_action,
            self.delete_action,
            self.export_file_action,
            self.export_word_action,
        ):
            action.setEnabled(brief is not None)
        self._update_title()

    def _update_title(self) -> None:
        brief = self.document.brief
        name = f"{brief.reference} – {brief.title}" if brief else "No brief open"
        self.setWindowTitle(f"{name}[*] — Briefapp")
        self.setWindowModified(self.document.is_dirty())

    # Saving ------------------------------------------------------------------

    @Slot(str)
    def _on_autosaver_state_changed(self, state: str) -> None:
        failed = state.startswith("Not saved")
        self.save_state.setText(_SAVED_TEXT if state == "saved" else state)
        self.save_state.setStyleSheet("color: #b00020" if failed else "")
        self.editor.show_problem(state if failed else "")
        self._update_title()

    @Slot(object)
    def _on_autosaver_saved(self, brief: Brief) -> None:
        self.refresh_list(select=brief.id)

    @Slot(object)
    def _on_autosaver_save_failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            report_error(self, "Saving the brief failed", error)

    # Actions -----------------------------------------------------------------

    @Slot()
    def _on_new_triggered(self) -> None:
        self._after_saving(self._create_brief)

    def _create_brief(self) -> None:
        self.runner.run(
            self.services.briefs.create_brief,
            self._on_brief_created,
            partial(self._on_task_error, "Cannot create a brief"),
            write=True,
        )

    def _on_brief_created(self, brief: Brief) -> None:
        self.document.load(brief)
        self.refresh_list(select=brief.id)
        self.editor.focus_title()

    @Slot()
    def _on_duplicate_triggered(self) -> None:
        brief_id = self._open_id()
        if brief_id is not None:
            self._after_saving(partial(self._duplicate_brief, brief_id))

    def _duplicate_brief(self, brief_id: int) -> None:
        self.runner.run(
            partial(self.services.briefs.duplicate_brief, brief_id),
            self._on_brief_created,
            partial(self._on_task_error, "Cannot duplicate the brief"),
            write=True,
        )

    @Slot()
    def _on_delete_triggered(self) -> None:
        brief = self.document.brief
        if brief is None or brief.id is None:
            return
        if not ConfirmDialog.ask(
            self,
            "Delete brief?",
            f"Delete brief {brief.reference} “{brief.title}” with its options, "
            "countries, constraints and sources? This cannot be undone.",
            "Delete",
        ):
            return
        self.document.load(None)
        self.runner.run(
            partial(self.services.briefs.delete_brief, brief.id),
            self._on_brief_deleted,
            partial(self._on_delete_failed, brief.id),
            write=True,
        )

    def _on_brief_deleted(self, _result: None) -> None:
        self.statusBar().showMessage("Brief deleted.", 5000)
        self.refresh_list(select=None, open_first=True)

    def _on_delete_failed(self, brief_id: int, error: BaseException) -> None:
        self._on_task_error("Cannot delete the brief", error)
        self.open_brief(brief_id)

    @Slot()
    def _on_import_triggered(self) -> None:
        path = FileDialog.ask_open(
            self, "Import brief file", self.settings.last_folder, BRIEF_FILTER
        )
        if path is None:
            return
        self.settings.last_folder = str(path.parent)
        self._after_saving(partial(self._import_file, path))

    def _import_file(self, path: Path) -> None:
        self._begin_activity(f"Importing {path.name}…")
        self.runner.run(
            partial(self.services.briefs.import_brief_file, path),
            self._on_brief_imported,
            partial(self._on_activity_failed, f"Cannot import {path.name}"),
            write=True,
        )

    def _on_brief_imported(self, brief: Brief) -> None:
        self._end_activity(f"Imported {brief.reference}.")
        self.document.load(brief)
        self.refresh_list(select=brief.id)

    @Slot()
    def _on_export_file_triggered(self) -> None:
        brief = self.document.brief
        if brief is None or brief.id is None:
            return
        suggested = Path(self.settings.last_folder or Path.home()) / (
            f"{_file_stem(brief.reference)}.brief.json"
        )
        path = FileDialog.ask_save(
            self, "Export brief file", str(suggested), BRIEF_FILTER
        )
        if path is None:
            return
        self.settings.last_folder = str(path.parent)
        self._after_saving(partial(self._export_file, brief.id, path))

    def _export_file(self, brief_id: int, path: Path) -> None:
        self._begin_activity(f"Writing {path.name}…")
        self.runner.run(
            partial(self.services.briefs.export_brief_file, brief_id, path),
            partial(self._on_file_exported, path),
            partial(self._on_activity_failed, f"Cannot write {path.name}"),
        )

    def _on_file_exported(self, path: Path, _result: None) -> None:
        self._end_activity(f"Wrote {path}.")

    @Slot()
    def _on_export_word_triggered(self) -> None:
        brief = self.document.brief
        if brief is None:
            return
        problem = self.autosaver.problem()
        if problem:
            NoticeDialog.tell(
                self,
                "Cannot export to Word yet",
                f"{problem}. Correct it on the Brief tab and export again.",
            )
            return
        folder = Path(self.settings.last_folder or Path.home())
        choice = ExportDialog.ask(
            self,
            self.services.export.list_templates(),
            folder / f"{_file_stem(brief.reference)}.docx",
            self.settings.last_template,
        )
        if choice is None:
            return
        self.settings.last_folder = str(choice.output.parent)
        self.settings.last_template = choice.template
        self._begin_activity(f"Exporting to {choice.output.name}…")
        self.runner.run(
            partial(
                self.services.export.export_docx, brief, choice.output, choice.template
            ),
            self._on_word_exported,
            partial(self._on_activity_failed, "Export to Word failed"),
        )

    def _on_word_exported(self, path: Path) -> None:
        self._end_activity(f"Exported to {path}.")
        if ConfirmDialog.ask(
            self,
            "Export finished",
            f"The brief was exported to\n{path}\n\nOpen it now?",
            "Open",
        ) and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            NoticeDialog.tell(
                self,
                "Cannot open the document",
                f"No program could open {path}. Open it from your file manager.",
            )

    @Slot()
    def _on_find_triggered(self) -> None:
        self.brief_list.filter.setFocus()
        self.brief_list.filter.selectAll()

    @Slot()
    def _on_about_triggered(self) -> None:
        AboutDialog.tell(
            self,
            f"<b>Briefapp {__version__}</b><p>Draft procurement decision briefs "
            "and export them to Word with the classification on every page.</p>"
            f"<p>Database: {html.escape(str(self.services.database_path))}</p>",
        )

    # Feedback ----------------------------------------------------------------

    def _begin_activity(self, text: str) -> None:
        self.statusBar().showMessage(text)
        self.activity.show()

    def _end_activity(self, text: str) -> None:
        self.activity.hide()
        self.statusBar().showMessage(text, 8000)

    def _on_activity_failed(self, title: str, error: BaseException) -> None:
        self._end_activity(f"{title}.")
        self._on_task_error(title, error)

    def _on_task_error(self, title: str, error: BaseException) -> None:
        report_error(self, title, error)

    @Slot(object)
    def _on_runner_failed(self, error: BaseException) -> None:
        report_error(self, "A background task failed", error)

    # Layout and closing ------------------------------------------------------

    def _restore_layout(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(
                QByteArray.fromBase64(self.settings.window_geometry.encode())
            )
        if self.settings.splitter_state:
            self.splitter.restoreState(
                QByteArray.fromBase64(self.settings.splitter_state.encode())
            )

    def _save_layout(self) -> None:
        self.settings.window_geometry = _base64(self.saveGeometry())
        self.settings.splitter_state = _base64(self.splitter.saveState())
        if self._settings_path is not None:
            self.settings.save(self._settings_path)

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            self.autosaver.save_blocking()
        except UserError as error:
            if not ConfirmDialog.ask(
                self,
                "Close without saving?",
                f"{error}\n\nClose Briefapp anyway and lose these changes?",
                "Close without saving",
            ):
                event.ignore()
                return
        self._save_layout()
        self.runner.shutdown()
        event.accept()


def _base64(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")


def _file_stem(reference: str) -> str:
    """A file name from a brief reference, without characters file systems refuse."""
    stem = re.sub(r'[\\/:*?"<>|\s]+', "-", reference).strip("-.")
    return stem or "brief"
