"""The item model behind every list table of a brief, and its column specs.

The model never changes the records itself: an edit builds new records and
hands them to ``commit``, which makes it an undoable document edit; the
document then sends the new records back through ``set_items``. A value that
cannot be accepted is refused with a sentence saying why (``edit_refused``).
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
    Qt,
    Signal,
)

T = TypeVar("T")
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 7
"""Item data: the label of the box where a preview column is edited."""
Index = QModelIndex | QPersistentModelIndex
Commit = Callable[[tuple[Any, ...], str, "str | None"], None]


class Editor(Enum):
    TEXT = "text"
    CHOICE = "choice"
    SEARCH = "search"  # a choice among many, found by typing part of its name
    CHECK = "check"
    NUMBER = "number"  # a spin box; each step is applied at once
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
    detail: str = ""
    """The label of the box under the table where this column is edited."""
    tip: str = ""
    """What the column's header says when pointed at: what to type, say."""


class RecordTableModel(QAbstractTableModel, Generic[T]):
    edit_refused = Signal(str)

    def __init__(self, columns: Sequence[Column[T]], commit: Commit) -> None:
        super().__init__()
        self._columns = list(columns)
        self._items: tuple[T, ...] = ()
        self._commit = commit
        self._markers: dict[str, int] = {}

    def set_markers(self, markers: dict[str, int]) -> None:
        """Mark the first cell of each row whose key (an option's or
        constraint's key, a country's code) has open comments."""
        if markers == self._markers:
            return
        self._markers = dict(markers)
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, 0))

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
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[section].tip or None
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not self.checkIndex(index, QAbstractItemModel.CheckIndexOption.IndexIsValid):
            return None
        column = self._columns[index.column()]
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and column.editor is Editor.CHECK:
            checked = bool(column.value(item)) if column.value else False
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        marked = self._marker(item) if index.column() == 0 else 0
        if role == Qt.ItemDataRole.DisplayRole:
            return column.show(item) + (f" ●{marked}" if marked else "")
        if role == Qt.ItemDataRole.EditRole:
            return column.value(item) if column.value else column.show(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            if marked:
                plural = "s" * (marked != 1)
                return f"{marked} open comment{plural}: see the Clearance tab"
            return column.show(item) or None
        if role == DETAIL_ROLE:
            return column.detail or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _marker(self, item: T) -> int:
        if not self._markers:
            return 0
        key = getattr(item, "key", None) or getattr(item, "code", "")
        return self._markers.get(str(key), 0)

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
        # Spinning a number is one undo step, however many steps it takes.
        merge = f"{column.header}[{row}]" if column.editor is Editor.NUMBER else None
        self._commit(items, f"Edit {column.header.lower()}", merge)
        return True
