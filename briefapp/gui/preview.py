"""The preview pane: the open brief as the chosen template renders it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Slot
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.entities import Brief
from briefapp.domain.errors import UserError
from briefapp.domain.validation import describe_problem, missing_for_export
from briefapp.gui.brief_controller import commit_pending_edits
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.dialogs import fill_template_combo
from briefapp.gui.feedback import report_error
from briefapp.gui.printing import PrintDialog, print_html
from briefapp.gui.tasks import TaskRunner
from briefapp.services.export import ExportService

PREVIEW_CHANNEL = "preview"


class PreviewWidget(QWidget):
    """Renders the open brief off the GUI thread; stale results are dropped."""

    def __init__(
        self,
        export: ExportService,
        runner: TaskRunner,
        document: BriefDocument,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._export = export
        self._runner = runner
        self._document = document
        self._generation = 0
        self._rendering: Brief | None = None
        self._shown: tuple[Brief, str] | None = None
        """The brief the preview on show was rendered from, and its HTML."""
        self._print_when_shown = False
        document.loaded.connect(self._on_document_loaded)
        self.template = QComboBox()
        self.template.setAccessibleName("Template to preview")
        self.refresh_button = QPushButton("&Refresh preview")
        self.refresh_button.setAccessibleName("Refresh preview")
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button = QPushButton("Pr&int…")
        self.print_button.setAccessibleName("Print the preview")
        self.print_button.setToolTip(
            "Print the brief as previewed, the marking at the top and foot of "
            "every page (Ctrl+P)"
        )
        self.print_button.clicked.connect(self.print_brief)
        self.print_button.setEnabled(False)
        self.template.activated.connect(self._on_template_activated)
        # Long template names and messages wrap rather than widen the window.
        self.template.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.template.setMinimumContentsLength(16)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.view = QTextBrowser()
        self.view.setAccessibleName("Preview")
        self.view.setOpenLinks(False)
        row = QHBoxLayout()
        row.addWidget(QLabel("Template:"))
        row.addWidget(self.template, 1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.reload_templates()

    def reload_templates(self) -> None:
        fill_template_combo(
            self.template, self._export.list_templates(), self.template.currentData()
        )

    @Slot()
    def print_brief(self) -> None:
        """Print the brief as it is now: render it first if the preview on
        show is not of the brief as it stands."""
        commit_pending_edits()
        brief = self._document.brief
        if brief is None:
            return
        if self._shown is not None and self._shown[0].content_equals(brief):
            self._print_now()
            return
        self._print_when_shown = True
        self.refresh()

    def _print_now(self) -> None:
        brief = self._document.brief
        if brief is None or self._shown is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if not PrintDialog.ask(self, printer):
            return
        try:
            pages = print_html(
                printer, self._shown[1], brief.classification, brief.title
            )
        except OSError as error:
            report_error(self, "Printing failed", UserError(f"Not printed: {error}."))
            return
        self.status.setText(f"Sent {pages} page{'s' * (pages != 1)} to the printer.")

    @Slot()
    def refresh(self) -> None:
        commit_pending_edits()
        brief = self._document.brief
        if brief is None:
            return
        missing = missing_for_export(brief)
        if missing:
            self.status.setText(
                f"{describe_problem(missing[0])}: nothing to preview yet."
            )
            self._print_when_shown = False
            return
        self.status.setText("Rendering the preview…")
        self._rendering = brief
        self._generation += 1
        generation = self._generation
        stopping = self._runner.stop_when()
        self._runner.run(
            partial(
                self._export.preview_html,
                brief,
                self.template.currentData(),
                cancelled=lambda: stopping() or generation != self._generation,
            ),
            self._on_rendered,
            self._on_failed,
            slow=True,
            channel=PREVIEW_CHANNEL,
        )

    @Slot(object)
    def _on_document_loaded(self, brief: object) -> None:
        """Another brief: what is shown, or being rendered, is of the last one."""
        self._generation += 1
        self._runner.supersede(PREVIEW_CHANNEL)
        self._shown = None
        self._print_when_shown = False
        self.print_button.setEnabled(False)
        self.view.clear()
        self.status.setText("" if brief is None else "Press Refresh preview.")
        if brief is not None and self.isVisible():
            self.refresh()

    @Slot(int)
    def _on_template_activated(self, _index: int) -> None:
        self.refresh()

    def _on_rendered(self, html: str) -> None:
        self.status.setText("The brief as this template lays it out (no page headers).")
        self.view.setHtml(html)
        if self._rendering is not None:
            self._shown = (self._rendering, html)
        self.print_button.setEnabled(True)
        if self._print_when_shown:
            self._print_when_shown = False
            self._print_now()

    def _on_failed(self, error: BaseException) -> None:
        self._print_when_shown = False
        if isinstance(error, UserError):
            self.status.setText(f"No preview: {error}")
            self.view.clear()
        else:
            report_error(self, "The preview failed", error)
