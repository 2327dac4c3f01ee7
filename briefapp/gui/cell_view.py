"""The table view of every editable grid, with a spreadsheet's keys.

- Tab and Shift+Tab commit the cell and move to the next or previous one
  without opening its editor (Qt's default opens it, so the first Tab after
  typing a title left a drop-down open over the next column).
- A column that previews a long field (its ``detail_role`` data names the box
  where the field is edited) hands typing and double-clicks to that box.
- A value the model refuses stays in its editor, with the reason shown by the
  table, until it is corrected or the user presses Escape: moving on would
  throw away what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QTableView,
    QWidget,
)

Hint = QAbstractItemDelegate.EndEditHint


class CellTableView(QTableView):
    """A ``QTableView`` whose Tab moves on and whose refused values stay typed."""

    refused_edit_abandoned = Signal()
    """Escape put back the stored value after a refusal."""
    detail_requested = Signal(str, str)
    """A preview cell was typed in (or double-clicked): the label of the box
    where its field is edited, and the text typed."""

    def __init__(
        self, parent: QWidget | None = None, detail_role: int | None = None
    ) -> None:
        super().__init__(parent)
        self._detail_role = detail_role
        self._refused = False
        self._kept: QPersistentModelIndex | None = None

    def _detail_of(self, index: QModelIndex) -> str:
        if self._detail_role is None or not index.isValid():
            return ""
        return str(index.data(self._detail_role) or "")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        detail = self._detail_of(self.currentIndex())
        text = event.text()
        typing = (
            bool(text)
            and text.isprintable()
            and not (
                event.modifiers()
                & (
                    Qt.KeyboardModifier.ControlModifier
                    | Qt.KeyboardModifier.AltModifier
                )
            )
        )
        if detail and (typing or event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return)):
            self.detail_requested.emit(detail, text if typing else "")
            event.accept()
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        detail = self._detail_of(self.indexAt(event.position().toPoint()))
        if detail:
            self.detail_requested.emit(detail, "")
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    @Slot(str)
    def refuse_edit(self, _reason: str) -> None:
        """The model refused the value being committed: keep its editor open."""
        self._refused = True

    def commitData(self, editor: QWidget) -> None:
        self._refused = False
        super().commitData(editor)

    def closeEditor(self, editor: QWidget, hint: Hint) -> None:
        if self._refused and hint != Hint.RevertModelCache:
            self._keep_open(editor)
            return
        if self._refused:
            self.refused_edit_abandoned.emit()
        self._refused = False
        if hint in (Hint.EditNextItem, Hint.EditPreviousItem):
            super().closeEditor(editor, Hint.NoHint)
            action = (
                QAbstractItemView.CursorAction.MoveNext
                if hint == Hint.EditNextItem
                else QAbstractItemView.CursorAction.MovePrevious
            )
            following = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
            if following.isValid():
                self.setCurrentIndex(following)
            return
        super().closeEditor(editor, hint)

    def _keep_open(self, editor: QWidget) -> None:
        """Leave the refused value in its editor, the cell current and the
        editor focused, even if the user had clicked elsewhere."""
        index = self.indexAt(editor.geometry().center())
        if index.isValid():
            self._kept = QPersistentModelIndex(index)
            # After the view has finished moving to wherever the user went.
            QTimer.singleShot(0, self._on_kept_timer_timeout)

    @Slot()
    def _on_kept_timer_timeout(self) -> None:
        kept, self._kept = self._kept, None
        if kept is None or not kept.isValid():
            return
        index = QModelIndex(kept)
        editor = self.indexWidget(index)
        if editor is None:
            return
        if self.currentIndex() != index:
            self.selectionModel().setCurrentIndex(
                index, self.selectionModel().SelectionFlag.ClearAndSelect
            )
        editor.setFocus()
