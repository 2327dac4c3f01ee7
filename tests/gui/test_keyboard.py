"""The window used from the keyboard alone: mnemonics that do not clash, Tab
that goes everywhere and comes back, shortcuts that switch tabs and clear the
filter."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QTabBar,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from briefapp.gui.main_window import MainWindow

MNEMONIC = re.compile(r"&([^&\s])")


def _mnemonics_in_sight(window: MainWindow) -> list[tuple[str, str]]:
    """Every Alt+letter a user can press now: the menus, the visible tab bars
    and the visible labels, buttons and group boxes."""
    found = [
        (m.group(1).lower(), action.text())
        for action in window.menuBar().actions()
        if (m := MNEMONIC.search(action.text()))
    ]
    for bar in window.findChildren(QTabBar):
        if bar.isVisible():
            found += [
                (m.group(1).lower(), bar.tabText(i))
                for i in range(bar.count())
                if (m := MNEMONIC.search(bar.tabText(i)))
            ]
    widgets: list[QWidget] = [
        *window.findChildren(QLabel),
        *window.findChildren(QAbstractButton),
        *window.findChildren(QGroupBox),
    ]
    for widget in widgets:
        text = widget.title() if isinstance(widget, QGroupBox) else widget.text()  # type: ignore[attr-defined]
        m = MNEMONIC.search(text or "")
        if m and widget.isVisible() and not isinstance(widget.parent(), QTabBar):
            found.append((m.group(1).lower(), text))
    return found


def _clashes(found: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for letter, text in found:
        by_letter.setdefault(letter, []).append(text)
    return {k: v for k, v in by_letter.items() if len(v) > 1}


def test_no_two_mnemonics_in_sight_share_a_letter(
    qtbot: QtBot, window: MainWindow
) -> None:
    tabs = window.editor.tabs
    for page in range(tabs.count()):
        tabs.setCurrentIndex(page)
        analysis = window.editor.analysis
        inner = (
            range(analysis.inputs.count()) if tabs.currentWidget() is analysis else [0]
        )
        for sub in inner:
            if tabs.currentWidget() is analysis:
                analysis.inputs.setCurrentIndex(sub)
            clashes = _clashes(_mnemonics_in_sight(window))
            assert clashes == {}, f"on {tabs.tabText(page)}: {clashes}"


def test_alt_letters_do_what_they_say(qtbot: QtBot, window: MainWindow) -> None:
    tabs = window.editor.tabs
    tabs.setCurrentIndex(1)  # Options
    options = window.editor.lists["options"]
    count = len(window.document.brief.options)  # type: ignore[union-attr]
    options.table.view.setFocus()
    # Through the window system, as a real key press arrives.
    qtbot.keyClick(options.table.view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    # A mnemonic presses its button visibly, a moment later.
    qtbot.waitUntil(lambda: len(window.document.brief.options) == count + 1)  # type: ignore[union-attr]
    assert tabs.currentIndex() == 1
    assert options.isVisible()


def test_ctrl_page_down_and_up_switch_the_editor_tabs(
    qtbot: QtBot, window: MainWindow
) -> None:
    tabs = window.editor.tabs
    tabs.setCurrentIndex(0)
    window.editor.lines["title"].widget.setFocus()
    seen = []
    for _ in range(tabs.count()):
        qtbot.keyClick(
            QApplication.focusWidget() or window,
            Qt.Key.Key_PageDown,
            Qt.KeyboardModifier.ControlModifier,
        )
        seen.append(tabs.currentIndex())
    assert seen == [*range(1, tabs.count()), 0]
    qtbot.keyClick(
        QApplication.focusWidget() or window,
        Qt.Key.Key_PageUp,
        Qt.KeyboardModifier.ControlModifier,
    )
    assert tabs.currentIndex() == tabs.count() - 1


def _tab_walk(qtbot: QtBot, window: MainWindow, presses: int) -> list[QWidget]:
    visited = []
    for _ in range(presses):
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    return [w for w in visited if w is not None]


def test_tab_goes_from_the_list_to_the_editor_and_reaches_the_tab_bar(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.editor.tabs.setCurrentIndex(0)
    window.brief_list.view.setFocus()
    visited = _tab_walk(qtbot, window, 60)
    editor_tab_bar = window.editor.tabs.tabBar()
    assert editor_tab_bar in visited
    assert window.editor.lines["title"].widget in visited
    # And round again to the list.
    assert window.brief_list.view in visited
    assert window.brief_list.filter in visited


def test_escape_clears_the_filter_box(qtbot: QtBot, window: MainWindow) -> None:
    window.find_action.trigger()
    box = window.brief_list.filter
    qtbot.keyClicks(box, "nothing like this")
    qtbot.waitUntil(lambda: window.brief_list.view.model().rowCount() == 0)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""
    qtbot.waitUntil(lambda: window.brief_list.view.model().rowCount() == 1)


def test_a_new_brief_opens_on_the_brief_tab(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.tabs.setCurrentIndex(3)
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]
    assert window.editor.tabs.currentIndex() == 0
    assert window.editor.lines["title"].widget.hasFocus()


def test_tabs_of_the_main_editor_are_a_tab_widget(window: MainWindow) -> None:
    assert isinstance(window.editor.tabs, QTabWidget)


def _dialog_mnemonics(dialog: QWidget) -> list[tuple[str, str]]:
    found = []
    for widget in [*dialog.findChildren(QLabel), *dialog.findChildren(QAbstractButton)]:
        m = MNEMONIC.search(widget.text())  # type: ignore[attr-defined]
        if m and widget.isVisible():
            found.append((m.group(1).lower(), widget.text()))  # type: ignore[attr-defined]
    return found


def test_no_dialog_has_two_mnemonics_on_one_letter(
    qtbot: QtBot, window: MainWindow
) -> None:
    from briefapp.domain.clearance import CommentTarget
    from briefapp.gui.clearance_dialogs import (
        CommentDialog,
        Preferences,
        PreferencesDialog,
    )
    from briefapp.gui.dialogs import ExportDialog

    brief = window.document.brief
    assert brief is not None
    made = [
        CommentDialog(brief, CommentTarget(), window),
        PreferencesDialog(Preferences("Ona", 10), window),
        ExportDialog(
            window,
            window.services.export.list_templates(),
            Path("brief.docx"),
            "decision-brief",
        ),
    ]
    for dialog in made:
        qtbot.addWidget(dialog)
        dialog.show()
        assert _clashes(_dialog_mnemonics(dialog)) == {}, dialog.windowTitle()
        dialog.close()
