"""Importing in the window: the real question for a reference already used,
and the real list of every problem of a refused file, answered by clicking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)
from pytestqt.qtbot import QtBot

from briefapp import paths
from briefapp.domain.entities import CountryRole
from briefapp.gui.import_dialogs import ImportProblemsDialog
from briefapp.gui.main_window import MainWindow
from briefapp.services.session import Services
from tests.gui.conftest import Dialogs
from tests.gui.user import Modals, click_button, fill_file_dialog


def _answer(
    qtbot: QtBot, modals: Modals, path: Path, button: str, seen: list[str]
) -> None:
    """Choose ``path`` in the file dialog, then note what the question says
    and which buttons it offers, and click ``button``."""

    def answer(box: QMessageBox) -> None:
        offered = " / ".join(sorted(b.text() for b in box.buttons() if b.isEnabled()))
        seen.append(f"{box.text()} | {offered}")
        click_button(qtbot, box, button)

    modals.expect(QFileDialog, lambda dialog: fill_file_dialog(qtbot, dialog, path))
    modals.expect(QMessageBox, answer)


def _demo_file(tmp_path: Path, title: str) -> Path:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["title"] = title
    path = tmp_path / "again.brief.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


QUESTION = (
    "Reference MOD-2026-014 is already used by brief 1. | "
    "Cancel / Import as a new reference / Replace the draft"
)


def test_a_used_reference_is_asked_about_and_imported_as_a_new_reference(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    modals: Modals,
    tmp_path: Path,
) -> None:
    seen: list[str] = []
    _answer(
        qtbot,
        modals,
        _demo_file(tmp_path, "Second opinion"),
        "Import as a new reference",
        seen,
    )
    window.import_action.trigger()
    qtbot.waitUntil(lambda: window.brief_list.model.rowCount() == 2)
    assert seen == [QUESTION]
    stored = {b.id: (b.reference, b.title) for b in services.briefs.list_briefs()}
    assert stored[1][0] == "MOD-2026-014"
    assert stored[2] == ("MOD-2026-014 (2)", "Second opinion")
    qtbot.waitUntil(lambda: window.document.brief.id == 2)  # type: ignore[union-attr]


def test_replacing_the_draft_keeps_one_brief_with_the_files_content(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    modals: Modals,
    tmp_path: Path,
) -> None:
    seen: list[str] = []
    _answer(
        qtbot, modals, _demo_file(tmp_path, "Replaced title"), "Replace the draft", seen
    )
    window.import_action.trigger()
    qtbot.waitUntil(lambda: services.briefs.get_brief(1).title == "Replaced title")
    assert seen == [QUESTION]
    assert [(b.id, b.reference) for b in services.briefs.list_briefs()] == [
        (1, "MOD-2026-014")
    ]
    qtbot.waitUntil(
        lambda: window.document.brief.title == "Replaced title"  # type: ignore[union-attr]
    )


def test_cancelling_the_question_imports_nothing(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    modals: Modals,
    tmp_path: Path,
) -> None:
    seen: list[str] = []
    _answer(qtbot, modals, _demo_file(tmp_path, "Not wanted"), "Cancel", seen)
    window.import_action.trigger()
    modals.wait_answered()
    qtbot.waitUntil(window.runner.is_idle)
    assert window.statusBar().currentMessage() == "again.brief.json was not imported."
    assert [(b.id, b.title) for b in services.briefs.list_briefs()] == [
        (1, services.briefs.get_brief(1).title)
    ]
    assert services.briefs.get_brief(1).title != "Not wanted"


ROLES = ", ".join(role.value for role in CountryRole)


def test_a_refused_file_shows_every_problem_with_its_path(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    modals: Modals,
    tmp_path: Path,
) -> None:
    document = json.loads(paths.demo_brief_file().read_text(encoding="utf-8"))
    document["brief"]["countries"][0]["role"] = "king"
    document["brief"]["options"][2]["cost"]["amount"] = "lots"
    document["brief"]["deadline"] = "soon"
    bad = tmp_path / "bad.brief.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    shown: list[str] = []

    def read(dialog: ImportProblemsDialog) -> None:
        shown.append(dialog.problems.toPlainText())
        click_button(qtbot, dialog, "Close")

    modals.expect(QFileDialog, lambda d: fill_file_dialog(qtbot, d, bad))
    modals.expect(ImportProblemsDialog, read)
    window.import_action.trigger()
    modals.wait_answered()
    assert shown[0].splitlines() == [
        "brief.deadline: must be a date written YYYY-MM-DD, or null",
        "brief.countries[0].role: must be one of " + ROLES,
        "brief.options[2].cost.amount: not a decimal number",
    ]
    assert len(services.briefs.list_briefs()) == 1


@pytest.mark.not_saved  # the refused reference is what the test shows
def test_typing_a_reference_already_used_is_refused_with_a_sentence(
    qtbot: QtBot, window: MainWindow, services: Services, scripted_dialogs: Dialogs
) -> None:
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.document.brief.title == "Untitled brief")  # type: ignore[union-attr]
    new_id = window.document.brief.id  # type: ignore[union-attr]
    field = window.editor.lines["reference"].widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "mod-2026-014")
    qtbot.waitUntil(lambda: window.save_state.text().startswith("Not saved"))
    assert window.save_state.text() == (
        "Not saved: Reference mod-2026-014 is already used by brief 1; each brief "
        "needs a reference of its own."
    )
    assert services.briefs.get_brief(new_id or 0).reference != "mod-2026-014"
    scripted_dialogs.confirm.append(True)  # closing keeps the edit for later
