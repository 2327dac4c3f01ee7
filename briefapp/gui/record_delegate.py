"""Cell editors for the list tables: line edits, drop-down choices, searchable lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QSignalBlocker, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from briefapp.domain.validation import MAX_WEIGHT
from briefapp.gui.choices import ChoiceBox
from briefapp.gui.record_model import Column, Editor, Index, RecordTableModel


class RecordDelegate(QStyledItemDelegate):
    """Editors for the columns: line edits, drop-down choices, searchable lists."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        column = _column_of(index)
        if column.editor in (Editor.CHOICE, Editor.SEARCH) and column.choices:
            combo = ChoiceBox(column.choices(), parent)
            combo.setAccessibleName(column.header)
            if column.editor is Editor.CHOICE:
                combo.activated.connect(self._on_combo_activated)
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

    @Slot()
    def _on_combo_activated(self) -> None:
        # A choice picked from the list (or by its first letter) is the
        # cell's value: the cell is done.
        editor = self.sender()
        if isinstance(editor, QWidget):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QDoubleSpinBox):
            with QSignalBlocker(editor):
                editor.setValue(float(index.data(Qt.ItemDataRole.EditRole) or 0))
            return
        if isinstance(editor, ChoiceBox):
            if not editor.select(index.data(Qt.ItemDataRole.EditRole)):
                editor.setCurrentIndex(0)
            return
        super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: Index
    ) -> None:
        if isinstance(editor, ChoiceBox):
            model.setData(index, _combo_value(editor), Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, QDoubleSpinBox):
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def _combo_value(combo: ChoiceBox) -> Any:
    """The chosen value; for a searchable list, the typed text must name an entry."""
    if not combo.isEditable():
        return combo.value()
    typed = combo.currentText().strip()
    for row in range(combo.count()):
        if combo.itemText(row).casefold() == typed.casefold():
            return combo.value_at(row)
    matches = combo.findText(typed, Qt.MatchFlag.MatchContains)
    if typed and matches >= 0:
        return combo.value_at(matches)
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
