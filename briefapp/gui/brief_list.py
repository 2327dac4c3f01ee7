"""The list of briefs: a sortable table with a filter box."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
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

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
HEADERS = ("Reference", "Title", "Status", "Changed")


class BriefListModel(QAbstractTableModel):
    """Brief summaries, one per row."""

    def __init__(self) -> None:
        super().__init__()
        self._briefs: list[BriefSummary] = []

    def set_briefs(self, briefs: list[BriefSummary]) -> None:
        self.beginResetModel()
        self._briefs = list(briefs)
        self.endResetModel()

    def row_of(self, brief_id: int) -> int:
        for row, brief in enumerate(self._briefs):
            if brief.id == brief_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._briefs)

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
        brief = self._briefs[index.row()]
        column = index.column()
        if role == ID_ROLE:
            return brief.id
        if role == SORT_ROLE:
            if column == 3:
                return brief.updated_at.timestamp()
            return self._text(brief, column).casefold()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(brief, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 3:
                return brief.updated_at.astimezone().strftime("%d %B %Y, %H:%M")
            return self._text(brief, column)
        return None

    @staticmethod
    def _text(brief: BriefSummary, column: int) -> str:
        if column == 0:
            return brief.reference
        if column == 1:
            return brief.title
        if column == 2:
            return brief.status.value.replace("_", " ").capitalize()
        local = brief.updated_at.astimezone()
        if local.date() == dt.datetime.now().astimezone().date():
            return local.strftime("%H:%M")
        return local.strftime("%d %b %Y")


class BriefListWidget(QWidget):
    """The filter box and the table of briefs; reports which brief is chosen."""

    brief_chosen = Signal(int)
    """The user chose a brief in the list (argument: its id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = BriefListModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by reference, title or status")
        self.filter.setAccessibleName("Filter briefs")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.view = self._make_view()
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(mid)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        self._update_empty()

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setAccessibleName("Briefs")
        view.setModel(self.proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        view.setColumnWidth(0, 112)
        view.setColumnWidth(2, 56)
        view.setColumnWidth(3, 84)
        view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        return view

    def set_briefs(self, briefs: list[BriefSummary], select: int | None) -> None:
        """Show ``briefs``, selecting brief ``select`` if it is listed."""
        with QSignalBlocker(self.view.selectionModel()):
            self.model.set_briefs(briefs)
            self.select(select)
        self._update_empty()

    def select(self, brief_id: int | None) -> None:
        """Make ``brief_id`` the current row without reporting a choice."""
        row = -1 if brief_id is None else self.model.row_of(brief_id)
        with QSignalBlocker(self.view.selectionModel()):
            if row < 0:
                self.view.clearSelection()
                self.view.setCurrentIndex(QModelIndex())
                return
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            if index.isValid():
                self.view.setCurrentIndex(index)
                self.view.selectRow(index.row())
                self.view.scrollTo(index)

    def first_id(self) -> int | None:
        if self.proxy.rowCount() == 0:
            return None
        return int(self.proxy.index(0, 0).data(ID_ROLE))

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(
        self, current: QModelIndex, _previous: QModelIndex
    ) -> None:
        if current.isValid():
            self.brief_chosen.emit(int(current.data(ID_ROLE)))

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_empty()

    def _update_empty(self) -> None:
        if self.model.rowCount() == 0:
            text = "No briefs yet. Create one with New brief, or import a brief file."
        elif self.proxy.rowCount() == 0:
            text = f"No brief matches “{self.filter.text()}”."
        else:
            text = ""
        self.empty.setText(text)
        self.empty.setVisible(bool(text))
