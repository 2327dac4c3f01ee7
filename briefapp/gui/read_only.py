"""Showing a page of editors read-only: text stays readable, selectable and
scrollable; buttons and choices that would change something are disabled."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

_TRIGGERS = "briefapp_edit_triggers"
_READ_ONLY = "briefapp_read_only"


def set_read_only(page: QWidget, read_only: bool) -> None:
    """Make every editor under ``page`` read-only (or editable again).

    A widget that enables its own buttons as the selection moves asks
    ``shown_read_only`` first."""
    page.setProperty(_READ_ONLY, read_only)
    for child in page.findChildren(QWidget):
        if isinstance(child, (QLineEdit, QPlainTextEdit, QTextEdit)):
            if isinstance(child.parent(), (QComboBox, QAbstractSpinBox)):
                continue
            child.setReadOnly(read_only)
            _show_as_read_only(child, read_only)
        elif isinstance(child, QAbstractItemView):
            _set_view(child, read_only)
        elif _changes_something(child):
            child.setEnabled(not read_only)


def shown_read_only(widget: QWidget) -> bool:
    """Whether ``widget`` is on a page shown read-only."""
    current: QWidget | None = widget
    while current is not None:
        if current.property(_READ_ONLY):
            return True
        current = current.parentWidget()
    return False


def _changes_something(widget: QWidget) -> bool:
    if isinstance(widget, (QComboBox, QAbstractSpinBox)):
        return True
    return isinstance(widget, QAbstractButton) and not isinstance(
        widget.parent(), QTabBar
    )


def _set_view(view: QAbstractItemView, read_only: bool) -> None:
    stored = view.property(_TRIGGERS)
    if read_only:
        if stored is None:
            view.setProperty(_TRIGGERS, int(view.editTriggers().value))
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    elif stored is not None:
        view.setEditTriggers(QAbstractItemView.EditTrigger(stored))
        view.setProperty(_TRIGGERS, None)


def _show_as_read_only(widget: QWidget, read_only: bool) -> None:
    """Give a read-only text box the window's background, so it does not look
    like a place to type."""
    palette = widget.palette()
    normal = QApplication.palette(widget)
    base = normal.color(
        QPalette.ColorRole.Window if read_only else QPalette.ColorRole.Base
    )
    palette.setColor(QPalette.ColorRole.Base, base)
    widget.setPalette(palette)
