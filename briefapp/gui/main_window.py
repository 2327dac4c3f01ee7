"""The main window: the brief list beside the editor, the menus and the status bar.

What the actions do lives in ``BriefController`` (which brief is open) and
``FileActions`` (files in and out); the window builds and shows.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from briefapp import __version__, paths
from briefapp.domain.clearance import Clearance, edit_permission
from briefapp.domain.entities import Brief
from briefapp.domain.errors import UserError
from briefapp.domain.markings import marking_choices
from briefapp.domain.validation import describe_problem, missing_for_export
from briefapp.gui.autosave import Autosaver
from briefapp.gui.brief_controller import BriefController, commit_pending_edits
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.brief_editor import BriefEditorWidget
from briefapp.gui.brief_list import BriefListWidget
from briefapp.gui.clearance_dialogs import Preferences, PreferencesDialog
from briefapp.gui.clearance_tab import ClearanceWidget
from briefapp.gui.dialogs import AboutDialog, ConfirmDialog
from briefapp.gui.edit_journal import JournalKeeper, UnsavedEditsOffer
from briefapp.gui.feedback import report_error
from briefapp.gui.file_actions import FileActions
from briefapp.gui.preview import PreviewWidget
from briefapp.gui.tasks import TaskRunner
from briefapp.gui.templates_dialog import TemplatesDialog
from briefapp.services.journal import RecoveryJournal
from briefapp.services.session import Services
from briefapp.settings import Settings

log = logging.getLogger(__name__)

SAVED_TEXT = "All changes saved"
READ_ONLY_EDITOR = "Nothing can be changed in a read-only database."

STATUS_MESSAGE_MS = 8000


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
        self.editor.set_markings(marking_choices(self.settings.markings))
        self.clearance = ClearanceWidget(services, self.runner, self)
        self.editor.tabs.addTab(self.clearance, "C&learance")
        self.clearance.clearance_shown.connect(self.editor.show_comment_markers)
        self.clearance.clearance_shown.connect(self._on_clearance_shown)
        self.document.loaded.connect(self.clearance.show_brief)
        self.document.loaded.connect(self._on_document_loaded)
        self.autosaver.saved.connect(self._on_autosaver_saved)
        self.preview = PreviewWidget(services.export, self.runner, self.document)
        self.editor.tabs.addTab(self.preview, "Pre&view")
        self.editor.tabs.currentChanged.connect(self._on_editor_tab_changed)
        self.briefs = BriefController(
            self, self, services, self.runner, self.document, self.autosaver,
            self.brief_list, self.editor,
        )  # fmt: skip
        self.briefs.changed_elsewhere.connect(self._on_briefs_changed_elsewhere)
        journal = RecoveryJournal(paths.recovery_dir(), services.database_path)
        self.journal_keeper = JournalKeeper(
            self.document, self.autosaver, journal, self
        )
        self.unsaved = UnsavedEditsOffer(
            self,
            self,
            services,
            self.document,
            self.briefs,
            journal,
            self.journal_keeper,
        )
        self.files = FileActions(
            self, self, services, settings, self.runner, self.document, self.briefs
        )
        pdf_problem = services.export.pdf_unavailable_reason()
        self._pdf_available = pdf_problem is None
        self._build_central()
        self._build_actions()
        if services.read_only:
            for action in (self.new_action, self.import_action, self.restore_action):
                action.setEnabled(False)
                action.setToolTip(services.read_only)
                action.setStatusTip(services.read_only)
        if pdf_problem:
            self.export_pdf_action.setToolTip(pdf_problem)
            self.export_pdf_action.setStatusTip(pdf_problem)
        self._build_status_bar()
        self.document.changed.connect(self._on_document_changed)
        self.autosaver.state_changed.connect(self._on_autosaver_state_changed)
        self._restore_layout()
        self._on_document_changed(None)
        if self.unsaved.pending and not services.read_only:
            self.briefs.refresh_list()
            QTimer.singleShot(0, self.unsaved.start)  # once the window is shown
        else:
            self.briefs.refresh_list(open_first=True)
        # A renderer waiting in the background makes the first export quick.
        self.runner.run(services.export.keep_renderer_ready, _ignore, slow=True)

    # Construction ------------------------------------------------------------

    def _build_central(self) -> None:
        self.nothing_open = QLabel(
            "No brief is open.\n\nChoose one in the list, create one with "
            "File ▸ New brief (Ctrl+N), or import a brief file (Ctrl+I)."
        )
        self.nothing_open.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing_open.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.nothing_open)
        self.stack.addWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.brief_list)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 890])
        self.splitter.setChildrenCollapsible(False)
        self.database_banner = QLabel(self.services.read_only or "")
        self.database_banner.setAccessibleName("About the database")
        self.database_banner.setWordWrap(True)
        self.database_banner.setStyleSheet(
            "background: #fff4e5; color: #5f3b00; padding: 6px 10px; "
            "border-bottom: 1px solid #f0c36d"
        )
        self.database_banner.setVisible(bool(self.services.read_only))
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.database_banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.resize(1320, 820)

    def _build_actions(self) -> None:
        icon = self.style().standardIcon
        pix = QStyle.StandardPixmap
        new = QKeySequence.StandardKey.New
        self.new_action = self._action(
            "&New brief", new, self.briefs.new_brief, icon(pix.SP_FileIcon)
        )
        self.duplicate_action = self._action(
            "&Duplicate brief", "Ctrl+D", self.briefs.duplicate_brief
        )
        self.delete_action = self._action(
            "De&lete brief…", "Ctrl+Shift+Delete", self.briefs.delete_brief,
            icon(pix.SP_TrashIcon),
        )  # fmt: skip
        self.import_action = self._action(
            "&Import brief file…", "Ctrl+I", self.files.import_brief_file,
            icon(pix.SP_DialogOpenButton),
        )  # fmt: skip
        self.export_file_action = self._action(
            "Export brief &file…", "Ctrl+Shift+S", self.files.export_brief_file
        )
        self.export_word_action = self._action(
            "&Export to Word…", "Ctrl+E", self.files.export_to_word,
            icon(pix.SP_DialogSaveButton),
        )  # fmt: skip
        self.export_pdf_action = self._action(
            "Export to &PDF…", "Ctrl+Shift+E", self.files.export_to_pdf
        )
        self.print_action = self._action(
            "Pr&int…", QKeySequence.StandardKey.Print, self._on_print_triggered
        )
        self.backup_action = self._action("&Back up now", "", self.files.back_up_now)
        self.restore_action = self._action(
            "&Restore from backup…", "", self.files.restore_from_backup
        )
        self.templates_action = self._action(
            "Word &templates…", "", self._on_templates_triggered
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
        self.preferences_action = self._action(
            "Pre&ferences…", "", self._on_preferences_triggered
        )
        self.about_action = self._action(
            "&About Briefapp", "", self._on_about_triggered
        )
        self._build_menus()

    def _action(
        self,
        text: str,
        shortcut: QKeySequence.StandardKey | str,
        slot: Callable[[], object],
        icon: QIcon | None = None,
    ) -> QAction:
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
        file_menu.setToolTipsVisible(True)  # says why Export to PDF is disabled
        for action in (self.new_action, self.duplicate_action, self.delete_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_file_action)
        file_menu.addAction(self.export_word_action)
        file_menu.addAction(self.export_pdf_action)
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.templates_action)
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
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
        self.save_state = QLabel("Read-only" if self.services.read_only else SAVED_TEXT)
        self.save_state.setAccessibleName("Save state")
        self.activity = QProgressBar()
        self.activity.setRange(0, 0)
        self.activity.setMaximumWidth(120)
        self.activity.setAccessibleName("Working")
        self.activity.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the export")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.cancel_button.hide()
        self._cancel_activity: Callable[[], None] | None = None
        path = self.services.database_path
        database = QLabel(f"Database: {_home_relative(path)}")
        database.setToolTip(str(path))
        database.setStyleSheet("color: palette(mid)")
        bar = self.statusBar()
        bar.addWidget(self.save_state)
        bar.addPermanentWidget(self.activity)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(database)

    # What the clearance tab needs (clearance_tab.Host) ----------------------------

    def after_saving(self, then: Callable[[], None]) -> None:
        self.briefs.after_saving(then)

    def reload_brief(self) -> None:
        brief_id = self.briefs.open_id()
        if brief_id is not None:
            self.briefs.load(self.services.briefs.get_brief, brief_id, write=True)

    def folder(self) -> Path:
        return Path(self.settings.last_folder or Path.home())

    @Slot(object)
    def _on_document_loaded(self, _brief: Brief | None) -> None:
        # Who may edit the newly opened brief is known once its clearance is;
        # until then the service refuses edits by anyone else.
        self.editor.set_not_yours(READ_ONLY_EDITOR if self.services.read_only else None)

    @Slot(object)
    def _on_autosaver_saved(self, stored: Brief) -> None:
        clearance = self.clearance.clearance
        if clearance is not None and clearance.status is not stored.status:
            self.clearance.show_brief(self.document.brief)

    @Slot(object)
    def _on_clearance_shown(self, clearance: Clearance) -> None:
        self.editor.set_not_yours(
            READ_ONLY_EDITOR
            if self.services.read_only
            else edit_permission(clearance, self.services.briefs.editor)
        )

    @Slot()
    def _on_briefs_changed_elsewhere(self) -> None:
        # Comments, steps and versions can change without the brief's text.
        self.clearance.show_brief(self.document.brief)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.briefs.look_for_changes()  # back from another window

    @Slot()
    def _on_preferences_triggered(self) -> None:
        chosen = PreferencesDialog.ask(
            self,
            Preferences(
                self.settings.display_name,
                self.settings.backups_kept,
                tuple(self.settings.markings),
            ),
        )
        if chosen is None:
            return
        self.settings.display_name = chosen.name
        self.settings.backups_kept = chosen.backups_kept
        self.settings.markings = list(chosen.markings)
        self.editor.set_markings(marking_choices(chosen.markings))
        if self._settings_path is not None:
            self.settings.save(self._settings_path)
        self.services.backups_kept = chosen.backups_kept
        self.services.briefs.editor = self.settings.user_name()
        self.clearance.show_brief(self.document.brief)
        self.show_status(f"You now act as {self.services.briefs.editor}.")

    # What the controllers report (StatusDisplay) -------------------------------

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def begin_activity(
        self, text: str, cancel: Callable[[], None] | None = None
    ) -> None:
        self.statusBar().showMessage(text)
        self.activity.show()
        self._cancel_activity = cancel
        self.cancel_button.setVisible(cancel is not None)
        self.cancel_button.setEnabled(True)

    def end_activity(self, text: str) -> None:
        self.activity.hide()
        self.cancel_button.hide()
        self._cancel_activity = None
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    @Slot()
    def _on_cancel_clicked(self) -> None:
        if self._cancel_activity is not None:
            self.cancel_button.setEnabled(False)
            self.statusBar().showMessage("Cancelling…")
            self._cancel_activity()

    # Reacting to the open brief --------------------------------------------------

    @Slot(object)
    def _on_document_changed(self, brief: Brief | None) -> None:
        self.stack.setCurrentWidget(self.editor if brief else self.nothing_open)
        for action in (
            self.export_file_action,
            self.export_word_action,
            self.print_action,
        ):
            action.setEnabled(brief is not None)
        for action in (self.duplicate_action, self.delete_action):
            action.setEnabled(brief is not None and not self.services.read_only)
        self.export_pdf_action.setEnabled(brief is not None and self._pdf_available)
        missing = missing_for_export(brief) if brief else []
        self.editor.banner.show_message(
            "incomplete",
            f"{describe_problem(missing[0])}: the brief is kept, but it needs this "
            "before it can be exported."
            if missing
            else "",
        )
        self._update_title()

    def _update_title(self) -> None:
        brief = self.document.brief
        if brief is None:
            name = "No brief open"
        else:
            name = (
                f"{brief.reference or '(no reference)'} – {brief.title or '(untitled)'}"
            )
        read_only = " (read-only)" if self.services.read_only else ""
        self.setWindowTitle(f"{name}[*] — Briefapp{read_only}")
        self.setWindowModified(self.document.is_dirty())

    @Slot(str)
    def _on_autosaver_state_changed(self, state: str) -> None:
        failed = state.startswith("Not saved")
        saved = "Read-only" if self.services.read_only else SAVED_TEXT
        self.save_state.setText(saved if state == "saved" else state)
        self.save_state.setToolTip(state if failed else "")
        self.save_state.setStyleSheet("color: #b00020" if failed else "")
        self.editor.banner.show_message("save", state if failed else "")
        self._update_title()

    @Slot()
    def _on_templates_triggered(self) -> None:
        commit_pending_edits()
        TemplatesDialog.ask(
            self, self.services.export, self.runner, self.settings, self.document.brief
        )
        self.preview.reload_templates()

    @Slot(int)
    def _on_editor_tab_changed(self, index: int) -> None:
        if self.editor.tabs.widget(index) is self.preview:
            self.preview.refresh()

    @Slot()
    def _on_print_triggered(self) -> None:
        """Print the brief as the Preview tab lays it out."""
        self.editor.tabs.setCurrentWidget(self.preview)
        self.preview.print_brief()

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
        commit_pending_edits()
        kept = False
        try:
            self.autosaver.save_blocking()
        except Exception as error:  # a bug must not close the window unasked
            if not isinstance(error, UserError):
                report_error(self, "Saving the brief failed", error)
            kept = self.journal_keeper.keep_now()
            if kept:
                question = (
                    "Close with edits not saved?",
                    f"{error}\n\nYour edits are kept: Briefapp offers them back "
                    "the next time it opens this database. Close Briefapp now?",
                    "Close",
                )
            else:
                question = (
                    "Close without saving?",
                    f"{error}\n\nClose Briefapp anyway and lose these changes?",
                    "Close without saving",
                )
            if not ConfirmDialog.ask(self, *question):
                event.ignore()
                return
        self.journal_keeper.close(saved=not kept)
        self._save_layout()
        self.runner.shutdown()
        self.services.export.stop_renderer()
        event.accept()


def _ignore(_result: object) -> None:
    """Nothing to do with the result."""


def _base64(data: QByteArray) -> str:
    return bytes(data.toBase64().data()).decode("ascii")


def _home_relative(path: Path) -> str:
    """``~/…`` for paths in the home folder, as people read them."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)
