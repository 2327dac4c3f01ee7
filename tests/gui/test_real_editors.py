"""Every cell editor and choice list, used as a user uses it: select the cell,
type or pick from the popup, commit with Tab or Enter, wait for the save and
read the stored brief back."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QComboBox,
    QPlainTextEdit,
    QTableView,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from briefapp.domain.clearance import CommentClass, TargetKind
from briefapp.domain.entities import AssessmentResult, Brief, BriefType
from briefapp.gui.analysis_grids import GridEditor
from briefapp.gui.clearance_dialogs import CommentDialog
from briefapp.gui.main_window import MainWindow
from tests.gui.user import (
    Modals,
    choose_by_keyboard,
    click_button,
    open_cell_editor,
    pick_from_popup,
    set_my_name,
    type_into_cell,
    type_over_cell,
    wait_saved,
)


def _grid(window: MainWindow, name: str) -> GridEditor:
    analysis = window.editor.analysis
    window.editor.tabs.setCurrentWidget(analysis)
    grid: GridEditor = getattr(analysis, name)
    analysis.inputs.setCurrentWidget(grid)
    return grid


def _result(brief: Brief, option: str, constraint: str) -> AssessmentResult:
    found = next(
        a for a in brief.assessments if (a.option, a.constraint) == (option, constraint)
    )
    return found.result


def test_typing_a_letter_in_the_assessment_grid_saves_the_result(
    qtbot: QtBot, window: MainWindow
) -> None:
    grid = _grid(window, "assessments")
    type_over_cell(qtbot, grid.view, grid.model.locate("A", "C2"), "m")
    wait_saved(qtbot, window)
    assert window.save_state.text() == "All changes saved"
    stored = window.services.briefs.get_brief(1)
    assert _result(stored, "A", "C2") is AssessmentResult.MEETS
    # And the next edit saves too.
    type_over_cell(qtbot, grid.view, grid.model.locate("A", "C3"), "f")
    wait_saved(qtbot, window)
    assert _result(window.services.briefs.get_brief(1), "A", "C3") is (
        AssessmentResult.FAILS
    )
    assert grid.model.data(grid.model.locate("A", "C3")) == "✗ fails"


def test_picking_from_the_assessment_popup_saves_the_result(
    qtbot: QtBot, window: MainWindow
) -> None:
    grid = _grid(window, "assessments")
    pick_from_popup(qtbot, grid.view, grid.model.locate("C", "C6"), "Meets ✓")
    wait_saved(qtbot, window)
    assert _result(window.services.briefs.get_brief(1), "C", "C6") is (
        AssessmentResult.MEETS
    )
    pick_from_popup(qtbot, grid.view, grid.model.locate("C", "C6"), "Partial ◐")
    wait_saved(qtbot, window)
    assert _result(window.services.briefs.get_brief(1), "C", "C6") is (
        AssessmentResult.PARTIAL
    )


def test_the_note_of_a_cell_is_typed_below_the_grid(
    qtbot: QtBot, window: MainWindow
) -> None:
    grid = _grid(window, "assessments")
    type_over_cell(qtbot, grid.view, grid.model.locate("A", "C2"), "p")
    grid.view.setCurrentIndex(grid.model.locate("A", "C2"))
    grid.note.setFocus()
    grid.note.selectAll()
    qtbot.keyClicks(grid.note, "Awaiting the supplier's answer.")
    wait_saved(qtbot, window)
    stored = window.services.briefs.get_brief(1)
    note = next(
        a.note for a in stored.assessments if (a.option, a.constraint) == ("A", "C2")
    )
    assert note == "Awaiting the supplier's answer."


def test_typing_a_digit_in_the_score_grid_saves_the_score(
    qtbot: QtBot, window: MainWindow
) -> None:
    grid = _grid(window, "scores")
    type_over_cell(qtbot, grid.view, grid.model.locate("A", "K3"), "4")
    wait_saved(qtbot, window)
    pick_from_popup(qtbot, grid.view, grid.model.locate("D", "K2"), "3")
    wait_saved(qtbot, window)
    stored = window.services.briefs.get_brief(1)
    scores = {(s.option, s.criterion): s.score for s in stored.scores}
    assert (scores["A", "K3"], scores["D", "K2"]) == (4, 3)
    assert all(type(s) is int for s in scores.values())


def test_the_type_of_brief_and_the_recommendation_are_picked_from_their_lists(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.editor
    editor.tabs.setCurrentIndex(0)
    for combo in (editor.brief_type, editor.recommended):
        combo.setFocus()
        combo.showPopup()
        qtbot.waitUntil(combo.view().isVisible)
        qtbot.keyClick(combo.view(), Qt.Key.Key_Down)
        qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    wait_saved(qtbot, window)
    stored = window.services.briefs.get_brief(1)
    assert isinstance(stored.brief_type, BriefType)
    assert stored.brief_type == window.document.brief.brief_type  # type: ignore[union-attr]
    assert stored.recommended_option == "B"


def _fill_comment(
    qtbot: QtBot, dialog: CommentDialog, on: str, kind: str, text: str
) -> None:
    choose_by_keyboard(qtbot, dialog.target, on)
    choose_by_keyboard(qtbot, dialog.comment_class, kind)
    assert isinstance(dialog.text, QPlainTextEdit)
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, text)
    click_button(qtbot, dialog, "Add comment")


def test_a_comment_is_added_through_the_real_dialog(
    qtbot: QtBot, window: MainWindow, modals: Modals
) -> None:
    set_my_name(qtbot, window, modals, "Rasa Reviewer")
    tab = window.clearance
    window.editor.tabs.setCurrentWidget(tab)
    for on, kind, text in (
        ("Field: Summary", "Must fix before clearance", "Say what the cost is."),
        ("Option B: " + window.document.brief.options[1].title, "Should fix", "Why?"),  # type: ignore[union-attr]
        ("The brief as a whole", "Comment only", "Reads well."),
    ):
        modals.expect(
            CommentDialog,
            lambda dialog, on=on, kind=kind, text=text: _fill_comment(
                qtbot, dialog, on, kind, text
            ),
        )
        count = tab.comments.tree.topLevelItemCount()
        qtbot.mouseClick(tab.comments.add_comment, Qt.MouseButton.LeftButton)
        modals.wait_until(lambda c=count: tab.comments.tree.topLevelItemCount() > c)
        modals.check()
    stored = window.services.clearance.clearance(1).comments
    assert [(c.target.kind, c.target.key, c.comment_class, c.text) for c in stored] == [
        (TargetKind.FIELD, "summary", CommentClass.MUST_FIX, "Say what the cost is."),
        (TargetKind.OPTION, "B", CommentClass.SHOULD_FIX, "Why?"),
        (TargetKind.BRIEF, "", CommentClass.COMMENT, "Reads well."),
    ]
    # The filter by class shows the must-fix comment alone.
    choose_by_keyboard(qtbot, tab.comments.class_filter, "Must fix before clearance")
    assert tab.comments.tree.topLevelItemCount() == 1
    assert tab.comments.tree.topLevelItem(0).text(4) == "Say what the cost is."


def test_the_date_picker_opens_on_the_fields_date_and_sets_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    field = window.editor.deadline
    window.editor.tabs.setCurrentIndex(0)
    field.line.setFocus()
    field.line.selectAll()
    qtbot.keyClicks(field.line, "2027-03-15")
    pick = next(
        b
        for b in field.findChildren(QToolButton)
        if b.accessibleName().startswith("Pick the")
    )
    shown: list[QDate] = []

    def pick_a_day() -> None:
        popup = pick.menu()
        assert popup is not None
        assert popup.isVisible()
        calendar = popup.findChild(QCalendarWidget)
        assert calendar is not None
        shown.append(calendar.selectedDate())
        # A week on with the arrow keys, then Enter.
        table = calendar.findChild(QTableView)
        assert table is not None
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Return)

    QTimer.singleShot(50, pick_a_day)
    qtbot.mouseClick(pick, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.line.text() == "2027-03-22")
    assert shown == [QDate(2027, 3, 15)]
    wait_saved(qtbot, window)
    assert window.services.briefs.get_brief(1).deadline == dt.date(2027, 3, 22)


def test_the_supplier_list_offers_supplier_countries_only(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.editor
    editor.tabs.setCurrentIndex(1)
    options = editor.lists["options"].table
    combo = open_cell_editor(qtbot, options.view, options.model.index(3, 2))
    assert isinstance(combo, QComboBox)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[0] == "None"
    assert not any(
        name in " ".join(labels) for name in ("Ukraine", "Poland", "Germany")
    )
    assert all("(XX)" in label for label in labels[1:])
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    # A new brief has no countries yet: the list says where to add one.
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]
    editor.tabs.setCurrentIndex(1)
    qtbot.mouseClick(
        editor.lists["options"].table.add_button, Qt.MouseButton.LeftButton
    )
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    pick_from_popup(
        qtbot,
        options.view,
        options.model.index(0, 2),
        "None (add a supplier on the Countries tab)",
    )
    wait_saved(qtbot, window)
    assert window.services.briefs.get_brief(2).options[0].supplier is None


def test_typing_in_the_notes_column_goes_on_in_the_notes_box(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.lists["countries"])
    countries = editor.lists["countries"].table
    before = window.document.brief.countries[1].notes  # type: ignore[union-attr]
    countries.view.setFocus()
    countries.view.setCurrentIndex(countries.model.index(1, 2))
    qtbot.keyClicks(countries.view, " Re-transfer needs US consent.")
    wait_saved(qtbot, window)
    stored = window.services.briefs.get_brief(1).countries[1].notes
    assert stored == before + " Re-transfer needs US consent."
    notes = QApplication.focusWidget()
    assert isinstance(notes, QPlainTextEdit)
    assert notes.accessibleName() == "Notes"


QUANTITY = 5  # the options table's Quantity column


def test_a_quantity_is_typed_with_its_unit(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.tabs.setCurrentIndex(1)
    options = window.editor.lists["options"].table
    header = options.model.headerData(
        QUANTITY, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "e.g. 4 fire units" in header
    cell = options.model.index(1, QUANTITY)
    assert open_cell_editor(qtbot, options.view, cell).text() == "6000 rounds"  # type: ignore[attr-defined]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    type_into_cell(qtbot, options.view, cell, "4 fire units")
    wait_saved(qtbot, window)
    stored = window.services.briefs.get_brief(1).options[1]
    assert (stored.quantity, stored.quantity_unit) == (4, "fire units")
    assert cell.data() == "4 fire units"
    type_into_cell(qtbot, options.view, options.model.index(0, QUANTITY), "12 500")
    wait_saved(qtbot, window)
    stored = window.services.briefs.get_brief(1).options[0]
    # A number alone corrects the number and keeps the unit.
    assert (stored.quantity, stored.quantity_unit) == (12500, "rounds")
    assert options.model.index(0, QUANTITY).data() == "12,500 rounds"
    last = options.model.index(3, QUANTITY)
    editor = open_cell_editor(qtbot, options.view, last)
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: options.view.indexWidget(last) is None)
    wait_saved(qtbot, window)
    stored = window.services.briefs.get_brief(1).options[3]
    assert (stored.quantity, stored.quantity_unit) == (None, "")


def test_a_quantity_in_words_is_refused_and_kept_in_the_editor(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.editor.tabs.setCurrentIndex(1)
    options = window.editor.lists["options"].table
    cell = options.model.index(1, QUANTITY)
    type_into_cell(qtbot, options.view, cell, "four units", refused=True)
    assert options.message() == (
        "“four units” is not a quantity: write a whole number, optionally "
        "followed by its unit, e.g. 4 fire units."
    )
    editor = options.view.indexWidget(cell)
    assert editor.text() == "four units"  # type: ignore[union-attr]
    stored = window.services.briefs.get_brief(1).options[1]
    assert (stored.quantity, stored.quantity_unit) == (6000, "rounds")
