"""The Analysis tab: weights re-rank at once, grids edit the brief, checks lead
to the cell to fix."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemDelegate
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from briefapp.domain.entities import AssessmentResult
from briefapp.gui.analysis_tab import AnalysisWidget
from briefapp.gui.main_window import MainWindow


def _analysis_tab(window: MainWindow) -> AnalysisWidget:
    window.editor.tabs.setCurrentWidget(window.editor.analysis)
    return window.editor.analysis


def _ranking(tab: AnalysisWidget) -> list[str]:
    assert tab.analysis is not None
    return [r.option for r in tab.analysis.ranked]


def test_editing_a_weight_re_ranks_the_options(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = _analysis_tab(window)
    assert _ranking(tab) == ["A", "B", "D"]
    assert tab.ranking.summary.text() == (
        "The recommendation of Option A holds unless the weight of cost rises "
        "above 27.3%, when Option B ranks first."
    )
    model = tab.criteria.table.model
    cost = model.index(2, 2)  # K3 Cost, Weight
    assert model.data(cost, Qt.ItemDataRole.DisplayRole) == "20"
    assert model.setData(cost, 40.0, Qt.ItemDataRole.EditRole)
    # Cost now weighs 40 of 120 = 33 %, past the 27.3 % at which B overtakes A.
    assert _ranking(tab) == ["B", "A", "D"]
    assert model.data(model.index(2, 3), Qt.ItemDataRole.DisplayRole) == "33%"
    # The brief recommends A, so the sentence no longer speaks of a recommendation.
    assert tab.ranking.summary.text().startswith("Option B ranks first unless")
    assert tab.ranking.scores.accessibleDescription().startswith("1. B ")
    qtbot.waitUntil(lambda: not window.document.is_dirty(), timeout=10_000)
    stored = window.services.briefs.get_brief(1)
    assert [c.weight for c in stored.criteria] == [30, 20, 40, 20, 10]
    window.undo_action.trigger()
    assert _ranking(tab) == ["A", "B", "D"]


def test_the_weight_spin_box_re_ranks_while_it_turns(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = _analysis_tab(window)
    view = tab.criteria.table.view
    index = tab.criteria.table.model.index(2, 2)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: view.focusWidget().__class__.__name__ == "QDoubleSpinBox")
    spin = view.focusWidget()
    spin.setValue(40.0)  # type: ignore[attr-defined]
    assert _ranking(tab) == ["B", "A", "D"]
    spin.setValue(25.0)  # type: ignore[attr-defined]
    assert _ranking(tab) == ["A", "B", "D"]
    # The turns are one undo step.
    view.commitData(spin)
    view.closeEditor(spin, QAbstractItemDelegate.EndEditHint.NoHint)
    window.undo_action.trigger()
    assert window.document.brief.criteria[2].weight == 20  # type: ignore[union-attr]


def test_a_failed_hard_constraint_screens_the_option_out(window: MainWindow) -> None:
    tab = _analysis_tab(window)
    grid = tab.assessments.model
    cell = grid.locate("B", "C2")
    assert grid.data(cell, Qt.ItemDataRole.DisplayRole) == "✓ meets"
    assert grid.setData(cell, AssessmentResult.FAILS, Qt.ItemDataRole.EditRole)
    assert grid.data(cell, Qt.ItemDataRole.DisplayRole) == "✗ fails"
    assert _ranking(tab) == ["A", "D"]
    assert (
        "B Purchase for national stocks only: fails C2" in tab.ranking.screened.text()
    )
    brief = window.document.brief
    assert brief is not None
    assessment = next(
        a for a in brief.assessments if (a.option, a.constraint) == ("B", "C2")
    )
    # The note is kept when the result changes.
    assert assessment.note == "No re-transfer: the rounds stay in national stocks."
    # Not assessed any more: the pair is listed as a check.
    grid.setData(cell, None, Qt.ItemDataRole.EditRole)
    assert "Option B is not assessed against constraint C2" in "\n".join(
        c.message
        for c in tab.analysis.checks  # type: ignore[union-attr]
    )


def test_a_score_and_its_rationale_are_edited_in_the_grid(window: MainWindow) -> None:
    tab = _analysis_tab(window)
    tab.inputs.setCurrentWidget(tab.scores)
    assert tab.scores.select("D", "K2")
    grid = tab.scores.model
    grid.setData(grid.locate("D", "K2"), 5, Qt.ItemDataRole.EditRole)
    tab.scores.note.setPlainText("New production line opens early.")
    brief = window.document.brief
    assert brief is not None
    score = next(s for s in brief.scores if (s.option, s.criterion) == ("D", "K2"))
    assert (score.score, score.rationale) == (5, "New production line opens early.")
    assert tab.scores.heading.text() == "Option D × K2: Delivery time"


def test_choosing_a_check_selects_the_cell_to_fix(window: MainWindow) -> None:
    tab = _analysis_tab(window)
    checks = tab.ranking.checks
    row = next(
        r
        for r in range(checks.rowCount())
        if checks.check(r).where == "assessments[A,C2]"  # type: ignore[union-attr]
    )
    tab.ranking.check_list.activated.emit(checks.index(row))
    assert tab.inputs.currentWidget() is tab.assessments
    assert tab.assessments.model.keys(tab.assessments.view.currentIndex()) == (
        "A",
        "C2",
    )
    assert tab.assessments.note.toPlainText().startswith("Supplier 1 is open")

    supplier = next(
        r
        for r in range(checks.rowCount())
        if checks.check(r).where == "options[A].supplier"  # type: ignore[union-attr]
    )
    tab.ranking.check_list.activated.emit(checks.index(supplier))
    assert window.editor.tabs.currentWidget() is window.editor.lists["options"]
    assert window.editor.lists["options"].table.current_row() == 0


def test_the_analysis_models_pass_the_model_tester(
    qtmodeltester: ModelTester, window: MainWindow
) -> None:
    tab = _analysis_tab(window)
    qtmodeltester.check(tab.assessments.model)
    qtmodeltester.check(tab.scores.model)
    qtmodeltester.check(tab.ranking.checks)
    assert tab.assessments.model.rowCount(QModelIndex()) == 4
    assert tab.assessments.model.columnCount(QModelIndex()) == 7


def test_a_brief_without_criteria_says_what_to_add(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.title == "Untitled brief")  # type: ignore[union-attr]
    tab = _analysis_tab(window)
    assert tab.scores.empty.text() == "Add options and criteria to fill in this grid."
    assert tab.ranking.summary.text() == (
        "No option can be ranked: the brief has no options yet."
    )


def test_a_slow_analysis_waits_for_a_pause_in_the_edits(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = _analysis_tab(window)
    tab._analysis_seconds = 1.0  # as a brief of hundreds of options would take
    model = tab.criteria.table.model
    model.setData(model.index(2, 2), 40.0, Qt.ItemDataRole.EditRole)
    assert _ranking(tab) == ["A", "B", "D"]  # not yet: the edits may go on
    assert model.data(model.index(2, 2), Qt.ItemDataRole.DisplayRole) == "40"
    qtbot.waitUntil(lambda: _ranking(tab) == ["B", "A", "D"], timeout=5_000)


def test_grid_choices_start_with_a_word_and_refuse_other_values(
    window: MainWindow,
) -> None:
    tab = _analysis_tab(window)
    # Typing M, P, F, U or N in the cell's list picks the choice.
    assert [label for label, _value in tab.assessments.model.spec.choices] == [
        "Not assessed –",
        "Meets ✓",
        "Partial ◐",
        "Fails ✗",
        "Unknown ?",
    ]
    scores = tab.scores.model
    cell = scores.locate("A", "K1")
    for value in (7, -1, "3"):
        assert not scores.setData(cell, value, Qt.ItemDataRole.EditRole)
    assert scores.data(cell, Qt.ItemDataRole.DisplayRole) == "5"


def test_the_zero_weights_check_leads_to_a_weight(window: MainWindow) -> None:
    tab = _analysis_tab(window)
    model = tab.criteria.table.model
    for row in range(model.rowCount()):
        model.setData(model.index(row, 2), 0.0, Qt.ItemDataRole.EditRole)
    checks = tab.ranking.checks
    zero = next(
        r
        for r in range(checks.rowCount())
        if checks.check(r).area == "criteria"  # type: ignore[union-attr]
    )
    assert tab.ranking.summary.text() == (
        "No option can be ranked: every criterion has a weight of zero."
    )
    tab.ranking.check_list.activated.emit(checks.index(zero))
    assert tab.inputs.currentWidget() is tab.criteria
    current = tab.criteria.table.view.currentIndex()
    assert (
        current.row(),
        model.headerData(current.column(), Qt.Orientation.Horizontal),
    ) == (0, "Weight")
