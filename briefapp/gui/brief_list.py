"""The list of briefs: a sortable table with a filter box.

The model filters and sorts in Python over the summaries it holds (one pass
with precomputed keys) rather than through a ``QSortFilterProxyModel``, which
would call ``data()`` hundreds of thousands of times to sort 10,000 briefs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefapp.domain.entities import BriefSummary
from briefapp.domain.workflow import STATUS_LABELS

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Reference", "Title", "Status", "Changed")
CHANGED_COLUMN = 3


class BriefListModel(QAbstractTableModel):
    """Brief summaries, one per row, filtered by text and sorted by a column."""

    def __init__(self) -> None:
        super().__init__()
        self._all: list[BriefSummary] = []
        self._rows: list[BriefSummary] = []
        self._filter = ""
        self._sort = (CHANGED_COLUMN, Qt.SortOrder.DescendingOrder)

    def set_briefs(self, briefs: list[BriefSummary]) -> None:
        self._all = list(briefs)
        self._arrange()

    def set_filter(self, text: str) -> None:
        self._filter = text.casefold().strip()
        self._arrange()

    def total(self) -> int:
        """How many briefs there are, shown or not."""
        return len(self._all)

    def brief_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, brief_id: int) -> int:
        for row, brief in enumerate(self._rows):
            if brief.id == brief_id:
                return row
        return -1

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        self._sort = (column, order)
        self._arrange()

    def _arrange(self) -> None:
        column, order = self._sort
        rows = [b for b in self._all if self._matches(b)]
        rows.sort(
            key=lambda b: _sort_key(b, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        if [b.id for b in rows] == [b.id for b in self._rows]:
            self._rows = rows
            if rows:
                last = self.index(len(rows) - 1, len(HEADERS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def _matches(self, brief: BriefSummary) -> bool:
        if not self._filter:
            return True
        return any(self._filter in _text(brief, c).casefold() for c in range(3))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

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
        brief = self._rows[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return brief.id
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(brief, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2:
                return STATUS_LABELS[brief.status]
            if column == CHANGED_COLUMN:
                return brief.updated_at.astimezone().strftime("%d %B %Y, %H:%M")
            return _text(brief, column)
        return None


STATUS_SHORT = {"in_review": "In review", "changes_requested": "Changes"}
"""Statuses as the narrow column shows them (the tooltip says it in full)."""


def _text(brief: BriefSummary, column: int) -> str:
    if column == 0:
        return brief.reference
    if column == 1:
        return brief.title
    if column == 2:
        return STATUS_SHORT.get(brief.status.value, STATUS_LABELS[brief.status])
    local = brief.updated_at.astimezone()
    if local.date() == dt.datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%d %b %Y")


def _sort_key(brief: BriefSummary, column: int) -> tuple[Any, int]:
    if column == CHANGED_COLUMN:
        return (brief.updated_at, brief.id)
    return (_text(brief, column).casefold(), brief.id)


class BriefListWidget(QWidget):
    """The filter box and the table of briefs; reports which brief is chosen."""

    brief_chosen = Signal(int)
    """The user chose a brief in the list (argument: its id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = BriefListModel()
        self._selected: int | None = None
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by reference, title or status")
        self.filter.setAccessibleName("Filter briefs")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.filter.clear)
        self.view = self._make_view()
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        self.model.modelReset.connect(self._on_model_reset)
        self._update_empty()

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setAccessibleName("Briefs")
        # Tab leaves the list for the editor (a list has no cells to visit).
        view.setTabKeyNavigation(False)
        view.setModel(self.model)
        view.setSortingEnabled(True)
        view.horizontalHeader().setSortIndicator(
            CHANGED_COLUMN, Qt.SortOrder.DescendingOrder
        )
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        view.setColumnWidth(0, 112)
        view.setColumnWidth(2, 78)
        view.setColumnWidth(CHANGED_COLUMN, 84)
        view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        return view

    def set_briefs(self, briefs: list[BriefSummary], select: int | None) -> None:
        """Show ``briefs``, selecting brief ``select`` if it is listed."""
        self._selected = select
        with QSignalBlocker(self.view.selectionModel()):
            self.model.set_briefs(briefs)
        self.select(select)
        self._update_empty()

    def select(self, brief_id: int | None) -> None:
        """Make ``brief_id`` the current row without reporting a choice."""
        self._selected = brief_id
        row = -1 if brief_id is None else self.model.row_of(brief_id)
        with QSignalBlocker(self.view.selectionModel()):
            if row < 0:
                self.view.clearSelection()
                self.view.setCurrentIndex(QModelIndex())
                return
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.view.selectRow(row)
            self.view.scrollTo(index)

    def first_id(self) -> int | None:
        return self.model.brief_id(0)

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        brief_id = self.model.brief_id(current.row())
        if brief_id is not None:
            self._selected = brief_id
            self.brief_chosen.emit(brief_id)

    @Slot()
    def _on_model_reset(self) -> None:
        self.select(self._selected)

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        self.model.set_filter(text)
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.total() == 0:
            text = "No briefs yet. Create one with New brief, or import a brief file."
        elif self.model.rowCount() == 0:
            text = f"No brief matches “{self.filter.text()}”."
        else:
            text = ""
        self.empty.setText(text)
        self.empty.setVisible(bool(text))
