"""A list of the brief shown as a table, with the long fields of the selected
row in text boxes below it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.countries import country_name
from briefapp.domain.entities import Brief, Country
from briefapp.gui.brief_document import BriefDocument
from briefapp.gui.fields import TextBinding, items_to_lines, lines_to_items
from briefapp.gui.record_table import RecordTableWidget

T = TypeVar("T")


@dataclass(frozen=True)
class DetailField(Generic[T]):
    """A long field of the selected row, edited in a text box under the table."""

    label: str
    get: Callable[[T], Any]
    set: Callable[[T, Any], T]
    hint: str
    as_lines: bool = False


class RecordEditor(QWidget, Generic[T]):
    """A list of the brief: its table, and the long fields of the selected row."""

    def __init__(
        self,
        document: BriefDocument,
        field: str,
        noun: str,
        table: RecordTableWidget[T],
        details: Sequence[DetailField[T]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._field = field
        self._noun = noun
        self.table = table
        self._bindings: list[tuple[DetailField[T], TextBinding]] = []
        self._heading = QLabel()
        self._heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self._heading.font()
        font.setBold(True)
        self._heading.setFont(font)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(table)
        if details:
            splitter.addWidget(self._details(details))
            splitter.setSizes([360, 340])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        table.current_row_changed.connect(self._on_table_current_row_changed)
        table.view.detail_requested.connect(self._on_view_detail_requested)

    def _details(self, details: Sequence[DetailField[T]]) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self._heading)
        form = QFormLayout()
        layout.addLayout(form)
        for detail in details:
            box = QPlainTextEdit()
            box.setAccessibleName(detail.label)
            box.setPlaceholderText(detail.hint)
            box.setTabChangesFocus(True)
            binding = TextBinding(
                box,
                partial(self._on_detail_edited, detail),
                parse=lines_to_items if detail.as_lines else str,
                render=items_to_lines if detail.as_lines else str,
                parent=self,
            )
            self._bindings.append((detail, binding))
            form.addRow(f"{detail.label}:", box)
        return panel

    def show_brief(self, brief: Brief) -> None:
        self.table.set_items(getattr(brief, self._field))
        self._show_details()

    def _show_details(self) -> None:
        items = self.table.model.items
        row = self.table.current_row()
        chosen = 0 <= row < len(items)
        self._heading.setText(
            describe_record(self._noun, items[row])
            if chosen
            else f"No {self._noun} selected"
        )
        for detail, binding in self._bindings:
            binding.widget.setEnabled(chosen)
            binding.show(detail.get(items[row]) if chosen else "")

    @Slot(str, str)
    def _on_view_detail_requested(self, label: str, typed: str) -> None:
        """Go on in the field's box: the text typed in the table goes there."""
        for detail, binding in self._bindings:
            box = binding.widget
            if detail.label == label and isinstance(box, QPlainTextEdit):
                if not box.isEnabled() or box.isReadOnly():
                    return
                box.setFocus()
                box.moveCursor(QTextCursor.MoveOperation.End)
                if typed:
                    box.insertPlainText(typed)
                return

    @Slot(int)
    def _on_table_current_row_changed(self, _row: int) -> None:
        self._show_details()

    def _on_detail_edited(self, detail: DetailField[T], value: Any) -> None:
        items = self.table.model.items
        row = self.table.current_row()
        brief = self._document.brief
        if brief is None or not 0 <= row < len(items):
            return
        edited = detail.set(items[row], value)
        if edited == items[row]:
            return
        new_items = (*items[:row], edited, *items[row + 1 :])
        self._document.edit(
            replace(brief, **{self._field: new_items}),
            f"Edit {detail.label.lower()}",
            merge_key=f"{self._field}[{row}].{detail.label}",
        )


def describe_record(noun: str, item: Any) -> str:
    """``Option A: Combined purchase…`` or ``Country: Lithuania (LT), acquirer``."""
    if isinstance(item, Country):
        return f"{country_name(item.code)} ({item.code}), {item.role.value}"
    return f"{noun.capitalize()} {item.key}: {item.title}"
