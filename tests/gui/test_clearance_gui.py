"""Clearance in the window: from draft to an issued, verified Word file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from briefapp.domain.clearance import CommentClass, CommentTarget, Member, TargetKind
from briefapp.domain.entities import BriefStatus
from briefapp.domain.workflow import Action, Role
from briefapp.gui import clearance_dialogs
from briefapp.gui.dialogs import ExportChoice
from briefapp.gui.main_window import MainWindow
from briefapp.services.review import Verdict
from briefapp.services.session import Services
from tests.gui.conftest import Dialogs

DRAFTER, REVIEWER, APPROVER = "Ona Analyst", "Rasa Reviewer", "Jonas Approver"


class Answers:
    """Scripted answers to the clearance dialogs."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.notes: list[str | None] = []
        self.comments: list[tuple[CommentTarget, CommentClass, str] | None] = []
        self.compared: list[tuple[str, str]] = []
        self.issues: list[ExportChoice | None] = []


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    script = Answers()
    monkeypatch.setattr(
        clearance_dialogs.PreferencesDialog,
        "ask",
        lambda _parent, current: clearance_dialogs.Preferences(
            script.names.pop(0), current.backups_kept
        ),
    )
    monkeypatch.setattr(
        clearance_dialogs.NoteDialog, "ask", lambda *_a: script.notes.pop(0)
    )
    monkeypatch.setattr(
        clearance_dialogs.CommentDialog, "ask", lambda *_a: script.comments.pop(0)
    )

    def show(_parent: Any, title: str, comparison: Any) -> None:
        script.compared.append((title, clearance_dialogs.comparison_html(comparison)))

    monkeypatch.setattr(clearance_dialogs.CompareDialog, "show_comparison", show)
    monkeypatch.setattr(
        clearance_dialogs.IssueDialog, "ask_issue", lambda *_a: script.issues.pop(0)
    )
    return script


@pytest.fixture
def cleared_window(
    services: Services, make_window: Callable[[], MainWindow], qtbot: QtBot
) -> MainWindow:
    services.clearance.set_chain(
        1,
        [Member(DRAFTER, Role.DRAFTER), Member(REVIEWER, Role.REVIEWER),
         Member(APPROVER, Role.APPROVER)],
        DRAFTER,
    )  # fmt: skip
    services.briefs.editor = DRAFTER
    window = make_window()
    qtbot.waitUntil(lambda: window.clearance.clearance is not None)
    return window


def act_as(qtbot: QtBot, window: MainWindow, answers: Answers, name: str) -> None:
    answers.names.append(name)
    window.preferences_action.trigger()
    qtbot.waitUntil(lambda: f"You act as {name} (" in window.clearance.acting.text())


def click_step(
    qtbot: QtBot, window: MainWindow, action: Action, status: BriefStatus
) -> None:
    button = window.clearance.buttons[action]
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            window.document.brief is not None
            and window.document.brief.status is status
            and window.clearance.clearance is not None
            and window.clearance.clearance.status is status
        ),
        timeout=20_000,
    )


def test_from_draft_to_issued_in_the_window(
    qtbot: QtBot,
    cleared_window: MainWindow,
    answers: Answers,
    scripted_dialogs: Dialogs,
    services: Services,
    tmp_path: Path,
) -> None:
    window = cleared_window
    tab = window.clearance
    window.editor.tabs.setCurrentWidget(tab)
    assert "Status: Draft" in tab.status.text()
    assert not tab.buttons[Action.APPROVE].isEnabled()
    assert (
        "Approve is possible only when the brief is in review"
        in tab.buttons[Action.APPROVE].toolTip()
    )

    click_step(qtbot, window, Action.SUBMIT, BriefStatus.IN_REVIEW)
    assert tab.why.text() == (
        f"Next steps by others: Clear ({REVIEWER}); "
        f"Request changes ({REVIEWER} or {APPROVER}); "
        f"Approve ({APPROVER}, once {REVIEWER} has cleared)."
    )
    assert window.editor.read_only
    assert window.editor.texts["summary"].widget.isReadOnly()
    assert "is in review" in window.editor.banner.text()

    act_as(qtbot, window, answers, REVIEWER)
    assert not tab.buttons[Action.SUBMIT].isEnabled()
    answers.comments.append(
        (
            CommentTarget(TargetKind.FIELD, "summary"),
            CommentClass.MUST_FIX,
            "Say what the cost is.",
        )
    )
    qtbot.mouseClick(tab.comments.add_comment, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.comments.tree.topLevelItemCount() == 1)
    item = tab.comments.tree.topLevelItem(0)
    assert (item.text(0), item.text(1), item.text(2), item.text(4)) == (
        "Summary", "Must fix before clearance", REVIEWER, "Say what the cost is.",
    )  # fmt: skip
    label, _ = window.editor.field_labels["summary"]
    assert label.text() == "Summary ●1:"

    act_as(qtbot, window, answers, APPROVER)
    assert not tab.buttons[Action.APPROVE].isEnabled()
    assert tab.why.text() == (
        "Approve: 1 comment marked “must fix before clearance” is still open: "
        f"#1 on Summary (“Say what the cost is.”). It is resolved by {REVIEWER} "
        "or you (the approver).\n"
        f"Next steps by others: Clear ({REVIEWER}); Request changes ({REVIEWER})."
    )

    act_as(qtbot, window, answers, REVIEWER)
    answers.notes.append("See my comment on the summary.")
    click_step(qtbot, window, Action.REQUEST_CHANGES, BriefStatus.CHANGES_REQUESTED)

    act_as(qtbot, window, answers, DRAFTER)
    assert not window.editor.read_only
    assert not window.editor.texts["summary"].widget.isReadOnly()
    summary = window.editor.texts["summary"].widget
    summary.setFocus()
    summary.moveCursor(summary.textCursor().MoveOperation.End)
    qtbot.keyClicks(summary, " The cost is EUR 40 million.")
    window.autosaver.save_now()
    # The first saved edit is the revision: the tab follows without a reload.
    qtbot.waitUntil(
        lambda: tab.clearance is not None and tab.clearance.status is BriefStatus.DRAFT
    )
    assert window.document.brief is not None
    assert window.document.brief.status is BriefStatus.DRAFT
    assert tab.history.item(0, 2).text() == "revise"
    assert tab.history.item(0, 1).text() == DRAFTER
    tab.comments.tree.setCurrentItem(tab.comments.tree.topLevelItem(0))
    answers.notes.append("Added the cost.")
    qtbot.mouseClick(tab.comments.reply, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.comments.tree.topLevelItem(0).childCount() == 1)
    click_step(qtbot, window, Action.SUBMIT, BriefStatus.IN_REVIEW)

    act_as(qtbot, window, answers, REVIEWER)
    tab.comments.tree.setCurrentItem(tab.comments.tree.topLevelItem(0))
    qtbot.mouseClick(tab.comments.resolve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.comments.tree.topLevelItemCount() == 0)  # open only
    assert window.editor.field_labels["summary"][0].text() == "Summary:"

    qtbot.mouseClick(tab.versions.since_review, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(answers.compared) == 1)
    title, shown = answers.compared[0]
    assert title == "Changes since the last review (version 1)"
    assert "EUR 40 million" in shown
    assert "text-decoration:underline" in shown

    qtbot.mouseClick(tab.buttons[Action.CLEAR], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: tab.clearance is not None and tab.clearance.events[-1].action == "clear"
    )
    assert not tab.buttons[Action.CLEAR].isEnabled()
    assert "You have cleared version 2 already." in tab.buttons[Action.CLEAR].toolTip()

    act_as(qtbot, window, answers, APPROVER)
    answers.notes.append("Cleared for the minister.")
    click_step(qtbot, window, Action.APPROVE, BriefStatus.APPROVED)
    assert "is approved; reopen it" in window.editor.banner.text()

    output = tmp_path / "issued.docx"
    answers.issues.append(ExportChoice("decision-brief", output))
    click_step(qtbot, window, Action.ISSUE, BriefStatus.ISSUED)
    assert output.exists()
    assert services.review.verify(output).verdict is Verdict.VERIFIED

    # Exporting the issued brief again gives a copy that verifies too.
    copy = tmp_path / "copy.docx"
    scripted_dialogs.export.append(ExportChoice("one-page-summary", copy))
    scripted_dialogs.confirm.append(False)
    window.export_word_action.trigger()
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == f"Exported to {copy}.",
        timeout=20_000,
    )
    assert services.review.verify(copy).verdict is Verdict.VERIFIED

    history = tab.history
    steps = [history.item(r, 2).text() for r in range(history.rowCount())]
    assert steps[:5] == [
        "issue (version 3)",
        "approve (version 3)",
        "clear (version 2)",
        "resolve comment",
        "submit (version 2)",
    ]
    who = [history.item(r, 1).text() for r in range(history.rowCount())]
    assert who[:5] == [APPROVER, APPROVER, REVIEWER, REVIEWER, DRAFTER]
    assert history.item(3, 4).text() == f"#1 by {REVIEWER}: Say what the cost is."
    assert history.item(1, 4).text() == "Cleared for the minister."


def test_reopening_needs_a_reason_and_unlocks_editing(
    qtbot: QtBot, cleared_window: MainWindow, answers: Answers, services: Services
) -> None:
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    services.clearance.act(1, Action.CLEAR, REVIEWER)
    services.clearance.act(1, Action.APPROVE, APPROVER)
    window = cleared_window
    window.reload_brief()
    qtbot.waitUntil(
        lambda: (
            window.document.brief is not None
            and window.document.brief.status is BriefStatus.APPROVED
        )
    )
    services.clearance.add_comment(
        1, CommentTarget(TargetKind.OPTION, "B"), "Cost source?", REVIEWER
    )
    act_as(qtbot, window, answers, APPROVER)
    options = window.editor.lists["options"].table.model
    assert options.data(options.index(1, 0)) == "B ●1"
    assert options.data(options.index(0, 0)) == "A"
    assert window.editor.tabs.tabText(1) == "Options (4) ●1"
    assert window.editor.read_only
    assert window.editor.texts["summary"].widget.isReadOnly()
    answers.notes.append(None)  # cancelled: nothing happens
    qtbot.mouseClick(window.clearance.buttons[Action.REOPEN], Qt.MouseButton.LeftButton)
    assert services.briefs.get_brief(1).status is BriefStatus.APPROVED
    answers.notes.append("New cost figures from the supplier.")
    click_step(qtbot, window, Action.REOPEN, BriefStatus.DRAFT)
    # A draft again, but the approver is not its drafter: still read-only for him.
    assert window.editor.read_only
    assert (
        "Only the brief's drafter (Ona Analyst) edits it" in window.editor.banner.text()
    )
    act_as(qtbot, window, answers, DRAFTER)
    assert not window.editor.read_only
    assert not window.editor.texts["summary"].widget.isReadOnly()
    events = services.clearance.clearance(1).events
    assert (events[-1].action, events[-1].actor, events[-1].note) == (
        "reopen", APPROVER, "New cost figures from the supplier.",
    )  # fmt: skip


def test_switching_briefs_shows_each_its_own_clearance(
    qtbot: QtBot, cleared_window: MainWindow, services: Services
) -> None:
    window, tab = cleared_window, cleared_window.clearance
    services.clearance.act(1, Action.SUBMIT, DRAFTER)
    window.reload_brief()
    qtbot.waitUntil(
        lambda: (
            tab.clearance is not None and tab.clearance.status is BriefStatus.IN_REVIEW
        )
    )
    window.new_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.document.brief is not None
            and window.document.brief.id != 1
            and tab.clearance is not None
            and tab.clearance.brief_id == window.document.brief.id
        )
    )
    # The new brief names nobody yet: its creator drafts it and may submit it.
    assert "Status: Draft" in tab.status.text()
    assert tab.buttons[Action.SUBMIT].isEnabled()
    assert (tab.drafters.text(), tab.approver.text()) == ("", "")
    assert not window.editor.read_only
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2, timeout=20_000)
    demo_row = window.brief_list.model.row_of(1)
    window.brief_list.view.setCurrentIndex(window.brief_list.model.index(demo_row, 0))
    qtbot.waitUntil(
        lambda: tab.clearance is not None and tab.clearance.brief_id == 1,
        timeout=20_000,
    )
    assert "Status: In review" in tab.status.text()
    assert tab.approver.text() == APPROVER
    assert window.editor.read_only
