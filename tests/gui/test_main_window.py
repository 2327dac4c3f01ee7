"""The window driven as an analyst drives it: type, add rows, wait, reopen, export."""

from __future__ import annotations

import io
import json
import signal
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import docx
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from briefapp import paths
from briefapp.app import close_on_signals
from briefapp.gui.dialogs import ExportChoice
from briefapp.gui.main_window import MainWindow
from briefapp.services.briefs import ExistingReference
from briefapp.services.session import Locations, Services, open_services
from briefapp.settings import Settings
from tests.gui.conftest import Dialogs
from tests.gui.user import (
    choose_by_keyboard,
    open_cell_editor,
    type_and_enter,
    type_into_cell,
    wait_saved,
)


class UrlSpy(QObject):
    """Stands in for the desktop's file opener."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


def replace_text(qtbot: QtBot, widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def test_the_demo_brief_opens_on_first_start(window: MainWindow) -> None:
    brief = window.document.brief
    assert brief is not None
    assert brief.reference == "MOD-2026-014"
    editor = window.editor
    assert editor.lines["title"].widget.text() == brief.title
    assert (
        editor.texts["summary"].widget.toPlainText().startswith("ILLUSTRATIVE EXAMPLE")
    )
    assert editor.tabs.tabText(1) == "Options (4)"
    assert window.brief_list.model.rowCount() == 1
    assert window.save_state.text() == "All changes saved"
    assert window.windowTitle().startswith("MOD-2026-014 – ")


def test_draft_a_brief_and_find_it_after_reopening(
    qtbot: QtBot,
    window: MainWindow,
    database_path: Path,
    locations: Locations,
) -> None:
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.title == "Untitled brief")  # type: ignore[union-attr]
    editor = window.editor
    replace_text(qtbot, editor.lines["title"].widget, "Leasing of 155 mm rounds")
    summary = editor.texts["summary"].widget
    summary.setFocus()
    qtbot.keyClicks(summary, "Lease rather than buy & keep <options> open.")

    editor.tabs.setCurrentIndex(1)
    options = editor.lists["options"].table
    qtbot.mouseClick(options.add_button, Qt.MouseButton.LeftButton)
    title_editor = QApplication.focusWidget()
    assert isinstance(title_editor, QLineEdit)
    assert title_editor.text() == "New option"
    view = options.view
    type_and_enter(qtbot, view, title_editor, "Lease from a partner state")
    type_into_cell(qtbot, view, options.model.index(0, 3), "12,500,000.50")
    type_into_cell(qtbot, view, options.model.index(0, 6), "9")
    risks = next(b for d, b in editor.lists["options"]._bindings if d.label == "Risks")
    risks.widget.setFocus()
    qtbot.keyClicks(risks.widget, "Partner recalls the rounds")

    editor.tabs.setCurrentIndex(3)
    constraints = editor.lists["constraints"].table
    qtbot.mouseClick(constraints.add_button, Qt.MouseButton.LeftButton)
    title_editor = QApplication.focusWidget()
    assert isinstance(title_editor, QLineEdit)
    type_and_enter(qtbot, constraints.view, title_editor, "Lease budget cap")
    wait_saved(qtbot, window)
    assert window.save_state.text() == "All changes saved"
    brief_id = window.document.brief.id  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2)
    window.close()

    reopened = open_services(database_path, locations)
    try:
        stored = reopened.briefs.get_brief(brief_id or 0)
        again = MainWindow(reopened, Settings())
        qtbot.addWidget(again)
        again.show()
        qtbot.waitUntil(lambda: again.brief_list.model.rowCount() == 2)
        again.brief_list.filter.setFocus()
        qtbot.keyClicks(again.brief_list.filter, "Leasing")
        assert again.brief_list.model.rowCount() == 1
        again.brief_list.view.setCurrentIndex(again.brief_list.model.index(0, 1))
        qtbot.waitUntil(
            lambda: (
                again.document.brief is not None and again.document.brief.id == brief_id
            )
        )
        assert again.editor.lines["title"].widget.text() == "Leasing of 155 mm rounds"
        assert again.editor.tabs.tabText(1) == "Options (1)"
        again.close()
    finally:
        reopened.close()
    assert stored.title == "Leasing of 155 mm rounds"
    assert stored.summary == "Lease rather than buy & keep <options> open."
    assert [(o.key, o.title) for o in stored.options] == [
        ("A", "Lease from a partner state")
    ]
    assert stored.options[0].cost is not None
    assert str(stored.options[0].cost.amount) == "12500000.50"
    assert stored.options[0].cost.currency == "EUR"
    assert stored.options[0].delivery_months == 9
    assert stored.options[0].risks == ("Partner recalls the rounds",)
    assert [(c.key, c.title) for c in stored.constraints] == [
        ("C1", "Lease budget cap")
    ]


def test_export_to_word_from_the_window(
    qtbot: QtBot,
    window: MainWindow,
    scripted_dialogs: Dialogs,
    tmp_path: Path,
) -> None:
    output = tmp_path / "minister.docx"
    scripted_dialogs.export.append(ExportChoice("decision-brief", output))
    scripted_dialogs.confirm.append(True)
    opener = UrlSpy()
    QDesktopServices.setUrlHandler("file", opener, "open_url")
    try:
        window.export_word_action.trigger()
        qtbot.waitUntil(lambda: opener.opened == [str(output)], timeout=20_000)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    document = docx.Document(io.BytesIO(output.read_bytes()))
    brief = window.document.brief
    assert brief is not None
    assert brief.title in [p.text for p in document.paragraphs]
    assert all(
        "RESTRICTED" in "\n".join(p.text for p in s.header.paragraphs)
        for s in document.sections
    )
    assert scripted_dialogs.shown[-1][1] == "Export finished"
    assert window.statusBar().currentMessage() == f"Exported to {output}."


def test_export_failure_is_reported_and_nothing_written(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    output = tmp_path / "missing-folder" / "x.docx"
    scripted_dialogs.export.append(ExportChoice("decision-brief", output))
    window.export_word_action.trigger()
    qtbot.waitUntil(lambda: any(s[0] == "notice" for s in scripted_dialogs.shown))
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("notice", "Export to Word failed")
    assert text == f"The folder {output.parent} does not exist."
    assert not output.exists()


def test_typing_is_one_undo_step(qtbot: QtBot, window: MainWindow) -> None:
    title = window.editor.lines["title"].widget
    original = title.text()
    title.setFocus()
    title.end(False)
    qtbot.keyClicks(title, " (revised)")
    assert window.document.brief.title == original + " (revised)"  # type: ignore[union-attr]
    assert window.document.undo_stack.count() == 1
    qtbot.keyClick(title, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert title.text() == original
    assert window.document.brief.title == original  # type: ignore[union-attr]
    window.redo_action.trigger()
    assert title.text() == original + " (revised)"


def test_undo_restores_a_removed_option(qtbot: QtBot, window: MainWindow) -> None:
    table = window.editor.lists["options"].table
    table.select_row(1)
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    assert [o.key for o in window.document.brief.options] == ["A", "C", "D"]  # type: ignore[union-attr]
    window.undo_action.trigger()
    assert [o.key for o in window.document.brief.options] == ["A", "B", "C", "D"]  # type: ignore[union-attr]
    assert table.model.rowCount() == 4


def test_bad_values_are_refused_with_a_reason(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor
    editor.tabs.setCurrentIndex(1)
    options = editor.lists["options"].table
    before = window.document.brief
    cost = options.model.index(0, 3)
    cell = open_cell_editor(qtbot, options.view, cost)
    assert isinstance(cell, QLineEdit)
    cell.selectAll()
    qtbot.keyClicks(cell, "lots")
    qtbot.keyClick(cell, Qt.Key.Key_Tab)
    assert options.message().startswith("“lots” is not an amount")
    assert options._message.isVisible()
    # What was typed stays in the cell, even when the user clicks elsewhere.
    options.view.setCurrentIndex(options.model.index(1, 1))
    qtbot.waitUntil(lambda: options.view.currentIndex() == cost)
    assert options.view.indexWidget(cost) is cell
    assert cell.text() == "lots"
    assert cell.hasFocus()
    # Escape gives up: the stored value is back and the reason goes.
    qtbot.keyClick(cell, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: options.view.indexWidget(cost) is None)
    assert not options._message.isVisible()
    cell = open_cell_editor(qtbot, options.view, options.model.index(1, 0))
    assert isinstance(cell, QLineEdit)
    cell.selectAll()
    qtbot.keyClicks(cell, "A")
    qtbot.keyClick(cell, Qt.Key.Key_Return)  # Qt commits on its next turn
    qtbot.waitUntil(lambda: options.message() == "The key “A” is already used.")
    assert options.view.indexWidget(options.model.index(1, 0)) is cell
    # Corrected, it is taken and the editor closes.
    cell.selectAll()
    qtbot.keyClicks(cell, "B2")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: options.view.indexWidget(options.model.index(1, 0)) is None)
    assert options.message() == ""
    assert window.document.brief is not None
    assert [o.key for o in window.document.brief.options] == ["A", "B2", "C", "D"]
    assert before is not None
    assert before.options[0] == window.document.brief.options[0]


def test_a_supplier_country_cannot_be_removed(qtbot: QtBot, window: MainWindow) -> None:
    countries = window.editor.lists["countries"].table
    poland = next(row for row, c in enumerate(countries.model.items) if c.code == "PL")
    brief = window.document.brief
    assert brief is not None
    with_polish_supplier = replace(brief.options[0], supplier="PL")
    window.document.edit(
        replace(brief, options=(with_polish_supplier, *brief.options[1:])),
        "Choose supplier",
    )
    countries.select_row(poland)
    qtbot.mouseClick(countries.remove_button, Qt.MouseButton.LeftButton)
    assert countries.message() == (
        "Option A names Poland as its supplier; change the supplier before you "
        "remove Poland."
    )
    assert any(c.code == "PL" for c in window.document.brief.countries)  # type: ignore[union-attr]


def test_an_empty_title_is_kept_as_a_draft_and_flagged(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    title = window.editor.lines["title"].widget
    replace_text(qtbot, title, "")
    summary = window.editor.texts["summary"].widget
    summary.setFocus()
    summary.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(summary, " Still saved.")
    wait_saved(qtbot, window)
    banner = window.editor.banner
    assert banner.text() == (
        "Title is empty: the brief is kept, but it needs this before it can be "
        "exported."
    )
    assert window.windowTitle().startswith("MOD-2026-014 – (untitled)")
    brief_id = window.document.brief.id  # type: ignore[union-attr]
    stored = services.briefs.get_brief(brief_id or 0)
    assert (stored.title, stored.summary.endswith(" Still saved.")) == ("", True)
    qtbot.keyClicks(title, "Fixed title")
    wait_saved(qtbot, window)
    assert services.briefs.get_brief(brief_id or 0).title == "Fixed title"
    assert banner.isHidden()


def test_new_duplicate_filter_and_delete(
    qtbot: QtBot, window: MainWindow, services: Services, scripted_dialogs: Dialogs
) -> None:
    window.duplicate_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.title.startswith("Copy of"))  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2)
    qtbot.keyClicks(window.brief_list.filter, "copy")
    assert window.brief_list.model.rowCount() == 1
    window.brief_list.filter.clear()
    assert window.brief_list.model.rowCount() == 2
    copy_id = window.document.brief.id  # type: ignore[union-attr]
    scripted_dialogs.confirm.append(True)
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 1)
    assert "Delete brief?" in [s[1] for s in scripted_dialogs.shown]
    assert [b.id for b in services.briefs.list_briefs()] == [1]
    assert copy_id != 1
    qtbot.waitUntil(lambda: window.document.brief is not None)
    assert window.document.brief.reference == "MOD-2026-014"  # type: ignore[union-attr]


def test_cancelled_delete_keeps_the_brief(
    window: MainWindow, services: Services, scripted_dialogs: Dialogs
) -> None:
    scripted_dialogs.confirm.append(False)
    window.delete_action.trigger()
    assert len(services.briefs.list_briefs()) == 1
    assert window.document.brief is not None


def test_importing_a_bad_file_names_the_problem(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    scripted_dialogs: Dialogs,
    tmp_path: Path,
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["countries"][0]["code"] = "ZZ"
    bad = tmp_path / "bad.brief.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    scripted_dialogs.open_file.append(bad)
    window.import_action.trigger()
    qtbot.waitUntil(lambda: scripted_dialogs.shown[-1][0] == "problems")
    assert scripted_dialogs.shown[-1][1:] == (
        "Cannot import bad.brief.json",
        "brief.countries[0].code: “ZZ” is not an ISO 3166 alpha-2 code",
    )
    assert len(services.briefs.list_briefs()) == 1


def test_importing_a_good_file_opens_it(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs
) -> None:
    scripted_dialogs.open_file.append(paths.demo_brief_file())
    scripted_dialogs.reference.append(ExistingReference.AS_NEW)  # the demo's own
    window.import_action.trigger()
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2)
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]


def test_switching_briefs_saves_the_open_one_first(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.title == "Untitled brief")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2)
    new_id = window.document.brief.id  # type: ignore[union-attr]
    drafter = window.editor.lines["drafter"].widget
    qtbot.keyClicks(drafter, "A. Analyst")
    demo_row = window.brief_list.model.row_of(1)
    window.brief_list.view.setCurrentIndex(window.brief_list.model.index(demo_row, 0))
    qtbot.waitUntil(lambda: window.document.brief.id == 1)  # type: ignore[union-attr]
    assert services.briefs.get_brief(new_id or 0).drafter == "A. Analyst"


def test_window_layout_is_restored(
    qtbot: QtBot, make_window: Callable[[], MainWindow], settings_path: Path
) -> None:
    first = make_window()
    # The offscreen screen is 800 x 600; a restored window must fit on it.
    first.resize(760, 560)
    first.splitter.setSizes([180, 580])
    size = (first.width(), first.height())
    sizes = first.splitter.sizes()
    assert size != (1320, 820)
    assert sizes[0] < 300
    first.close()
    assert settings_path.is_file()
    second = make_window()
    assert (second.width(), second.height()) == size
    assert second.splitter.sizes() == sizes


def test_editor_widgets_have_accessible_names(window: MainWindow) -> None:
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QAbstractItemView, QAbstractButton)
    unnamed = [
        (type(widget).__name__, widget.objectName())
        for widget in window.findChildren(QWidget)
        if isinstance(widget, kinds)
        and _made_by_briefapp(widget)
        and not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
    ]
    assert unnamed == []


def _made_by_briefapp(widget: QWidget) -> bool:
    """Leave out the parts Qt builds inside its own widgets (headers, arrows…)."""
    if isinstance(widget, QHeaderView) or widget.objectName().startswith("qt_"):
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QLineEdit | QCalendarWidget):
            return False
        if parent.objectName().startswith("qt_"):
            return False
        parent = parent.parentWidget()
    return True


def test_closing_during_a_save_loses_nothing(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    drafter = window.editor.lines["drafter"].widget
    drafter.setFocus()
    drafter.selectAll()
    qtbot.keyClicks(drafter, "First")
    window.autosaver.save_now()
    qtbot.keyClicks(drafter, " and second")
    window.close()
    brief_id = window.document.brief.id  # type: ignore[union-attr]
    assert services.briefs.get_brief(brief_id or 0).drafter == "First and second"


def test_choosing_a_country_by_typing_its_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.editor
    editor.tabs.setCurrentIndex(2)
    countries = editor.lists["countries"].table
    qtbot.mouseClick(countries.add_button, Qt.MouseButton.LeftButton)
    combo = QApplication.focusWidget()
    while combo is not None and not isinstance(combo, QComboBox):
        combo = combo.parentWidget()
    assert isinstance(combo, QComboBox)
    line = combo.lineEdit()
    assert line is not None
    type_and_enter(qtbot, countries.view, line, "Latvia")
    added = window.document.brief.countries[-1]  # type: ignore[union-attr]
    assert (added.code, added.role.value) == ("LV", "partner")
    last = countries.model.rowCount() - 1
    type_into_cell(
        qtbot, countries.view, countries.model.index(last, 0), "Narnia", refused=True
    )
    assert countries.message() == "“Narnia” is not a country name or ISO 3166 code."
    assert window.document.brief.countries[-1].code == "LV"  # type: ignore[union-attr]


def test_a_brief_that_breaks_a_rule_is_not_exported(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs
) -> None:
    replace_text(qtbot, window.editor.lines["title"].widget, "")
    window.export_word_action.trigger()
    assert scripted_dialogs.shown[-1] == (
        "notice",
        "The brief is not ready to export",
        "Title is empty. Fill it in on the Brief tab and export again.",
    )


def test_about_names_the_version_and_database(
    window: MainWindow, scripted_dialogs: Dialogs, database_path: Path
) -> None:
    window.about_action.trigger()
    kind, _title, text = scripted_dialogs.shown[-1]
    assert kind == "about"
    assert "Briefapp 0.1.0" in text
    assert str(database_path) in text


def test_a_stop_signal_closes_the_window_and_saves(
    qtbot: QtBot, window: MainWindow, services: Services, settings_path: Path
) -> None:
    previous = {
        number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        close_on_signals(window)
        drafter = window.editor.lines["drafter"].widget
        drafter.setFocus()
        drafter.selectAll()
        qtbot.keyClicks(drafter, "Typed just before the stop")
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        handler(signal.SIGTERM, None)
    finally:
        for number, handler_before in previous.items():
            signal.signal(number, handler_before)
    assert not window.isVisible()
    assert services.briefs.get_brief(1).drafter == "Typed just before the stop"
    assert settings_path.is_file()


def test_a_date_being_corrected_is_not_wiped_by_other_edits(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    line = window.editor.deadline.line
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "31/12/2026")
    drafter = window.editor.lines["drafter"].widget
    drafter.setFocus()
    qtbot.keyClicks(drafter, " (acting)")
    assert line.text() == "31/12/2026"
    assert window.editor.banner.message("deadline").startswith(
        "Decision by: “31/12/2026” is not a date: write it as YYYY-MM-DD"
    )
    wait_saved(qtbot, window)
    assert str(services.briefs.get_brief(1).deadline) == "2026-12-15"
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "2026-12-31")
    wait_saved(qtbot, window)
    assert str(services.briefs.get_brief(1).deadline) == "2026-12-31"
    assert window.editor.banner.message("deadline") == ""


def test_the_recommended_option_follows_its_option(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    combo = window.editor.recommended
    assert combo.currentText().startswith("A: Combined purchase")
    choose_by_keyboard(qtbot, combo, combo.itemText(combo.find_value("C")))
    assert window.document.brief.recommended_option == "C"  # type: ignore[union-attr]
    window.editor.tabs.setCurrentIndex(1)
    options = window.editor.lists["options"].table
    type_into_cell(qtbot, options.view, options.model.index(2, 0), "C2")
    assert window.document.brief.recommended_option == "C2"  # type: ignore[union-attr]
    options.select_row(2)
    qtbot.mouseClick(options.remove_button, Qt.MouseButton.LeftButton)
    assert options.message() == (
        "Option C2 is the recommended option; choose another on the Brief tab "
        "before you remove it."
    )
    qtbot.mouseClick(options.down_button, Qt.MouseButton.LeftButton)
    assert window.document.brief.recommended_option == "C2"  # type: ignore[union-attr]
    wait_saved(qtbot, window)
    assert services.briefs.get_brief(1).recommended_option == "C2"
