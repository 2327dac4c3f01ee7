"""Cell editors for the list tables: line edits, drop-down choices, searchable lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QSignalBlocker, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from briefapp.domain.validation import MAX_WEIGHT
from briefapp.gui.record_model import Column, Editor, Index, RecordTableModel


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
        if column.editor is Editor.NUMBER:
            spin = QDoubleSpinBox(parent)
            spin.setAccessibleName(column.header)
            spin.setRange(0, MAX_WEIGHT)
            spin.setDecimals(2)
            spin.setKeyboardTracking(False)
            # Each step is applied at once, so what depends on it follows live.
            spin.valueChanged.connect(self._on_spin_value_changed)
            return spin
        editor = super().createEditor(parent, option, index)
        editor.setAccessibleName(column.header)
        return editor

    @Slot()
    def _on_spin_value_changed(self) -> None:
        # sender(), not a lambda holding the editor: a lambda would tie the
        # editor to itself in a cycle that the garbage collector may meet after
        # Qt has deleted the editor.
        editor = self.sender()
        if isinstance(editor, QWidget):
            self.commitData.emit(editor)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QDoubleSpinBox):
            with QSignalBlocker(editor):
                editor.setValue(float(index.data(Qt.ItemDataRole.EditRole) or 0))
            return
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
        if isinstance(editor, QDoubleSpinBox):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
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
