"""An editable table of records (options, countries, constraints, sources).

One model, delegate and widget serve every list in a brief; what differs is
described by ``Column`` and ``DetailField`` specs. The model never changes the
records itself: an edit builds new records and hands them to ``commit``,
which makes it an undoable document edit; the document then sends the new
records back through ``set_items``. A value that cannot be accepted is
refused with a sentence saying why, shown under the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
Commit = Callable[[tuple[Any, ...], str, "str | None"], None]


class Editor(Enum):
    TEXT = "text"
    CHOICE = "choice"
    SEARCH = "search"  # a choice among many, found by typing part of its name
    CHECK = "check"
    NONE = "none"


@dataclass(frozen=True)
class Column(Generic[T]):
    """How one column shows and edits a record.

    ``apply`` returns the edited record or raises ``ValueError`` with the
    reason the value is refused. ``choices`` lists ``(label, value)`` pairs.
    """

    header: str
    show: Callable[[T], str]
    apply: Callable[[T, Any], T] | None = None
    value: Callable[[T], Any] | None = None
    editor: Editor = Editor.TEXT
    choices: Callable[[], Sequence[tuple[str, Any]]] | None = None
    width: int = 120
    align_right: bool = False
    stretch: bool = False


class RecordTableModel(QAbstractTableModel, Generic[T]):
    edit_refused = Signal(str)

    def __init__(self, columns: Sequence[Column[T]], commit: Commit) -> None:
        super().__init__()
        self._columns = list(columns)
        self._items: tuple[T, ...] = ()
        self._commit = commit

    @property
    def items(self) -> tuple[T, ...]:
        return self._items

    def column(self, number: int) -> Column[T]:
        return self._columns[number]

    def set_items(self, items: tuple[T, ...]) -> None:
        if len(items) == len(self._items):
            self._items = items
            if items:
                last = self.index(len(items) - 1, len(self._columns) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = 0
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(
            self._columns
        ):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        column = self._columns[index.column()]
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and column.editor is Editor.CHECK:
            checked = bool(column.value(item)) if column.value else False
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(item)
        if role == Qt.ItemDataRole.EditRole:
            return column.value(item) if column.value else column.show(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.show(item) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self._columns[index.column()]
        if column.apply is None:
            return flags
        if column.editor is Editor.CHECK:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        if column.editor is not Editor.NONE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = 2) -> bool:
        if not index.isValid():
            return False
        column = self._columns[index.column()]
        if column.apply is None:
            return False
        if role == Qt.ItemDataRole.CheckStateRole and column.editor is Editor.CHECK:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        row = index.row()
        try:
            edited = column.apply(self._items[row], value)
        except ValueError as error:
            self.edit_refused.emit(str(error))
            return False
        if edited == self._items[row]:
            return True
        items = (*self._items[:row], edited, *self._items[row + 1 :])
        self._commit(items, f"Edit {column.header.lower()}", None)
        return True


class RecordDelegate(QStyledItemDelegate):
    """Editors for the columns: line edits, drop-down choices, searchable lists."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        column = _column_of(index)
        if column.editor in (Editor.CHOICE, Editor.SEARCH) and column.choices:
            combo = QComboBox(parent)
            combo.setAccessibleName(column.header)
            for label, value in column.choices():
                combo.addItem(label, value)
            if column.editor is Editor.SEARCH:
                combo.setEditable(True)
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
                completer = combo.completer()
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            return combo
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(column.header)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            current = index.data(Qt.ItemDataRole.EditRole)
            found = editor.findData(current)
            editor.setCurrentIndex(max(found, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, _combo_value(editor), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def _combo_value(combo: QComboBox) -> Any:
    """The chosen value; for a searchable list, the typed text must name an entry."""
    if not combo.isEditable():
        return combo.currentData()
    typed = combo.currentText().strip()
    for row in range(combo.count()):
        if combo.itemText(row).casefold() == typed.casefold():
            return combo.itemData(row)
    matches = combo.findText(typed, Qt.MatchFlag.MatchContains)
    if typed and matches >= 0:
        return combo.itemData(matches)
    return _Unmatched(typed)


@dataclass(frozen=True)
class _Unmatched:
    """Text typed into a searchable list that names no entry."""

    text: str


def unmatched_text(value: Any) -> str | None:
    """The typed text if ``value`` came from a searchable list without a match."""
    return value.text if isinstance(value, _Unmatched) else None


def _column_of(index: Index) -> Column[Any]:
    model = index.model()
    assert isinstance(model, RecordTableModel)
    return model.column(index.column())


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
        view = QTableView()
        view.setAccessibleName(f"{self._noun.capitalize()} table")
        view.setModel(self.model)
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
            button.setShortcut(QKeySequence(shortcut))
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

    def show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def _update_buttons(self) -> None:
        row = self.current_row()
        count = self.model.rowCount()
        self.remove_button.setEnabled(0 <= row < count)
        self.up_button.setEnabled(0 < row < count)
        self.down_button.setEnabled(0 <= row < count - 1)

    def _on_model_commit(
        self, items: tuple[Any, ...], text: str, merge_key: str | None
    ) -> None:
        self.show_message("")
        self._commit(items, text, merge_key)

    @Slot(str)
    def _on_model_edit_refused(self, reason: str) -> None:
        self.show_message(reason)

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
