"""The versions of a brief: saving one, comparing any two or with the brief
now, the changes since the last review, and the Word review copy."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.clearance import VERSION_REASON_LABELS, Clearance, reviewed_version
from briefapp.domain.compare import BriefComparison
from briefapp.domain.entities import Brief
from briefapp.gui.clearance_dialogs import CompareDialog, NoteDialog
from briefapp.gui.comments_panel import Change, local_time
from briefapp.gui.dialogs import FileDialog
from briefapp.gui.feedback import report_error
from briefapp.gui.tasks import TaskRunner
from briefapp.services.files import file_stem
from briefapp.services.session import Services

WORD_FILTER = "Word documents (*.docx)"


class VersionsPanel(QWidget):
    """The versions table and what can be done with versions."""

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        host: Any,
        change: Change,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._host = host
        self._change = change
        self.writable = services.read_only is None
        """False when the database is read-only: no version can be saved."""
        self.brief: Brief | None = None
        self.clearance: Clearance | None = None
        page = self._versions_page()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)

    def show_clearance(self, clearance: Clearance | None, brief: Brief | None) -> None:
        self.clearance, self.brief = clearance, brief
        if clearance is None:
            self.table.setRowCount(0)
            for button in (
                self.save_version,
                self.compare_current,
                self.compare_two,
                self.since_review,
            ):
                button.setEnabled(False)  # fmt: skip
            return
        self.save_version.setEnabled(self.writable)
        self._show_versions(clearance)

    def _versions_page(self) -> QWidget:
        self.table = new_table(["No.", "Why", "Label", "By", "When", "SHA-256"])
        self.table.setAccessibleName("Versions")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.save_version = QPushButton("Save &version…")
        self.save_version.clicked.connect(self._on_save_version_clicked)
        self.compare_current = QPushButton("Compare with &current")
        self.compare_current.clicked.connect(self._on_compare_current_clicked)
        self.compare_two = QPushButton("Compare the &two selected")
        self.compare_two.clicked.connect(self._on_compare_two_clicked)
        self.since_review = QPushButton("Changes since last &review")
        self.since_review.clicked.connect(self._on_since_review_clicked)
        self.review_copy = QPushButton("&Word review copy…")
        self.review_copy.clicked.connect(self._on_review_copy_clicked)
        buttons = QHBoxLayout()
        for button in (
            self.save_version,
            self.compare_current,
            self.compare_two,
            self.since_review,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.review_copy)  # fmt: skip
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        return page

    def _show_versions(self, clearance: Clearance) -> None:
        rows = [
            [str(v.number), VERSION_REASON_LABELS[v.reason], v.label, v.created_by,
             local_time(v.created_at), v.digest[:12] + ("" if v.has_content else " *")]
            for v in reversed(clearance.versions)
        ]  # fmt: skip
        fill_table(self.table, rows)
        has = bool(clearance.versions)
        self.compare_current.setEnabled(has)
        self.compare_two.setEnabled(len(clearance.versions) > 1)
        base = _reviewed(clearance)
        here = any(v.number == base and v.has_content for v in clearance.versions)
        self.since_review.setEnabled(here)
        self.since_review.setToolTip(
            "Compare the version last reviewed with the brief now"
            if here
            else "No version has been reviewed in this database yet"
        )

    @Slot()
    def _on_save_version_clicked(self) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        label = NoteDialog.ask(
            self, "Save version", "A label for this version (optional).", "Save version"
        )
        if label is None:
            return
        me = self._services.briefs.editor
        call = partial(self._services.clearance.save_version, brief.id, label, me)
        self._host.after_saving(partial(self._change, call, "Version saved."))

    def _selected_versions(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return sorted(int(self.table.item(r, 0).text()) for r in rows)

    @Slot()
    def _on_compare_current_clicked(self) -> None:
        chosen = self._selected_versions() or self._latest()
        if chosen:
            self._compare(chosen[0], None, f"Version {chosen[0]} → now")

    @Slot()
    def _on_compare_two_clicked(self) -> None:
        chosen = self._selected_versions()
        if len(chosen) != 2:
            self._host.show_status("Select two versions to compare (Ctrl+click).")
            return
        self._compare(
            chosen[0], chosen[1], f"Version {chosen[0]} → version {chosen[1]}"
        )

    @Slot()
    def _on_since_review_clicked(self) -> None:
        base = _reviewed(self.clearance) if self.clearance else None
        if base is not None:
            self._compare(base, None, f"Changes since the last review (version {base})")

    def _latest(self) -> list[int]:
        clearance = self.clearance
        return (
            [clearance.versions[-1].number] if clearance and clearance.versions else []
        )

    def _compare(self, old: int, new: int | None, title: str) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        call = partial(self._services.clearance.compare, brief.id, old, new)
        self._host.after_saving(
            lambda: self._runner.run(
                call,
                partial(self._on_compared, title),
                partial(report_error, self, "Cannot compare"),
            )
        )

    def _on_compared(self, title: str, comparison: BriefComparison) -> None:
        CompareDialog.show_comparison(self, title, comparison)

    @Slot()
    def _on_review_copy_clicked(self) -> None:
        brief = self.brief
        if brief is None or brief.id is None:
            return
        suggested = self._host.folder() / f"{file_stem(brief.reference)}-review.docx"
        output = FileDialog.ask_save(
            self, "Write the review copy as", str(suggested), WORD_FILTER
        )
        if output is None:
            return
        call = partial(self._services.review.review_copy, brief.id, output)
        self._host.after_saving(
            lambda: self._runner.run(
                call,
                self._on_review_copy_written,
                partial(report_error, self, "The review copy was not written"),
                slow=True,
            )
        )

    def _on_review_copy_written(self, made: Any) -> None:
        self._host.show_status(
            f"Wrote {made.path.name}: {made.comments} comment(s), {made.tracked} "
            f"tracked change(s), {made.annexed} in the change annex."
        )


def _reviewed(clearance: Clearance | None) -> int | None:
    return reviewed_version(clearance) if clearance else None


def new_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.setAlternatingRowColors(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.resizeRowsToContents()
