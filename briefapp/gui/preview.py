"""The preview pane: the open brief as the chosen template renders it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.errors import UserError
from briefapp.domain.validation import describe_problem, missing_for_export
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.feedback import report_error
from briefapp.gui.tasks import TaskRunner
from briefapp.services.export import ExportService


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
        self.template = QComboBox()
        self.template.setAccessibleName("Template to preview")
        self.refresh_button = QPushButton("&Refresh preview")
        self.refresh_button.setAccessibleName("Refresh preview")
        self.refresh_button.clicked.connect(self.refresh)
        self.template.activated.connect(self._on_template_activated)
        self.status = QLabel()
        self.view = QTextBrowser()
        self.view.setAccessibleName("Preview")
        self.view.setOpenLinks(False)
        row = QHBoxLayout()
        row.addWidget(QLabel("Template:"))
        row.addWidget(self.template, 1)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.reload_templates()

    def reload_templates(self) -> None:
        current = self.template.currentData()
        self.template.clear()
        for info in self._export.list_templates():
            self.template.addItem(f"{info.label} ({info.origin.value})", info.name)
        self.template.setCurrentIndex(max(self.template.findData(current), 0))

    @Slot()
    def refresh(self) -> None:
        brief = self._document.brief
        if brief is None:
            return
        missing = missing_for_export(brief)
        if missing:
            self.status.setText(
                f"{describe_problem(missing[0])}: nothing to preview yet."
            )
            return
        self.status.setText("Rendering the preview…")
        self._runner.run(
            partial(self._export.preview_html, brief, self.template.currentData()),
            self._on_rendered,
            self._on_failed,
            channel="preview",
        )

    @Slot(int)
    def _on_template_activated(self, _index: int) -> None:
        self.refresh()

    def _on_rendered(self, html: str) -> None:
        self.status.setText("The brief as this template lays it out (no page headers).")
        self.view.setHtml(html)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self.status.setText(f"No preview: {error}")
            self.view.clear()
        else:
            report_error(self, "The preview failed", error)
