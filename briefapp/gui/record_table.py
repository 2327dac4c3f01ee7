"""An editable table of records (options, countries, constraints, sources).

One model, delegate and widget serve every list in a brief; what differs is
described by ``Column`` specs. The widget adds Add, Remove, Move up and Move
down, and a line under the table that says why a value was refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefapp.gui.cell_view import CellTableView
from briefapp.gui.read_only import shown_read_only
from briefapp.gui.record_delegate import RecordDelegate
from briefapp.gui.record_model import DETAIL_ROLE, Column, Commit, RecordTableModel

T = TypeVar("T")


class RecordTableWidget(QWidget, Generic[T]):
    """A table with Add, Remove, Move up and Move down, and a line for refusals."""

    current_row_changed = Signal(int)

    def __init__(
        self,
        noun: str,
        columns: Sequence[Column[T]],
        commit: Commit,
        make_item: Callable[[tuple[T, ...]], T],
        removal_problem: Callable[[T], str | None] | None = None,
        first_edit_column: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._noun = noun
        self._first_edit_column = first_edit_column
        self._commit = commit
        self._make_item = make_item
        self._removal_problem = removal_problem
        self.model: RecordTableModel[T] = RecordTableModel(
            columns, self._on_model_commit
        )
        self.model.edit_refused.connect(self._on_model_edit_refused)
        self.view = self._make_view(columns)
        self._message = QLabel()
        self._message.setWordWrap(True)
        self._message.setStyleSheet("color: #b00020")
        self._message.setAccessibleName(f"{noun.capitalize()} table message")
        self._message.hide()
        self._buttons = self._make_buttons()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self._message)
        self._update_buttons()

    def _make_view(self, columns: Sequence[Column[T]]) -> QTableView:
        view = CellTableView(detail_role=DETAIL_ROLE)
        view.setAccessibleName(f"{self._noun.capitalize()} table")
        view.setModel(self.model)
        self.model.edit_refused.connect(view.refuse_edit)
        view.refused_edit_abandoned.connect(self._on_view_refused_edit_abandoned)
        view.setItemDelegate(RecordDelegate(view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(not any(c.stretch for c in columns))
        for number, column in enumerate(columns):
            view.setColumnWidth(number, column.width)
            if column.stretch:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(
            self._on_view_current_row_changed
        )
        self.model.modelReset.connect(self._update_buttons)
        return view

    def _make_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.add_button = self._button(
            f"&Add {self._noun}", "Insert", self._on_add_clicked
        )
        self.remove_button = self._button("&Remove", "", self._on_remove_clicked)
        self.up_button = self._button("Move &up", "Ctrl+Shift+Up", self._on_up_clicked)
        self.down_button = self._button(
            "Move &down", "Ctrl+Shift+Down", self._on_down_clicked
        )
        for button in (self.add_button, self.remove_button, self.up_button):
            row.addWidget(button)
        row.addWidget(self.down_button)
        row.addStretch(1)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._on_remove_clicked)
        return row

    def _button(
        self, text: str, shortcut: str, slot: Callable[[], None]
    ) -> QPushButton:
        button = QPushButton(text)
        plain = text.replace("&", "")
        button.setAccessibleName(
            f"{plain} ({self._noun})" if "Add" not in plain else plain
        )
        if shortcut:
            # Beside its Alt+letter, not instead of it (setShortcut would
            # replace the mnemonic).
            keys = QShortcut(QKeySequence(shortcut), button)
            keys.setContext(Qt.ShortcutContext.WindowShortcut)
            keys.activated.connect(button.click)
            button.setToolTip(f"{plain} ({shortcut})")
        button.clicked.connect(slot)
        return button

    def set_items(self, items: tuple[T, ...]) -> None:
        """Show ``items`` (from the document), keeping the current row if it exists.

        When only values changed the view keeps its current cell, so an open
        editor is not disturbed; rows added or removed reset the view.
        """
        row = self.current_row()
        if len(items) == len(self.model.items):
            self.model.set_items(items)
            return
        with QSignalBlocker(self.view.selectionModel()):
            self.model.set_items(items)
        if items:
            self.select_row(min(max(row, 0), len(items) - 1))
        else:
            self.current_row_changed.emit(-1)
        self._update_buttons()

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def select_row(self, row: int) -> None:
        column = max(self.view.currentIndex().column(), 0)
        self.view.setCurrentIndex(self.model.index(row, column))
        self.current_row_changed.emit(row)

    def message(self) -> str:
        """The refusal shown under the table, or an empty string."""
        return self._message.text()

    def show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def _update_buttons(self) -> None:
        row = self.current_row()
        count = self.model.rowCount()
        writable = not shown_read_only(self)
        self.remove_button.setEnabled(writable and 0 <= row < count)
        self.up_button.setEnabled(writable and 0 < row < count)
        self.down_button.setEnabled(writable and 0 <= row < count - 1)

    def _on_model_commit(
        self, items: tuple[Any, ...], text: str, merge_key: str | None
    ) -> None:
        self.show_message("")
        self._commit(items, text, merge_key)

    @Slot(str)
    def _on_model_edit_refused(self, reason: str) -> None:
        self.show_message(reason)

    @Slot()
    def _on_view_refused_edit_abandoned(self) -> None:
        self.show_message("")

    @Slot(QModelIndex, QModelIndex)
    def _on_view_current_row_changed(
        self, current: QModelIndex, _old: QModelIndex
    ) -> None:
        self._update_buttons()
        self.current_row_changed.emit(current.row())

    @Slot()
    def _on_add_clicked(self) -> None:
        items = self.model.items
        self._on_model_commit(
            (*items, self._make_item(items)), f"Add {self._noun}", None
        )
        self.select_row(len(items))
        self.view.setFocus()
        self.view.edit(self.model.index(len(items), self._first_edit_column))

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.current_row()
        items = self.model.items
        if not 0 <= row < len(items):
            return
        problem = self._removal_problem(items[row]) if self._removal_problem else None
        if problem:
            self.show_message(problem)
            return
        self._on_model_commit(
            (*items[:row], *items[row + 1 :]), f"Remove {self._noun}", None
        )

    @Slot()
    def _on_up_clicked(self) -> None:
        self._move(-1)

    @Slot()
    def _on_down_clicked(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        row = self.current_row()
        items = list(self.model.items)
        target = row + step
        if not (0 <= row < len(items) and 0 <= target < len(items)):
            return
        items[row], items[target] = items[target], items[row]
        self._on_model_commit(tuple(items), f"Move {self._noun}", None)
        self.select_row(target)
