"""Nothing typed is lost: open cell editors, completions, pending loads, conflicts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from briefapp.domain.brief_format import dumps_brief
from briefapp.domain.clearance import CommentTarget
from briefapp.domain.compare import BriefComparison
from briefapp.domain.entities import Brief
from briefapp.gui import autosave
from briefapp.gui.clearance_dialogs import CompareDialog, comparison_html
from briefapp.gui.dialogs import ExportChoice
from briefapp.gui.main_window import MainWindow
from briefapp.services.session import Services
from tests.gui.conftest import Dialogs, write_lock_held
from tests.gui.test_recovery_journal import left_behind, type_title
from tests.gui.user import type_into_cell, wait_saved
from tests.integration.test_cli import run
from tests.reliability import CONFLICTS, tally


def open_cell_editor(
    window: MainWindow, table_name: str, row: int, column: int
) -> QLineEdit:
    table = window.editor.lists[table_name].table
    index = table.model.index(row, column)
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    editor = table.view.indexWidget(index)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    return editor


def test_text_in_an_open_cell_is_saved_on_close(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    window.editor.tabs.setCurrentIndex(1)
    editor = open_cell_editor(window, "options", 0, 1)
    qtbot.keyClicks(editor, "Retitled option A")
    window.close()
    assert services.briefs.get_brief(1).options[0].title == "Retitled option A"


def test_text_in_an_open_cell_is_saved_before_a_new_brief(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    window.editor.tabs.setCurrentIndex(3)
    editor = open_cell_editor(window, "constraints", 0, 1)
    qtbot.keyClicks(editor, "Lawful under national law")
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]
    assert (
        services.briefs.get_brief(1).constraints[0].title == "Lawful under national law"
    )


def test_a_completed_classification_is_stored_as_shown(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    line = window.editor.classification.lineEdit()
    assert line is not None
    line.setFocus()
    line.selectAll()
    qtbot.keyClick(line, Qt.Key.Key_Delete)
    qtbot.keyClicks(line, "SEC")
    shown = window.editor.classification.currentText()
    assert shown == "SECRET"
    assert window.document.brief.classification == shown  # type: ignore[union-attr]
    wait_saved(qtbot, window)
    assert services.briefs.get_brief(1).classification == "SECRET"


def test_the_editor_is_locked_while_another_brief_loads(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    release = threading.Event()
    create = services.briefs.create_brief

    def slow_create(*args: object, **kwargs: object) -> Brief:
        release.wait(10)
        return create(*args, **kwargs)  # type: ignore[arg-type]

    services.briefs.create_brief = slow_create  # type: ignore[method-assign]
    try:
        window.new_action.trigger()
        qtbot.waitUntil(lambda: not window.editor.isEnabled())
        assert window.document.brief.id == 1  # type: ignore[union-attr]
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]
    assert window.editor.isEnabled()


def test_an_impossible_quantity_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.tabs.setCurrentIndex(1)
    options = window.editor.lists["options"].table
    type_into_cell(
        qtbot,
        options.view,
        options.model.index(0, 5),
        "99999999999999999999",
        refused=True,
    )
    assert options.message() == "The quantity must be at most 1,000,000,000."
    assert window.document.brief.options[0].quantity == 12000  # type: ignore[union-attr]


def _both_edit_and_the_first_saves(
    qtbot: QtBot, make_window: Callable[[], MainWindow], mine: str
) -> tuple[MainWindow, MainWindow]:
    """Two windows edit the same brief; the first saves, then the second tries."""
    first = make_window()
    second = make_window()
    for window in (first, second):
        qtbot.waitUntil(lambda w=window: w.document.brief is not None)
    second.autosaver.delay_ms = 3_600_000  # the second's edits wait, unsaved
    addressee = second.editor.lines["addressee"].widget
    addressee.setFocus()
    addressee.selectAll()
    qtbot.keyClicks(addressee, mine)
    assert second.document.is_dirty()
    drafter = first.editor.lines["drafter"].widget
    drafter.setFocus()
    drafter.selectAll()
    qtbot.keyClicks(drafter, "First window")
    wait_saved(qtbot, first)
    second.autosaver.save_now()
    return first, second


def test_a_save_conflict_offers_to_reload(
    qtbot: QtBot, make_window: Callable[[], MainWindow], scripted_dialogs: Dialogs
) -> None:
    scripted_dialogs.choose.append("reload")
    _first, second = _both_edit_and_the_first_saves(qtbot, make_window, "Second")
    qtbot.waitUntil(
        lambda: second.editor.lines["drafter"].widget.text() == "First window"
    )
    kind, title, text = scripted_dialogs.shown[-1]
    assert (kind, title) == ("choice", "The brief changed elsewhere")
    assert text.startswith(
        "Brief MOD-2026-014 was changed elsewhere since it was opened; your edits "
        "were not saved over those changes."
    )
    assert not second.document.is_dirty()
    assert second.editor.lines["addressee"].widget.text() != "Second"


@pytest.mark.reliability
def test_a_save_conflict_can_keep_mine_as_a_copy(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    scripted_dialogs: Dialogs,
    services: Services,
) -> None:
    scripted_dialogs.choose.append("copy")
    _first, second = _both_edit_and_the_first_saves(qtbot, make_window, "Second window")
    qtbot.waitUntil(lambda: second.document.brief.id == 2)  # type: ignore[union-attr]
    copy = services.briefs.get_brief(2)
    assert copy.reference == "MOD-2026-014-MINE"
    assert copy.addressee == "Second window"
    assert services.briefs.get_brief(1).drafter == "First window"
    tally(CONFLICTS)


@pytest.mark.reliability
def test_a_save_conflict_can_be_compared_first(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    scripted_dialogs: Dialogs,
    monkeypatch: pytest.MonkeyPatch,
    services: Services,
) -> None:
    compared: list[tuple[str, str]] = []

    def show(_parent: object, title: str, comparison: BriefComparison) -> None:
        compared.append((title, comparison_html(comparison)))

    monkeypatch.setattr(CompareDialog, "show_comparison", show)
    scripted_dialogs.choose += ["compare", "reload"]
    _first, second = _both_edit_and_the_first_saves(
        qtbot, make_window, "Minister of Defence (second window)"
    )
    qtbot.waitUntil(lambda: not second.document.is_dirty())
    ((title, shown),) = compared
    assert title == "Saved elsewhere (revision 2) → your edits"
    # Theirs: the drafter; mine: the addressee.
    assert "First window" in shown
    assert "(second window)" in shown
    assert [kind for kind, *_ in scripted_dialogs.shown] == ["choice", "choice"]
    assert services.briefs.get_brief(1).drafter == "First window"
    tally(CONFLICTS)


def test_a_window_shows_what_another_window_saved(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> None:
    first = make_window()
    second = make_window()
    for window in (first, second):
        qtbot.waitUntil(lambda w=window: w.document.brief is not None)
    title = first.editor.lines["title"].widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Retitled in the first window")
    wait_saved(qtbot, first)
    qtbot.waitUntil(
        lambda: (
            second.editor.lines["title"].widget.text() == "Retitled in the first window"
        ),
        timeout=5000,
    )
    assert not second.document.is_dirty()
    listed = second.brief_list.model.index(0, 1).data()
    assert listed == "Retitled in the first window"
    assert second.statusBar().currentMessage() == (
        "Brief MOD-2026-014 was saved in another window or program; showing its "
        "saved version."
    )


def test_exporting_over_an_existing_file_asks_first(
    qtbot: QtBot, window: MainWindow, scripted_dialogs: Dialogs, tmp_path: Path
) -> None:
    output = tmp_path / "brief.docx"
    output.write_bytes(b"yesterday's copy")
    scripted_dialogs.export.append(ExportChoice("decision-brief", output))
    scripted_dialogs.confirm.append(False)
    window.export_word_action.trigger()
    assert scripted_dialogs.shown[-1][1] == "Replace the file?"
    assert output.read_bytes() == b"yesterday's copy"


def test_the_list_follows_the_open_brief(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2)
    drafter = window.editor.lines["drafter"].widget
    qtbot.keyClicks(drafter, "x")
    view = window.brief_list.view
    view.setCurrentIndex(
        window.brief_list.model.index(window.brief_list.model.row_of(1), 0)
    )
    qtbot.waitUntil(lambda: window.document.brief.id == 1)  # type: ignore[union-attr]
    wait_saved(qtbot, window)
    qtbot.waitUntil(window.runner.is_idle)
    current = window.brief_list.model.brief_id(view.currentIndex().row())
    assert current == 1


def test_stale_messages_do_not_follow_to_another_brief(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.editor.tabs.setCurrentIndex(1)
    options = window.editor.lists["options"].table
    type_into_cell(qtbot, options.view, options.model.index(0, 6), "nine", refused=True)
    assert options.message()
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]
    assert options.message() == ""


def test_a_busy_database_keeps_the_edits_until_it_is_free(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    database_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(autosave, "RETRY_DELAY_MS", 200)
    with write_lock_held(database_path):
        type_title(qtbot, window, "Typed while the database was busy")
        qtbot.waitUntil(
            lambda: window.save_state.text() == autosave.BUSY_STATE, timeout=15_000
        )
        assert window.document.is_dirty()
        shown = window.editor.lines["title"].widget.text()
        assert shown == "Typed while the database was busy"
    wait_saved(qtbot, window)
    assert services.briefs.get_brief(1).title == "Typed while the database was busy"


def test_the_selected_comment_stays_selected_while_saves_come_in(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    for text in ("First remark", "Second remark"):
        services.clearance.add_comment(1, CommentTarget(), text, "Rasa Reviewer")
    comments = window.clearance.comments
    qtbot.waitUntil(lambda: comments.tree.topLevelItemCount() == 2, timeout=5000)
    comments.tree.setCurrentItem(comments.tree.topLevelItem(1))
    summary = window.editor.texts["summary"].widget
    summary.setFocus()
    qtbot.keyClicks(summary, " More.")
    wait_saved(qtbot, window)
    services.clearance.add_comment(1, CommentTarget(), "Third remark", "Rasa Reviewer")
    qtbot.waitUntil(lambda: comments.tree.topLevelItemCount() == 3, timeout=5000)
    assert comments.detail.toPlainText().count("Second remark") == 1
    current = comments.tree.currentItem()
    assert current is not None
    assert current.text(4) == "Second remark"


def test_a_window_shows_what_another_process_saved(
    qtbot: QtBot, window: MainWindow, services: Services, database_path: Path
) -> None:
    changed = replace(services.briefs.get_brief(1), addressee="Set by a command")
    file = database_path.with_name("changed.brief.json")
    file.write_text(dumps_brief(changed), encoding="utf-8")
    done = run("update", "1", str(file), db=database_path)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(
        lambda: window.editor.lines["addressee"].widget.text() == "Set by a command",
        timeout=5000,
    )
    assert not window.document.is_dirty()


def test_a_cell_being_typed_in_is_not_replaced_by_another_save(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    scripted_dialogs: Dialogs,
    database_path: Path,
) -> None:
    window.editor.tabs.setCurrentIndex(1)
    editor = open_cell_editor(window, "options", 0, 1)
    qtbot.keyClicks(editor, "Half-typed option title")
    other = services.briefs.get_brief(1)
    services.briefs.save_brief(replace(other, addressee="Saved elsewhere"))
    # The window keeps looking; the cell's text stays while it is open.
    window.briefs.look_for_changes()
    qtbot.waitUntil(window.runner.is_idle)
    assert editor.text() == "Half-typed option title"
    scripted_dialogs.confirm.append(True)
    window.close()
    # Not saved over the other save, and not lost: kept for the next start.
    assert scripted_dialogs.shown[-1][1] == "Close with edits not saved?"
    assert services.briefs.get_brief(1).addressee == "Saved elsewhere"
    (kept,) = left_behind(database_path)
    assert kept.brief.options[0].title == "Half-typed option title"


def test_what_was_asked_while_the_database_was_busy_is_done_after(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    database_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(autosave, "RETRY_DELAY_MS", 200)
    with write_lock_held(database_path):
        type_title(qtbot, window, "Typed while busy")
        window.new_action.trigger()
        qtbot.waitUntil(
            lambda: window.save_state.text() == autosave.BUSY_STATE, timeout=15_000
        )
        window.new_action.trigger()  # asked twice: one new brief
    qtbot.waitUntil(lambda: window.document.brief.id == 2, timeout=15_000)  # type: ignore[union-attr]
    wait_saved(qtbot, window)
    assert services.briefs.get_brief(1).title == "Typed while busy"
    assert len(services.briefs.list_briefs()) == 2


def test_names_being_typed_into_the_chain_stay_when_others_comment(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    comments = window.clearance.comments
    qtbot.waitUntil(lambda: window.clearance.clearance is not None)
    window.clearance.reviewers.setText("Rasa Reviewer, Jonas")
    services.clearance.add_comment(1, CommentTarget(), "A remark", "Rasa Reviewer")
    qtbot.waitUntil(lambda: comments.tree.topLevelItemCount() == 1, timeout=5000)
    assert window.clearance.reviewers.text() == "Rasa Reviewer, Jonas"
