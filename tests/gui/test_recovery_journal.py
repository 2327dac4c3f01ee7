"""Edits not yet saved survive a crash: the recovery journal keeps them while
the user types, and the next start offers them back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from briefapp import paths
from briefapp.domain.entities import Brief
from briefapp.gui.edit_journal import OFFER_TITLE, session_is_live
from briefapp.gui.main_window import MainWindow
from briefapp.services.journal import RecoveryJournal, UnsavedEdits
from briefapp.services.session import Services
from tests.gui.conftest import Dialogs, write_lock_held
from tests.gui.user import wait_saved
from tests.reliability import GUI_KILLS_RECOVERED, tally

ROOT = Path(__file__).resolve().parents[2]


def journal_files() -> list[Path]:
    folder = paths.recovery_dir()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def kill_while_typing(database: Path, field: str, text: str) -> None:
    """Start a window in another process, type ``text`` into ``field``, and
    kill it with SIGKILL once the journal holds the edit (before any save)."""
    editor = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.crash_editor", str(database), field, text],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert editor.stdout is not None
        said = editor.stdout.readline().strip()
    finally:
        os.kill(editor.pid, signal.SIGKILL)
        _out, errors = editor.communicate(timeout=60)
    assert said == "journaled", errors
    assert editor.returncode == -signal.SIGKILL


def left_behind(database: Path) -> list[UnsavedEdits]:
    """What a window opening ``database`` now would offer back."""
    journal = RecoveryJournal(paths.recovery_dir(), database)
    return journal.left_behind(partial(session_is_live, journal))


def leave_behind(services: Services, edited: Brief) -> None:
    """Journal ``edited`` as a window that then crashed would have."""
    RecoveryJournal(paths.recovery_dir(), services.database_path).keep(edited)


def type_title(qtbot: QtBot, window: MainWindow, text: str) -> None:
    title = window.editor.lines["title"].widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, text)


def test_typing_is_journaled_until_saved(
    qtbot: QtBot, window: MainWindow, services: Services
) -> None:
    window.autosaver.delay_ms = 3_600_000
    type_title(qtbot, window, "Journaled title")
    qtbot.waitUntil(lambda: len(journal_files()) == 1)
    qtbot.waitUntil(lambda: "Journaled title" in journal_files()[0].read_text("utf-8"))
    assert services.briefs.get_brief(1).title != "Journaled title"
    folder_mode = paths.recovery_dir().stat().st_mode & 0o777
    assert folder_mode == 0o700  # briefs may be classified
    window.autosaver.save_now()
    wait_saved(qtbot, window)
    assert services.briefs.get_brief(1).title == "Journaled title"
    assert journal_files() == []


def test_a_normal_close_leaves_nothing_to_offer(
    qtbot: QtBot, window: MainWindow, services: Services, database_path: Path
) -> None:
    window.autosaver.delay_ms = 3_600_000
    type_title(qtbot, window, "First part")
    qtbot.waitUntil(lambda: len(journal_files()) == 1)
    qtbot.keyClicks(window.editor.lines["title"].widget, " and more")
    window.close()  # saves, on this thread
    assert services.briefs.get_brief(1).title == "First part and more"
    assert journal_files() == []
    assert left_behind(database_path) == []


def test_a_window_still_open_is_not_taken_for_a_crash(
    qtbot: QtBot,
    make_window: Callable[[], MainWindow],
    database_path: Path,
    scripted_dialogs: Dialogs,
) -> None:
    first = make_window()
    qtbot.waitUntil(lambda: first.document.brief is not None)
    first.autosaver.delay_ms = 3_600_000
    type_title(qtbot, first, "Typed in the first window")
    qtbot.waitUntil(lambda: len(journal_files()) == 1)
    second = make_window()  # would fail on an unexpected offer
    qtbot.waitUntil(lambda: second.document.brief is not None)
    assert scripted_dialogs.shown == []
    assert left_behind(database_path) == []
    assert len(journal_files()) == 1


@pytest.mark.slow
@pytest.mark.reliability
def test_edits_typed_before_a_kill_are_offered_back(
    qtbot: QtBot,
    services: Services,
    database_path: Path,
    make_window: Callable[[], MainWindow],
    scripted_dialogs: Dialogs,
) -> None:
    stored_title = services.briefs.get_brief(1).title
    for number, field in enumerate(("title", "addressee", "title"), start=1):
        text = f"Typed before kill {number}"
        kill_while_typing(database_path, field, text)
        assert getattr(services.briefs.get_brief(1), field) != text  # never saved
        assert len(journal_files()) == 1

        scripted_dialogs.choose.append("restore")
        window = make_window()
        qtbot.waitUntil(lambda w=window: w.document.is_dirty(), timeout=10_000)
        kind, title, question = scripted_dialogs.shown[-1]
        assert (kind, title) == ("choice", OFFER_TITLE)
        assert question.startswith(
            f"Briefapp closed before your edits to brief MOD-2026-014 "
            f"“{text if field == 'title' else stored_title}” were saved"
        )
        assert window.editor.lines[field].widget.text() == text
        wait_saved(qtbot, window)
        stored = services.briefs.get_brief(1)
        assert getattr(stored, field) == text
        stored_title = stored.title
        assert journal_files() == []
        window.close()
        tally(GUI_KILLS_RECOVERED)

    # Discarded on request: the database keeps what was saved.
    kill_while_typing(database_path, "title", "Typed and then discarded")
    scripted_dialogs.choose.append("discard")
    window = make_window()
    qtbot.waitUntil(lambda: window.document.brief is not None)
    assert window.editor.lines["title"].widget.text() == stored_title
    assert not window.document.is_dirty()
    assert journal_files() == []
    assert services.briefs.get_brief(1).title == stored_title
    tally(GUI_KILLS_RECOVERED)


def test_closing_the_question_keeps_the_edits_for_next_time(
    qtbot: QtBot,
    services: Services,
    make_window: Callable[[], MainWindow],
    scripted_dialogs: Dialogs,
) -> None:
    stored = services.briefs.get_brief(1)
    leave_behind(services, replace(stored, title="Left by a crash"))
    scripted_dialogs.choose.append(None)
    window = make_window()
    qtbot.waitUntil(lambda: window.document.brief is not None)
    assert window.document.brief.title == stored.title  # type: ignore[union-attr]
    # Working on the same brief and saving does not touch what was kept.
    window.autosaver.delay_ms = 3_600_000
    type_title(qtbot, window, "Typed after postponing")
    qtbot.waitUntil(lambda: len(journal_files()) == 2)
    window.autosaver.save_now()
    wait_saved(qtbot, window)
    window.close()
    kept = left_behind(services.database_path)
    assert [e.brief.title for e in kept] == ["Left by a crash"]


def test_edits_to_a_brief_saved_elsewhere_since_meet_a_conflict(
    qtbot: QtBot,
    services: Services,
    make_window: Callable[[], MainWindow],
    scripted_dialogs: Dialogs,
) -> None:
    stored = services.briefs.get_brief(1)
    leave_behind(services, replace(stored, title="Left by a crash"))
    services.briefs.save_brief(replace(stored, addressee="Saved elsewhere since"))
    scripted_dialogs.choose += ["restore", "copy"]
    window = make_window()
    qtbot.waitUntil(lambda: len(services.briefs.list_briefs()) == 2, timeout=10_000)
    assert [kind for kind, *_ in scripted_dialogs.shown] == ["choice", "choice"]
    assert scripted_dialogs.shown[1][1] == "The brief changed elsewhere"
    copy = services.briefs.get_brief(2)
    assert (copy.reference, copy.title) == ("MOD-2026-014-MINE", "Left by a crash")
    assert services.briefs.get_brief(1).addressee == "Saved elsewhere since"
    wait_saved(qtbot, window)
    assert journal_files() == []


def test_edits_to_a_brief_deleted_since_become_a_new_brief(
    qtbot: QtBot,
    services: Services,
    make_window: Callable[[], MainWindow],
    scripted_dialogs: Dialogs,
) -> None:
    extra = services.briefs.create_brief()
    leave_behind(services, replace(extra, title="Left by a crash"))
    services.briefs.delete_brief(extra.id or 0)
    scripted_dialogs.choose.append("restore")
    window = make_window()
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage()
            == (
                "Brief BRIEF-2026-002 was deleted or can no longer be edited; your "
                "edits are restored as the new brief BRIEF-2026-002-RECOVERED."
            )
        )
    )
    restored = window.document.brief
    assert restored is not None
    assert restored.title == "Left by a crash"
    assert services.briefs.get_brief(restored.id or 0).title == "Left by a crash"
    assert journal_files() == []


def test_closing_on_a_busy_database_keeps_the_edits(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    database_path: Path,
    scripted_dialogs: Dialogs,
) -> None:
    window.autosaver.delay_ms = 3_600_000
    type_title(qtbot, window, "Typed before closing")
    with write_lock_held(database_path):
        scripted_dialogs.confirm.append(True)
        window.close()
    kind, heading, text = scripted_dialogs.shown[-1]
    assert (kind, heading) == ("confirm", "Close with edits not saved?")
    assert text.endswith(
        "Your edits are kept: Briefapp offers them back the next time it opens "
        "this database. Close Briefapp now?"
    )
    assert "is busy" in text
    (kept,) = left_behind(database_path)
    assert kept.brief.title == "Typed before closing"
    assert services.briefs.get_brief(1).title != "Typed before closing"


def test_files_that_are_not_journals_are_set_aside_and_the_window_starts(
    qtbot: QtBot,
    services: Services,
    make_window: Callable[[], MainWindow],
    scripted_dialogs: Dialogs,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stored = services.briefs.get_brief(1)
    leave_behind(services, replace(stored, title="Left by a crash"))
    (good,) = journal_files()
    key = good.name.split("-", 1)[0]
    folder = good.parent
    hostile = {
        "list": b"[1, 2, 3]",
        "nested": b'{"format": "briefapp-unsaved-edits", "brief": '
        + b"[" * 200_000
        + b"]" * 200_000
        + b"}",
        "garbled": b"\xff\xfe not json",
    }
    for number, (session, data) in enumerate(hostile.items(), 2):
        (folder / f"{key}-{session}-brief-{number}.json").write_bytes(data)
    fifo = folder / f"{key}-fifo-brief-9.json"
    os.mkfifo(fifo)  # opening it to read would wait for a writer forever
    (folder / f"{key}-link-brief-8.json").symlink_to("/dev/zero")
    scripted_dialogs.choose.append("discard")
    with caplog.at_level("WARNING"):
        window = make_window()
        qtbot.waitUntil(lambda: window.document.brief is not None)
    # Only the real journal was offered; it was discarded, as answered.
    offers = [s for s in scripted_dialogs.shown if s[0] == "choice"]
    assert len(offers) == 1
    assert "Left by a crash" in offers[0][2]
    assert journal_files() == []
    aside = sorted(p.name for p in folder.glob("*.unreadable"))
    assert aside == sorted(
        f"{key}-{s}-brief-{n}.json.unreadable"
        for s, n in (
            ("list", 2),
            ("nested", 3),
            ("garbled", 4),
            ("fifo", 9),
            ("link", 8),
        )
    )
    assert (
        sum(
            "set aside the unreadable recovery file" in r.message
            for r in caplog.records
        )
        == 5
    )
