"""Clearance in the window, through the real widgets and dialogs: whose turn
it is, what blocks a step, who may resolve, notes that are required, issuing
with a template, and a demo brief anyone may edit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from briefapp.db import clearance_store
from briefapp.domain.clearance import CommentClass, CommentTarget, Member, TargetKind
from briefapp.domain.entities import BriefStatus
from briefapp.domain.workflow import Action, Role
from briefapp.gui.clearance_dialogs import CommentDialog, IssueDialog, NoteDialog
from briefapp.gui.main_window import MainWindow
from briefapp.services.review import Verdict
from briefapp.services.session import Locations, Services, open_services
from briefapp.settings import Settings
from tests.cli_in_process import run_cli
from tests.gui.user import Modals, choose_by_keyboard, click_button, set_my_name

DRAFTER, FIRST, SECOND, APPROVER = (
    "Ona Analyst",
    "Rasa Reviewer",
    "Petras Reviewer",
    "Jonas Approver",
)
CHAIN = [
    Member(DRAFTER, Role.DRAFTER),
    Member(FIRST, Role.REVIEWER),
    Member(SECOND, Role.REVIEWER),
    Member(APPROVER, Role.APPROVER),
]


@pytest.fixture
def chained(services: Services) -> Services:
    services.clearance.set_chain(1, CHAIN, DRAFTER)
    services.briefs.editor = DRAFTER
    return services


def shown(
    qtbot: QtBot, window: MainWindow, status: BriefStatus, name: str | None = None
) -> None:
    """Wait until the window has loaded the brief and the tab shows it in
    ``status`` (as ``name``)."""
    tab = window.clearance
    qtbot.waitUntil(
        lambda: (
            window.runner.is_idle()
            and window.editor.isEnabled()
            and tab.clearance is not None
            and tab.clearance.status is status
            and (name is None or f"You act as {name} (" in tab.acting.text())
        ),
        timeout=20_000,
    )


def click(qtbot: QtBot, button: object) -> None:
    assert button.isEnabled(), button.toolTip()  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_next_steps_follow_the_clearances(
    qtbot: QtBot,
    chained: Services,
    make_window: Callable[[], MainWindow],
    modals: Modals,
) -> None:
    chained.clearance.act(1, Action.SUBMIT, DRAFTER)
    window = make_window()
    shown(qtbot, window, BriefStatus.IN_REVIEW)
    tab = window.clearance
    assert tab.why.text() == (
        f"Next steps by others: Clear ({FIRST}, then {SECOND}); Request changes "
        f"({FIRST}, {SECOND} or {APPROVER}); Approve ({APPROVER}, once {FIRST} and "
        f"{SECOND} have cleared)."
    )
    set_my_name(qtbot, window, modals, FIRST)
    qtbot.waitUntil(lambda: f"You act as {FIRST} (" in tab.acting.text())
    click(qtbot, tab.buttons[Action.CLEAR])
    qtbot.waitUntil(
        lambda: tab.clearance is not None and tab.clearance.events[-1].action == "clear"
    )
    # She has cleared: the second reviewer's turn, not hers.
    assert tab.why.text() == (
        "Clear: You have cleared version 1 already.\n"
        f"Next steps by others: Clear ({SECOND}); Request changes ({SECOND} or "
        f"{APPROVER}); Approve ({APPROVER}, once {SECOND} has cleared)."
    )
    set_my_name(qtbot, window, modals, SECOND)
    qtbot.waitUntil(lambda: f"You act as {SECOND} (" in tab.acting.text())
    assert tab.buttons[Action.CLEAR].isEnabled()
    assert tab.why.text() == (
        f"Next steps by others: Request changes ({FIRST} or {APPROVER}); "
        f"Approve ({APPROVER}, once you have cleared)."
    )


def test_a_must_fix_comment_blocks_its_authors_clear_and_only_she_resolves_it(
    qtbot: QtBot,
    chained: Services,
    make_window: Callable[[], MainWindow],
    modals: Modals,
) -> None:
    chained.clearance.act(1, Action.SUBMIT, DRAFTER)
    comment = chained.clearance.add_comment(
        1,
        CommentTarget(TargetKind.OPTION, "B"),
        "The cost of option B has no source at all yet.",
        FIRST,
        CommentClass.MUST_FIX,
    )
    window = make_window()
    shown(qtbot, window, BriefStatus.IN_REVIEW)
    tab = window.clearance
    window.editor.tabs.setCurrentWidget(tab)
    comments = tab.comments
    qtbot.waitUntil(lambda: comments.tree.topLevelItemCount() == 1)
    tree = comments.tree
    rect = tree.visualItemRect(tree.topLevelItem(0))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert comments.resolve.text().replace("&", "") == "Resolve"
    assert not comments.resolve.isEnabled()  # the drafter may not
    assert comments.resolve.toolTip() == (
        "A comment that must be fixed before clearance is resolved by its author "
        f"({FIRST}) or the approver ({APPROVER}); you act as {DRAFTER}."
    )

    set_my_name(qtbot, window, modals, FIRST)
    qtbot.waitUntil(lambda: f"You act as {FIRST} (" in tab.acting.text())
    clear = tab.buttons[Action.CLEAR]
    assert not clear.isEnabled()
    refusal = (
        "Your comment marked “must fix before clearance” is still open: "
        f"#{comment.id} on Option B (“The cost of option B has no source…”). "
        f"It is resolved by you or the approver ({APPROVER})."
    )
    assert clear.toolTip() == refusal
    assert tab.why.text().splitlines()[0] == f"Clear: {refusal}"
    rect = tree.visualItemRect(tree.topLevelItem(0))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    click(qtbot, comments.resolve)
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 0)  # open only
    qtbot.waitUntil(clear.isEnabled)
    click(qtbot, clear)
    qtbot.waitUntil(
        lambda: tab.clearance is not None and tab.clearance.events[-1].action == "clear"
    )
    assert chained.clearance.clearance(1).events[-1].actor == FIRST


def test_reopen_and_reply_wait_for_their_text(
    qtbot: QtBot,
    chained: Services,
    make_window: Callable[[], MainWindow],
    modals: Modals,
) -> None:
    for action, actor in (
        (Action.SUBMIT, DRAFTER),
        (Action.CLEAR, FIRST),
        (Action.CLEAR, SECOND),
        (Action.APPROVE, APPROVER),
    ):
        chained.clearance.act(1, action, actor)
    chained.clearance.add_comment(1, CommentTarget(), "Dates?", FIRST)
    window = make_window()
    shown(qtbot, window, BriefStatus.APPROVED)
    tab = window.clearance
    window.editor.tabs.setCurrentWidget(tab)

    def reopen(dialog: NoteDialog) -> None:
        ok = next(b for b in dialog._buttons.buttons() if b.text() == "Reopen")
        assert not ok.isEnabled()
        assert dialog.reason.isVisible()
        assert dialog.reason.text() == (
            "A reason is needed: it goes in the brief's history."
        )
        text = dialog.findChild(QPlainTextEdit)
        assert text is not None
        qtbot.keyClicks(text, "   ")  # blanks are no reason
        assert not ok.isEnabled()
        qtbot.keyClicks(text, "New cost figures.")
        assert ok.isEnabled()
        assert not dialog.reason.isVisible()
        click_button(qtbot, dialog, "Reopen")

    modals.expect(NoteDialog, reopen)
    click(qtbot, tab.buttons[Action.REOPEN])
    modals.wait_until(
        lambda: tab.clearance is not None and tab.clearance.status is BriefStatus.DRAFT
    )
    events = chained.clearance.clearance(1).events
    assert (events[-1].action, events[-1].note) == ("reopen", "New cost figures.")

    def reply(dialog: NoteDialog) -> None:
        ok = next(b for b in dialog._buttons.buttons() if b.text() == "Reply")
        assert not ok.isEnabled()
        assert dialog.reason.text() == "Type the reply."
        text = dialog.findChild(QPlainTextEdit)
        assert text is not None
        qtbot.keyClicks(text, "Checked.")
        click_button(qtbot, dialog, "Reply")

    tree = tab.comments.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1)
    rect = tree.visualItemRect(tree.topLevelItem(0))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    modals.expect(NoteDialog, reply)
    click(qtbot, tab.comments.reply)
    modals.wait_until(lambda: tree.topLevelItemCount() == 1 and bool(
        tree.topLevelItem(0).childCount()
    ))  # fmt: skip
    assert tree.topLevelItem(0).child(0).text(4) == "Checked."


def test_issue_asks_for_the_template_and_every_place_says_one_version(
    qtbot: QtBot,
    chained: Services,
    make_window: Callable[[], MainWindow],
    modals: Modals,
    database_path: Path,
    tmp_path: Path,
) -> None:
    chained.clearance.save_version(1, "", DRAFTER)  # version 1
    for action, actor in (
        (Action.SUBMIT, DRAFTER),  # version 2
        (Action.CLEAR, FIRST),
        (Action.CLEAR, SECOND),
        (Action.APPROVE, APPROVER),  # version 3, the one issued
    ):
        chained.clearance.act(1, action, actor)
    chained.briefs.editor = APPROVER
    window = make_window()
    shown(qtbot, window, BriefStatus.APPROVED)
    tab = window.clearance
    window.editor.tabs.setCurrentWidget(tab)
    assert "version 3 approved" in tab.status.text()
    suggested: list[str] = []

    def issue(dialog: IssueDialog) -> None:
        assert dialog.windowTitle() == "Issue version 3"
        template = dialog.findChild(QComboBox)
        assert template is not None
        assert template.currentText() == "Decision brief (built-in)"  # the default
        choose_by_keyboard(qtbot, template, "One-page summary (built-in)")
        path = dialog.findChild(QLineEdit)
        assert path is not None
        suggested.append(Path(path.text()).name)
        path.selectAll()
        qtbot.keyClicks(path, str(tmp_path / suggested[0]))
        click_button(qtbot, dialog, "Issue")

    (tmp_path / "MOD-2026-014-v3.docx").write_bytes(b"an older file")
    modals.expect(IssueDialog, issue)
    modals.expect(QMessageBox, lambda box: click_button(qtbot, box, "Replace"))
    click(qtbot, tab.buttons[Action.ISSUE])
    modals.wait_until(
        lambda: (
            tab.clearance is not None and tab.clearance.status is BriefStatus.ISSUED
        ),
        timeout=60_000,
    )
    assert suggested == ["MOD-2026-014-v3.docx"]
    output = tmp_path / "MOD-2026-014-v3.docx"
    assert window.statusBar().currentMessage() == f"Issued version 3 to {output}."
    assert "version 3 issued" in tab.status.text()
    assert tab.history.item(0, 2).text() == "issue (version 3)"
    numbers = [
        int(tab.versions.table.item(r, 0).text())
        for r in range(tab.versions.table.rowCount())
    ]
    assert max(numbers) == 3  # no later number for the issue
    footer = "\n".join(
        p.text for s in docx.Document(str(output)).sections for p in s.footer.paragraphs
    )
    assert "Issued from version 3 of MOD-2026-014" in footer
    verified = chained.review.verify(output)
    assert verified.verdict is Verdict.VERIFIED
    assert verified.message.startswith(
        "MOD-2026-014-v3.docx matches version 3 of brief MOD-2026-014"
    )
    digest = chained.clearance.clearance(1).versions[-1].digest
    with chained._database.reading() as session:
        issued = clearance_store.issues_with_digest(session, digest)
    assert [(i.version, i.template) for i in issued] == [(3, "one-page-summary")]
    # The command line says the same number.
    db = str(database_path)
    history = run_cli("--db", db, "history", "1").stdout.splitlines()
    assert history[-1].split("\t")[2:5:2] == ["issue", "version 3"]
    versions = run_cli("--db", db, "versions", "1").stdout.splitlines()
    assert versions[-1].split("\t")[:2] == ["3", "approved"]
    assert run_cli("--db", db, "verify", str(output)).stdout.startswith(
        "MOD-2026-014-v3.docx matches version 3 of brief MOD-2026-014"
    )


@pytest.fixture
def login_services(database_path: Path, locations: Locations) -> Iterator[Services]:
    """A new database made as the app makes it: as the user's login name."""
    opened = open_services(database_path, locations, user="ona")
    yield opened
    opened.close()


@pytest.fixture
def login_window(
    qtbot: QtBot, login_services: Services, settings_path: Path
) -> Iterator[MainWindow]:
    window = MainWindow(login_services, Settings.load(settings_path), settings_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.clearance.clearance is not None, timeout=20_000)
    yield window
    window.close()


def test_the_demo_brief_stays_editable_after_setting_a_name(
    qtbot: QtBot,
    login_services: Services,
    login_window: MainWindow,
    modals: Modals,
) -> None:
    window = login_window
    tab = window.clearance
    assert tab.clearance is not None
    assert tab.clearance.chain == ()
    set_my_name(qtbot, window, modals, DRAFTER)
    qtbot.waitUntil(lambda: f"You act as {DRAFTER} (drafter)" in tab.acting.text())
    assert not window.editor.read_only
    summary = window.editor.texts["summary"].widget
    assert not summary.isReadOnly()
    assert tab.save_chain.isEnabled()
    qtbot.keyClicks(tab.drafters, DRAFTER)
    qtbot.keyClicks(tab.approver, APPROVER)
    qtbot.mouseClick(tab.save_chain, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.clearance is not None and bool(tab.clearance.chain))
    assert login_services.clearance.clearance(1).chain == (
        Member(DRAFTER, Role.DRAFTER),
        Member(APPROVER, Role.APPROVER),
    )


def test_a_comment_waits_for_its_text(
    qtbot: QtBot,
    chained: Services,
    make_window: Callable[[], MainWindow],
    modals: Modals,
) -> None:
    window = make_window()
    shown(qtbot, window, BriefStatus.DRAFT)
    tab = window.clearance
    window.editor.tabs.setCurrentWidget(tab)

    def comment(dialog: CommentDialog) -> None:
        ok = next(b for b in dialog._buttons.buttons() if b.text() == "Add comment")
        assert not ok.isEnabled()
        assert dialog.reason.isVisible()
        assert dialog.reason.text() == "Type the comment."
        qtbot.keyClicks(dialog.text, "Which year's prices?")
        assert not dialog.reason.isVisible()
        click_button(qtbot, dialog, "Add comment")

    modals.expect(CommentDialog, comment)
    click(qtbot, tab.comments.add_comment)
    modals.wait_until(lambda: tab.comments.tree.topLevelItemCount() == 1)
    stored = chained.clearance.clearance(1).comments
    assert [(c.author, c.text) for c in stored] == [(DRAFTER, "Which year's prices?")]
