"""The Templates dialog: every template with its origin and check, adding one,
and the extra template folder (the preference)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.entities import Brief
from briefapp.domain.errors import RenderCancelledError, UserError
from briefapp.domain.templates import TemplateCheck, TemplateInfo, distinct_labels
from briefapp.gui.dialogs import WORD_FILTER, ConfirmDialog, FileDialog
from briefapp.gui.feedback import report_error
from briefapp.gui.tasks import TaskRunner
from briefapp.services.export import ExportService, document_html
from briefapp.settings import Settings

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Template", "From", "Language", "Check")
CHECKING = "checking…"
NOT_CHECKED = "not checked"


class TemplateListModel(QAbstractTableModel):
    """Templates with the status of their last check."""

    def __init__(self) -> None:
        super().__init__()
        self._templates: list[TemplateInfo] = []
        self._labels: dict[Path, str] = {}
        self._checks: dict[Path, TemplateCheck] = {}
        self._unchecked: set[Path] = set()

    def set_templates(self, templates: list[TemplateInfo]) -> None:
        self.beginResetModel()
        self._templates = list(templates)
        self._labels = distinct_labels(self._templates)
        self._checks = {
            path: check
            for path, check in self._checks.items()
            if any(t.path == path for t in templates)
        }
        self._unchecked = set()
        self.endResetModel()

    def set_check(self, check: TemplateCheck) -> None:
        self._checks[check.template.path] = check
        self._unchecked.discard(check.template.path)
        self._changed(check.template.path)

    def set_unchecked(self, path: Path) -> None:
        """The check of the template at ``path`` failed to run."""
        self._checks.pop(path, None)
        self._unchecked.add(path)
        self._changed(path)

    def _changed(self, path: Path) -> None:
        for row, template in enumerate(self._templates):
            if template.path == path:
                self.dataChanged.emit(self.index(row, 0), self.index(row, 3))

    def template(self, row: int) -> TemplateInfo | None:
        return self._templates[row] if 0 <= row < len(self._templates) else None

    def check(self, row: int) -> TemplateCheck | None:
        template = self.template(row)
        return self._checks.get(template.path) if template else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._templates)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        template = self._templates[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(template.path)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        check = self._checks.get(template.path)
        if check is not None:
            status = check.status
        else:
            status = NOT_CHECKED if template.path in self._unchecked else CHECKING
        return (
            self._labels[template.path],
            template.origin.value,
            template.language,
            status,
        )[index.column()]


class TemplatesDialog(QDialog):
    """Lists the templates and checks each; adds templates; sets the extra folder."""

    def __init__(
        self,
        parent: QWidget | None,
        export: ExportService,
        runner: TaskRunner,
        settings: Settings,
        brief: Brief | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Word templates")
        self._export = export
        self._brief = brief
        self._runner = runner
        self._settings = settings
        self._closed = threading.Event()
        self._stop_checks = threading.Event()
        self._channel = f"template-checks:{id(self)}"
        self._checked = 0
        self._pinned = False  # the findings shown are an add's result: keep them
        self.model = TemplateListModel()
        self.view = self._make_view()
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        self.findings.setAccessibleName("What the checker found")
        extra = export.extra_folder
        self.folder = QLineEdit(str(extra) if extra else "")
        self.folder.setReadOnly(True)
        self.folder.setPlaceholderText("None: only the built-in templates and yours")
        self.folder.setAccessibleName("Extra template folder")
        self.progress = QLabel()
        self.progress.setAccessibleName("Check progress")
        self.trial_label = QLabel()
        self.trial = QTextBrowser()
        self.trial.setAccessibleName("The open brief in the template")
        self.trial.setOpenLinks(False)
        self.try_button = _button(
            "&Try with the open brief",
            "Check the selected template and fill it in with the brief open in "
            "the window, to see the result before using the template",
        )
        self.try_button.clicked.connect(self._on_try_clicked)
        self._layout()
        self.refresh()

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setAccessibleName("Templates")
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        return view

    def _layout(self) -> None:
        add = _button("&Add template…", "Check a .docx template and add it to yours")
        add.clicked.connect(self._on_add_clicked)
        recheck = _button("Check &again", "Check every template again")
        recheck.clicked.connect(self._on_recheck_clicked)
        choose = _button("&Choose…", "Choose an extra folder of templates")
        choose.clicked.connect(self._on_choose_folder_clicked)
        clear = _button("C&lear", "Stop using the extra folder")
        clear.clicked.connect(self._on_clear_folder_clicked)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Extra folder:"))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        folder_row.addWidget(clear)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(add)
        actions.addWidget(recheck)
        actions.addWidget(self.try_button)
        actions.addStretch(1)
        self.try_button.setVisible(self._brief is not None)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 2)
        layout.addWidget(self.progress)
        layout.addWidget(QLabel("What the checker found:"))
        layout.addWidget(self.findings, 1)
        layout.addWidget(self.trial_label)
        layout.addWidget(self.trial, 3)
        self.trial_label.hide()
        self.trial.hide()
        layout.addLayout(actions)
        layout.addLayout(folder_row)
        layout.addWidget(buttons)
        self.resize(760, 520)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        export: ExportService,
        runner: TaskRunner,
        settings: Settings,
        brief: Brief | None = None,
    ) -> None:
        cls(parent, export, runner, settings, brief).exec()

    def done(self, result: int) -> None:
        """Closing the dialog stops the checks still running."""
        self._closed.set()
        self._stop_checks.set()
        self._runner.supersede(self._channel)
        super().done(result)

    @Slot()
    def refresh(self, keep: Path | None = None) -> None:
        """List the templates again and check each in the background; the
        template selected (or ``keep``) stays selected."""
        current = self.model.template(self.view.currentIndex().row())
        keep = keep or (current.path if current else None)
        templates = self._export.list_templates()
        self.model.set_templates(templates)
        self._select(keep)
        # The checks of an earlier listing stop; their results are dropped.
        self._stop_checks.set()
        self._stop_checks = stop = threading.Event()
        self._checked = 0
        self._show_progress()
        if not templates:
            return
        self._runner.run_reporting(
            partial(
                check_each,
                self._export,
                templates,
                self._runner.stop_when(stop),
            ),
            partial(self._on_template_checked, templates),
            self._on_all_checked,
            partial(report_error, self, "Cannot check the templates"),
            channel=self._channel,
        )

    @Slot()
    def _on_recheck_clicked(self) -> None:
        self.refresh()

    def _select(self, path: Path | None) -> None:
        rows = [
            row
            for row in range(self.model.rowCount())
            if (template := self.model.template(row)) and template.path == path
        ]
        if rows or self.model.rowCount():
            self.view.selectRow(rows[0] if rows else 0)

    def _on_template_checked(
        self,
        templates: list[TemplateInfo],
        outcome: tuple[int, TemplateCheck | Exception],
    ) -> None:
        index, result = outcome
        self._checked += 1
        self._show_progress()
        if isinstance(result, TemplateCheck):
            self._on_checked(result)
            return
        self.model.set_unchecked(templates[index].path)
        if not isinstance(result, RenderCancelledError):
            report_error(self, f"Cannot check {templates[index].path.name}", result)

    def _on_all_checked(self, _count: int) -> None:
        self._show_progress(finished=True)

    def _show_progress(self, finished: bool = False) -> None:
        total = self.model.rowCount()
        if finished or not total:
            self.progress.setText(
                f"{total} template{'s' if total != 1 else ''} checked."
                if total
                else "No templates."
            )
        else:
            self.progress.setText(f"Checking templates: {self._checked} of {total}…")

    def _on_checked(self, check: TemplateCheck) -> None:
        self.model.set_check(check)
        if not self._pinned:
            self._show_findings(self.view.currentIndex().row())

    def _show_findings(self, row: int) -> None:
        template, check = self.model.template(row), self.model.check(row)
        if template is None:
            self.findings.setPlainText("")
        elif check is None:
            self.findings.setPlainText(f"Checking {template.path.name}…")
        else:
            self.findings.setPlainText(describe_check(check))

    def _pin_findings(self, text: str) -> None:
        """Show ``text`` until the user selects another template."""
        self.findings.setPlainText(text)
        self._pinned = True

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _old: QModelIndex) -> None:
        self._pinned = False
        self.try_button.setEnabled(self.model.template(current.row()) is not None)
        self._show_findings(current.row())

    @Slot()
    def _on_add_clicked(self) -> None:
        path = FileDialog.ask_open(self, "Add a Word template", "", WORD_FILTER)
        if path is None:
            return
        replaced = self._export.replaced_by_adding(path)
        if replaced is not None and not ConfirmDialog.ask(
            self,
            "Replace your template?",
            f"Your templates already include {replaced.name}. Adding {path} "
            "replaces it with this file (if the new one passes the check).",
            "Replace",
        ):
            return
        self._pin_findings(f"Checking {path.name}…")
        self._runner.run(
            partial(
                self._export.add_template, path, self._runner.stop_when(self._closed)
            ),
            self._on_added,
            partial(self._on_add_failed, path),
            slow=True,
        )

    def _on_add_failed(self, path: Path, error: BaseException) -> None:
        self._pin_findings(
            f"{path.name} was not added: {error}"
            if isinstance(error, UserError)
            else f"{path.name} was not added."
        )
        report_error(self, f"Cannot add {path.name}", error)

    def _on_added(self, check: TemplateCheck) -> None:
        if not check.errors:
            self.refresh(keep=check.template.path)
            self.model.set_check(check)
        self._pin_findings(describe_check(check, adding=True))

    @Slot()
    def _on_try_clicked(self) -> None:
        template = self.model.template(self.view.currentIndex().row())
        if template is None or self._brief is None:
            return
        self._pin_findings(
            f"Checking {template.path.name} and filling it in with brief "
            f"{self._brief.reference}…"
        )
        self._runner.run(
            partial(
                try_with,
                self._export,
                template,
                self._brief,
                self._runner.stop_when(self._closed),
            ),
            self._on_tried,
            partial(self._on_try_failed, template),
            slow=True,
        )

    def _on_tried(self, outcome: tuple[TemplateCheck, str | None]) -> None:
        check, html = outcome
        self.model.set_check(check)
        text = describe_check(check)
        if html is not None and self._brief is not None:
            reference = self._brief.reference
            text += f"\nBrief {reference} filled in without a fault: see it below."
            self.trial_label.setText(
                f"Brief {reference} in {check.template.path.name}:"
            )
            self.trial.setHtml(html)
        if html is not None and not self.trial.isVisible():
            # Room for the trial below the list, within the screen.
            screen = self.screen().availableGeometry().height()
            self.resize(self.width(), max(self.height(), min(860, screen - 40)))
        self.trial_label.setVisible(html is not None)
        self.trial.setVisible(html is not None)
        self._pin_findings(text)

    def _on_try_failed(self, template: TemplateInfo, error: BaseException) -> None:
        if isinstance(error, RenderCancelledError):
            return
        self._pin_findings(f"{template.path.name} could not be tried: {error}")
        report_error(self, f"Cannot try {template.path.name}", error)

    @Slot()
    def _on_choose_folder_clicked(self) -> None:
        chosen = FileDialog.ask_folder(self, "Choose a folder of templates", "")
        if chosen is not None:
            self._use_folder(chosen)

    @Slot()
    def _on_clear_folder_clicked(self) -> None:
        self._use_folder(None)

    def _use_folder(self, folder: Path | None) -> None:
        self._settings.templates_folder = str(folder) if folder else ""
        self.folder.setText(self._settings.templates_folder)
        self._export.set_extra_folder(folder)
        self.refresh()


def check_each(
    export: ExportService,
    templates: Sequence[TemplateInfo],
    cancelled: Callable[[], bool],
    report: Callable[[tuple[int, TemplateCheck | Exception]], None],
) -> int:
    """Check ``templates`` (in the background), reporting each result as it
    comes; how many were checked."""
    count = 0
    for outcome in export.check_templates(templates, cancelled):
        report(outcome)
        count += 1
    return count


def try_with(
    export: ExportService,
    template: TemplateInfo,
    brief: Brief,
    cancelled: Callable[[], bool],
) -> tuple[TemplateCheck, str | None]:
    """The full check of ``template`` and ``brief`` filled into it, as HTML
    (in the background); no HTML if the check or the trial failed."""
    trial = export.try_template(template, brief, cancelled=cancelled)
    if trial.document is None:
        return trial.check, None
    return trial.check, document_html(trial.document, brief.classification)


def describe_check(check: TemplateCheck, adding: bool = False) -> str:
    """The checker's findings as the dialog shows them (``adding``: for a
    template the user has just tried to add)."""
    name = check.template.path.name
    lines = []
    if check.errors:
        after = "it was not added." if adding else "fix these and check again."
        lines.append(f"{name} has {check.status} and cannot be used: {after}")
        lines += [f"• {error}" for error in check.errors]
    elif adding:
        lines.append(f"{name} passed the check and was added to your templates.")
    else:
        lines.append(f"{name} passed the check.")
    if check.warnings:
        lines.append("Warnings:")
        lines += [f"• {warning}" for warning in check.warnings]
    return "\n".join(lines)


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button
