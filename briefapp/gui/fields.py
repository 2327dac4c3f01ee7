"""Form fields bound to the open brief, and the date field with its checks.

A binding turns what the user types into a document edit, and updates the
widget when the document changes for another reason (undo, redo, loading a
brief), but never rewrites a widget whose text already stands for the value,
so the cursor and half-typed lines stay where they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QSignalBlocker, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from briefapp.domain.validation import parse_date

ERROR_STYLE = "color: #b00020"


class UndoKeysToWindow(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z in a text field reach the window's undo stack.

    Text widgets keep their own undo history and claim those keys first; the
    brief's history is the one that must answer, so every edit is undone the
    same way whatever has the focus.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(
            event, QKeyEvent
        ):
            return False
        undo = event.matches(QKeySequence.StandardKey.Undo)
        if undo or event.matches(QKeySequence.StandardKey.Redo):
            event.ignore()
            return True
        return False


_UNDO_KEYS = UndoKeysToWindow()


def route_undo_keys(widget: QWidget) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setUndoRedoEnabled(False)
    widget.installEventFilter(_UNDO_KEYS)


class LineBinding(QObject):
    """A one-line text field (or editable drop-down) bound to a string.

    A line edit reports what the user typed (``textEdited``); a drop-down
    reports every change of its text (``editTextChanged``), so text completed
    from its list (typing "SEC" shows "SECRET") is stored exactly as shown.
    """

    def __init__(
        self,
        widget: QLineEdit | QComboBox,
        on_edit: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.widget = widget
        self._on_edit = on_edit
        if isinstance(widget, QComboBox):
            line = widget.lineEdit()
            widget.editTextChanged.connect(self._on_widget_text_changed)
        else:
            line = widget
            widget.textEdited.connect(self._on_widget_text_changed)
        if line is not None:
            route_undo_keys(line)

    def show(self, value: str) -> None:
        widget = self.widget
        shown = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
        if shown == value:
            return
        with QSignalBlocker(widget):
            if isinstance(widget, QComboBox):
                widget.setEditText(value)
            else:
                widget.setText(value)
                if not widget.hasFocus():
                    widget.setCursorPosition(0)  # show the start of long text

    @Slot(str)
    def _on_widget_text_changed(self, text: str) -> None:
        self._on_edit(text)


class TextBinding(QObject):
    """A multi-line text field bound to a value shown as text.

    ``parse`` turns the text into the value (for a list, one item per line);
    the widget is rewritten only when its text no longer parses to the value.
    """

    def __init__(
        self,
        widget: QPlainTextEdit,
        on_edit: Callable[[Any], None],
        parse: Callable[[str], Any] = str,
        render: Callable[[Any], str] = str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.widget = widget
        self._on_edit = on_edit
        self._parse = parse
        self._render = render
        route_undo_keys(widget)
        widget.textChanged.connect(self._on_widget_text_changed)

    def show(self, value: Any) -> None:
        if self._parse(self.widget.toPlainText()) != value:
            with QSignalBlocker(self.widget):
                self.widget.setPlainText(self._render(value))

    @Slot()
    def _on_widget_text_changed(self) -> None:
        self._on_edit(self._parse(self.widget.toPlainText()))


def lines_to_items(text: str) -> tuple[str, ...]:
    """One list item per non-blank line."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def items_to_lines(items: tuple[str, ...]) -> str:
    return "\n".join(items)


class DateField(QWidget):
    """A date typed as YYYY-MM-DD or picked from a calendar; empty means none.

    Text that is not a date is not accepted: the field is outlined in red,
    ``problem_changed`` says why, and the stored value stays what it was until
    the text is fixed.
    """

    date_edited = Signal(object)
    """The user set a valid date or cleared it (argument: ``date | None``)."""
    problem_changed = Signal(str)
    """Why the typed text is not taken as a date, or an empty string."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("YYYY-MM-DD, or empty for none")
        self.line.setAccessibleName(accessible_name)
        self.line.setClearButtonEnabled(True)
        route_undo_keys(self.line)
        self.line.textEdited.connect(self._on_line_text_edited)
        self._calendar = QCalendarWidget()
        self._calendar.clicked.connect(self._on_calendar_clicked)
        self._calendar.activated.connect(self._on_calendar_clicked)  # Enter
        self._pick = QToolButton()
        self._pick.setText("…")
        self._pick.setAccessibleName(
            f"Pick the {accessible_name.lower()} from a calendar"
        )
        self._pick.setToolTip("Pick a date from a calendar")
        self._pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self._pick)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self._calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._on_menu_about_to_show)
        self._pick.setMenu(menu)
        self.problem = ""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self._pick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        self.setFocusProxy(self.line)

    def show_date(self, value: dt.date | None) -> None:
        """Show ``value`` unless the field's text already stands for it.

        Text being corrected (not yet a date) is left for the user to finish.
        """
        if self.problem:
            return
        try:
            if parse_date(self.line.text()) == value:
                return
        except ValueError:
            pass
        self.line.setText("" if value is None else value.isoformat())
        self._set_problem("")

    def reset(self, value: dt.date | None) -> None:
        """Show ``value`` whatever was typed (another brief was opened)."""
        self._set_problem("")
        self.show_date(value)

    @Slot(str)
    def _on_line_text_edited(self, text: str) -> None:
        try:
            value = parse_date(text)
        except ValueError as error:
            self._set_problem(str(error))
            return
        self._set_problem("")
        self.date_edited.emit(value)

    @Slot()
    def _on_menu_about_to_show(self) -> None:
        """Open the calendar on the field's date (today's month if none)."""
        try:
            value = parse_date(self.line.text())
        except ValueError:
            value = None
        shown = QDate.currentDate() if value is None else QDate(value)
        self._calendar.setSelectedDate(shown)
        self._calendar.setCurrentPage(shown.year(), shown.month())

    @Slot(QDate)
    def _on_calendar_clicked(self, day: QDate) -> None:
        value = dt.date(day.year(), day.month(), day.day())
        self.line.setText(value.isoformat())
        self._set_problem("")
        menu = self._pick.menu()
        if menu is not None:
            menu.hide()
        self.date_edited.emit(value)

    def _set_problem(self, text: str) -> None:
        if text == self.problem:
            return
        self.problem = text
        self.line.setStyleSheet("border: 1px solid #b00020" if text else "")
        self.line.setToolTip(text)
        self.problem_changed.emit(text)


class MessageBanner(QLabel):
    """Messages about the open brief, one per topic, shown above the editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._messages: dict[str, str] = {}
        self.setStyleSheet(
            f"{ERROR_STYLE}; background: #fdecea; padding: 6px; border-radius: 3px"
        )
        self.setWordWrap(True)
        self.setAccessibleName("Messages about the brief")
        self.hide()

    def show_message(self, topic: str, text: str) -> None:
        """Show ``text`` for ``topic``, replacing its last message ("" clears)."""
        if text:
            self._messages[topic] = text
        else:
            self._messages.pop(topic, None)
        self.setText("\n".join(self._messages.values()))
        self.setVisible(bool(self._messages))

    def message(self, topic: str) -> str:
        return self._messages.get(topic, "")
