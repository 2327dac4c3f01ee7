"""What a user does in the window, for the tests to do the same: type into the
real cell editors, pick from the real lists, and answer the real dialogs by
filling their widgets and clicking their buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from briefapp.gui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)


def wait_saved(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: (
            not window.document.is_dirty()
            and window.autosaver.is_idle()
            and window.runner.is_idle()
        ),
        timeout=10_000,
    )


def open_cell_editor(qtbot: QtBot, view: QTableView, index: QModelIndex) -> QWidget:
    """Select the cell and open its editor as a double-click would."""
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: view.indexWidget(index) is not None)
    editor = view.indexWidget(index)
    assert editor is not None
    return editor


def type_into_cell(
    qtbot: QtBot,
    view: QTableView,
    index: QModelIndex,
    text: str,
    *,
    refused: bool = False,
) -> None:
    """Open the cell's editor as a double-click would, type, and press Enter.

    With ``refused``, the value is expected to be refused: wait for the
    refusal, after which the typed text stays in the open editor.
    """
    editor = open_cell_editor(qtbot, view, index)
    if isinstance(editor, QComboBox):
        editor = editor.lineEdit()
    assert isinstance(editor, QLineEdit), editor
    if not refused:
        type_and_enter(qtbot, view, editor, text)
        return
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    with qtbot.waitSignal(view.model().edit_refused):  # type: ignore[attr-defined]
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.indexWidget(index) is not None


def type_and_enter(
    qtbot: QtBot, view: QTableView, editor: QLineEdit, text: str
) -> None:
    """Replace the open cell editor's text and press Enter; wait for it to close."""
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def type_over_cell(
    qtbot: QtBot, view: QTableView, index: QModelIndex, keys: str
) -> None:
    """Select the cell and just start typing, as a user does: the first key
    opens the editor; then Tab commits and moves on (a drop-down takes the
    choice its first letter names and closes by itself)."""
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClicks(view, keys[0])  # opens the editor and types into it
    editor = view.indexWidget(index)
    if editor is None:  # a drop-down closes on the choice its letter names
        return
    if keys[1:]:
        qtbot.keyClicks(editor, keys[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None)


def pick_from_popup(
    qtbot: QtBot, view: QTableView, index: QModelIndex, label: str
) -> None:
    """Open the cell's drop-down, open its popup list and click ``label`` in it."""
    combo = open_cell_editor(qtbot, view, index)
    assert isinstance(combo, QComboBox), combo
    combo.showPopup()
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    row = combo.findText(label)
    assert row >= 0, (
        f"{label!r} not among {[combo.itemText(i) for i in range(combo.count())]}"
    )
    item = popup.model().index(row, 0)
    popup.scrollTo(item)
    rect = popup.visualRect(item)
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def choose_by_keyboard(qtbot: QtBot, combo: QComboBox, label: str) -> None:
    """Pick ``label`` in a drop-down with the keys a user presses: Home, then
    Down until it shows."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentText() != label:
        labels = [combo.itemText(i) for i in range(combo.count())]
        assert combo.currentIndex() < combo.count() - 1, f"{label!r} not in {labels}"
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def fill_file_dialog(qtbot: QtBot, dialog: QFileDialog, path: Path) -> None:
    """Type the file's full name into the file dialog and press Enter."""
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, str(path))
    qtbot.keyClick(name, Qt.Key.Key_Return)


def click_button(qtbot: QtBot, dialog: QWidget, text: str) -> None:
    """Click the button of ``dialog`` whose text (without the & of its
    mnemonic) is ``text``."""
    buttons = [
        b
        for b in dialog.findChildren(QAbstractButton)
        if b.text().replace("&", "") == text and b.isVisible()
    ]
    labels = [b.text() for b in dialog.findChildren(QAbstractButton)]
    assert len(buttons) == 1, f"no single button {text!r} among {labels}"
    assert buttons[0].isEnabled(), f"the button {text!r} is greyed out"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)


def dialog_text(dialog: QWidget) -> str:
    """What a message box says (its text and informative text)."""
    if isinstance(dialog, QMessageBox):
        return "\n".join(t for t in (dialog.text(), dialog.informativeText()) if t)
    return dialog.windowTitle()


@dataclass(frozen=True)
class _Expected:
    kind: type[QWidget]
    act: Callable[[Any], None]


class Modals(QObject):
    """Answers the real modal dialogs in turn, as a user would.

    ``expect(KIND, act)`` queues an answer: when a modal dialog of that kind
    opens, ``act`` is called with it (fill its widgets, click its button).
    Errors inside ``act`` are kept and raised by ``check``; a dialog that
    nobody expected is closed and reported.
    """

    def __init__(self, qtbot: QtBot) -> None:
        super().__init__()
        self.qtbot = qtbot
        self.queue: list[_Expected] = []
        self.seen: list[tuple[str, str]] = []
        """Each dialog that opened: its class and what it said."""
        self.errors: list[BaseException] = []
        self._handling: list[QWidget] = []
        self._timer = QTimer(self)
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()

    def expect(self, kind: type[W], act: Callable[[W], None]) -> None:
        self.queue.append(_Expected(kind, act))

    def expect_next(self, kind: type[W], act: Callable[[W], None]) -> None:
        """Expect a dialog before those already expected (one that the
        dialog being answered opens)."""
        self.queue.insert(0, _Expected(kind, act))

    @Slot()
    def _on_timer_timeout(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or dialog in self._handling:
            return
        self._handling.append(dialog)
        # Answered from a timer of its own: ``act`` may open another dialog,
        # and Qt does not fire this timer again while its slot is running.
        QTimer.singleShot(0, partial(self._answer_and_release, dialog))

    def _answer_and_release(self, dialog: QWidget) -> None:
        try:
            self._answer(dialog)
        finally:
            self._handling.remove(dialog)

    def _answer(self, dialog: QWidget) -> None:
        self.seen.append((type(dialog).__name__, dialog_text(dialog)))
        if not self.queue or not isinstance(dialog, self.queue[0].kind):
            self.errors.append(AssertionError(f"unexpected dialog: {self.seen[-1]}"))
            dialog.close()
            return
        expected = self.queue.pop(0)
        try:
            expected.act(dialog)
        except BaseException as error:  # raised again by check()
            self.errors.append(error)
            dialog.close()

    def wait_answered(self, timeout: int = 10_000) -> None:
        """Wait until every expected dialog has come and been answered."""
        self.wait_until(lambda: not self.queue, timeout)

    def wait_until(self, condition: Callable[[], bool], timeout: int = 10_000) -> None:
        """Wait for ``condition`` and for every expected dialog to have been
        answered (one may open just after the condition holds, as a message
        after a file is written), failing at once on a dialog nobody expected."""
        self.qtbot.waitUntil(
            lambda: bool(self.errors) or (condition() and not self.queue),
            timeout=timeout,
        )
        self.check()

    def check(self) -> None:
        if self.errors:
            raise self.errors[0]
        assert not self.queue, f"dialogs that never opened: {self.queue}"

    def stop(self) -> None:
        self._timer.stop()


def set_my_name(qtbot: QtBot, window: MainWindow, modals: Modals, name: str) -> None:
    """Edit ▸ Preferences, type the name, Save."""
    from briefapp.gui.clearance_dialogs import PreferencesDialog

    def fill(dialog: PreferencesDialog) -> None:
        dialog.name.setFocus()
        dialog.name.selectAll()
        qtbot.keyClicks(dialog.name, name)
        click_button(qtbot, dialog, "Save")

    modals.expect(PreferencesDialog, fill)
    window.preferences_action.trigger()
    modals.wait_until(lambda: window.services.briefs.editor == name)
