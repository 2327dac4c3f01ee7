"""The window under test; modal dialogs answered by a script (to test their
callers) or, with ``modals``, the real dialogs answered by clicking them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from briefapp.gui import dialogs, import_dialogs
from briefapp.gui.main_window import MainWindow
from briefapp.services.briefs import ExistingReference
from briefapp.services.session import Services
from briefapp.settings import Settings
from tests.gui.user import Modals


@dataclass
class Dialogs:
    """What the user answers to each modal dialog, and what each dialog said."""

    confirm: list[bool] = field(default_factory=list)
    choose: list[str | None] = field(default_factory=list)
    open_file: list[Path | None] = field(default_factory=list)
    folder: list[Path | None] = field(default_factory=list)
    save_file: list[Path | None] = field(default_factory=list)
    export: list[dialogs.ExportChoice | None] = field(default_factory=list)
    reference: list[ExistingReference | None] = field(default_factory=list)
    shown: list[tuple[str, str, str]] = field(default_factory=list)

    def next(self, answers: list[Any], kind: str, title: str, text: str) -> Any:
        self.shown.append((kind, title, text))
        if not answers:
            raise AssertionError(f"unexpected {kind} dialog: {title}: {text}")
        return answers.pop(0)


SCRIPTED = (
    (dialogs.ConfirmDialog, "ask"),
    (dialogs.ChoiceDialog, "ask"),
    (dialogs.NoticeDialog, "tell"),
    (dialogs.AboutDialog, "tell"),
    (dialogs.FileDialog, "ask_open"),
    (dialogs.FileDialog, "ask_save"),
    (dialogs.FileDialog, "ask_folder"),
    (dialogs.ExportDialog, "ask"),
    (import_dialogs.ReferenceTakenDialog, "ask"),
    (import_dialogs.ImportProblemsDialog, "tell"),
)
REAL = {(owner, name): owner.__dict__[name] for owner, name in SCRIPTED}
"""The real dialogs, before ``scripted_dialogs`` replaces them."""
REAL_CRASH_DIALOG = dialogs.CrashDialog.__dict__["tell"]
"""The real crash dialog, which ``modals`` leaves replaced: a crash fails a test."""


@pytest.fixture(autouse=True)
def scripted_dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    script = Dialogs()

    def ask_confirm(_parent: Any, title: str, text: str, *_buttons: str) -> bool:
        return bool(script.next(script.confirm, "confirm", title, text))

    def ask_choice(_parent: Any, title: str, text: str, _choices: Any) -> str | None:
        return script.next(script.choose, "choice", title, text)

    def tell(kind: str) -> Callable[..., None]:
        def show(_parent: Any, title: str, text: Any) -> None:
            script.shown.append((kind, title, str(text)))

        return show

    def ask_open(_parent: Any, caption: str, *_args: Any) -> Path | None:
        return script.next(script.open_file, "open", caption, "")

    def ask_folder(_parent: Any, caption: str, *_args: Any) -> Path | None:
        return script.next(script.folder, "folder", caption, "")

    def ask_save(_parent: Any, caption: str, *_args: Any) -> Path | None:
        return script.next(script.save_file, "save", caption, "")

    def ask_export(_parent: Any, *_args: Any) -> dialogs.ExportChoice | None:
        return script.next(script.export, "export", "Export to Word", "")

    monkeypatch.setattr(dialogs.ConfirmDialog, "ask", ask_confirm)
    monkeypatch.setattr(dialogs.ChoiceDialog, "ask", ask_choice)
    monkeypatch.setattr(dialogs.NoticeDialog, "tell", tell("notice"))
    monkeypatch.setattr(dialogs.CrashDialog, "tell", tell("crash"))
    monkeypatch.setattr(
        dialogs.AboutDialog,
        "tell",
        lambda _parent, text: script.shown.append(("about", "About Briefapp", text)),
    )
    monkeypatch.setattr(dialogs.FileDialog, "ask_open", ask_open)
    monkeypatch.setattr(dialogs.FileDialog, "ask_save", ask_save)
    monkeypatch.setattr(dialogs.FileDialog, "ask_folder", ask_folder)
    monkeypatch.setattr(dialogs.ExportDialog, "ask", ask_export)

    def ask_reference(_parent: Any, file_name: str, error: Any) -> Any:
        return script.next(script.reference, "reference", file_name, str(error))

    def tell_problems(_parent: Any, title: str, error: Any) -> None:
        lines = [f"{path}: {text}" if path else text for path, text in error.problems]
        script.shown.append(("problems", title, "\n".join(lines)))

    monkeypatch.setattr(import_dialogs.ReferenceTakenDialog, "ask", ask_reference)
    monkeypatch.setattr(import_dialogs.ImportProblemsDialog, "tell", tell_problems)
    return script


@pytest.fixture
def modals(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, scripted_dialogs: Dialogs
) -> Iterator[Modals]:
    """The real dialogs (all but the crash dialog, which stays a failure),
    answered through their widgets."""
    for (owner, name), real in REAL.items():
        monkeypatch.setattr(owner, name, real)
    answering = Modals(qtbot)
    yield answering
    answering.stop()
    answering.check()


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.json"


@pytest.fixture
def make_window(
    qtbot: QtBot, services: Services, settings_path: Path
) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(services, Settings.load(settings_path), settings_path)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(
            lambda: window.document.brief is not None or window.runner.is_idle()
        )
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window: Callable[[], MainWindow], qtbot: QtBot) -> MainWindow:
    opened = make_window()
    qtbot.waitUntil(lambda: opened.document.brief is not None)
    return opened


@pytest.fixture(autouse=True)
def no_crash_dialogs(scripted_dialogs: Dialogs) -> Iterator[None]:
    yield
    crashes = [shown for shown in scripted_dialogs.shown if shown[0] == "crash"]
    assert not crashes, crashes


@pytest.fixture(autouse=True)
def nothing_left_unsaved(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Fail a test whose window ended with its edits not saved, or that ever
    met an unexpected error saving, unless it is marked ``not_saved``."""
    states: dict[int, list[str]] = {}
    shown = MainWindow._on_autosaver_state_changed

    def record(window: MainWindow, state: str) -> None:
        states.setdefault(id(window), []).append(state)
        shown(window, state)

    monkeypatch.setattr(MainWindow, "_on_autosaver_state_changed", record)
    yield
    if request.node.get_closest_marker("not_saved"):
        return
    for seen in states.values():
        errors = [s for s in seen if s == "Not saved: unexpected error"]
        assert not errors, seen
        assert not seen[-1].startswith("Not saved"), seen


@contextmanager
def write_lock_held(database: Path) -> Iterator[None]:
    """Another program holding the database's write lock until the block ends."""
    other_program = sqlite3.connect(database, isolation_level=None)
    other_program.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other_program.execute("ROLLBACK")
        other_program.close()
